/**
 * Links that help (contract §10), through `tally links` against the sandbox over real HTTP, each
 * checked in the Salesforce sandbox: an import proposes Accounts for the customers it leaves
 * Unmapped and writes the best onto the record; accept one, accept all at a score, ignore (also with
 * Create Accounts on), the history (runs, people, edits in the org) and undo. Every SOQL the link
 * service sends parses with a real SOQL parser.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { Connection } from 'jsforce'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSalesforceClient, findSuggestionCandidates, listQboCustomerRecordsByStatus, suggestionCandidateQueries } from '../../src/salesforce/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

const sf = () => h.sandbox.salesforce.emulator
const rec = (name: string) => {
  const r = h.records().find((x) => x['Display_Name__c'] === name)
  if (!r) throw new Error(`no record ${name}`)
  return r
}
interface Suggested { qboKey: string; displayName: string; status: string; suggestions: { accountId: string; accountName: string; score: number; reasons: string[] }[] }
interface History { id: string; at: string; who: string; qboKey: string; fromAccountId: string | null; toAccountId: string | null; fromStatus: string | null; toStatus: string | null; reason: string }

/** Accounts a person would recognise as some sample customers' (a legal form, "Last, First", a
 * spelling slip confirmed by the e-mail domain), and one that shares only a common word. */
function seedNearMisses() {
  return {
    sonnenschein: sf().insert('Account', { Name: 'Sonnenschein Family Store, LLC' }),
    melton: sf().insert('Account', { Name: 'Melton, John' }),
    rondonuwu: sf().insert('Account', { Name: 'Rondonuwu Fruit & Vegi Inc.' }),
    pyes: sf().insert('Account', { Name: "Pye's Bakery" }),
  }
}

