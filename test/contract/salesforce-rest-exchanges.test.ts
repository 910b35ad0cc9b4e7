/**
 * @module test/contract/salesforce-rest-exchanges
 * Hand-written REST requests against the sandbox over HTTP, each checked against what the REST
 * API Developer Guide says the answer is: status code, headers (`Location` on a 201, the
 * `Sforce-Limit-Info` usage header, the JSON content type) and the response's key set and JSON
 * types — written here from the docs (shapes also seen in recorded traffic; no recorded body is
 * used). Ids come from records the test creates. jsforce 3.10.16 reads the same answers the way an
 * integration does (its `limitInfo`, its queryMore locator handling).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let token: string
const base = `/services/data/v${VERSION}`
const ID = /^[a-zA-Z0-9]{18}$/

beforeAll(async () => {
  // 2,086 Accounts: a first query page of 2,000 (the default batch size) and a queryMore of 86.
  const accounts = Array.from({ length: 2086 }, (_, i) => ({ Name: `Exchange ${i}`, Industry: 'Apparel', BillingCity: 'Durham' }))
  sandbox = await startSandbox({ data: { accounts } })
  token = sandbox.emulator.issueAccessToken()
})
afterAll(() => sandbox.close())

async function send(method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(path, sandbox.url), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { res, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

/** Keys → JSON type ("null" for null, "array" for arrays). */
const typesOf = (v: unknown) =>
  Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x]))

/** Every data-API answer carries the JSON content type and the org's API usage. */
function expectRestHeaders(res: Response, json = true) {
  expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/)
  if (json) expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8')
}

const SAVE_RESULT = { id: 'string', success: 'boolean', errors: 'array' }
const ERROR = { statusCode: 'string', message: 'string', fields: 'array' }

describe('single-record writes ("Create a Record", "Update a Record", "Upsert a Record", "Delete a Record")', () => {
  it('create: 201, a SaveResult, and Location naming the new record — also with a trailing slash', async () => {
    for (const path of [`${base}/sobjects/Account`, `${base}/sobjects/Account/`]) {
      const { res, json } = await send('POST', path, { Name: `Created via ${path}` })
      expect(res.status).toBe(201)
      expectRestHeaders(res)
      expect(typesOf(json)).toEqual(SAVE_RESULT)
      const { id } = json as { id: string }
      expect(id).toMatch(ID)
      expect(res.headers.get('location')).toBe(`${base}/sobjects/Account/${id}`)
    }
  })

  it('update: 204 with no body; delete: 204 with no body, then 404 ENTITY_IS_DELETED', async () => {
    const { json } = await send('POST', `${base}/sobjects/Account`, { Name: 'To update' })
    const { id } = json as { id: string }
    const updated = await send('PATCH', `${base}/sobjects/Account/${id}`, { Phone: '(919) 555-0100' })
    expect(updated.res.status).toBe(204)
    expect(updated.text).toBe('')
    expectRestHeaders(updated.res, false)
    const deleted = await send('DELETE', `${base}/sobjects/Account/${id}`)
    expect(deleted.res.status).toBe(204)
    expect(deleted.text).toBe('')
    const again = await send('GET', `${base}/sobjects/Account/${id}`)
    expect(again.res.status).toBe(404)
    expect((again.json as { errorCode: string }[])[0]?.errorCode).toBe('ENTITY_IS_DELETED')
  })

  it('upsert by an idLookup field: 201 created:true, then 200 created:false with ?updateOnly=true, Location on both', async () => {
    const path = `${base}/sobjects/Contact/Email/${encodeURIComponent('ada+upsert@example.com')}`
    const created = await send('PATCH', path, { LastName: 'Lovelace' })
    expect(created.res.status).toBe(201)
    expectRestHeaders(created.res)
    expect(typesOf(created.json)).toEqual({ ...SAVE_RESULT, created: 'boolean' })
    const { id } = created.json as { id: string; created: boolean }
    expect((created.json as { created: boolean }).created).toBe(true)
    expect(created.res.headers.get('location')).toBe(`${base}/sobjects/Contact/${id}`)
    const updated = await send('PATCH', `${path}?updateOnly=true`, { FirstName: 'Ada' })
    expect(updated.res.status).toBe(200)
    expect(updated.json).toEqual({ id, success: true, errors: [], created: false })
    expect(updated.res.headers.get('location')).toBe(`${base}/sobjects/Contact/${id}`)
  })

  it('a failed write: 400 and an array of {message, errorCode, fields}', async () => {
    const { res, json } = await send('POST', `${base}/sobjects/Account`, { Name: 'x'.repeat(256) })
    expect(res.status).toBe(400)
    expectRestHeaders(res)
    const [error] = json as Record<string, unknown>[]
    expect(typesOf(error)).toEqual({ message: 'string', errorCode: 'string', fields: 'array' })
  })
})

describe('sObject Collections', () => {
  it('create: 200 and one SaveResult per record, in order', async () => {
    const { res, json } = await send('POST', `${base}/composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, Name: 'Collected 1' }, { attributes: { type: 'Account' }, Name: 'Collected 2' }],
    })
    expect(res.status).toBe(200)
    expectRestHeaders(res)
    const results = json as Record<string, unknown>[]
    expect(results.map(typesOf)).toEqual([SAVE_RESULT, SAVE_RESULT])
  })

  it('update: a record that fails carries its errors ({statusCode, message, fields}) and no id', async () => {
    const { json: made } = await send('POST', `${base}/sobjects/Account`, { Name: 'Collection target' })
    const { res, json } = await send('PATCH', `${base}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, id: (made as { id: string }).id, Rating: 'Warm' },
        { attributes: { type: 'Account' }, id: '001000000000000AAA', Rating: 'Warm' },
      ],
    })
    expect(res.status).toBe(200)
    const [ok, failed] = json as Record<string, unknown>[]
    expect(typesOf(ok)).toEqual(SAVE_RESULT)
    expect(failed?.success).toBe(false)
    expect(failed?.id).toBeUndefined()
    expect((failed?.errors as unknown[]).map(typesOf)).toEqual([ERROR])
  })
})

