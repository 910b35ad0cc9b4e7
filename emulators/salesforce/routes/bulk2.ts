/**
 * @module emulators/salesforce/routes/bulk2
 * Bulk API 2.0 over HTTP, as the Bulk API 2.0 and Bulk API Developer Guide and jsforce 3.10.16's
 * `conn.bulk2` (lib/api/bulk2.js) define it.
 * Ingest: `POST /jobs/ingest` (Create a Job) → `PUT /jobs/ingest/{id}/batches` text/csv (Upload Job
 * Data: 201, empty body; one upload per job, at most 150 MB once base64-encoded) → `PATCH` state
 * `UploadComplete` or `Aborted` (Close or Abort a Job) → `GET /jobs/ingest/{id}` (Get Job Info) →
 * `successfulResults` / `failedResults` / `unprocessedrecords` (CSV) → `DELETE`; `GET /jobs/ingest`
 * lists jobs. Query: `POST /jobs/query`, `GET /jobs/query/{id}`, `GET …/results` with `locator` and
 * `maxRecords`, answering `Sforce-Locator` (the literal `null` on the last page, which is what
 * jsforce loops on) and `Sforce-NumberOfRecords`.
 * Every request goes through the guard like REST: counted against the daily allocation, latency,
 * injected faults.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/upload_job_data.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import type { Context, Hono } from 'hono'
import { findField, findObject } from '../schema.js'
import type { SfState } from '../state.js'
import { SoqlError } from '../soql/literals.js'
import { compileBulkQuery, processIngest, processQuery, type IngestJob, type IngestOperation, type JobState, type QueryJob } from '../bulk/jobs.js'
import { isDelimiter, isLineEnding, parseCsv, writeCsv, type Dialect } from '../bulk/csv.js'
import { formatDateTime } from '../values.js'
import { lockFault, recordWrites, sfErrorResponse, sfJson, versionOf } from './guard.js'
import { jsonBody } from './sobjects.js'

const OPERATIONS: IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete']

export interface BulkOptions {
  /** Time a closed job waits before it is InProgress (ms). */
  queueMs: number
  /** Extra time per internal batch of 10,000 records (ms): how long a job stays InProgress. */
  batchMs: number
  /** Largest upload accepted: 150 MB base64-encoded, i.e. 150 × 3/4 MB of CSV (Limits). */
  maxUploadBytes: number
  /** Rows per results page when the client sends no `maxRecords` (the sandbox's choice). */
  queryPageSize: number
}

export const DEFAULT_BULK_OPTIONS: BulkOptions = {
  queueMs: 10,
  batchMs: 20,
  maxUploadBytes: Math.floor((150 * 1024 * 1024 * 3) / 4),
  queryPageSize: 50_000,
}

const csvResponse = (c: Context, text: string, headers: Record<string, string> = {}) =>
  c.newResponse(text, 200, { 'Content-Type': 'text/csv', ...headers })

/** Upper-case error codes as Bulk API 2.0 answers them in its `[{errorCode, message}]` bodies. */
const invalidJob = (c: Context, message: string, status = 400) => sfErrorResponse(c, status, 'INVALIDJOB', message)
const jobNotFound = (c: Context) => sfErrorResponse(c, 404, 'NOT_FOUND', 'The requested resource does not exist')

/** What Get Job Info answers for either kind of job; each kind adds its own fields. */
function commonInfo(job: IngestJob | QueryJob, jobType: 'V2Ingest' | 'V2Query') {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  }
}

function ingestInfo(job: IngestJob, version: string) {
  return {
    ...commonInfo(job, 'V2Ingest'),
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    contentUrl: `services/data/v${version}/jobs/ingest/${job.id}/batches`,
    numberRecordsFailed: job.numberRecordsFailed,
    apiActiveProcessingTime: job.apiActiveProcessingTime,
    apexProcessingTime: 0,
  }
}

const queryInfo = (job: QueryJob) => commonInfo(job, 'V2Query')

/** Body fields common to both job kinds; an error response for a bad one. */
function dialectOf(c: Context, body: Record<string, unknown>): Dialect | Response {
  const columnDelimiter = body.columnDelimiter ?? 'COMMA'
  const lineEnding = body.lineEnding ?? 'LF'
  if (!isDelimiter(columnDelimiter)) return invalidJob(c, `Invalid column delimiter: ${String(columnDelimiter)}`)
  if (!isLineEnding(lineEnding)) return invalidJob(c, `Invalid line ending: ${String(lineEnding)}`)
  if (body.contentType !== undefined && body.contentType !== 'CSV') return invalidJob(c, `Invalid content type: ${String(body.contentType)}`)
  return { columnDelimiter, lineEnding }
}

