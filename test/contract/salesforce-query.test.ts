/**
 * Contract: SOQL through jsforce (api-facts B.1): paging with autoFetch and the batchSize header,
 * queryAll, COUNT(), parent relationships, case-insensitive comparisons, LIKE escapes, date
 * literals, ORDER BY with NULLS, and the error codes.
 */
import type { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let conn: Connection

beforeAll(async () => {
  const accounts: Record<string, unknown>[] = Array.from({ length: 4500 }, (_, i) => ({ Name: `Bulk ${String(i).padStart(4, '0')}` }))
  accounts.push({ Name: "O'Brien & Sons" }, { Name: '50% Off_Store' }, { Name: '50 Percent Store' }, { Name: 'ACME corp', Phone: '1' })
  sandbox = await startSandbox({ data: { accounts } })
  conn = await sandbox.connect()
})
afterAll(() => sandbox.close())

const caught = async (p: PromiseLike<unknown>) =>
  Promise.resolve(p).then(() => { throw new Error('expected a rejection') }, (e: Error & { errorCode?: string }) => e)

describe('paging', () => {
  it('pages 2,000 at a time with a locator URL, and autoFetch reads all 4,500', async () => {
    const first = await conn.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk%'")
    expect(first).toMatchObject({ totalSize: 4500, done: false })
    expect(first.records).toHaveLength(2000)
    // jsforce makes the URL absolute; the wire value is the path.
    expect(new URL(first.nextRecordsUrl as string, sandbox.url).pathname).toMatch(new RegExp(shapes.formats.nextRecordsUrl))
    expect(Object.keys(first).sort()).toEqual(Object.keys(shapes.queryPageMore).sort())
    const all: { Name: string }[] = []
    await new Promise((resolve, reject) => {
      conn
        .query("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk%' ORDER BY Name")
        .on('record', (r: { Name: string }) => all.push(r))
        .on('end', resolve)
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 })
    })
    expect(all.length).toBe(4500)
    expect(all.at(-1)?.Name).toBe('Bulk 4499')
  })

  it('honours Sforce-Query-Options batchSize', async () => {
    const token = conn.accessToken as string
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name LIKE 'Bulk%'")}`, {
      headers: { authorization: `Bearer ${token}`, 'sforce-query-options': 'batchSize=500' },
    })
    const body = (await res.json()) as { records: unknown[]; nextRecordsUrl: string }
    expect(body.records).toHaveLength(500)
    const next = await fetch(`${sandbox.url}${body.nextRecordsUrl}`, { headers: { authorization: `Bearer ${token}` } })
    expect(((await next.json()) as { records: unknown[] }).records).toHaveLength(500)
  })
})

describe('SOQL semantics', () => {
  it('COUNT() returns only totalSize', async () => {
    const r = await conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'bulk 00%'")
    expect(r).toMatchObject({ totalSize: 100, done: true, records: [] })
  })

  it('compares text case-insensitively and decodes escapes', async () => {
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'acme CORP'")).totalSize).toBe(1)
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'O\\'Brien & Sons'")).totalSize).toBe(1)
    expect((await conn.query("SELECT Name FROM Account WHERE Name LIKE '50\\%%'")).records.map((r) => r.Name)).toEqual(['50% Off_Store'])
    expect((await conn.query("SELECT Name FROM Account WHERE Name LIKE '%f\\_S%'")).totalSize).toBe(1)
    const bad = await caught(conn.query("SELECT Id FROM Account WHERE Name = 'a\\qb'"))
    expect(bad.errorCode).toBe('MALFORMED_QUERY')
  })

  it('evaluates AND/OR/NOT with parentheses, IN, NULL, ORDER BY NULLS, LIMIT/OFFSET', async () => {
    const r = await conn.query(
      "SELECT Name, Phone FROM Account WHERE (Name IN ('ACME corp', '50 Percent Store') OR Name LIKE 'O%') AND NOT Name = 'x' ORDER BY Phone ASC NULLS LAST, Name DESC LIMIT 2 OFFSET 1",
    )
    expect(r.records.map((x) => x.Name)).toEqual(["O'Brien & Sons", '50 Percent Store'])
    expect((await conn.query("SELECT Id FROM Account WHERE Phone != null")).totalSize).toBe(1)
    expect((await conn.query("SELECT Id FROM Account WHERE CreatedDate = TODAY AND Name LIKE 'acme%'")).totalSize).toBe(1)
    expect((await conn.query("SELECT Id FROM Account WHERE CreatedDate < LAST_N_DAYS:3 AND Name LIKE 'acme%'")).totalSize).toBe(0)
  })

  it('returns parent relationships as nested records and null for empty ones', async () => {
    const acc = await conn.sobject('Account').create({ Name: 'Rel Parent', QBO_Source_Key__c: 'rel-1' })
    await conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'q-1', Name: 'Linked', Account__c: acc.id as string })
    await conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'q-2', Name: 'Unlinked' })
    const r = await conn.query('SELECT Name, Account__r.Name, Account__r.QBO_Source_Key__c, Last_Synced__c FROM QBO_Customer__c ORDER BY Name')
    expect(r.records[0]).toMatchObject({
      Name: 'Linked',
      Account__r: { attributes: { type: 'Account' }, Name: 'Rel Parent', QBO_Source_Key__c: 'rel-1' },
      Last_Synced__c: null,
    })
    expect(r.records[1]).toMatchObject({ Name: 'Unlinked', Account__r: null })
    const filtered = await conn.query("SELECT Id FROM QBO_Customer__c WHERE Account__r.Name = 'rel parent'")
    expect(filtered.totalSize).toBe(1)
  })

  it('queryAll includes deleted records', async () => {
    const acc = await conn.sobject('Account').create({ Name: 'To Delete' })
    await conn.sobject('Account').destroy(acc.id as string)
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'To Delete'")).totalSize).toBe(0)
    const all = await conn.query("SELECT Id, IsDeleted FROM Account WHERE Name = 'To Delete'", { scanAll: true })
    expect(all.records[0]).toMatchObject({ IsDeleted: true })
  })

  it('answers INVALID_FIELD, INVALID_TYPE and MALFORMED_QUERY', async () => {
    const field = await caught(conn.query('SELECT Nope FROM Account'))
    expect(field.errorCode).toBe('INVALID_FIELD')
    expect(field.message).toContain("No such column 'Nope' on entity 'Account'")
    expect((await caught(conn.query('SELECT Id FROM Nope__c'))).errorCode).toBe('INVALID_TYPE')
    expect((await caught(conn.query('SELECT FROM'))).errorCode).toBe('MALFORMED_QUERY')
    const quoted = await caught(conn.query("SELECT Id FROM Account WHERE CreatedDate > '2020-01-01'"))
    expect(quoted.errorCode).toBe('INVALID_FIELD')
  })
})
