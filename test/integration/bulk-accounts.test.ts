/**
 * The Accounts Tally creates, through one Bulk API 2.0 insert job (`bulk.upsertAccounts`,
 * src/salesforce/accounts.ts createAccountsBySourceKeyInBulk) over real HTTP against the
 * Salesforce sandbox: the same results as the Collections path (`upsertAccounts`) — created,
 * found by a key already taken (`created: false`, that Account unchanged), refused by a validation
 * rule or a value, in input order — with faults on, in a handful of calls; and an upload larger
 * than a job's limit split into several jobs with the same results.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { salesforceTarget } from '../../src/jobs/salesforce-target.js'
import { soqlCapture } from '../helpers/soql-capture.js'
import { bulkUpsert, createSalesforceClient, csvParts, type SalesforceClient } from '../../src/salesforce/index.js'
import type { AccountCreate, WriteResult } from '../../src/sync/ports.js'

type Emulator = Awaited<ReturnType<typeof startSalesforceEmulator>>
const running: Emulator[] = []
const { logger, emitted } = soqlCapture()
const FAST_POLL = { firstMs: 5, maxMs: 50, timeoutMs: 60_000 }

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close()
})
afterAll(() => {
  expect(emitted.length).toBeGreaterThan(0)
  for (const q of emitted) expect(isQueryValid(q), q).toBe(true)
})

async function start(o: Parameters<typeof startSalesforceEmulator>[0] = {}): Promise<Emulator> {
  const sf = await startSalesforceEmulator({ data: { accounts: [] }, bulk: { queueMs: 5, batchMs: 5 }, randomSeed: 21, ...o })
  running.push(sf)
  return sf
}

async function clientFor(sf: Emulator): Promise<SalesforceClient> {
  const c = createSalesforceClient({ loginUrl: sf.url, clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', logger, retry: { minTimeout: 1, maxRetries: 10 } })
  await c.connect()
  return c
}

const ops = (sf: Emulator) => sf.emulator.stats.toJSON().byOperation
function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0)
  return out
}
const sum = (d: Record<string, number>) => Object.values(d).reduce((n, v) => n + v, 0)

const AWKWARD = ['Café Müller & Söhne', 'Smith, Jones, and Co', 'The "Best" Shop', "O'Brien's", 'Two\nLines', 'Ünïcödé — 東京 🚀', '"', 'a "quoted, comma"\nand newline']
const REFUSE = { object: 'Account', field: 'Name', pattern: '^Refused', message: 'Name: this name is refused by an admin rule' }

/** The org before the run: Accounts that already hold some of the keys (a retry, another
 * company's run), and Accounts without a key. The same on every sandbox, so their Ids agree. */
function seedOrg(sf: Emulator): void {
  for (let i = 0; i < 5_000; i += 10) sf.emulator.insert('Account', { Name: `Existing ${i}`, QBO_Source_Key__c: `n:key-${i}`, Phone: '555-0100' })
  for (let i = 0; i < 300; i++) sf.emulator.insert('Account', { Name: `Unrelated ${i}` })
}

/** 5,000 Accounts to create: awkward names, 500 keys already taken (each given a new name that
 * must not reach the existing Account), 150 refused by the rule, a few refused values, a key
 * given twice (in another case). */
function accountsToCreate(): AccountCreate[] {
  const out: AccountCreate[] = []
  for (let i = 0; i < 5_000; i++) {
    const name = i % 10 === 0 ? `Renamed ${i}` : i % 33 === 1 ? `Refused ${i}` : i % 4 === 0 ? `${AWKWARD[i % AWKWARD.length] as string} ${i}` : `New Account ${i}`
    out.push({ sourceKey: `n:key-${i}`, name })
  }
  out.push({ sourceKey: 'N:KEY-7', name: 'New Account 7 again' }) // the same key as #7, case aside
  out.push({ sourceKey: 'n:too-long', name: 'x'.repeat(256) }) // Account Name is Text(255)
  out.push({ sourceKey: 'n:empty', name: '' }) // Name is required
  out.push({ sourceKey: 'n:na', name: '#N/A' }) // the Bulk null literal, as a name
  return out
}

