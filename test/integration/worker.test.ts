/**
 * Scale-out: `tally import --enqueue` puts a job on the shared Postgres queue (pg-boss) and a
 * `tally worker` runs it against the same Tally database.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const BASE = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const schema = `tally_worker_${process.pid}_${Date.now()}`
let h: Harness
let env: Record<string, string>

beforeAll(async () => {
  const c = new pg.Client({ connectionString: BASE })
  await c.connect()
  await c.query(`CREATE SCHEMA ${schema}`)
  await c.end()
  h = await startHarness()
  // The store's tables go to a schema of their own (search_path), pg-boss keeps its own schema.
  env = { ...h.env, DATABASE_URL: `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}` }
})
afterAll(async () => {
  await h?.close()
  const c = new pg.Client({ connectionString: BASE })
  await c.connect()
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  await c.end()
})

const io = (stop: AbortSignal, sink: { out: string }) => ({
  env,
  cwd: h.dir,
  stdout: (s: string) => void (sink.out += s),
  stderr: (s: string) => void (sink.out += s),
  stderrIsTty: false,
  stopSignal: stop,
})

describe('tally worker', () => {
  it('runs an import queued with --enqueue', async () => {
    const enq = { out: '' }
    expect(await runCli(['import', '--enqueue', '--create-accounts'], io(new AbortController().signal, enq)), enq.out).toBe(0)
    expect(enq.out).toMatch(/Queued import job [0-9a-f-]{36}/)
    expect(h.records()).toHaveLength(0) // nothing ran here

    const stop = new AbortController()
    const work = { out: '' }
    const worker = runCli(['worker'], io(stop.signal, work))
    const total = h.sandbox.qbo.emulator.customers().length
    const deadline = Date.now() + 60_000
    while (h.records().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(h.records()).toHaveLength(total)
    expect(h.records().some((r) => r['Link_Status__c'] === 'Created')).toBe(true)

    // The run is recorded in the shared database.
    const c = new pg.Client({ connectionString: BASE })
    await c.connect()
    let status = ''
    while (status !== 'succeeded' && Date.now() < deadline) {
      const r = await c.query(`SELECT status FROM ${schema}.runs ORDER BY started_at DESC LIMIT 1`)
      status = String(r.rows[0]?.status ?? '')
      if (status !== 'succeeded') await new Promise((res) => setTimeout(res, 100))
    }
    await c.end()
    expect(status).toBe('succeeded')
    stop.abort()
    expect(await worker).toBe(0)
    expect(work.out).toContain('Tally worker waiting for jobs')
  })
})
