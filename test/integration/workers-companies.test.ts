/**
 * @module test/integration/workers-companies.test
 * Scale-out with several QuickBooks companies (contract §9, §11): `tally import --enqueue` puts
 * one pg-boss job per company on the shared Postgres queue (a company's job already waiting is not
 * queued twice), two `tally worker` processes share them, and the org ends in the same state as
 * one process importing the companies in turn.
 */
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const BASE = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const schema = `tally_workers_${process.pid}_${Date.now()}`
const harnesses: Harness[] = []
afterAll(async () => {
  for (const h of harnesses) await h.close()
  const c = new pg.Client({ connectionString: BASE })
  await c.connect()
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  await c.end()
})

const io = (h: Harness, env: Record<string, string>, stop: AbortSignal, sink: { out: string }) => ({
  env,
  cwd: h.dir,
  stdout: (s: string) => void (sink.out += s),
  stderr: (s: string) => void (sink.out += s),
  stderrIsTty: false,
  stopSignal: stop,
})

/** The org as a person sees it: every record with its Account's name and status, every Account
 * Tally created, by name (Ids differ between two sandboxes). */
function orgState(h: Harness) {
  const accounts = new Map(h.accounts().map((a) => [a['Id'], a]))
  const records = h.records().map((r) => {
    const acc = accounts.get(r['Account__c'])
    return `${String(r['QBO_Key__c'])}|${String(r['Link_Status__c'])}|${acc ? String(acc['Name']) : '-'}|${String(r['Parent_Customer__c'] ? 'child' : 'top')}`
  }).sort()
  const created = h.accounts().filter((a) => a['QBO_Source_Key__c']).map((a) => `${String(a['QBO_Source_Key__c'])}|${String(a['Name'])}`).sort()
  return { records, created, accounts: h.accounts().length }
}

describe('three companies, two workers, one Postgres', () => {
  it('one job per company, shared by two workers, ends as one process doing them in turn', async () => {
    const data = { companies: 3, generate: 120, randomSeed: 11 } as const
    const h = await startHarness({ ...data, latencyMs: 2 })
    harnesses.push(h)
    const c = new pg.Client({ connectionString: BASE })
    await c.connect()
    await c.query(`CREATE SCHEMA ${schema}`)
    const env = { ...h.env, DATABASE_URL: `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}` }

    const enq = { out: '' }
    expect(await runCli(['import', '--enqueue', '--create-accounts'], io(h, env, new AbortController().signal, enq)), enq.out).toBe(0)
    const realms = h.sandbox.companies.map((co) => co.realmId)
    for (const r of realms) expect(enq.out).toMatch(new RegExp(`Queued import job [0-9a-f-]{36} of company ${r}`))
    // Each company's job is waiting: a second one is not queued (stately, keyed by realm).
    const again = { out: '' }
    expect(await runCli(['import', '--enqueue', '--create-accounts'], io(h, env, new AbortController().signal, again))).toBe(0)
    for (const r of realms) expect(again.out).toContain(`A import of company ${r} is already waiting in the queue`)
    expect(h.records()).toHaveLength(0)

    const stop = new AbortController()
    const logs = [{ out: '' }, { out: '' }]
    const workers = logs.map((sink) => runCli(['worker'], io(h, env, stop.signal, sink)))
    const deadline = Date.now() + 120_000
    type Row = { realm_id: string; status: string; started_at: string; finished_at: string | null }
    const settled = async (n: number): Promise<Row[]> => {
      let rows: Row[] = []
      while (Date.now() < deadline) {
        rows = (await c.query(`SELECT realm_id, status, started_at, finished_at FROM ${schema}.runs ORDER BY started_at`)).rows
        if (rows.length >= n && rows.every((r) => r.status !== 'running')) break
        await new Promise((r) => setTimeout(r, 200))
      }
      return rows
    }
    const first = await settled(3)
    expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(first.map((r) => r.realm_id).sort()).toEqual([...realms].sort())
    // A second round, as the next scheduled import would be: the companies ran in parallel, so an
    // inactive customer (which never creates an Account) could not yet link to the Account another
    // company's run was creating for its name; the next import links it, as it would have been
    // linked had the other company run first.
    expect(await runCli(['import', '--enqueue', '--create-accounts'], io(h, env, new AbortController().signal, { out: '' }))).toBe(0)
    const all = await settled(6)
    stop.abort()
    expect(await Promise.all(workers)).toEqual([0, 0])
    expect(all.map((r) => r.status)).toEqual(Array(6).fill('succeeded'))
    // Never two runs of one company at once.
    for (const r of realms) {
      const mine = all.filter((x) => x.realm_id === r)
      expect(mine).toHaveLength(2)
      expect(new Date(mine[0]?.finished_at ?? 0).getTime()).toBeLessThanOrEqual(new Date(mine[1]?.started_at ?? 0).getTime())
    }
    await c.end()

    // The same data, one process, the companies in turn.
    const one = await startHarness(data)
    harnesses.push(one)
    expect((await one.tally('import', '--create-accounts')).code).toBe(0)
    expect((await one.tally('import', '--create-accounts')).code).toBe(0)
    const parallel = orgState(h)
    const serial = orgState(one)
    expect(parallel.records).toHaveLength(360)
    expect(parallel.created.length).toBeGreaterThan(0)
    expect(parallel).toEqual(serial)
  })
})