/** A 503 for the injected lock fault on requests that write nothing themselves. */
const lockAs503 = (c: Context) => sfErrorResponse(c, 503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.')

export function registerBulk2(app: Hono, s: SfState, o: BulkOptions): void {
  const ingest = '/services/data/:version/jobs/ingest'
  const query = '/services/data/:version/jobs/query'
  const apiVersion = (c: Context) => Number(versionOf(c))
  const now = () => s.options.now().getTime()

  app.post(ingest, async (c) => {
    if (lockFault(c)) return lockAs503(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const body = (parsed.body ?? {}) as Record<string, unknown>
    const obj = findObject(s.schema, String(body.object ?? ''))
    if (!obj) return invalidJob(c, `Unable to find object: ${String(body.object ?? '')}`)
    const operation = body.operation as IngestOperation
    if (!OPERATIONS.includes(operation)) return invalidJob(c, `InvalidJob : Invalid operation: ${String(body.operation)}`)
    let externalIdFieldName: string | undefined
    if (operation === 'upsert') {
      const f = findField(obj, String(body.externalIdFieldName ?? ''))
      if (!body.externalIdFieldName) return invalidJob(c, `External ID was blank for ${obj.name}. An External ID must be specified for upsert.`)
      if (!f || !(f.externalId || f.idLookup)) return invalidJob(c, `InvalidJob : Field name provided, ${String(body.externalIdFieldName)} is not an External ID or indexed field for ${obj.name}`)
      externalIdFieldName = f.name
    }
    const dialect = dialectOf(c, body)
    if (dialect instanceof Response) return dialect
    const job: IngestJob = {
      kind: 'ingest',
      id: s.ids.next('750'),
      object: obj.name,
      operation,
      ...(externalIdFieldName ? { externalIdFieldName } : {}),
      ...dialect,
      createdById: s.userId,
      createdDate: now(),
      systemModstamp: now(),
      apiVersion: apiVersion(c),
      state: 'Open',
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      lockFaults: 0,
    }
    s.bulk.ingest.set(job.id, job)
    return sfJson(c, ingestInfo(job, versionOf(c)))
  })

  app.get(ingest, (c) =>
    sfJson(c, { done: true, records: [...s.bulk.ingest.values()].map((j) => ingestInfo(j, versionOf(c))), nextRecordsUrl: null }),
  )

  const ingestJob = (c: Context) => s.bulk.ingest.get(c.req.param('id') ?? '')

  app.put(`${ingest}/:id/batches`, async (c) => {
    const job = ingestJob(c)
    if (!job) return jobNotFound(c)
    if (job.state !== 'Open' || job.data !== undefined) {
      return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is not open for uploads (state ${job.state})`)
    }
    const type = c.req.header('content-type') ?? ''
    if (!/^text\/csv\b/i.test(type)) return sfErrorResponse(c, 400, 'INVALIDBATCH', `Unsupported content type ${type || '(none)'}: upload text/csv`)
    const text = await c.req.text()
    if (Buffer.byteLength(text) > o.maxUploadBytes) {
      return sfErrorResponse(c, 400, 'INVALIDBATCH', `Upload exceeds the maximum size of ${o.maxUploadBytes} bytes of CSV (150 MB base64-encoded)`)
    }
    if (text.trim() === '') return sfErrorResponse(c, 400, 'INVALIDBATCH', 'No content found in the upload')
    job.data = text
    if (lockFault(c)) job.lockFaults += 1
    return c.body(null, 201)
  })

  app.patch(`${ingest}/:id`, async (c) => {
    if (lockFault(c)) return lockAs503(c)
    const job = ingestJob(c)
    if (!job) return jobNotFound(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const state = (parsed.body as { state?: JobState } | null)?.state
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; only an Open job can be closed`)
      if (job.data === undefined) {
        // Closing a job with no data makes it fail ("InvalidBatch" from the job, not the request).
        job.state = 'Failed'
        job.errorMessage = 'InvalidBatch : No content found in the upload'
      } else {
        job.state = 'UploadComplete'
        void processIngest(s, job, { queueMs: o.queueMs, batchMs: o.batchMs, recordWrites: (fn) => recordWrites(s, 'bulk2.ingest.process', fn) })
      }
    } else if (state === 'Aborted') {
      if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) {
        return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state} and cannot be aborted`)
      }
      // Rows not yet processed are the job's unprocessed records.
      const pending = job.state === 'Open' && job.data !== undefined ? parseCsv(job.data, job) : undefined
      if (pending && !('error' in pending)) {
        job.header = pending.header
        job.unprocessed = pending.rows
      }
      job.state = 'Aborted'
      job.data = undefined
    } else {
      return invalidJob(c, `Invalid state: ${String(state)}; use UploadComplete or Aborted`)
    }
    job.systemModstamp = now()
    return sfJson(c, ingestInfo(job, versionOf(c)))
  })

  app.get(`${ingest}/:id`, (c) => {
    const job = ingestJob(c)
    return job ? sfJson(c, ingestInfo(job, versionOf(c))) : jobNotFound(c)
  })

  app.delete(`${ingest}/:id`, (c) => {
    const job = ingestJob(c)
    if (!job) return jobNotFound(c)
    // "Delete a Job": only a job in UploadComplete, JobComplete, Aborted or Failed.
    if (job.state === 'Open' || job.state === 'InProgress') return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state} and cannot be deleted`)
    s.bulk.ingest.delete(job.id)
    return c.body(null, 204)
  })

  const results = (kind: 'successful' | 'failed' | 'unprocessed') => (c: Context) => {
    const job = ingestJob(c)
    if (!job) return jobNotFound(c)
    if (kind !== 'unprocessed' && job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
      return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}: results are available once it is complete`)
    }
    const lead = kind === 'successful' ? ['sf__Id', 'sf__Created'] : kind === 'failed' ? ['sf__Id', 'sf__Error'] : []
    const rows = kind === 'successful' ? job.successful : kind === 'failed' ? job.failed : job.unprocessed
    return csvResponse(c, writeCsv([...lead, ...job.header], rows, job, new Set(lead.map((_, i) => i))))
  }
  app.get(`${ingest}/:id/successfulResults`, results('successful'))
  app.get(`${ingest}/:id/failedResults`, results('failed'))
  app.get(`${ingest}/:id/unprocessedrecords`, results('unprocessed'))

  app.post(query, async (c) => {
    if (lockFault(c)) return lockAs503(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const body = (parsed.body ?? {}) as Record<string, unknown>
    const operation = body.operation ?? 'query'
    if (operation !== 'query' && operation !== 'queryAll') return invalidJob(c, `Invalid operation: ${String(operation)}`)
    if (typeof body.query !== 'string' || body.query.trim() === '') return invalidJob(c, 'A query must be specified')
    const dialect = dialectOf(c, body)
    if (dialect instanceof Response) return dialect
    let compiled
    try {
      compiled = compileBulkQuery(s, body.query)
    } catch (e) {
      if (e instanceof SoqlError) return sfErrorResponse(c, 400, e.errorCode, e.message)
      throw e
    }
    // Bulk API 2.0 query does not take COUNT(), OFFSET or relationship subqueries ("Bulk API 2.0 query").
    if (compiled.count || compiled.offset > 0) return invalidJob(c, 'InvalidJob : COUNT() and OFFSET are not supported by Bulk API 2.0 query')
    const job: QueryJob = {
      kind: 'query',
      id: s.ids.next('750'),
      object: compiled.object.name,
      operation,
      query: body.query,
      compiled,
      ...dialect,
      createdById: s.userId,
      createdDate: now(),
      systemModstamp: now(),
      apiVersion: apiVersion(c),
      state: 'UploadComplete',
      numberRecordsProcessed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      columns: [],
      rows: [],
    }
    s.bulk.query.set(job.id, job)
    void processQuery(s, job, { queueMs: o.queueMs })
    return sfJson(c, queryInfo(job))
  })

  app.get(query, (c) => sfJson(c, { done: true, records: [...s.bulk.query.values()].map(queryInfo), nextRecordsUrl: null }))

  const queryJob = (c: Context) => s.bulk.query.get(c.req.param('id') ?? '')

  app.get(`${query}/:id`, (c) => {
    const job = queryJob(c)
    return job ? sfJson(c, queryInfo(job)) : jobNotFound(c)
  })

  app.patch(`${query}/:id`, async (c) => {
    const job = queryJob(c)
    if (!job) return jobNotFound(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    if ((parsed.body as { state?: string } | null)?.state !== 'Aborted') return invalidJob(c, 'Invalid state: only Aborted')
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state} and cannot be aborted`)
    job.state = 'Aborted'
    return sfJson(c, queryInfo(job))
  })

  app.delete(`${query}/:id`, (c) => {
    const job = queryJob(c)
    if (!job) return jobNotFound(c)
    if (job.state === 'UploadComplete' || job.state === 'InProgress') return sfErrorResponse(c, 409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state} and cannot be deleted`)
    s.bulk.query.delete(job.id)
    return c.body(null, 204)
  })

  app.get(`${query}/:id/results`, (c) => {
    const job = queryJob(c)
    if (!job) return jobNotFound(c)
    // Get Results for a Query Job: results before the job completes → 412 JOB_NOT_COMPLETE (B2-QRES).
    if (job.state !== 'JobComplete') return sfErrorResponse(c, 412, 'JOB_NOT_COMPLETE', `Job ${job.id} is ${job.state}: results are available once it is JobComplete`)
    const rawLocator = c.req.query('locator')
    let offset = 0
    if (rawLocator) {
      offset = Number(Buffer.from(rawLocator, 'base64url').toString('utf8'))
      if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) return sfErrorResponse(c, 400, 'INVALIDLOCATOR', `Invalid locator: ${rawLocator}`)
    }
    const maxRaw = c.req.query('maxRecords')
    const max = maxRaw === undefined ? o.queryPageSize : Number(maxRaw)
    if (!Number.isInteger(max) || max < 1) return sfErrorResponse(c, 400, 'INVALIDREQUEST', `maxRecords must be a positive whole number, got ${maxRaw}`)
    const page = job.rows.slice(offset, offset + max)
    const next = offset + page.length
    const locator = next >= job.rows.length ? 'null' : Buffer.from(String(next), 'utf8').toString('base64url')
    return csvResponse(c, writeCsv(job.columns, page, job), { 'Sforce-Locator': locator, 'Sforce-NumberOfRecords': String(page.length) })
  })
}
