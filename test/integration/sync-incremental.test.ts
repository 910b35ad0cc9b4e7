/**
 * An incremental sync reads only the records QBO's and Salesforce's changes can touch
 * (sync/read-changed): after random changes on both sides it leaves Salesforce as a full read
 * would (an import afterwards finds nothing to write), and one change costs the same few calls at
 * 1,000 customers as at 3,000.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { Connection } from 'jsforce'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { qboClient, salesforceClient } from '../../src/jobs/connections.js'
import { qboCustomerSource } from '../../src/jobs/qbo-source.js'
import { salesforceTarget } from '../../src/jobs/salesforce-target.js'
import { openTally } from '../../src/jobs/tally.js'
import { syncStateStore } from '../../src/store/index.js'
import { SWITCHABLE_FIELDS } from '../../src/sync/fields.js'
import { runSync } from '../../src/sync/run.js'
import { accountsDeletedSince, createSalesforceClient, listSelectedQboCustomerRecords } from '../../src/salesforce/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

interface Summary {
  status: string
  read: string
  customers: Record<string, number>
  apiCalls: { qbo: number; salesforce: number }
}

function rng(seed: number) {
  let x = seed
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

async function qbo(hh: Harness, body: unknown) {
  const res = await fetch(`${hh.sandbox.qbo.url}/v3/company/${hh.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hh.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { Customer: Record<string, unknown> }).Customer
}

/** Four random changes: QBO edits, new customers, a sub-customer moved, an Account deleted in the
 * org, a link a person edited in the org. */
async function randomChanges(hh: Harness, conn: Connection, random: () => number, pick: <T>(xs: T[]) => T, round: number) {
  const customers = () => hh.sandbox.qbo.emulator.customers().filter((c) => c['Active'] !== false)
  for (let i = 0; i < 4; i++) {
    const kind = Math.floor(random() * 5)
    const records = hh.records().filter((r) => r['Active__c'] !== false)
    if (kind === 0) {
      const c = pick(customers())
      await qbo(hh, { Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: `round ${round} ${i}` })
    } else if (kind === 1) {
      await qbo(hh, { DisplayName: `New ${round}-${i} ${Math.floor(random() * 1e6)}` })
    } else if (kind === 2) {
      // A sub-customer moved under another top-level customer.
      const sub = customers().find((c) => c['Job'] === true)
      const top = pick(customers().filter((c) => c['Job'] !== true))
      if (sub && top) await qbo(hh, { Id: sub['Id'], SyncToken: sub['SyncToken'], sparse: true, Job: true, ParentRef: { value: top['Id'] } })
    } else if (kind === 3) {
      const linked = records.filter((r) => typeof r['Account__c'] === 'string' && r['Link_Status__c'] !== 'Manual')
      if (linked.length > 0) await conn.sobject('Account').destroy(String(pick(linked)['Account__c']))
    } else {
      // A person points a record at another Account in the org.
      const r = pick(records)
      const a = pick(hh.accounts().filter((x) => x['IsDeleted'] !== true))
      await conn.sobject('QBO_Customer__c').update({ Id: String(r['Id']), Account__c: String(a['Id']) })
    }
  }
}

const sfRequests = (hh: Harness) => hh.sandbox.salesforce.emulator.stats.toJSON().requests