const TRANSIENT = new Set(['UNABLE_TO_LOCK_ROW', 'BULK_UNPROCESSED'])
/** Rows sent again after a transient refusal, by all createAll calls so far. */
let retried = 0

/** As apply does: what failed only for a transient reason is sent again — after a Bulk job, the
 * few rows through Collections (`retry`, 200 a request), as apply does for records. */
async function createAll(
  write: (a: readonly AccountCreate[]) => Promise<WriteResult[]>,
  accounts: readonly AccountCreate[],
  chunk: number,
  retry: { write: (a: readonly AccountCreate[]) => Promise<WriteResult[]>; chunk: number } = { write, chunk },
): Promise<WriteResult[]> {
  const out: WriteResult[] = new Array<WriteResult>(accounts.length)
  let todo = accounts.map((_, i) => i)
  for (let attempt = 1; todo.length > 0 && attempt <= 10; attempt++) {
    const again: number[] = []
    const send = attempt === 1 ? { write, chunk } : retry
    for (let k = 0; k < todo.length; k += send.chunk) {
      const part = todo.slice(k, k + send.chunk)
      const rs = await send.write(part.map((i) => accounts[i] as AccountCreate))
      expect(rs).toHaveLength(part.length)
      rs.forEach((r, j) => {
        const i = part[j] as number
        out[i] = r
        if (!r.ok && r.errors.length > 0 && r.errors.every((e) => TRANSIENT.has(e.code))) {
          again.push(i)
          retried += 1
        }
      })
    }
    todo = again
  }
  return out
}

/** A result as the other sandbox can compare it: the Account it points to by name and key. */
function comparable(sf: Emulator, r: WriteResult) {
  if (!r.ok) return r
  const a = sf.emulator.get('Account', r.id) as Record<string, unknown>
  // An Account of the org before the run has the same Id on both sandboxes (seeded alike).
  const before = String(a['Name']).startsWith('Existing')
  return { key: r.key, ok: true, created: r.created, name: a['Name'], sourceKey: a['QBO_Source_Key__c'], ...(before ? { id: r.id } : {}) }
}

const snapshotExisting = (sf: Emulator) =>
  sf.emulator
    .list('Account')
    .filter((a) => String(a['Name']).startsWith('Existing') || String(a['Name']).startsWith('Unrelated'))
    .map((a) => JSON.stringify(a))
    .sort()

