/**
 * Automatic sync scaled out (contract §11): with DATABASE_URL the sweep is a pg-boss schedule and
 * the syncs are jobs of the stately queue keyed by realm. Two `tally worker` processes and a Hub's
 * scheduler on one Postgres share the sweeps of two companies: every change arrives, and one company
 * never has two syncs at once, however many sweeps pile up.
 */
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { parseConfig } from '../../src/config/env.js'
import { startAutoSync } from '../../src/jobs/auto-sync.js'
import { openQueue, SWEEP_QUEUE, sweepCron } from '../../src/jobs/queue.js'
import { createRunService } from '../../src/jobs/runs.js'
import { openTally } from '../../src/jobs/tally.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const BASE = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const schema = `tally_autosync_${process.pid}_${Date.now()}`
let h: Harness | undefined
afterAll(async () => {
  await h?.close()
  const c = new pg.Client({ connectionString: BASE })
  await c.connect()
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  await c.end()
})

const io = (env: Record<string, string>, dir: string, stop: AbortSignal, sink: { out: string }) => ({
  env,
  cwd: dir,
  stdout: (s: string) => void (sink.out += s),
  stderr: (s: string) => void (sink.out += s),
  stderrIsTty: false,
  stopSignal: stop,
})

describe('automatic sync on pg-boss, two workers', () => {
  it('share the sweeps of two companies without running one company twice at once', async () => {
    h = await startHarness({ companies: 2, generate: 80, randomSeed: 5, latencyMs: 5 })
    const c = new pg.Client({ connectionString: BASE })
    await c.connect()
    await c.query(`CREATE SCHEMA ${schema}`)
    const env = { ...h.env, DATABASE_URL: `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, TALLY_SYNC_INTERVAL: '120' }
    // The first import: a person's, before automatic sync takes over.
    expect(await runCli(['import', '--create-accounts'], io(env, h.dir, new AbortController().signal, { out: '' }))).toBe(0)

    // A Hub's scheduler (as `tally start` runs it) and two workers.
    const config = parseConfig(env, h.dir)
    const t = await openTally(config)
    const boss = await openQueue(config.databaseUrl as string)
    const auto = await startAutoSync(t, createRunService(t), { intervalSeconds: 120, budget: 0.8, webhooks: false, boss })
    expect((await boss.getSchedules()).find((s) => s.name === SWEEP_QUEUE)?.cron).toBe(sweepCron(120))
    expect(sweepCron(120)).toBe('*/2 * * * *')
    const stop = new AbortController()
    const logs = [{ out: '' }, { out: '' }]
    const workers = logs.map((sink) => runCli(['worker'], io(env, h!.dir, stop.signal, sink)))

    // Changes in both companies, and sweeps piling up (as ticks would while the workers are busy).
    const realms = h.sandbox.companies.map((co) => co.realmId)
    const changed: { realm: string; id: string }[] = []
    for (const realm of realms) {
      const token = h.sandbox.qbo.emulator.issueTokens(realm).access_token
      for (const cu of h.sandbox.qbo.emulator.customers(realm).filter((x) => x['Active'] !== false).slice(0, 3)) {
        const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${realm}/customer?minorversion=75`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ Id: cu['Id'], SyncToken: cu['SyncToken'], sparse: true, Notes: `auto ${realm}` }),
        })
        expect(res.status).toBe(200)
        changed.push({ realm, id: String(cu['Id']) })
      }
    }
    for (let i = 0; i < 5; i++) await auto.sweep()

    const arrived = () => changed.every((x) => h!.records().find((r) => r['QBO_Key__c'] === `${x.realm}-${x.id}`)?.['Notes__c'] === `auto ${x.realm}`)
    const deadline = Date.now() + 90_000
    while (!arrived() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    expect(arrived()).toBe(true)
    // Let what was queued finish.
    await new Promise((r) => setTimeout(r, 4_000))
    stop.abort()
    expect(await Promise.all(workers)).toEqual([0, 0])
    await auto.stop()
    await boss.stop({ graceful: false })

    type Row = { realm_id: string; mode: string; status: string; started_at: string; finished_at: string | null }
    const rows: Row[] = (await c.query(`SELECT realm_id, mode, status, started_at, finished_at FROM ${schema}.runs WHERE mode = 'sync' ORDER BY started_at`)).rows
    for (const realm of realms) {
      const mine = rows.filter((r) => r.realm_id === realm)
      expect(mine.length).toBeGreaterThanOrEqual(1)
      // Never two syncs of one company at once: each ends before the next starts.
      for (let i = 1; i < mine.length; i++) expect(new Date(mine[i - 1]?.finished_at ?? 0).getTime()).toBeLessThanOrEqual(new Date(mine[i]?.started_at ?? 0).getTime())
    }
    // The sweeps did the work on the workers (both took part, or one took all: pg-boss decides).
    expect(logs.map((l) => l.out).join('')).toContain('Tally worker waiting for jobs')
    const states = (await c.query(`SELECT realm_id, last_sweep_at, last_change_at FROM ${schema}.auto_sync_companies`)).rows as { realm_id: string; last_sweep_at: string | null; last_change_at: string | null }[]
    expect(states.map((s) => s.realm_id).sort()).toEqual([...realms].sort())
    expect(states.every((s) => s.last_sweep_at !== null && s.last_change_at !== null)).toBe(true)
    await c.end()
    await t.close()
  }, 150_000)
})