describe('incremental sync', () => {
  it('after random changes in QBO and in the org, a sync leaves what a full read would: an import then writes nothing', async () => {
    const hh = (h = await startHarness({ generate: 200, randomSeed: 3 }))
    const conn = new Connection({ instanceUrl: hh.sandbox.salesforce.url, accessToken: hh.sandbox.salesforce.emulator.issueAccessToken(), version: '62.0' })
    expect((await hh.tally('import', '--json', '--create-accounts')).code).toBe(0)
    const random = rng(11)
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T
    for (let round = 0; round < 4; round++) {
      await randomChanges(hh, conn, random, pick, round)
      const s = (await hh.tally('sync', '--json', '--create-accounts')).json<Summary>()
      expect(s.read).toBe('changes')
      // A full read of both sides plans no write: the incremental sync left the same state.
      const full = (await hh.tally('import', '--json', '--create-accounts', '--dry-run')).json<Summary>()
      expect(full.customers, `round ${round}`).toMatchObject({ created: 0, updated: 0 })
    }
  })

  it('plans exactly what a sync that reads every record plans, after random changes on both sides', async () => {
    const hh = (h = await startHarness({ generate: 150, randomSeed: 5 }))
    const conn = new Connection({ instanceUrl: hh.sandbox.salesforce.url, accessToken: hh.sandbox.salesforce.emulator.issueAccessToken(), version: '62.0' })
    expect((await hh.tally('import', '--json', '--create-accounts')).code).toBe(0)
    const t = await openTally(parseConfig(hh.env, hh.dir))
    try {
      const random = rng(23)
      const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T
      for (let round = 0; round < 4; round++) {
        const since = new Date(Date.now() - 5)
        await randomChanges(hh, conn, random, pick, round)
        const plans = []
        for (const readAllRecords of [false, true]) {
          const sf = await salesforceClient(t)
          const qboC = await qboClient(t)
          const r = await runSync(
            { source: qboCustomerSource(qboC, qboC.realmId), target: salesforceTarget(sf), state: syncStateStore(t.store) },
            { runId: `cmp-${round}`, mode: 'sync', dryRun: true, since, readAllRecords, now: () => new Date('2026-01-01T00:00:00Z'), settings: { createAccounts: true, enabledFields: new Set(SWITCHABLE_FIELDS) } },
          )
          expect(r.summary.read).toBe('changes')
          const items = [...r.plan.items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          plans.push({ items, accountsToCreate: r.plan.accountsToCreate })
        }
        expect(plans[0], `round ${round}`).toEqual(plans[1])
        expect(plans[0]!.items.length).toBeGreaterThan(0)
        expect((await hh.tally('sync', '--json', '--create-accounts')).code).toBe(0)
      }
    } finally {
      await t.close()
    }
  })

  it('one change right after the import costs the same few Salesforce calls at 1,000 and 3,000 customers: one read of the records, whatever N', async () => {
    const calls: number[] = []
    for (const n of [1_000, 3_000]) {
      const hh = (h = await startHarness({ generate: n, randomSeed: 7 }))
      // Right after the import: the records it wrote changed since its checkpoint (which overlaps
      // the read by a minute), but they are its own writes, and are not read back.
      expect((await hh.tally('import', '--json')).code).toBe(0)
      const parents = new Set(hh.sandbox.qbo.emulator.customers().map((x) => (x['ParentRef'] as { value?: string } | undefined)?.value))
      const c = hh.sandbox.qbo.emulator.customers().find((x) => x['Job'] !== true && x['Active'] !== false && !parents.has(String(x['Id'])))!
      await qbo(hh, { Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: 'one change' })
      const before = sfRequests(hh)
      const ops0 = hh.sandbox.salesforce.emulator.stats.toJSON().byOperation
      const s = (await hh.tally('sync', '--json')).json<Summary>()
      expect(s).toMatchObject({ read: 'changes', customers: { updated: 1 } })
      const ops1 = hh.sandbox.salesforce.emulator.stats.toJSON().byOperation
      const diff = Object.fromEntries(Object.entries(ops1).map(([k, v]) => [k, v - (ops0[k] ?? 0)]).filter(([, v]) => v))
      console.log(`${n} customers, one change:`, s.apiCalls, diff)
      // The run's own reading: one Composite call with the Recycle Bin read and the query of the
      // records (keys, children, SystemModstamp); then one Collection. The rest is every run's
      // fixed cost: the token, the run's start (package check, settings, its Tally_Run__c: one
      // Composite call) and the close of its record.
      // A customer waiting for a link has its name looked up again, and its suggestion candidates
      // with it: one Composite call more.
      const status = hh.records().find((r) => String(r['QBO_Id__c']) === String(c['Id']))?.['Link_Status__c']
      expect(diff['composite']).toBe(status === 'Unmapped' || status === 'Ambiguous' ? 3 : 2)
      expect(diff['query']).toBeUndefined()
      expect(diff['queryAll']).toBeUndefined()
      expect(diff['collections.upsert']).toBe(1)
      expect(diff['sobject.update']).toBe(1)
      expect(s.apiCalls.salesforce).toBeLessThanOrEqual(6)
      expect(sfRequests(hh) - before).toBe(s.apiCalls.salesforce)
      calls.push(s.apiCalls.salesforce)
      await hh.close()
      h = undefined
    }
    expect(calls[1]).toBe(calls[0])
  })

  it("skips the last run's own writes, not a person's edit made while it wrote, nor one after it", async () => {
    const hh = (h = await startHarness({ generate: 300, randomSeed: 9 }))
    expect((await hh.tally('import', '--json', '--create-accounts')).code).toBe(0)
    const sf = hh.sandbox.salesforce.emulator
    const person = sf.addUser('Pat', 'Lee')
    const asPerson = new Connection({ instanceUrl: hh.sandbox.salesforce.url, accessToken: sf.issueAccessToken(person), version: '62.0' })
    const [during, after] = hh.records().filter((r) => typeof r['Account__c'] === 'string')
    const other = hh.accounts().find((a) => a['Id'] !== during!['Account__c'] && a['Id'] !== after!['Account__c'])!
    await asPerson.sobject('QBO_Customer__c').update({ Id: String(during!['Id']), Account__c: String(other['Id']) })
    const client = createSalesforceClient({ loginUrl: hh.sandbox.salesforce.url, clientId: hh.env['SF_CLIENT_ID']!, clientSecret: hh.env['SF_CLIENT_SECRET']! })
    const realm = hh.sandbox.qbo.emulator.realmId
    const since = new Date(Date.now() - 60_000)
    const changed = async (until: Date) => (await listSelectedQboCustomerRecords(client, realm, { keys: [], parentIds: [], since, ownWrites: { until, userId: sf.userId } }, ['QBO_Id__c'])).map((r) => r['Id'])
    // As if the run were still writing: of the records changed since, only the person's is read.
    expect(await changed(new Date(Date.now() + 60_000))).toEqual([during!['Id']])
    // An edit after the run's writes ended is read whoever made it (here as Tally's own user).
    const end = new Date()
    await new Promise((r) => setTimeout(r, 5))
    const asTally = new Connection({ instanceUrl: hh.sandbox.salesforce.url, accessToken: sf.issueAccessToken(), version: '62.0' })
    await asTally.sobject('QBO_Customer__c').update({ Id: String(after!['Id']), Account__c: String(other['Id']) })
    expect(new Set(await changed(end))).toEqual(new Set([during!['Id'], after!['Id']]))
    // And the sync after the import sees both edits as a person's links.
    const s = (await hh.tally('sync', '--json', '--create-accounts')).json<Summary>()
    expect(s.read).toBe('changes')
    const byId = new Map(hh.records().map((r) => [r['Id'], r]))
    expect(byId.get(during!['Id'])?.['Link_Status__c']).toBe('Manual')
    expect(byId.get(after!['Id'])?.['Link_Status__c']).toBe('Manual')
  })

  it('its SOQL parses, and batches keys under the URL limit', async () => {
    const hh = (h = await startHarness())
    const soql: string[] = []
    const client = createSalesforceClient({
      loginUrl: hh.sandbox.salesforce.url,
      clientId: hh.env['SF_CLIENT_ID']!,
      clientSecret: hh.env['SF_CLIENT_SECRET']!,
      logger: { error() {}, warn() {}, info() {}, debug: (msg, meta) => void (/^salesforce: query/.test(msg) && soql.push(String(meta?.['soql']))) },
    })
    expect((await hh.tally('import', '--json')).code).toBe(0)
    const realm = hh.sandbox.qbo.emulator.realmId
    const keys = [...hh.records().map((r) => String(r['QBO_Key__c'])), ...Array.from({ length: 1_500 }, (_, i) => `${realm}-9${i}`)]
    const rows = await listSelectedQboCustomerRecords(client, realm, { keys, parentIds: ["O'Brien", '1'], since: new Date(Date.now() - 60_000), ownWrites: { until: new Date(), userId: hh.sandbox.salesforce.emulator.userId } }, ['QBO_Id__c'])
    expect(rows.length).toBe(hh.records().length)
    expect(await accountsDeletedSince(client, new Date(Date.now() - 60_000))).toEqual([])
    expect(soql.length).toBeGreaterThan(2)
    for (const q of soql) expect(isQueryValid(q), q).toBe(true)
  })
})
