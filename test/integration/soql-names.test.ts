/**
 * Account names full of SOQL's special characters: every statement the client sends parses with
 * soql-parser-js, and after Tally's local comparison the lookups find exactly the intended
 * Accounts in the Salesforce emulator (over real HTTP).
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { soqlCapture } from '../helpers/soql-capture.js'
import {
  createSalesforceClient,
  findAccountsByNames,
  listAllAccounts,
  planAccountNameQueries,
  sameAccountName,
  searchAccounts,
  type SalesforceClient,
} from '../../src/salesforce/index.js'

const NAMES = [
  "O'Brien & Sons",
  'Back\\Slash Ltd',
  '100% Organic',
  'Under_Score Co',
  '"Quoted" Name',
  'Ünïcödé GmbH',
  '日本 商事',
  'Ελληνική Εταιρεία',
  'Double  Space Inc',
  'ACME corp',
  'acme Corp',
  'Solo',
  'Tab\tCo',
]
// Decoys: would match only if an escape were missing (% or _ as wildcards, \ dropped, ' ending the literal).
const DECOYS = ['100X Organic', 'UnderXScore Co', 'BackSlash Ltd', 'O Brien & Sons', 'Soloist', 'Quoted Name']

let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>
let client: SalesforceClient
const { logger: recordingLogger, emitted } = soqlCapture()
const idsByName = new Map<string, string>()

beforeAll(async () => {
  sf = await startSalesforceEmulator({ data: { accounts: [...NAMES, ...DECOYS].map((Name) => ({ Name })) } })
  client = createSalesforceClient({
    loginUrl: sf.url,
    clientId: 'sandbox-sf-client-id',
    clientSecret: 'sandbox-sf-client-secret',
    logger: recordingLogger,
  })
  for (const a of await listAllAccounts(client)) idsByName.set(a.name, a.id)
  expect(idsByName.size).toBe(NAMES.length + DECOYS.length)
})

afterAll(async () => {
  for (const q of emitted) expect(isQueryValid(q), q).toBe(true)
  await sf?.close()
})

/** What the engine does: the client's superset, then Tally's own comparison. */
async function lookUp(name: string): Promise<string[]> {
  const found = await findAccountsByNames(client, [name])
  return found.filter((a) => sameAccountName(a.name, name)).map((a) => a.name).sort()
}

describe('findAccountsByNames with hostile names', () => {
  it.each([
    ["  o'brien   &  SONS ", ["O'Brien & Sons"]],
    ['back\\slash ltd', ['Back\\Slash Ltd']],
    ['100%   organic', ['100% Organic']],
    ['UNDER_SCORE co', ['Under_Score Co']],
    ['"quoted" name', ['"Quoted" Name']],
    ['ünïcödé gmbh', ['Ünïcödé GmbH']],
    ['日本 商事', ['日本 商事']],
    ['ΕΛΛΗΝΙΚΉ εταιρεία', ['Ελληνική Εταιρεία']],
    ['double space inc', ['Double  Space Inc']],
    ['Acme Corp', ['ACME corp', 'acme Corp']],
    ['SOLO', ['Solo']],
    ['tab co', ['Tab\tCo']],
    ['Nobody Here', []],
  ])('%j finds %j', async (name, expected) => {
    expect(await lookUp(name)).toEqual([...expected].sort())
  })

  it('never returns a decoy from the query itself (escapes work in SOQL, not only locally)', async () => {
    const found = await findAccountsByNames(client, NAMES)
    const names = found.map((a) => a.name)
    for (const d of DECOYS) expect(names).not.toContain(d)
    for (const n of NAMES) expect(names).toContain(n)
  })

  it('asks for all names in one query when they fit in one URL', async () => {
    const before = client.apiCalls()
    await findAccountsByNames(client, NAMES)
    expect(client.apiCalls() - before).toBe(1)
  })
})

describe('findAccountsByNames in several URL-sized batches', () => {
  it('finds all of 1,200 names in as few queries as fit under the URL limit', async () => {
    const names = Array.from({ length: 1200 }, (_, i) => (i % 2 === 0 ? `Ŝtore_${i}%'` : `Big  Company ${i}`))
    const big = await startSalesforceEmulator({ data: { accounts: names.map((Name) => ({ Name })) } })
    try {
      const c = createSalesforceClient({ loginUrl: big.url, clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', logger: recordingLogger })
      const planned = planAccountNameQueries(names, { prefixBytes: c.queryPath('').length })
      expect(planned.length).toBeGreaterThan(1)
      const found = await findAccountsByNames(c, names.map((n) => ` ${n.toUpperCase()} `))
      expect(found.length).toBe(1200)
      // One call per planned statement (each answer is under 2,000 rows): nothing was 414-rejected.
      expect(c.apiCalls()).toBe(planned.length + (found.length > 2000 * planned.length ? 1 : 0))
    } finally {
      await big.close()
    }
  })
})

describe('searchAccounts', () => {
  it.each([
    ['under_score', ['Under_Score Co']],
    ['100%', ['100% Organic']],
    ["o'brien", ["O'Brien & Sons"]],
    ['back\\slash', ['Back\\Slash Ltd']],
    ['"quoted"', ['"Quoted" Name']],
    ['商事', ['日本 商事']],
    ['ünïcödé', ['Ünïcödé GmbH']],
    ['acme', ['ACME corp', 'acme Corp']],
    ['double space', ['Double  Space Inc']],
  ])('%j finds %j', async (term, expected) => {
    const found = (await searchAccounts(client, term)).map((a) => a.name)
    expect([...found].sort()).toEqual([...expected].sort())
  })

  it('orders by Name and honours the limit', async () => {
    const found = await searchAccounts(client, 'o', 3)
    expect(found.length).toBe(3)
  })
})
