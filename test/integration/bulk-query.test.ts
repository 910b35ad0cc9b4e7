/**
 * Large reads through Bulk API 2.0 query jobs (src/salesforce/bulk-query.ts) over real HTTP
 * against the Salesforce sandbox: the Accounts and the existing QBO_Customer__c records read by one
 * Bulk job are exactly what the REST pages give (same rows, same values and JSON types: text with
 * accents, commas, quotes and newlines, nulls, booleans, numbers, datetimes, relationship names),
 * small sets stay on REST, results pages are followed by `Sforce-Locator`, and every call is counted
 * as the sandbox counts it. The data is written straight into the sandbox's store (not through
 * Tally or jsforce), and every SOQL statement sent is checked by soql-parser-js.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { seededRandom } from '../../emulators/shared/random.js'
import { salesforceTarget } from '../../src/jobs/salesforce-target.js'
import { soqlCapture } from '../helpers/soql-capture.js'
import {
  bulkQuery,
  createSalesforceClient,
  listAllAccounts,
  listQboCustomerRecords,
  readAllRows,
  soql,
  type SalesforceClient,
} from '../../src/salesforce/index.js'
import { DIFFED_FIELDS } from '../../src/sync/run.js'

type Emulator = Awaited<ReturnType<typeof startSalesforceEmulator>>
const running: Emulator[] = []
const { logger, emitted } = soqlCapture()

const FAST_POLL = { firstMs: 5, maxMs: 50, timeoutMs: 60_000 }

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close()
})

afterAll(() => {
  expect(emitted.some((q) => /FROM QBO_Customer__c/.test(q))).toBe(true)
  for (const q of emitted) expect(isQueryValid(q), q).toBe(true)
})

async function start(o: Parameters<typeof startSalesforceEmulator>[0] = {}): Promise<Emulator> {
  const sf = await startSalesforceEmulator({ data: { accounts: [] }, bulk: { queueMs: 5, batchMs: 5 }, ...o })
  running.push(sf)
  return sf
}

function clientFor(sf: Emulator): SalesforceClient {
  return createSalesforceClient({ loginUrl: sf.url, clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', logger, retry: { minTimeout: 1, maxRetries: 10 } })
}

const ops = (sf: Emulator) => sf.emulator.stats.toJSON().byOperation
/** Calls by operation between two snapshots (only those that changed). */
function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0)
  return out
}
const sum = (d: Record<string, number>) => Object.values(d).reduce((n, v) => n + v, 0)

/** Text that CSV and SOQL must carry untouched. */
const AWKWARD = ['Café Müller & Söhne', 'Smith, Jones, and Co', 'The "Best" Shop', "O'Brien's", 'Two\nLines', 'Tab\there', 'Ünïcödé — 東京 🚀', 'Semi;colon|pipe^caret`tick', '"', ',', 'a "quoted, comma"\nand newline']

/** Accounts with every kind of value the reader must keep: text as above, nulls, keys on some. */
function seedAccounts(sf: Emulator, n: number, seed = 3, from = 0): string[] {
  const rnd = seededRandom(seed)
  const ids: string[] = []
  for (let i = from; i < from + n; i++) {
    const awkward = AWKWARD[i % AWKWARD.length] as string
    ids.push(
      sf.emulator.insert('Account', {
        Name: i % 3 === 0 ? `${awkward} ${i}` : `Account ${i}`,
        ...(i % 4 === 0 ? { QBO_Source_Key__c: `n:acct-${i}` } : {}),
        ...(rnd() < 0.5 ? { Website: `https://example-${i}.com/a,b` } : {}),
        ...(rnd() < 0.5 ? { Phone: `+1 (555) ${String(i).padStart(4, '0')}` } : {}),
        ...(rnd() < 0.5 ? { BillingStreet: `${i} Main St\nSuite "${i % 7}", Floor 2` } : {}),
        ...(rnd() < 0.3 ? { BillingPostalCode: String(10000 + i) } : {}),
      }),
    )
  }
  return ids
}

const byId = <T extends { Id?: unknown; id?: unknown }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => String(a.Id ?? a.id).localeCompare(String(b.Id ?? b.id)))

