/**
 * A link Salesforce changed itself is not a person's choice (contract §5.8): an Account deleted in
 * Salesforce clears `Account__c` (SetNull) and the record is linked again by the rules; an Account
 * merged into another moves the link to the survivor and the status stays. The Salesforce sandbox
 * merges as the SOAP API's merge() does, called here through jsforce as a client would.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { Connection } from 'jsforce'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { accountFates, createSalesforceClient } from '../../src/salesforce/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
let conn: Connection
beforeEach(async () => {
  h = await startHarness()
  conn = new Connection({ instanceUrl: h.sandbox.salesforce.url, accessToken: h.sandbox.salesforce.emulator.issueAccessToken(), version: '62.0' })
})
afterEach(async () => {
  await h.close()
})

interface Summary {
  status: string
  customers: Record<string, number>
  links: Record<string, number>
  apiCalls: { qbo: number; salesforce: number }
}

const sf = () => h.sandbox.salesforce.emulator
const ops = () => sf().stats.toJSON().byOperation
const record = (qboId: unknown) => h.records().find((x) => x['QBO_Id__c'] === qboId)!

/** A top-level record linked by name, with no sub-customers, and its Account. */
function matchedRecord() {
  const parents = new Set(h.records().map((r) => r['Parent_QBO_Id__c']).filter(Boolean))
  const rec = h.records().find((r) => r['Link_Status__c'] === 'Matched' && r['Is_Sub_Customer__c'] === false && !parents.has(r['QBO_Id__c']))!
  expect(rec).toBeDefined()
  return rec
}

async function merge(masterId: string, loserIds: string[]) {
  return conn.soap.merge({ masterRecord: { type: 'Account', Id: masterId }, recordToMergeIds: loserIds } as never)
}

describe('the sandbox merges and deletes Accounts as Salesforce does', () => {
  it('delete clears Account__c (SetNull); merge deletes the losers with MasterRecordId and moves their records; queryAll sees both', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const a = matchedRecord()
    const master = sf().insert('Account', { Name: 'Survivor Holdings' })
    const res = (await merge(master, [String(a['Account__c'])])) as unknown as { success: boolean; id: string; mergedRecordIds: string[]; updatedRelatedIds: string[] }
    expect(res).toMatchObject({ success: true, id: master, mergedRecordIds: [a['Account__c']] })
    expect(res.updatedRelatedIds).toContain(a['Id'])
    expect(record(a['QBO_Id__c'])['Account__c']).toBe(master)
    const bin = await conn.query<{ Id: string; IsDeleted: boolean; MasterRecordId: string | null }>(
      `SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id = '${String(a['Account__c'])}'`,
      { scanAll: true }, // jsforce's queryAll
    )
    expect(bin.records[0]).toMatchObject({ IsDeleted: true, MasterRecordId: master })
    expect((await conn.query(`SELECT Id FROM Account WHERE Id = '${String(a['Account__c'])}'`)).totalSize).toBe(0)

    await conn.sobject('Account').destroy(master)
    expect(record(a['QBO_Id__c'])['Account__c']).toBeNull()
    const gone = await conn.query<{ IsDeleted: boolean; MasterRecordId: string | null }>(`SELECT IsDeleted, MasterRecordId FROM Account WHERE Id = '${master}'`, { scanAll: true })
    expect(gone.records[0]).toMatchObject({ IsDeleted: true, MasterRecordId: null })
  })

  it('merge refuses more than two records to merge, and a bad session is the SOAP fault jsforce knows', async () => {
    const ids = [1, 2, 3, 4].map((i) => sf().insert('Account', { Name: `Merge Me ${i}` }))
    const r = (await merge(ids[0]!, ids.slice(1))) as unknown as { success: boolean; errors: { statusCode: string }[] }
    expect(r.success).toBe(false)
    expect(r.errors[0]?.statusCode).toBe('LIMIT_EXCEEDED')
    const bad = new Connection({ instanceUrl: h.sandbox.salesforce.url, accessToken: 'not-a-session', version: '62.0' })
    await expect(bad.soap.merge({ masterRecord: { type: 'Account', Id: ids[0]! }, recordToMergeIds: [ids[1]!] } as never)).rejects.toMatchObject({ errorCode: 'sf:INVALID_SESSION_ID' })
  })
})

