/**
 * Contract: the Composite resource (`POST /services/data/vXX.X/composite`) through jsforce 3.10.16's
 * `conn.request`, over HTTP: subrequests of different resources in one call that counts once,
 * references to earlier answers, a failed subrequest and the PROCESSING_HALTED of those that
 * depend on it, allOrNone rollback, the 25-subrequest and 5-query limits, and a fault of the call.
 * Expectations are written from the REST API Developer Guide ("Send Multiple Requests Using
 * Composite", "Composite Subrequest Result", "allOrNone Parameters in Composite and Collections
 * Requests").
 */
import type { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let conn: Connection

const base = `/services/data/v${VERSION}`

interface SubResult {
  body: unknown
  httpHeaders: Record<string, string>
  httpStatusCode: number
  referenceId: string | null
}

async function composite(body: unknown): Promise<SubResult[]> {
  const r = (await conn.request({
    method: 'POST',
    url: `${base}/composite`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })) as { compositeResponse: SubResult[] }
  return r.compositeResponse
}

const q = (soql: string) => `${base}/query?q=${encodeURIComponent(soql)}`
const accountNames = () => sandbox.emulator.list('Account').map((a) => a['Name'])

beforeAll(async () => {
  sandbox = await startSandbox({ data: { accounts: [{ Name: 'Existing One', Phone: '555-0100' }] } })
  conn = await sandbox.connect()
})
afterAll(() => sandbox.close())

describe('composite', () => {
  it('answers a describe, a query and a create in one API call', async () => {
    await conn.request(`${base}/limits`)
    const usageBefore = sandbox.emulator.apiUsage().used
    sandbox.emulator.stats.reset()
    const results = await composite({
      allOrNone: false,
      compositeRequest: [
        { method: 'GET', url: `${base}/sobjects/QBO_Customer__c/describe`, referenceId: 'pkg' },
        { method: 'GET', url: q("SELECT Id, Name FROM Account WHERE Name = 'Existing One'"), referenceId: 'existing' },
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'created', body: { Name: 'Made in a composite' } },
      ],
    })
    expect(results.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([['pkg', 200], ['existing', 200], ['created', 201]])
    expect((results[0]?.body as { name: string; fields: unknown[] }).name).toBe('QBO_Customer__c')
    expect(results[1]?.body).toMatchObject({ totalSize: 1, done: true, records: [{ attributes: { type: 'Account' }, Name: 'Existing One' }] })
    const created = results[2]?.body as { id: string; success: boolean; errors: unknown[] }
    expect(created).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [] })
    // The Location of the new record, as a direct create answers it; no Content-Length.
    expect(results[2]?.httpHeaders).toEqual({ Location: `${base}/sobjects/Account/${created.id}` })
    expect(results[0]?.httpHeaders).toEqual({})
    // The whole request is one call: the org's usage, Sforce-Limit-Info (read by jsforce) and the
    // sandbox's stats agree.
    expect(sandbox.emulator.apiUsage().used).toBe(usageBefore + 1)
    expect(conn.limitInfo.apiUsage?.used).toBe(usageBefore + 1)
    expect(sandbox.emulator.stats.toJSON()).toEqual({ requests: 1, byOperation: { composite: 1 } })
    const limits = (await conn.request(`${base}/limits`)) as { DailyApiRequests: { Max: number; Remaining: number } }
    expect(limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining).toBe(usageBefore + 2)
    expect(sandbox.emulator.writeRequests()).toEqual([{ operation: 'composite', objects: ['Account'] }])
  })

  it('puts earlier answers into later subrequests: @{ref.id} and @{ref.records[0].Id}', async () => {
    const results = await composite({
      compositeRequest: [
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Referenced Account', QBO_Source_Key__c: 'ref-1' } },
        { method: 'POST', url: `${base}/sobjects/QBO_Customer__c`, referenceId: 'rec', body: { Name: 'Linked', QBO_Key__c: 'c-ref-1', Account__c: '@{acct.id}' } },
        // A reference is written as is in the url (the guide's examples), the rest encoded.
        { method: 'GET', url: `${q('SELECT Id, Account__c FROM QBO_Customer__c WHERE Account__c = ')}'@{acct.id}'`, referenceId: 'found' },
        { method: 'PATCH', url: `${base}/sobjects/QBO_Customer__c/@{found.records[0].Id}`, referenceId: 'renamed', body: { Display_Name__c: 'Name of @{acct.id}' } },
        { method: 'GET', url: `${base}/sobjects/QBO_Customer__c/@{rec.id}?fields=Display_Name__c,Account__c`, referenceId: 'read' },
      ],
    })
    expect(results.map((r) => r.httpStatusCode)).toEqual([201, 201, 200, 204, 200])
    const accountId = (results[0]?.body as { id: string }).id
    expect((results[2]?.body as { totalSize: number }).totalSize).toBe(1)
    expect(results[3]?.body).toBeNull()
    expect(results[4]?.body).toMatchObject({ Account__c: accountId, Display_Name__c: `Name of ${accountId}` })
  })

  it('runs the others when one fails; those that reference it answer PROCESSING_HALTED', async () => {
    const results = await composite({
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'noName', body: { Website: 'no-name.example' } },
        { method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'child', body: { LastName: 'Orphan', AccountId: '@{noName.id}' } },
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'fine', body: { Name: 'Independent' } },
        { method: 'GET', url: `${base}/sobjects/Account/@{fine.Id}`, referenceId: 'wrongCase' },
      ],
    })
    expect(results[0]).toEqual({
      body: [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId: 'noName',
    })
    expect(results[1]).toMatchObject({ httpStatusCode: 400, referenceId: 'child', body: [{ errorCode: 'PROCESSING_HALTED', message: expect.stringMatching(/^Invalid reference specified\. No value for noName\.id found in noName\./) }] })
    expect(results[2]).toMatchObject({ httpStatusCode: 201, referenceId: 'fine' })
    // References are case-sensitive: a create answers `id`, not `Id`.
    expect(results[3]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: expect.stringContaining('No value for fine.Id found in fine') }] })
    expect(accountNames()).toContain('Independent')
    expect(sandbox.emulator.list('Contact').map((c) => c['LastName'])).not.toContain('Orphan')
  })

  it('rolls every change back with allOrNone; the others answer PROCESSING_HALTED', async () => {
    const before = accountNames()
    const results = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'first', body: { Name: 'Rolled back' } },
        { method: 'GET', url: q('SELECT COUNT() FROM Account'), referenceId: 'count' },
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'tooLong', body: { Name: 'x'.repeat(256) } },
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'after', body: { Name: 'Never made' } },
      ],
    })
    const halted = { errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }
    expect(results.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([['first', 400], ['count', 400], ['tooLong', 400], ['after', 400]])
    expect(results[0]?.body).toEqual([halted])
    expect(results[1]?.body).toEqual([halted])
    expect(results[3]?.body).toEqual([halted])
    expect(results[2]?.body).toMatchObject([{ errorCode: 'STRING_TOO_LONG', fields: ['Name'] }])
    expect(accountNames()).toEqual(before)
  })

  it('rolls back a Collection whose records partly failed, under allOrNone (case 4 of the guide)', async () => {
    const before = accountNames()
    const results = await composite({
      allOrNone: true,
      collateSubrequests: false,
      compositeRequest: [
        {
          method: 'POST',
          url: `${base}/composite/sobjects`,
          referenceId: 'collection1',
          body: { allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'Collected' }, { attributes: { type: 'Account' }, Website: 'none.example' }] },
        },
        { method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'newContact', body: { LastName: 'Smith' } },
      ],
    })
    // The Collection keeps its own answer (the first record says success), and is undone.
    expect(results[0]).toMatchObject({ httpStatusCode: 200, body: [{ success: true }, { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] }] })
    expect(results[1]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: expect.stringMatching(/^The transaction was rolled back/) }] })
    expect(accountNames()).toEqual(before)
    expect(sandbox.emulator.list('Contact').map((c) => c['LastName'])).not.toContain('Smith')
  })

  it('refuses more than 25 subrequests, or more than 5 queries and Collections, running none', async () => {
    const usage = sandbox.emulator.apiUsage().used
    const creates = Array.from({ length: 26 }, (_, i) => ({ method: 'POST', url: `${base}/sobjects/Account`, referenceId: `a${i}`, body: { Name: `Limit ${i}` } }))
    const tooMany = await composite({ compositeRequest: creates })
    expect(tooMany).toEqual([{ body: [{ errorCode: 'LIMIT_EXCEEDED', message: 'The request can’t contain more than 25 operations.' }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }])
    const queries = [
      ...Array.from({ length: 4 }, (_, i) => ({ method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: `q${i}` })),
      { method: 'GET', url: `${base}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`, referenceId: 'all' },
      { method: 'PATCH', url: `${base}/composite/sobjects`, referenceId: 'collection', body: { records: [] } },
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'create', body: { Name: 'Limit create' } },
    ]
    const heavy = await composite({ compositeRequest: queries })
    expect(heavy).toEqual([{ body: [{ errorCode: 'LIMIT_EXCEEDED', message: expect.stringContaining('more than 5') }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }])
    expect(accountNames().filter((n) => String(n).startsWith('Limit'))).toEqual([])
    // Refused calls still count, as any answered request does.
    expect(sandbox.emulator.apiUsage().used).toBe(usage + 2)
    // Five are fine.
    const five = await composite({ compositeRequest: queries.slice(0, 5) })
    expect(five.map((r) => r.httpStatusCode)).toEqual([200, 200, 200, 200, 200])
  })

  it('refuses a request that does not parse, and answers 404 for a url outside /services/data/vXX.X', async () => {
    const refused = await composite({ compositeRequest: [{ method: 'GET', url: `${base}/limits`, referenceId: 'bad[1]' }] }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining("Provided referenceId ('bad[1]')") })
    const missing = await composite({ compositeRequest: [{ method: 'GET', url: `${base}/sobjects/Account/describe` }] }).catch((e: unknown) => e)
    expect(missing).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: "'referenceId' is a required field." })
    const outside = await composite({
      compositeRequest: [
        { method: 'POST', url: '/__sandbox/reset', referenceId: 'reset' },
        { method: 'GET', url: `${base}/limits`, referenceId: 'limits' },
      ],
    })
    expect(outside.map((r) => r.httpStatusCode)).toEqual([404, 404])
    expect(accountNames()).toContain('Independent')
  })

  it('fails a write subrequest on the composite call’s lock fault, and the whole call on a 503', async () => {
    sandbox.emulator.setFaults({ next: ['lock'] })
    const locked = await composite({
      compositeRequest: [
        { method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: 'read' },
        { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'write', body: { Name: 'Locked out' } },
      ],
    })
    expect(locked[0]?.httpStatusCode).toBe(200)
    expect(locked[1]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'UNABLE_TO_LOCK_ROW' }] })
    sandbox.emulator.setFaults({ next: ['503'] })
    const unavailable = await composite({ compositeRequest: [{ method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'write', body: { Name: 'Not now' } }] }).catch((e: unknown) => e)
    expect(unavailable).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' })
    expect(accountNames()).not.toContain('Not now')
    expect(accountNames()).not.toContain('Locked out')
  })
})
