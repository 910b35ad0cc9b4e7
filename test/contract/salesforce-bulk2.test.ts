/**
 * Contract: Bulk API 2.0 through jsforce 3.10.16's own client (`conn.bulk2`), and over raw HTTP
 * for what jsforce does not send (dialects, line endings, paging, errors). The sandbox must answer
 * as the Bulk API 2.0 Developer Guide and jsforce's lib/api/bulk2.js expect.
 */
import type { Connection } from 'jsforce'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let conn: Connection

beforeAll(async () => {
  sandbox = await startSandbox({ data: { accounts: [] }, bulk: { queueMs: 5, batchMs: 5 } })
  conn = await sandbox.connect()
  conn.bulk2.pollInterval = 20
})
afterAll(() => sandbox.close())
beforeEach(() => {
  sandbox.emulator.setFaults({ faultRate: 0 })
  sandbox.emulator.setValidationRules([])
})

const base = () => `${sandbox.url}/services/data/v${VERSION}`
const auth = () => ({ Authorization: `Bearer ${conn.accessToken as string}` })

async function raw(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${base()}${path}`, {
    method,
    headers: { ...auth(), ...(body === undefined ? {} : { 'Content-Type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

async function waitFor(kind: 'ingest' | 'query', id: string, done = ['JobComplete', 'Failed', 'Aborted']): Promise<Record<string, unknown>> {
  for (;;) {
    const info = (await (await raw('GET', `/jobs/${kind}/${id}`)).json()) as Record<string, unknown>
    if (done.includes(info.state as string)) return info
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('jsforce bulk2 ingest', () => {
  it('loadAndWaitForResults upserts on an external id with sf__Id / sf__Created and per-record errors', async () => {
    await conn.sobject('Account').create({ Name: 'Parent', QBO_Source_Key__c: 'acct-b1' })
    const first = await conn.bulk2.loadAndWaitForResults({
      object: 'QBO_Customer__c',
      operation: 'upsert',
      externalIdFieldName: 'QBO_Key__c',
      input: [
        { QBO_Key__c: 'b-1', Name: 'One', 'Account__r.QBO_Source_Key__c': 'acct-b1', Email__c: null },
        { QBO_Key__c: 'b-2', Name: 'Two', 'Account__r.QBO_Source_Key__c': null, Email__c: 'not an email' },
        { QBO_Key__c: 'b-3', Name: 'x'.repeat(81), 'Account__r.QBO_Source_Key__c': null, Email__c: null },
      ],
    })
    expect(first.successfulResults).toHaveLength(1)
    const ok = first.successfulResults[0] as unknown as Record<string, string>
    expect(ok).toMatchObject({ sf__Created: 'true', QBO_Key__c: 'b-1', Name: 'One' })
    const stored = sandbox.emulator.get('QBO_Customer__c', ok.sf__Id as string)
    expect(stored?.Account__c).toBe(sandbox.emulator.list('Account').find((a) => a.QBO_Source_Key__c === 'acct-b1')?.Id)
    const failed = Object.fromEntries(first.failedResults.map((r) => [(r as unknown as Record<string, string>).QBO_Key__c, (r as unknown as Record<string, string>).sf__Error]))
    expect(failed['b-2']).toMatch(/^INVALID_EMAIL_ADDRESS:Email: invalid email address: not an email:Email__c --$/)
    expect(failed['b-3']).toMatch(/^STRING_TOO_LONG:/)
    expect(first.unprocessedRecords).toEqual([])

    const again = await conn.bulk2.loadAndWaitForResults({
      object: 'QBO_Customer__c',
      operation: 'upsert',
      externalIdFieldName: 'QBO_Key__c',
      input: [{ QBO_Key__c: 'b-1', Name: 'One again' }],
    })
    expect(again.successfulResults[0]).toMatchObject({ sf__Id: ok.sf__Id, sf__Created: 'false' })
    expect(sandbox.emulator.get('QBO_Customer__c', ok.sf__Id as string)?.Name).toBe('One again')
  })

  it('runs the job step by step: open, uploadData, close, poll, then each results file', async () => {
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert', lineEnding: 'LF' })
    const opened = await job.open()
    expect(opened).toMatchObject({ state: 'Open', object: 'Account', operation: 'insert', contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' })
    expect(opened.id).toMatch(/^750/)
    await job.uploadData('Name,Phone\n"Step, One",1\nStep Two,2\n')
    await job.close()
    const states: string[] = []
    job.on('inProgress', (info: { state: string }) => states.push(info.state))
    await job.poll(5, 10_000)
    expect(job.getInfo()).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 })
    const ok = await job.getSuccessfulResults()
    expect(ok.map((r) => (r as unknown as Record<string, string>).Name).sort()).toEqual(['Step Two', 'Step, One'])
    expect(await job.getFailedResults()).toEqual([])
    expect(await job.getUnprocessedRecords()).toEqual([])
    const text = (await job.getSuccessfulResults(true)) as unknown as string
    expect(text.split('\n')[0]).toBe('"sf__Id","sf__Created",Name,Phone')
    await job.delete()
    expect((await raw('GET', `/jobs/ingest/${job.id}`)).status).toBe(404)
  })

  it('an aborted job reports its rows as unprocessed records and polling throws', async () => {
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' })
    await job.open()
    await job.uploadData([{ Name: 'Never 1' }, { Name: 'Never 2' }])
    await job.abort()
    await expect(job.poll(5, 1000)).rejects.toThrow('Job has been aborted')
    expect(((await job.getUnprocessedRecords()) as unknown as Record<string, string>[]).map((r) => r.Name)).toEqual(['Never 1', 'Never 2'])
    expect(sandbox.emulator.list('Account').some((a) => a.Name === 'Never 1')).toBe(false)
  })

  it('a header naming an unknown field fails the job with InvalidBatch, which jsforce raises', async () => {
    await expect(
      conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: 'Name,Nope__c\nA,B\n', pollInterval: 5, pollTimeout: 5000 }),
    ).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Nope__c')
  })

  it('applies validation rules and unique external ids as REST does', async () => {
    sandbox.emulator.setValidationRules([{ object: 'QBO_Customer__c', field: 'Name', pattern: '^Blocked', message: 'Names may not start with Blocked' }])
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'QBO_Customer__c',
      operation: 'insert',
      input: [{ QBO_Key__c: 'v-1', Name: 'Blocked one' }, { QBO_Key__c: 'v-2', Name: 'Fine' }, { QBO_Key__c: 'v-2', Name: 'Twin' }],
      pollInterval: 5,
    })
    const errs = res.failedResults.map((r) => (r as unknown as Record<string, string>).sf__Error)
    expect(errs).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION:Names may not start with Blocked:Name --')
    expect(errs.some((e) => (e ?? '').startsWith('DUPLICATE_VALUE:duplicate value found: QBO_Key__c duplicates value on record with id:'))).toBe(true)
    expect(res.successfulResults).toHaveLength(1)
  })

  it('a lock fault drawn by the upload fails one record with UNABLE_TO_LOCK_ROW; every request is counted', async () => {
    const before = sandbox.emulator.apiUsage().used
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' })
    await job.open()
    // The next request (the upload) draws the lock fault, as a Collection request would.
    sandbox.emulator.setFaults({ next: ['lock'] })
    await job.uploadData(Array.from({ length: 400 }, (_, i) => ({ Name: `Lock ${i}` })))
    await job.close()
    await job.poll(5, 10_000)
    expect(job.getInfo()).toMatchObject({ numberRecordsProcessed: 400, numberRecordsFailed: 1 })
    const failed = await job.getFailedResults()
    expect(failed.map((r) => (r as unknown as Record<string, string>).sf__Error?.split(':')[0])).toEqual(['UNABLE_TO_LOCK_ROW'])
    expect(await job.getSuccessfulResults()).toHaveLength(399)
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { byOperation: Record<string, number> }
    for (const op of ['create', 'upload', 'state', 'info', 'successfulResults', 'failedResults']) expect(stats.byOperation[`bulk2.ingest.${op}`]).toBeGreaterThan(0)
    // open, upload, close, ≥ 1 poll, two results files
    expect(sandbox.emulator.apiUsage().used - before).toBeGreaterThanOrEqual(6)
    expect(sandbox.emulator.writeRequests().some((w) => w.operation === 'bulk2.ingest.process' && w.objects.includes('Account'))).toBe(true)
  })

  it('with the fault rate on, one record of a 200-record chunk may fail with UNABLE_TO_LOCK_ROW and no other way', async () => {
    const faulty = await startSandbox({ data: { accounts: [] }, faultRate: 0.3, randomSeed: 3, bulk: { queueMs: 1, batchMs: 0 } })
    try {
      const c = await faulty.connect()
      const url = `${faulty.url}/services/data/v${VERSION}`
      // Raw calls repeated on a transient answer (503/500/reset), as any client must.
      const call = async (method: string, path: string, body?: string, type = 'application/json'): Promise<Response> => {
        for (;;) {
          const res = await fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${c.accessToken as string}`, 'Content-Type': type }, ...(body ? { body } : {}) }).catch(() => null)
          if (res && res.status < 500) return res
        }
      }
      const job = (await (await call('POST', '/jobs/ingest', JSON.stringify({ object: 'Account', operation: 'insert' }))).json()) as { id: string }
      const csv = 'Name\n' + Array.from({ length: 2000 }, (_, i) => `Rate ${i}`).join('\n') + '\n'
      expect((await call('PUT', `/jobs/ingest/${job.id}/batches`, csv, 'text/csv')).status).toBe(201)
      await call('PATCH', `/jobs/ingest/${job.id}`, JSON.stringify({ state: 'UploadComplete' }))
      let info: Record<string, unknown> = {}
      while (info.state !== 'JobComplete') info = (await (await call('GET', `/jobs/ingest/${job.id}`)).json()) as Record<string, unknown>
      const failed = parse(await (await call('GET', `/jobs/ingest/${job.id}/failedResults`)).text(), { columns: true }) as Record<string, string>[]
      expect(failed.length).toBeGreaterThan(0)
      expect(failed.length).toBeLessThanOrEqual(10 + 1)
      expect(new Set(failed.map((r) => r.sf__Error?.split(':')[0]))).toEqual(new Set(['UNABLE_TO_LOCK_ROW']))
      expect(info.numberRecordsFailed).toBe(failed.length)
    } finally {
      await faulty.close()
    }
  })
})