describe('Accounts: REST pages or one Bulk query job', () => {
  it('12,000 Accounts read by Bulk equal the REST pages, in ~4 calls (first REST page, create, polls, results) instead of 6 pages', async () => {
    const sf = await start()
    seedAccounts(sf, 12_000)
    const client = clientFor(sf)
    await client.connect()
    await client.checkPackage() // as a run does: Account's describe is then known

    let before = ops(sf)
    const rest = await listAllAccounts(client, undefined, { bulk: false })
    const restCalls = delta(before, ops(sf))
    before = ops(sf)
    const bulk = await listAllAccounts(client, undefined, { bulk: { poll: FAST_POLL } })
    const bulkCalls = delta(before, ops(sf))

    expect(rest).toHaveLength(12_000)
    expect(byId(bulk)).toStrictEqual(byId(rest))
    // The awkward values really are there, and nulls are null (not '' nor missing).
    expect(rest.some((a) => a.name.startsWith('a "quoted, comma"\nand newline'))).toBe(true)
    expect(rest.some((a) => a.billingStreet === null)).toBe(true)
    expect(bulk.every((a) => a.website === null || typeof a.website === 'string')).toBe(true)

    expect(restCalls).toEqual({ query: 1, 'query.more': 5 })
    // The first REST page tells the size, then create, polls, one results page.
    expect(bulkCalls['query']).toBe(1)
    expect(bulkCalls['query.more']).toBeUndefined()
    expect(bulkCalls['bulk2.query.create']).toBe(1)
    expect(bulkCalls['bulk2.query.results']).toBe(1)
    expect(bulkCalls['bulk2.query.info']).toBeGreaterThanOrEqual(1)
    console.log(`12,000 Accounts: REST ${sum(restCalls)} calls; Bulk ${sum(bulkCalls)} calls ${JSON.stringify(bulkCalls)}`)
    expect(client.apiCalls() + client.oauthCalls()).toBe(sf.emulator.stats.toJSON().requests)
  })

  it('a small set stays on REST pages; maxCalls still answers null after the first page', async () => {
    const sf = await start()
    seedAccounts(sf, 8_000)
    const client = clientFor(sf)
    await client.connect()
    let before = ops(sf)
    expect(await listAllAccounts(client, undefined, { bulk: { poll: FAST_POLL } })).toHaveLength(8_000)
    expect(delta(before, ops(sf))).toEqual({ query: 1, 'query.more': 3 })
    before = ops(sf)
    expect(await listAllAccounts(client, 3, { bulk: { poll: FAST_POLL } })).toBeNull()
    expect(delta(before, ops(sf))).toEqual({ query: 1 })
    // 30,000 Accounts: 15 REST pages, or the first page and a Bulk job (~5 calls).
    seedAccounts(sf, 22_000, 9, 8_000)
    before = ops(sf)
    expect(await listAllAccounts(client, 4, { bulk: { poll: FAST_POLL } })).toBeNull()
    expect(delta(before, ops(sf))).toEqual({ query: 1 })
    expect(await listAllAccounts(client, 8, { bulk: { poll: FAST_POLL } })).toHaveLength(30_000)
  })

  it('follows Sforce-Locator over several results pages, each with its header; a transient fault is read again', async () => {
    const sf = await start()
    seedAccounts(sf, 2_500)
    const client = clientFor(sf)
    await client.connect()
    const q = soql`SELECT Id, Name, QBO_Source_Key__c, Website, Phone, BillingStreet, BillingPostalCode FROM Account`
    const rest = await client.query(q)
    let before = ops(sf)
    const rows = await bulkQuery(client, q, { poll: FAST_POLL, maxRecords: 1_000 })
    expect(delta(before, ops(sf))['bulk2.query.results']).toBe(3)
    expect(byId(rows)).toStrictEqual(byId(rest.map(({ attributes: _a, ...r }: Record<string, unknown>) => r)))
    // Faults on every kind of request of the job: each is sent again, and counted.
    sf.emulator.setFaults({ next: ['503', 'reset', '500', '503'] })
    before = ops(sf)
    const again = await bulkQuery(client, q, { poll: FAST_POLL, maxRecords: 1_000 })
    expect(byId(again)).toStrictEqual(byId(rows))
    expect(sum(delta(before, ops(sf)))).toBeGreaterThan(sum({ c: 1, i: 1, r: 3 }))
    expect(client.apiCalls() + client.oauthCalls()).toBe(sf.emulator.stats.toJSON().requests)
  })

  it('a one-column query whose values are null keeps its empty rows', async () => {
    const sf = await start()
    seedAccounts(sf, 40)
    const client = clientFor(sf)
    const rows = await bulkQuery<{ BillingPostalCode: string | null }>(client, soql`SELECT BillingPostalCode FROM Account`, { poll: FAST_POLL })
    expect(rows).toHaveLength(40)
    expect(rows.filter((r) => r.BillingPostalCode === null).length).toBeGreaterThan(0)
    expect(rows).toEqual(await client.query(soql`SELECT BillingPostalCode FROM Account`).then((rs) => rs.map(({ attributes: _a, ...r }: Record<string, unknown>) => r)))
  })
})