describe('tally links', () => {
  it('an import suggests Accounts for Unmapped customers and writes the best onto the record; a second import writes nothing', async () => {
    const a = seedNearMisses()
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(0)
    expect(r.json<{ links: Record<string, number> }>().links).toMatchObject({ matched: 16, ambiguous: 1, ignored: 0 })
    const s = rec('Sonnenschein Family Store')
    expect(s).toMatchObject({ Link_Status__c: 'Unmapped', Account__c: null, Suggested_Account__c: a.sonnenschein })
    expect(Number(s['Suggestion_Score__c'])).toBeGreaterThanOrEqual(90)
    expect(String(s['Suggestion_Reason__c'])).toMatch(/LLC/i)
    expect(rec('John Melton')).toMatchObject({ Link_Status__c: 'Unmapped', Suggested_Account__c: a.melton })
    // A shared common word is offered, if at all, well below a promise.
    const pyes = rec("Pye's Cakes")
    expect(pyes['Account__c']).toBeNull()
    if (pyes['Suggested_Account__c'] === a.pyes) expect(Number(pyes['Suggestion_Score__c'])).toBeLessThan(70)

    const writes = h.sfWrites()
    const again = await h.tally('import', '--json')
    expect(again.json<{ customers: Record<string, number> }>().customers).toMatchObject({ created: 0, updated: 0 })
    expect(h.sfWrites()).toBe(writes)

    const list = await h.tally('links', 'list', '--json')
    expect(list.code).toBe(0)
    const queued = list.json<Suggested[]>()
    expect(queued.find((q) => q.displayName === 'Sonnenschein Family Store')?.suggestions[0]).toMatchObject({ accountId: a.sonnenschein, accountName: 'Sonnenschein Family Store, LLC' })
    expect(queued.every((q) => q.status === 'Unmapped' || q.status === 'Ambiguous')).toBe(true)
  })

  it('suggest recomputes from Salesforce with no QuickBooks call, and only writes records whose best changed; its SOQL parses', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(rec('Sonnenschein Family Store')['Suggested_Account__c']).toBeNull()
    const a = seedNearMisses()
    const qboBefore = h.sandbox.qbo.emulator.stats.toJSON().requests
    const r = await h.tally('links', 'suggest', '--json')
    expect(r.code).toBe(0)
    const out = r.json<Suggested[]>()
    expect(out.find((x) => x.displayName === 'Sonnenschein Family Store')?.suggestions[0]?.accountId).toBe(a.sonnenschein)
    expect(h.sandbox.qbo.emulator.stats.toJSON().requests).toBe(qboBefore)
    expect(rec('Sonnenschein Family Store')['Suggested_Account__c']).toBe(a.sonnenschein)
    const writes = h.sfWrites()
    expect((await h.tally('links', 'suggest', '--json')).code).toBe(0)
    expect(h.sfWrites()).toBe(writes)
  })

  it('accept --dry-run counts, accept links the best suggestions at or above the score as Manual and clears them; history and undo', async () => {
    const a = seedNearMisses()
    expect((await h.tally('import', '--json')).code).toBe(0)
    const dry = await h.tally('links', 'accept', '--min-score', '90', '--dry-run', '--json')
    expect(dry.code).toBe(0)
    const would = dry.json<{ qboKey: string; accountId: string; score: number }[]>()
    expect(would.length).toBeGreaterThan(0)
    expect(would.every((w) => w.score >= 90)).toBe(true)
    expect(h.records().filter((x) => x['Link_Status__c'] === 'Manual')).toHaveLength(0)

    const done = (await h.tally('links', 'accept', '--json')).json<{ qboKey: string; accountId: string }[]>()
    expect(done.map((d) => d.qboKey).sort()).toEqual(would.map((w) => w.qboKey).sort())
    const s = rec('Sonnenschein Family Store')
    expect(s).toMatchObject({ Account__c: a.sonnenschein, Link_Status__c: 'Manual', Suggested_Account__c: null, Suggestion_Score__c: null, Suggestion_Reason__c: null })

    // A run keeps an accepted link (it is a person's).
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(rec('Sonnenschein Family Store')).toMatchObject({ Account__c: a.sonnenschein, Link_Status__c: 'Manual' })

    const history = (await h.tally('links', 'history', '--json')).json<History[]>()
    const entry = history.find((e) => e.qboKey === s['QBO_Key__c'])
    expect(entry).toMatchObject({ fromAccountId: null, toAccountId: a.sonnenschein, fromStatus: 'Unmapped', toStatus: 'Manual' })
    expect(entry?.who).toMatch(/^cli/)
    expect(entry?.reason).toMatch(/accepted the suggestion "Sonnenschein Family Store, LLC"/)
    // The runs' own link changes are there too, by `tally`.
    expect(history.some((e) => e.who === 'tally' && e.toStatus === 'Matched')).toBe(true)

    const undo = await h.tally('links', 'undo', entry!.id, '--json')
    expect(undo.code).toBe(0)
    expect(rec('Sonnenschein Family Store')).toMatchObject({ Account__c: null, Link_Status__c: 'Manual' })
    const after = (await h.tally('links', 'history', '--limit', '1', '--json')).json<History[]>()
    expect(after[0]).toMatchObject({ qboKey: s['QBO_Key__c'], fromAccountId: a.sonnenschein, toAccountId: null, toStatus: 'Manual' })
    expect(after[0]?.reason).toMatch(/undid/)
    // An undone entry cannot be undone twice by mistake: it says so; undoing the undo works.
    expect((await h.tally('links', 'undo', after[0]!.id)).code).toBe(0)
    expect(rec('Sonnenschein Family Store')).toMatchObject({ Account__c: a.sonnenschein, Link_Status__c: 'Manual' })
    expect((await h.tally('links', 'undo', 'no-such-entry')).code).toBe(1)
  })

  it('set links by hand; ignore keeps a record out of every rule, also with Create Accounts on, until unignored', async () => {
    const a = seedNearMisses()
    expect((await h.tally('import', '--json')).code).toBe(0)
    const kate = rec('Kate Whelan')
    const key = String(kate['QBO_Key__c'])
    expect((await h.tally('links', 'ignore', key)).code).toBe(0)
    expect(rec('Kate Whelan')).toMatchObject({ Link_Status__c: 'Ignored', Account__c: null, Suggested_Account__c: null })
    const accounts = h.accounts().length
    const r = await h.tally('import', '--json', '--create-accounts')
    expect(r.json<{ links: Record<string, number> }>().links['ignored']).toBe(1)
    expect(rec('Kate Whelan')).toMatchObject({ Link_Status__c: 'Ignored', Account__c: null, Suggested_Account__c: null })
    expect(h.accounts().some((x) => x['Name'] === 'Kate Whelan')).toBe(false)
    expect(h.accounts().length).toBeGreaterThan(accounts) // the others got their Accounts
    expect((await h.tally('links', 'list', '--status', 'Ignored', '--json')).json<Suggested[]>().map((x) => x.qboKey)).toEqual([key])

    expect((await h.tally('links', 'unignore', key)).code).toBe(0)
    expect(rec('Kate Whelan')['Link_Status__c']).toBe('Unmapped')
    expect((await h.tally('import', '--json', '--create-accounts')).code).toBe(0)
    expect(rec('Kate Whelan')['Link_Status__c']).toBe('Created')

    const melton = String(rec('John Melton')['QBO_Key__c'])
    expect((await h.tally('links', 'set', melton, a.melton, '--json')).code).toBe(0)
    expect(rec('John Melton')).toMatchObject({ Account__c: a.melton, Link_Status__c: 'Manual' })
    expect((await h.tally('links', 'set', 'no-such-key', a.melton)).code).toBe(1)
  })

  it('the queries suggestions send parse with a real SOQL parser, and escape what they quote', async () => {
    const soql: string[] = []
    const client = createSalesforceClient({
      loginUrl: h.sandbox.salesforce.url,
      clientId: h.env['SF_CLIENT_ID']!,
      clientSecret: h.env['SF_CLIENT_SECRET']!,
      logger: { error() {}, warn() {}, info() {}, debug: (msg, meta) => void (msg === 'salesforce: query' && soql.push(String(meta?.['soql']))) },
    })
    const id = sf().insert('Account', { Name: "O'Brien & Sons", Website: 'https://obrien-sons.ie', BillingPostalCode: 'D02 X285' })
    const found = await findSuggestionCandidates(client, { nameParts: ["o'brien", 'sons', '100%_'], domains: ['obrien-sons.ie'], postalCodes: ['D02 X285', "x'y"] })
    expect(found.map((f) => f.id)).toContain(id)
    expect(found.find((f) => f.id === id)).toMatchObject({ website: 'https://obrien-sons.ie', billingPostalCode: 'D02 X285' })
    await listQboCustomerRecordsByStatus(client, '123', ['Unmapped', 'Ambiguous'], ['Email__c'])
    expect(soql).toHaveLength(2)
    for (const q of soql) expect(isQueryValid(q), q).toBe(true)
    // 500 terms take ⌈500 / 120⌉ statements.
    const many = Array.from({ length: 500 }, (_, i) => `word${i}`)
    expect(suggestionCandidateQueries({ nameParts: many, domains: [], postalCodes: [] })).toHaveLength(5)
  })

  it('an edit in the org is recorded by the next run, with the Salesforce user who made it', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const other = sf().insert('Account', { Name: 'Someone Else Entirely' })
    const r = h.records().find((x) => x['Link_Status__c'] === 'Matched' && x['Is_Sub_Customer__c'] === false)!
    const conn = new Connection({ instanceUrl: h.sandbox.salesforce.url, accessToken: sf().issueAccessToken(), version: '62.0' })
    await conn.sobject('QBO_Customer__c').update({ Id: String(r['Id']), Account__c: other })
    expect((await h.tally('sync', '--json')).code).toBe(0)
    // The person's link is theirs now: Manual in Salesforce.
    expect(h.records().find((x) => x['Id'] === r['Id'])).toMatchObject({ Account__c: other, Link_Status__c: 'Manual' })
    const user = sf().list('User')[0]!
    const history = (await h.tally('links', 'history', '--json')).json<History[]>()
    const e = history.find((x) => x.qboKey === r['QBO_Key__c'] && x.who.startsWith('salesforce:'))
    expect(e).toMatchObject({ who: `salesforce:${String(user['Name'])}`, fromAccountId: r['Account__c'], toAccountId: other, toStatus: 'Manual' })
    // Seen once: the next run does not record it again.
    expect((await h.tally('sync', '--json')).code).toBe(0)
    const again = (await h.tally('links', 'history', '--json')).json<History[]>()
    expect(again.filter((x) => x.qboKey === r['QBO_Key__c'] && x.who.startsWith('salesforce:'))).toHaveLength(1)
  })
})