describe('jsforce bulk2 query', () => {
  it('reads every page, following Sforce-Locator until the literal null', async () => {
    const big = await startSandbox({ data: { accounts: Array.from({ length: 2500 }, (_, i) => ({ Name: `Q ${String(i).padStart(4, '0')}` })) }, bulk: { queueMs: 1, batchMs: 0, queryPageSize: 1000 } })
    try {
      const c = await big.connect()
      c.bulk2.pollInterval = 10
      const stream = await c.bulk2.query('SELECT Id, Name, CreatedDate, Owner.Name FROM Account ORDER BY Name')
      const all = (await stream.toArray()) as Record<string, string>[]
      // Each results page is a whole CSV file with its header row (Get Results for a Query Job).
      // jsforce 3.10.16 pipes every page into one CSV parser, so the header rows of pages 2 and 3
      // come out as records: a jsforce bug, which is why Tally reads the pages itself.
      const echoes = all.filter((r) => r.Name === 'Name')
      expect(echoes).toEqual([{ Id: 'Id', Name: 'Name', CreatedDate: 'CreatedDate', 'Owner.Name': 'Owner.Name' }, { Id: 'Id', Name: 'Name', CreatedDate: 'CreatedDate', 'Owner.Name': 'Owner.Name' }])
      const rows = all.filter((r) => r.Name !== 'Name')
      expect(rows).toHaveLength(2500)
      expect(rows[0]).toMatchObject({ Name: 'Q 0000', 'Owner.Name': 'Integration User' })
      expect(rows[0]?.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      const stats = (await (await fetch(`${big.url}/__sandbox/stats`)).json()) as { byOperation: Record<string, number> }
      expect(stats.byOperation['bulk2.query.results']).toBe(3)
    } finally {
      await big.close()
    }
  })
})

describe('raw HTTP', () => {
  it.each([
    ['SEMICOLON', 'LF', ';', '\n'],
    ['PIPE', 'CRLF', '|', '\r\n'],
    ['TAB', 'LF', '\t', '\n'],
    ['CARET', 'CRLF', '^', '\r\n'],
    ['BACKQUOTE', 'LF', '`', '\n'],
    ['COMMA', 'CRLF', ',', '\r\n'],
  ])('reads and answers in the %s / %s dialect, quoted values and #N/A included', async (columnDelimiter, lineEnding, d, eol) => {
    const [a] = await conn.sobject('Account').create([{ Name: `Dialect ${columnDelimiter}`, Phone: '555', Website: 'keep.example' }])
    const created = (await (await raw('POST', '/jobs/ingest', { object: 'Account', operation: 'update', columnDelimiter, lineEnding })).json()) as { id: string }
    const csv = ['Id', 'Name', 'Phone', 'Website', 'Description'].join(d) + eol + [a?.id, `"Renamed ${d} ""quoted"""`, '#N/A', '', `"line one${eol}line two"`].join(d) + eol
    expect((await raw('PUT', `/jobs/ingest/${created.id}/batches`, csv, 'text/csv')).status).toBe(201)
    expect((await raw('PATCH', `/jobs/ingest/${created.id}`, { state: 'UploadComplete' })).status).toBe(200)
    const info = await waitFor('ingest', created.id)
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0, columnDelimiter, lineEnding })
    const rec = sandbox.emulator.get('Account', a?.id as string)
    expect(rec).toMatchObject({ Name: `Renamed ${d} "quoted"`, Phone: null, Website: 'keep.example', Description: `line one${eol}line two` })
    const text = await (await raw('GET', `/jobs/ingest/${created.id}/successfulResults`)).text()
    const rows = parse(text, { delimiter: d, record_delimiter: eol, columns: true }) as Record<string, string>[]
    expect(rows[0]).toMatchObject({ sf__Id: a?.id, sf__Created: 'false', Name: `Renamed ${d} "quoted"` })
    expect(text.endsWith(eol)).toBe(true)
  })

  it('a file whose line ending is not the job\'s fails the job', async () => {
    const created = (await (await raw('POST', '/jobs/ingest', { object: 'Account', operation: 'insert', lineEnding: 'CRLF', columnDelimiter: 'PIPE' })).json()) as { id: string }
    await raw('PUT', `/jobs/ingest/${created.id}/batches`, 'Name|Phone\nA|1\nB|2\n', 'text/csv')
    await raw('PATCH', `/jobs/ingest/${created.id}`, { state: 'UploadComplete' })
    const info = await waitFor('ingest', created.id)
    expect(info.state).toBe('Failed')
    expect(info.errorMessage).toMatch(/^InvalidBatch : /)
  })

  it('answers bad job requests with the [{errorCode, message}] body', async () => {
    const cases: [unknown, number, string][] = [
      [{ object: 'Nope__c', operation: 'insert' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'merge' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'upsert' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'upsert', externalIdFieldName: 'Phone' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'insert', columnDelimiter: 'COLON' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'insert', lineEnding: 'CR' }, 400, 'INVALIDJOB'],
      [{ object: 'Account', operation: 'insert', contentType: 'JSON' }, 400, 'INVALIDJOB'],
    ]
    for (const [body, status, code] of cases) {
      const res = await raw('POST', '/jobs/ingest', body)
      expect(res.status).toBe(status)
      const json = (await res.json()) as { errorCode: string; message: string }[]
      expect(json[0]?.errorCode).toBe(code)
      expect(typeof json[0]?.message).toBe('string')
    }
    expect((await raw('POST', '/jobs/ingest', '{not json')).status).toBe(400)
    expect((await raw('GET', '/jobs/ingest/750000000000000AAA')).status).toBe(404)
  })

  it('refuses a second upload, an upload to a closed job, and an upload over the size limit', async () => {
    const small = await startSandbox({ data: { accounts: [] }, bulk: { maxUploadBytes: 64 } })
    try {
      const c = await small.connect()
      const call = (method: string, path: string, body?: unknown, type = 'application/json') =>
        fetch(`${small.url}/services/data/v${VERSION}${path}`, { method, headers: { Authorization: `Bearer ${c.accessToken as string}`, 'Content-Type': type }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
      const job = (await (await call('POST', '/jobs/ingest', { object: 'Account', operation: 'insert' })).json()) as { id: string }
      const tooBig = await call('PUT', `/jobs/ingest/${job.id}/batches`, `Name\n${'x'.repeat(100)}\n`, 'text/csv')
      expect(tooBig.status).toBe(400)
      expect(((await tooBig.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALIDBATCH')
      expect((await call('PUT', `/jobs/ingest/${job.id}/batches`, 'Name\nA\n', 'text/csv')).status).toBe(201)
      expect((await call('PUT', `/jobs/ingest/${job.id}/batches`, 'Name\nB\n', 'text/csv')).status).toBe(409)
      expect((await call('PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' })).status).toBe(200)
      expect((await call('PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' })).status).toBe(409)
    } finally {
      await small.close()
    }
  })

  it('query results page by maxRecords and locator, with Sforce-NumberOfRecords', async () => {
    await conn.sobject('Account').create(Array.from({ length: 5 }, (_, i) => ({ Name: `Paged ${i}` })))
    const job = (await (await raw('POST', '/jobs/query', { operation: 'query', query: "SELECT Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name", columnDelimiter: 'SEMICOLON' })).json()) as { id: string; state: string }
    expect(job.state).toBe('UploadComplete')
    const early = await raw('GET', `/jobs/query/${job.id}/results`)
    if (early.status !== 200) expect(early.status).toBe(412)
    await waitFor('query', job.id)
    const names: string[] = []
    let locator = ''
    let pages = 0
    for (;;) {
      const res = await raw('GET', `/jobs/query/${job.id}/results?maxRecords=2${locator ? `&locator=${locator}` : ''}`)
      pages++
      const text = await res.text()
      const rows = parse(text, { delimiter: ';', columns: true }) as { Name: string }[]
      expect(res.headers.get('sforce-numberofrecords')).toBe(String(rows.length))
      names.push(...rows.map((r) => r.Name))
      locator = res.headers.get('sforce-locator') ?? ''
      if (locator === 'null') break
    }
    expect(pages).toBe(3)
    expect(names).toEqual(['Paged 0', 'Paged 1', 'Paged 2', 'Paged 3', 'Paged 4'])
    const bad = await raw('POST', '/jobs/query', { operation: 'query', query: 'SELECT Nope FROM Account' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FIELD')
  })
})