describe('existing QBO_Customer__c records: REST pages or one Bulk query job', () => {
  /** Records of one realm with every type the engine diffs, linked to Accounts and parents. */
  function seedRecords(sf: Emulator, realm: string, n: number, accountIds: readonly string[]): void {
    const rnd = seededRandom(11)
    const ids: string[] = []
    for (let i = 0; i < n; i++) {
      const awkward = AWKWARD[i % AWKWARD.length] as string
      const parent = i % 10 === 9 ? ids[i - 1] : undefined
      ids.push(
        sf.emulator.insert('QBO_Customer__c', {
          Name: `Customer ${i}`,
          QBO_Key__c: `${realm}:${i}`,
          QBO_Id__c: String(i),
          QBO_Realm_Id__c: realm,
          Display_Name__c: i % 2 === 0 ? `${awkward} ${i}` : `Customer ${i}`,
          Active__c: i % 5 !== 0,
          Is_Sub_Customer__c: parent !== undefined,
          Taxable__c: rnd() < 0.5,
          Level__c: parent !== undefined ? 1 : 0,
          ...(parent ? { Parent_Customer__c: parent, Parent_QBO_Id__c: String(i - 1) } : {}),
          ...(rnd() < 0.6 ? { Balance__c: Math.round(rnd() * 1_000_000) / 100 } : {}),
          ...(rnd() < 0.5 ? { Notes__c: `${awkward}\nline two, with "quotes"` } : {}),
          ...(rnd() < 0.5 ? { Billing_Street__c: `${i} Rue de l'Église\nBâtiment B` } : {}),
          ...(rnd() < 0.7 ? { Email__c: `c${i}@example.com` } : {}),
          QBO_Created__c: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
          ...(rnd() < 0.8 ? { QBO_Last_Updated__c: new Date(Date.UTC(2024, 5, 1, 12, 30, 15, 250) + i * 1_000).toISOString() } : {}),
          ...(rnd() < 0.7 ? { Account__c: accountIds[i % accountIds.length], Link_Status__c: 'Matched' } : { Link_Status__c: 'Unmapped' }),
          ...(rnd() < 0.3 ? { Suggestion_Score__c: Math.floor(rnd() * 100), Suggestion_Reason__c: 'same name, apart from "Inc."' } : {}),
        }),
      )
    }
  }

  it('12,000 records of a realm (and others of another realm) read by Bulk equal the REST pages, as raw rows and as ExistingRecords', async () => {
    const sf = await start()
    const accountIds = seedAccounts(sf, 300)
    seedRecords(sf, '9130', 12_000, accountIds)
    seedRecords(sf, '4620', 500, accountIds)
    const client = clientFor(sf)
    await client.connect()
    await client.checkPackage()
    const fields = [...DIFFED_FIELDS, 'Account__r.Name', 'LastModifiedBy.Name']

    let before = ops(sf)
    const rest = await listQboCustomerRecords(client, '9130', fields, { bulk: false })
    const restCalls = delta(before, ops(sf))
    before = ops(sf)
    const bulk = await listQboCustomerRecords(client, '9130', fields, { bulk: { poll: FAST_POLL } })
    const bulkCalls = delta(before, ops(sf))

    expect(rest).toHaveLength(12_000)
    expect(byId(bulk)).toStrictEqual(byId(rest))
    // The types are the REST ones: booleans, numbers, datetimes in REST form, nested names, nulls.
    const sample = rest.find((r) => r['Account__r'] !== null && r['Balance__c'] !== null && r['Parent_Customer__c'] !== null) as Record<string, unknown>
    expect(sample).toMatchObject({ Active__c: expect.any(Boolean), Level__c: 1, Balance__c: expect.any(Number), Account__r: { Name: expect.any(String) }, LastModifiedBy: { Name: 'Integration User' } })
    expect(sample['QBO_Created__c']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/)
    expect(rest.some((r) => r['Account__r'] === null && r['Account__c'] === null)).toBe(true)

    expect(restCalls).toEqual({ query: 1, 'query.more': 5 })
    expect(bulkCalls['query']).toBe(1)
    expect(bulkCalls['bulk2.query.create']).toBe(1)
    expect(bulkCalls['bulk2.query.results']).toBe(1)
    // LastModifiedBy.Name: the User describe, once per client (QBO_Customer__c's and Account's
    // came with the package check).
    expect(bulkCalls['describe']).toBe(1)
    console.log(`12,000 records: REST ${sum(restCalls)} calls; Bulk ${sum(bulkCalls)} calls ${JSON.stringify(bulkCalls)}`)

    // Through the port: the same ExistingRecords from a Bulk-reading target and a REST-only one.
    const viaBulk = await salesforceTarget(client, { bulk: { poll: FAST_POLL } }).listExistingRecords('9130', DIFFED_FIELDS)
    const viaRest = await salesforceTarget(client, { bulk: false }).listExistingRecords('9130', DIFFED_FIELDS)
    expect(byId(viaBulk)).toStrictEqual(byId(viaRest))
    expect(viaRest.filter((r) => r.accountName !== null).length).toBeGreaterThan(1_000)
    expect(client.apiCalls() + client.oauthCalls()).toBe(sf.emulator.stats.toJSON().requests)
  })

  it('readAllRows: what Salesforce refuses at job creation surfaces as the REST error would', async () => {
    const sf = await start()
    seedAccounts(sf, 12_000)
    const client = clientFor(sf)
    const err = await readAllRows(client, 'SELECT Id, Nope__c FROM Account', { bulk: { poll: FAST_POLL } }).catch((e: unknown) => e)
    expect(err).toMatchObject({ errorCode: 'INVALID_FIELD' })
  })
})
