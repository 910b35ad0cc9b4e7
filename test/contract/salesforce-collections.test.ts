/**
 * Contract: sObject Collections through jsforce (api-facts B.2): create/update/upsert/destroy,
 * results in input order with `statusCode` errors, allOrNone rollback, the 200-record limit.
 */
import type { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shapeOf, startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let conn: Connection

beforeAll(async () => {
  sandbox = await startSandbox({ data: { accounts: [] } })
  conn = await sandbox.connect()
})
afterAll(() => sandbox.close())

describe('collections', () => {
  it('creates records in input order with per-record errors', async () => {
    const results = await conn.sobject('Account').create([{ Name: 'C1' }, { Website: 'no-name.com' }, { Name: 'C3' }])
    expect(results.map((r) => r.success)).toEqual([true, false, true])
    const failed = results[1] as unknown as Record<string, unknown> & { errors: Record<string, unknown>[] }
    expect(shapeOf(failed)).toEqual(shapes.collectionFailure)
    expect(failed.errors[0]).toEqual({ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] })
    expect(shapeOf(failed.errors[0] as never)).toEqual(shapes.collectionError)
  })

  it('updates records, reporting INVALID_CROSS_REFERENCE_KEY for an unknown id', async () => {
    const [a] = await conn.sobject('Account').create([{ Name: 'U1' }])
    const results = await conn.sobject('Account').update([
      { Id: a?.id as string, Phone: '1' },
      { Id: '001dM0000000zzzQAA', Phone: '2' },
    ])
    expect(results[0]?.success).toBe(true)
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' }] })
  })

  it('upserts on QBO_Key__c with created flags and relationship references', async () => {
    await conn.sobject('Account').create({ Name: 'Target', QBO_Source_Key__c: 'acct-1' })
    const first = await conn.sobject('QBO_Customer__c').upsert(
      [
        { QBO_Key__c: 'r-1', Name: 'One', Account__r: { QBO_Source_Key__c: 'acct-1' } },
        { QBO_Key__c: 'r-2', Name: 'Two', Email__c: 'bad address' },
      ] as never,
      'QBO_Key__c',
    )
    expect(first[0]).toMatchObject({ success: true, created: true })
    expect(first[1]).toMatchObject({ success: false, created: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email__c'] }] })
    const second = await conn.sobject('QBO_Customer__c').upsert([{ QBO_Key__c: 'r-1', Name: 'One again' }] as never, 'QBO_Key__c')
    expect(second[0]).toMatchObject({ id: first[0]?.id, success: true, created: false })
  })

  it('answers JSON_PARSER_ERROR per record for upserted records without attributes', async () => {
    // "Each object in the request body must contain an attributes map" (Upsert Records Using
    // sObject Collections). PATCH …/composite/sobjects/Account/Id with records that carry none →
    // HTTP 200, one failed UpsertResult per record, nothing written.
    const before = sandbox.emulator.list('Account').length
    const body = { allOrNone: false, records: [{ Id: null, Name: 'First without attributes' }, { QBO_Source_Key__c: 'no-attributes', Name: 'Second' }] }
    const results = (await conn.request({
      method: 'PATCH',
      url: `/services/data/v${VERSION}/composite/sobjects/Account/Id`,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    })) as unknown[]
    const expected = {
      success: false,
      created: false,
      errors: [{ statusCode: 'JSON_PARSER_ERROR', message: 'Nested object for polymorphic foreign key must have an attributes field before any other fields.', fields: [] }],
    }
    expect(results).toEqual([expected, expected])
    expect(sandbox.emulator.list('Account')).toHaveLength(before)
  })

  it('rolls everything back with allOrNone', async () => {
    const before = sandbox.emulator.list('Account').length
    const results = await conn.sobject('Account').create([{ Name: 'A1' }, { Name: 'x'.repeat(256) }, { Name: 'A3' }], { allOrNone: true })
    expect(results.map((r) => (r.success ? 'ok' : (r as unknown as { errors: { statusCode: string }[] }).errors[0]?.statusCode))).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'STRING_TOO_LONG', 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ])
    expect(sandbox.emulator.list('Account')).toHaveLength(before)
  })

  it('destroys records and reports already-deleted ones', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'D1' }, { Name: 'D2' }])
    const ids = created.map((r) => r.id as string)
    await conn.sobject('Account').destroy([ids[0] as string])
    const results = await conn.sobject('Account').destroy(ids)
    expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED' }] })
    expect(results[1]).toMatchObject({ success: true, id: ids[1] })
  })

  it('retrieves several records in one call', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'R1' }, { Name: 'R2' }])
    const recs = (await conn.sobject('Account').retrieve(created.map((r) => r.id as string), { fields: ['Name'] })) as Record<string, unknown>[]
    expect(recs.map((r) => r.Name)).toEqual(['R1', 'R2'])
  })

  it('rejects more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `N${i}` }))
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/composite/sobjects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, records }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual([
      { message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' },
    ])
  })
})