describe('query, queryMore and queryAll ("Execute a SOQL Query")', () => {
  it('pages by 2,000 with a nextRecordsUrl whose last segment is the locator; jsforce follows it', async () => {
    const q = encodeURIComponent("SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Exchange %'")
    const first = await send('GET', `${base}/query?q=${q}`)
    expect(first.res.status).toBe(200)
    expectRestHeaders(first.res)
    const page = first.json as { totalSize: number; done: boolean; nextRecordsUrl: string; records: Record<string, unknown>[] }
    expect(typesOf(page)).toEqual({ totalSize: 'number', done: 'boolean', nextRecordsUrl: 'string', records: 'array' })
    expect(page).toMatchObject({ totalSize: 2086, done: false })
    expect(page.records).toHaveLength(2000)
    expect(page.nextRecordsUrl).toMatch(new RegExp(`^${base}/query/[^/]+$`))
    const rec = page.records[0] as Record<string, unknown>
    expect(Object.keys(rec)).toEqual(['attributes', 'Id', 'Name', 'Industry'])
    expect(rec.attributes).toEqual({ type: 'Account', url: `${base}/sobjects/Account/${rec.Id as string}` })
    const more = await send('GET', page.nextRecordsUrl)
    expect(more.res.status).toBe(200)
    const last = more.json as { totalSize: number; done: boolean; records: unknown[] }
    expect(typesOf(last)).toEqual({ totalSize: 'number', done: 'boolean', records: 'array' })
    expect(last).toMatchObject({ totalSize: 2086, done: true })
    expect(last.records).toHaveLength(86)
    const conn = await sandbox.connect()
    const all = await conn.query("SELECT Id FROM Account WHERE Name LIKE 'Exchange %'").run({ autoFetch: true, maxFetch: 5000 })
    expect(all.records).toHaveLength(2086)
  })

  it('queryAll answers the same shape and includes deleted records (IsDeleted)', async () => {
    const { json } = await send('POST', `${base}/sobjects/Account`, { Name: 'Deleted for queryAll' })
    await send('DELETE', `${base}/sobjects/Account/${(json as { id: string }).id}`)
    const q = encodeURIComponent("SELECT Id, IsDeleted FROM Account WHERE Name = 'Deleted for queryAll'")
    const live = await send('GET', `${base}/query?q=${q}`)
    expect((live.json as { totalSize: number }).totalSize).toBe(0)
    const all = await send('GET', `${base}/queryAll?q=${q}`)
    expect(all.res.status).toBe(200)
    const page = all.json as { totalSize: number; done: boolean; records: { IsDeleted: boolean }[] }
    expect(typesOf(page)).toEqual({ totalSize: 'number', done: 'boolean', records: 'array' })
    expect(page.records.map((r) => r.IsDeleted)).toEqual([true])
  })
})

describe('describe, describeGlobal and limits', () => {
  it('sObject Describe: the object properties, fields, childRelationships and urls', async () => {
    const { res, json } = await send('GET', `${base}/sobjects/Account/describe`)
    expect(res.status).toBe(200)
    expectRestHeaders(res)
    const d = json as Record<string, unknown> & { urls: Record<string, string> }
    expect(typesOf(d)).toMatchObject({ name: 'string', label: 'string', keyPrefix: 'string', fields: 'array', childRelationships: 'array', urls: 'object', createable: 'boolean', queryable: 'boolean' })
    expect(d.urls).toMatchObject({
      sobject: `${base}/sobjects/Account`,
      describe: `${base}/sobjects/Account/describe`,
      rowTemplate: `${base}/sobjects/Account/{ID}`,
      uiDetailTemplate: `${sandbox.url}/{ID}`,
      uiEditTemplate: `${sandbox.url}/{ID}/e`,
      uiNewRecord: `${sandbox.url}/001/e`,
    })
  })

  it('Describe Global: encoding, maxBatchSize and sobjects', async () => {
    const { res, json } = await send('GET', `${base}/sobjects`)
    expect(res.status).toBe(200)
    expect(typesOf(json)).toEqual({ encoding: 'string', maxBatchSize: 'number', sobjects: 'array' })
  })

  it('Limits: {Max, Remaining} per limit; the usage header agrees with DailyApiRequests, as jsforce reads it', async () => {
    const { res, json } = await send('GET', `${base}/limits/`)
    expect(res.status).toBe(200)
    expectRestHeaders(res)
    const limits = json as Record<string, { Max: number; Remaining: number }>
    const [, used, max] = /^api-usage=(\d+)\/(\d+)$/.exec(res.headers.get('sforce-limit-info') ?? '') ?? []
    expect(limits.DailyApiRequests).toEqual({ Max: Number(max), Remaining: Number(max) - Number(used) })
    const conn = await sandbox.connect()
    await conn.limits()
    expect(conn.limitInfo.apiUsage?.limit).toBe(Number(max))
    expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(Number(used))
  })

  it('a record by Id: attributes first, then every field', async () => {
    const { res, json } = await send('GET', `${base}/sobjects/User/${sandbox.emulator.userId}`)
    expect(res.status).toBe(200)
    const user = json as Record<string, unknown>
    expect(Object.keys(user)[0]).toBe('attributes')
    expect(user.attributes).toEqual({ type: 'User', url: `${base}/sobjects/User/${sandbox.emulator.userId}` })
    expect(user.Id).toBe(sandbox.emulator.userId)
  })
})