describe('Accounts through one Bulk insert job', () => {
  it('5,000 Accounts, some keys taken, some refused, faults on: the results of the Collections path, existing Accounts untouched, in a few calls', async () => {
    const accounts = accountsToCreate()
    const viaCollections = await start({ validationRules: [REFUSE], faultRate: 0.2 })
    const viaBulk = await start({ validationRules: [REFUSE], faultRate: 0.2 })
    seedOrg(viaCollections)
    seedOrg(viaBulk)
    const existingBefore = snapshotExisting(viaBulk)

    const c = await clientFor(viaCollections)
    const b = await clientFor(viaBulk)
    let before = ops(viaCollections)
    // apply sends Accounts a Collection (200) at a time.
    const rc = await createAll((a) => salesforceTarget(c, { bulk: false }).upsertAccounts(a), accounts, 200)
    const collectionsCalls = delta(before, ops(viaCollections))
    before = ops(viaBulk)
    const target = salesforceTarget(b, { bulk: { poll: FAST_POLL } })
    const bulk = target.bulk
    if (!bulk) throw new Error('no bulk writer')
    const retriedBefore = retried
    const rb = await createAll((a) => bulk.upsertAccounts(a), accounts, accounts.length, { write: (a) => target.upsertAccounts(a), chunk: 200 })
    const bulkCalls = delta(before, ops(viaBulk))
    // The fault rate did hit the job: rows locked inside it were sent again (each 200-row chunk
    // draws a lock at the fault rate: 25 chunks at 0.2 miss every time 0.4% of runs).
    expect(retried - retriedBefore).toBeGreaterThan(0)

    // Same outcome per input, in input order.
    expect(rb.map((r) => comparable(viaBulk, r))).toStrictEqual(rc.map((r) => comparable(viaCollections, r)))
    expect(rb.map((r) => r.key)).toStrictEqual(accounts.map((a) => a.sourceKey))
    // What the outcomes are.
    const created = rb.filter((r) => r.ok && r.created)
    const found = rb.filter((r) => r.ok && !r.created)
    const refused = rb.filter((r) => !r.ok)
    expect(found).toHaveLength(500 + 1) // the 500 taken keys and the repeated one
    expect(refused.filter((r) => !r.ok && r.errors[0]?.code === 'FIELD_CUSTOM_VALIDATION_EXCEPTION')).toHaveLength(accounts.filter((a) => a.name.startsWith('Refused')).length)
    expect(rb.find((r) => r.key === 'n:too-long')).toMatchObject({ ok: false, errors: [{ code: 'STRING_TOO_LONG' }] })
    expect(rb.find((r) => r.key === 'n:empty')).toMatchObject({ ok: false, errors: [{ code: 'REQUIRED_FIELD_MISSING' }] })
    expect(rb.find((r) => r.key === 'n:na')).toMatchObject({ ok: true, created: true })
    expect(viaBulk.emulator.list('Account').find((a) => a['QBO_Source_Key__c'] === 'n:na')?.['Name']).toBe('#N/A')
    expect(created.length + found.length + refused.length).toBe(accounts.length)
    // The 7th key given twice: one Account, found the second time.
    const seventh = rb.filter((r) => r.key.toLowerCase() === 'n:key-7')
    expect(seventh).toMatchObject([{ ok: true, created: true }, { ok: true, created: false }])
    expect((seventh[0] as { id: string }).id).toBe((seventh[1] as { id: string }).id)
    // Existing Accounts: not one field changed (no upsert, no rename).
    expect(snapshotExisting(viaBulk)).toStrictEqual(existingBefore)
    expect(viaBulk.emulator.list('Account').filter((a) => String(a['Name']).startsWith('Renamed'))).toHaveLength(0)
    // Stored Accounts agree between the two sandboxes.
    const stored = (sf: Emulator) => sf.emulator.list('Account').map((a) => `${String(a['QBO_Source_Key__c'])}|${String(a['Name'])}`).sort()
    expect(stored(viaBulk)).toStrictEqual(stored(viaCollections))

    // The one '#N/A' name, and the rows a lock refused in the job, sent again.
    expect(bulkCalls['collections.create']).toBeGreaterThanOrEqual(2)
    console.log(`5,000 Accounts: Collections ${sum(collectionsCalls)} calls ${JSON.stringify(collectionsCalls)}; Bulk ${sum(bulkCalls)} calls ${JSON.stringify(bulkCalls)}`)
    expect(sum(bulkCalls)).toBeLessThan(sum(collectionsCalls) / 2)
    expect(c.apiCalls() + c.oauthCalls()).toBe(viaCollections.emulator.stats.toJSON().requests)
    expect(b.apiCalls() + b.oauthCalls()).toBe(viaBulk.emulator.stats.toJSON().requests)
    // One job held the rows (a create refused by a fault is sent again, and counted). The faults
    // are off for this test's own look at the jobs, which would otherwise draw one itself.
    viaBulk.emulator.setFaults({ faultRate: 0 })
    const token = (await b.jsforce()).accessToken as string
    const jobs = (await (await fetch(`${viaBulk.url}/services/data/v62.0/jobs/ingest`, { headers: { authorization: `Bearer ${token}` } })).json()) as { records: { numberRecordsProcessed: number }[] }
    expect(jobs.records.filter((j) => j.numberRecordsProcessed > 0)).toHaveLength(1)
  }, 120_000)

  it('a resumed run whose keys are all taken reads them back by one Bulk query, not 200-key REST queries', async () => {
    const sf = await start()
    const client = await clientFor(sf)
    const accounts = Array.from({ length: 6_000 }, (_, i) => ({ sourceKey: `n:resumed-${i}`, name: `Resumed ${i}` }))
    const bulk = salesforceTarget(client, { bulk: { poll: FAST_POLL } }).bulk
    if (!bulk) throw new Error('no bulk writer')
    const first = await bulk.upsertAccounts(accounts)
    expect(first.every((r) => r.ok && r.created)).toBe(true)
    const before = ops(sf)
    const again = await bulk.upsertAccounts(accounts)
    const calls = delta(before, ops(sf))
    expect(again.map((r) => (r.ok ? { id: r.id, created: r.created } : r))).toStrictEqual(first.map((r) => (r.ok ? { id: r.id, created: false } : r)))
    expect(calls['bulk2.query.create']).toBe(1)
    expect(calls['query']).toBeUndefined()
    console.log(`6,000 Accounts again: ${sum(calls)} calls ${JSON.stringify(calls)}`)
  }, 60_000)
})