describe('accountFates', () => {
  it('reads live, deleted and merged Accounts through queryAll, 500 Ids a call, in SOQL that parses', async () => {
    const soql: string[] = []
    const client = createSalesforceClient({
      loginUrl: h.sandbox.salesforce.url,
      clientId: h.env['SF_CLIENT_ID']!,
      clientSecret: h.env['SF_CLIENT_SECRET']!,
      logger: { error() {}, warn() {}, info() {}, debug: (msg, meta) => void (msg === 'salesforce: query' && soql.push(String(meta?.['soql']))) },
    })
    const [live, deleted, merged, master] = ['Live Co', 'Deleted Co', 'Merged Co', 'Master Co'].map((Name) => sf().insert('Account', { Name }))
    await conn.sobject('Account').destroy(deleted!)
    await merge(master!, [merged!])
    const fillers = Array.from({ length: 500 }, (_, i) => `001${String(i).padStart(15, '0')}`)
    const before = ops()['queryAll'] ?? 0
    const fates = await accountFates(client, [live!, deleted!, merged!, ...fillers])
    expect(ops()['queryAll']).toBe(before + 2)
    expect(new Map(fates.map((f) => [f.id, f]))).toEqual(
      new Map([
        [live, { id: live, deleted: false, masterRecordId: null }],
        [deleted, { id: deleted, deleted: true, masterRecordId: null }],
        [merged, { id: merged, deleted: true, masterRecordId: master }],
      ]),
    )
    expect(soql).toHaveLength(2)
    for (const q of soql) expect(isQueryValid(q), q).toBe(true)
  })
})

describe('links Salesforce changed', () => {
  it('an Account deleted in Salesforce: the record is linked again by name, not marked Manual', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const a = matchedRecord()
    const name = String(sf().get('Account', String(a['Account__c']))!['Name'])
    await conn.sobject('Account').destroy(String(a['Account__c']))
    expect(record(a['QBO_Id__c'])['Account__c']).toBeNull()
    const again = sf().insert('Account', { Name: name })

    const queryAllBefore = ops()['queryAll'] ?? 0
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(0)
    expect(r.json<Summary>().links.manual).toBe(0)
    expect(record(a['QBO_Id__c'])).toMatchObject({ Account__c: again, Link_Status__c: 'Matched' })
    expect(ops()['queryAll']).toBe(queryAllBefore + 1) // one call for every such record

    // Nothing changed since: nothing written, and no Recycle Bin read at all.
    const writes = h.sfWrites()
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(h.sfWrites()).toBe(writes)
    expect(ops()['queryAll']).toBe(queryAllBefore + 1)
  })

  it('an Account deleted while QBO changed nothing: the next sync links the record again (Unmapped without a same-name Account)', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const a = matchedRecord()
    await conn.sobject('Account').destroy(String(a['Account__c']))
    const r = await h.tally('sync', '--json')
    expect(r.code).toBe(0)
    expect(r.json<Summary>().links.manual).toBe(0)
    expect(record(a['QBO_Id__c'])).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped' })
  })

  it('an Account merged into another: the link follows the survivor, the status stays, nothing is rewritten', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const a = matchedRecord()
    const master = sf().insert('Account', { Name: 'Merged Survivor Inc' })
    expect(((await merge(master, [String(a['Account__c'])])) as unknown as { success: boolean }).success).toBe(true)

    const writes = h.sfWrites()
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(0)
    expect(r.json<Summary>().links.manual).toBe(0)
    expect(record(a['QBO_Id__c'])).toMatchObject({ Account__c: master, Link_Status__c: 'Matched' })
    expect(h.sfWrites()).toBe(writes)
    // Tally now remembers the survivor: the next run needs no Recycle Bin read.
    const queryAll = ops()['queryAll'] ?? 0
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(ops()['queryAll'] ?? 0).toBe(queryAll)
  })

  it('a person who points the record at another Account in Salesforce still makes it Manual', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    const a = matchedRecord()
    const other = sf().insert('Account', { Name: 'Chosen By A Person' })
    await conn.sobject('QBO_Customer__c').update({ Id: String(a['Id']), Account__c: other })
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(0)
    expect(record(a['QBO_Id__c'])).toMatchObject({ Account__c: other, Link_Status__c: 'Manual' })
  })
})