describe('an upload over the job limit is several jobs', () => {
  it('Accounts and records cut at maxUploadBytes: several jobs, the results of one', async () => {
    const one = await start()
    const split = await start()
    const accounts = Array.from({ length: 3_000 }, (_, i) => ({ sourceKey: `n:split-${i}`, name: `${AWKWARD[i % AWKWARD.length] as string} ${i}` }))
    const maxUploadBytes = 40_000
    const a = salesforceTarget(await clientFor(one), { bulk: { poll: FAST_POLL } }).bulk
    const b = salesforceTarget(await clientFor(split), { bulk: { poll: FAST_POLL, maxUploadBytes } }).bulk
    if (!a || !b) throw new Error('no bulk writer')
    const ra = await a.upsertAccounts(accounts)
    const rb = await b.upsertAccounts(accounts)
    expect(ops(one)['bulk2.ingest.create']).toBe(1)
    const parts = [...csvParts(accounts.map((x) => ({ Name: x.name, QBO_Source_Key__c: x.sourceKey })), maxUploadBytes)]
    expect(parts.length).toBeGreaterThan(2)
    for (const p of parts) expect(p.bytes).toBeLessThanOrEqual(maxUploadBytes)
    expect(ops(split)['bulk2.ingest.create']).toBe(parts.length)
    expect(rb.map((r) => r.ok && r.created)).toStrictEqual(ra.map((r) => r.ok && r.created))
    const stored = (sf: Emulator) => sf.emulator.list('Account').map((x) => `${String(x['QBO_Source_Key__c'])}|${String(x['Name'])}`).sort()
    expect(stored(split)).toStrictEqual(stored(one))

    // Records: bulkUpsert itself, results in input order across the jobs.
    const client = await clientFor(split)
    const records = accounts.map((x, i) => ({ QBO_Key__c: `r:${i}`, Name: `Record ${i}`, QBO_Realm_Id__c: '1', Display_Name__c: x.name, Account__r: { QBO_Source_Key__c: x.sourceKey } }))
    const before = ops(split)['bulk2.ingest.create'] ?? 0
    const rr = await bulkUpsert(client, { object: 'QBO_Customer__c', externalIdFieldName: 'QBO_Key__c', records, poll: FAST_POLL, maxUploadBytes })
    expect((ops(split)['bulk2.ingest.create'] ?? 0) - before).toBeGreaterThan(2)
    expect(rr.every((r) => r.ok && r.created)).toBe(true)
    const accountByKey = new Map(split.emulator.list('Account').map((x) => [x['QBO_Source_Key__c'], x['Id']]))
    const byKey = new Map(split.emulator.list('QBO_Customer__c').map((x) => [x['QBO_Key__c'], x]))
    rr.forEach((r, i) => {
      const rec = byKey.get(`r:${i}`) as Record<string, unknown>
      expect(r.ok && r.id).toBe(rec['Id'])
      expect(rec['Account__c']).toBe(accountByKey.get(`n:split-${i}`))
    })
  }, 60_000)
})
