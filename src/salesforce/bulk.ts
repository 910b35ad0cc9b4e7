/**
 * @module salesforce/bulk
 * Bulk API 2.0 ingest on the Salesforce client: one job per call (create → upload CSV → close →
 * poll with back-off → results), per-record outcomes as the same `SaveResult`s sObject
 * Collections give, in input order.
 *
 * Why raw requests and not jsforce 3.10.16's `conn.bulk2`: its upload is a streamed PUT
 * (lib/api/bulk2.js `JobDataV2`), and jsforce's transport retries a PUT on 5xx by sending the same,
 * already read, body stream again (lib/request.js `fetchWithRetries`), so a transient fault on the
 * upload sends an empty body or hangs (Tally's upload is streamed too, but each attempt makes its
 * stream anew from the rows: `CsvPart.csv`); its `poll` waits a fixed interval, and
 * `loadAndWaitForResults` deletes the job on any error, results included. The requests here are
 * the ones jsforce sends (same paths, bodies and headers), through the same counted transport.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/walkthrough_upload_data.htm
 */
import { Readable } from 'node:stream'
import { parse, type Options as CsvOptions } from 'csv-parse'
import type { SalesforceClient, SaveResult } from './client.js'
import { SalesforceError } from './errors.js'

/** The literal that sets a field to null; an empty cell leaves the field as it is.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm */
export const BULK_NULL = '#N/A'

/** Code of a row Salesforce did not process (job aborted or stopped): transient, send it again. */
export const BULK_UNPROCESSED = 'BULK_UNPROCESSED'

export interface BulkPoll {
  /** First wait after closing the job, ms. */
  firstMs: number
  /** Longest wait between two polls, ms (each wait is 1.5 × the one before). */
  maxMs: number
  /** Give up after this long, ms. */
  timeoutMs: number
}

/** Real jobs take seconds ("Bulk API 2.0 … processes asynchronously"): 1 s, growing to 10 s. */
export const DEFAULT_BULK_POLL: BulkPoll = { firstMs: 1_000, maxMs: 10_000, timeoutMs: 30 * 60_000 }

/** A job Salesforce failed as a whole (`state: Failed`, e.g. `InvalidBatch : Field name not found`)
 * or aborted: `message` is the vendor's `errorMessage`. */
export class SalesforceBulkJobError extends SalesforceError {
  readonly jobId: string
  readonly state: string
  constructor(o: { jobId: string; state: string; errorCode: string; message: string }) {
    super({ status: 200, errorCode: o.errorCode, message: o.message })
    this.jobId = o.jobId
    this.state = o.state
  }
}

/** Get Job Info's answer, for ingest and query jobs alike (what Tally reads of it).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm */
export interface JobInfo {
  id: string
  /** The object the job works on (a query job's is read from its SOQL). */
  object?: string
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted'
  numberRecordsProcessed?: number
  numberRecordsFailed?: number
  errorMessage?: string
}

type Row = Record<string, unknown>

/** The rows of an upload, read by position: an array, or rows made one at a time from what the
 * caller holds (a job of 100,000 rows need not hold a copy of each while its CSV is built). */
export interface Rows {
  readonly length: number
  at(i: number): Row | undefined
  /** A row's value of one column, without making the row (the key its results are matched on). */
  valueAt?(i: number, column: string): unknown
}

const isNested = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The columns of an upload: nested references (`{ Account__r: { QBO_Source_Key__c: 'k' } }`)
 * become relationship columns (`Account__r.QBO_Source_Key__c`), one level, as a Bulk header names
 * them; with a reader of each column's value in a row. The rows are read where they are (no copy
 * per row: a job of 100,000 rows would hold 100,000 copies while its upload is built).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_csv_rel_field_header_row.htm */
function columnsOf(records: Rows): { name: string; read: (r: Row) => unknown }[] {
  const names = new Set<string>()
  for (let i = 0; i < records.length; i++) {
    const r = records.at(i) as Row
    for (const [k, v] of Object.entries(r)) {
      if (k === 'attributes') continue
      if (!isNested(v)) names.add(k)
      else for (const f of Object.keys(v)) if (f !== 'attributes') names.add(`${k}.${f}`)
    }
  }
  return [...names].map((name) => {
    const dot = name.indexOf('.')
    if (dot < 0) return { name, read: (r: Row) => (isNested(r[name]) ? undefined : r[name]) }
    const [rel, field] = [name.slice(0, dot), name.slice(dot + 1)]
    return { name, read: (r: Row) => { const o = r[rel]; return isNested(o) ? o[field] : undefined } }
  })
}

/** A cell as Bulk reads it: null (and an empty string, which Collections store as null) as `#N/A`,
 * booleans `true`/`false`, numbers plain, dates as given (`YYYY-MM-DD`, ISO datetimes). */
function cell(v: unknown): string {
  if (v === undefined) return ''
  const s = v === null || v === '' ? BULK_NULL : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The upload as one text: a header of every column any record has (a record without one leaves
 * it alone); what `csvParts` sends, uncut. */
export function toCsv(records: Rows): string {
  for (const part of csvParts(records, Infinity)) return Buffer.concat([...part.chunks()]).toString('utf8')
  return '\n'
}

/** `sf__Error`: `CODE:message:fields --` per error (the message may hold colons; several errors
 * follow each other), as Get Job Failed Record Results shows them.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_failed_results.htm */
export function parseBulkError(text: string): { code: string; message: string; fields: string[] }[] {
  const out: { code: string; message: string; fields: string[] }[] = []
  const re = /([A-Z][A-Z0-9_]*):([\s\S]*?):([A-Za-z0-9_.,]*) --(?:;|$)/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ code: m[1] as string, message: m[2] as string, fields: (m[3] as string).split(',').filter(Boolean) })
  }
  if (out.length > 0) return out
  const i = text.indexOf(':')
  return [{ code: i > 0 ? text.slice(0, i) : 'UNKNOWN_ERROR', message: i > 0 ? text.slice(i + 1) : text, fields: [] }]
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** 5xx, a dropped connection, a row lock on the request: worth sending again. */
function transient(err: unknown): boolean {
  if (!(err instanceof SalesforceError)) return true
  return err.status === 0 || err.status >= 500 || err.errorCode === 'UNABLE_TO_LOCK_ROW' || /^ERROR_HTTP_5/.test(err.errorCode)
}

/** `fn` again after a transient failure, up to `tries` times, waiting 0.2 s, 0.4 s … ≤ 5 s. */
export async function again<T>(fn: () => Promise<T>, tries = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (i >= tries || !transient(err)) throw err
      await sleep(Math.min(200 * 2 ** (i - 1), 5_000))
    }
  }
}

/**
 * Get Job Info until the job is done (JobComplete, Failed or Aborted), waiting longer each time;
 * a Failed job throws SalesforceBulkJobError with the vendor's errorMessage. `path` is
 * `/jobs/ingest` or `/jobs/query`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm
 */
export async function waitForJob(client: SalesforceClient, path: string, jobId: string, poll: BulkPoll): Promise<JobInfo> {
  const started = Date.now()
  let wait = poll.firstMs
  let info: JobInfo
  for (;;) {
    await sleep(wait)
    info = await again(() => client.request<JobInfo>('GET', `${path}/${jobId}`))
    if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted') break
    if (Date.now() - started > poll.timeoutMs) {
      throw new SalesforceBulkJobError({ jobId, state: info.state, errorCode: 'BULK_POLL_TIMEOUT', message: `Bulk job ${jobId} still ${info.state} after ${Math.round(poll.timeoutMs / 1000)} s` })
    }
    wait = Math.min(wait * 1.5, poll.maxMs)
  }
  if (info.state === 'Failed') {
    const message = info.errorMessage ?? 'Bulk job failed'
    const code = /^(\w+)\s*:/.exec(message)?.[1]?.toUpperCase() ?? 'BULK_JOB_FAILED'
    throw new SalesforceBulkJobError({ jobId, state: info.state, errorCode: code, message })
  }
  return info
}

/**
 * The largest CSV one job is given: 100 MB. Upload Job Data takes at most 150 MB once
 * base64-encoded (Bulk API 2.0 Limits and Allocations), i.e. 112.5 MB of CSV; 100 MB keeps a
 * margin for how Salesforce counts it (MB or MiB, the encoding's line breaks). Measured at
 * 100,000 generated customers (seed 1, every field on, first import): the top level's job of
 * 85,055 rows was 36.1 MB of CSV, 425 bytes a row, the two sub-customer levels' 334 and 345 bytes
 * a row; so a job of 150,000 top-level rows (BULK_MAX_ROWS) is ~64 MB, and a split happens only
 * from ~245,000 such rows or for unusually long values (Notes hold 4,000 characters).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/upload_job_data.htm
 */
export const BULK_MAX_UPLOAD_BYTES = 100 * 1024 * 1024

export interface BulkUpsert {
  object: string
  externalIdFieldName: string
  records: Rows
  poll?: BulkPoll
  /** Called once each job exists (its id), e.g. for logs. */
  onJob?: (jobId: string) => void
  /** Largest CSV per job (default BULK_MAX_UPLOAD_BYTES): a larger upload is several jobs. */
  maxUploadBytes?: number
}

export interface BulkInsert {
  object: string
  /** The column results are matched on (results come in processing order, not the upload's):
   * every record carries it, each value once per call. */
  matchField: string
  records: Rows
  poll?: BulkPoll
  onJob?: (jobId: string) => void
  maxUploadBytes?: number
}

/**
 * One upsert per job of up to `maxUploadBytes` of CSV (one job for Tally's waves, see above);
 * results in input order (matched on the external id column, which every record must carry, once
 * per call). Rows Salesforce did not process come back as BULK_UNPROCESSED.
 */
export function bulkUpsert(client: SalesforceClient, o: BulkUpsert): Promise<SaveResult[]> {
  return ingest(client, { ...o, operation: 'upsert', matchField: o.externalIdFieldName })
}

/**
 * Inserts, as `bulkUpsert` does upserts: an insert never touches a record that exists (a unique
 * value already taken fails that row with DUPLICATE_VALUE). Results in input order, matched on
 * `matchField`.
 */
export function bulkInsert(client: SalesforceClient, o: BulkInsert): Promise<SaveResult[]> {
  return ingest(client, { ...o, operation: 'insert' })
}

interface Ingest extends BulkInsert {
  operation: 'insert' | 'upsert'
  externalIdFieldName?: string
}

/** One job's upload: the rows `start` to `end`, `bytes` bytes of CSV with the header. */
export interface CsvPart {
  start: number
  end: number
  bytes: number
  /** The bytes, made as they are read: a new stream for each attempt to send them. */
  csv(): Readable
  /** The same bytes, a piece at a time. */
  chunks(): Generator<Buffer>
}

/** How much CSV is made at a time as an upload is sent. */
const CHUNK_BYTES = 64 * 1024

/** The upload cut where it would pass `maxBytes`: every part has the one header of all columns
 * (a record without a column leaves that field as it is, so the extra empty cells change nothing).
 * The lines are made twice: once to measure the parts (Salesforce's limit is on the upload, and a
 * PUT says its length), once as the part is sent, 64 KB at a time. At 100,000 rows an upload is
 * about 35 MB, which held as one buffer while it was sent was most of what the first Bulk job
 * added to a big import's peak (README, "Memory"). */
export function* csvParts(records: Rows, maxBytes: number): Generator<CsvPart> {
  const columns = columnsOf(records)
  const header = Buffer.from(columns.map((c) => cell(c.name)).join(',') + '\n')
  const line = (i: number): string => {
    const r = records.at(i) as Row
    return columns.map((c) => cell(c.read(r))).join(',') + '\n'
  }
  const cuts: { end: number; bytes: number }[] = []
  let start = 0
  let bytes = header.length
  for (let i = 0; i < records.length; i++) {
    const size = Buffer.byteLength(line(i))
    if (i > start && bytes + size > maxBytes) {
      cuts.push({ end: i, bytes })
      start = i
      bytes = header.length
    }
    bytes += size
  }
  if (records.length > start) cuts.push({ end: records.length, bytes })
  let from = 0
  for (const cut of cuts) {
    const part = { start: from, end: cut.end, bytes: cut.bytes }
    const chunks = () => partChunks(header, line, part)
    yield { ...part, chunks, csv: () => Readable.from(chunks(), { objectMode: false }) }
    from = cut.end
  }
}

function* partChunks(header: Buffer, line: (i: number) => string, part: { start: number; end: number; bytes: number }): Generator<Buffer> {
  yield header
  let made = header.length
  let pending = ''
  for (let i = part.start; i < part.end; i++) {
    pending += line(i)
    if (pending.length >= CHUNK_BYTES) {
      const chunk = Buffer.from(pending)
      made += chunk.length
      pending = ''
      yield chunk
    }
  }
  const last = Buffer.from(pending)
  made += last.length
  // The rows are read where they are: one that changed between the passes would make the PUT
  // other than its length says.
  if (made !== part.bytes) throw new Error(`Bulk upload: rows ${part.start}–${part.end} changed while their CSV was made (${made} of ${part.bytes} bytes)`)
  if (last.length > 0) yield last
}

async function ingest(client: SalesforceClient, o: Ingest): Promise<SaveResult[]> {
  if (o.records.length === 0) return []
  const out: SaveResult[] = []
  // Jobs one after the other: rows of one call are of one wave (none refers to another), but two
  // jobs on one object at once would lock each other's parents.
  for (const part of csvParts(o.records, o.maxUploadBytes ?? BULK_MAX_UPLOAD_BYTES)) {
    for (const r of await ingestJob(client, o, part)) out.push(r)
  }
  return out
}

/** A Bulk API 2.0 result file read as it arrives (client.download) and parsed as it is read: its
 * answer's headers and its records, never the whole file at once (README, "Memory"). The caller
 * reads `records` to their end. */
export async function resultFile<T>(client: SalesforceClient, path: string, options: CsvOptions): Promise<{ headers: Record<string, string>; records: AsyncIterable<T> }> {
  const { headers, body } = await client.download(path)
  const records = body.pipe(parse(options))
  // A pipe does not pass errors on: a failed answer ends the records with its error.
  body.once('error', (e) => records.destroy(e))
  return { headers, records: records as AsyncIterable<T> }
}

/** The columns of a result file Tally reads: the key it matches rows on and Salesforce's own (a
 * file echoes every uploaded column; parsing only these keeps 100,000 rows' results small). */
const RESULT_COLUMNS = ['sf__Id', 'sf__Created', 'sf__Error']

/** One job: create → upload → close → poll → results, for the rows `part.start` to `part.end`. */
async function ingestJob(client: SalesforceClient, o: Ingest, part: CsvPart): Promise<SaveResult[]> {
  const poll = o.poll ?? DEFAULT_BULK_POLL
  const path = '/jobs/ingest'
  const rows = part.end - part.start
  // Create a Job. A POST lost on the way leaves at most an empty Open job, which Salesforce
  // removes itself; sending it again is safe.
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm
  const job = await again(() =>
    client.request<JobInfo>('POST', path, {
      body: JSON.stringify({ object: o.object, operation: o.operation, ...(o.externalIdFieldName ? { externalIdFieldName: o.externalIdFieldName } : {}), contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' }),
      contentType: 'application/json; charset=utf-8',
    }),
  )
  o.onJob?.(job.id)
  // Upload Job Data: one PUT of the whole CSV (201, empty body); at most 150 MB base64-encoded.
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/upload_job_data.htm
  await again(() => client.upload(`${path}/${job.id}/batches`, part.csv, { bytes: part.bytes, contentType: 'text/csv' }))
  // Close the job (UploadComplete). If an answer was lost but the job closed, Get Job Info says so.
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/close_job.htm
  await again(async () => {
    try {
      await client.request('PATCH', `${path}/${job.id}`, { body: JSON.stringify({ state: 'UploadComplete' }), contentType: 'application/json; charset=utf-8' })
    } catch (err) {
      const info = await client.request<JobInfo>('GET', `${path}/${job.id}`).catch(() => null)
      if (info && info.state !== 'Open') return
      throw err
    }
  })
  const info = await waitForJob(client, path, job.id, poll)

  // Results: a file is read only when it can hold rows (numberRecordsFailed, numberRecordsProcessed).
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_successful_results.htm
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm
  const key = o.matchField
  const wanted = new Set([key, ...RESULT_COLUMNS])
  const processed = info.numberRecordsProcessed ?? 0
  const failedCount = info.numberRecordsFailed ?? 0

  // Row order is not the upload's: match on the key column (as uploaded, echoed in every file).
  // Each row is taken as it is parsed (resultFile): a job of 100,000 rows answers some 40 MB of
  // CSV, never held whole. Each result goes to its row's place at once, found by the rows' own keys,
  // so the keys parsed from the file are not kept (100,000 strings of their own). Read one after
  // the other, so a row in two files is taken as the last one says (none is, in practice).
  const keyAt = (i: number): unknown => (o.records.valueAt ? o.records.valueAt(i, key) : (o.records.at(i) as Row)[key])
  const rowOf = new Map<string, number>()
  /** Rows whose key an earlier row has too (none, in practice): they take the same result. */
  const twins = new Map<string, number[]>()
  for (let i = part.start; i < part.end; i++) {
    const k = String(keyAt(i) ?? '')
    if (!rowOf.has(k)) rowOf.set(k, i - part.start)
    else twins.set(k, [...(twins.get(k) ?? []), i - part.start])
  }
  const notDone: SaveResult = { ok: false, errors: [{ code: BULK_UNPROCESSED, message: `Bulk job ${job.id} did not process this row (${info.state})`, fields: [] }] }
  const out = new Array<SaveResult>(rows).fill(notDone)
  const read = (file: string, take: (r: Record<string, string>) => SaveResult): Promise<void> =>
    // Read again whole after a transient failure: the same rows, taken again.
    again(async () => {
      const { records } = await resultFile<Record<string, string>>(client, `${path}/${job.id}/${file}`, { columns: (header: string[]) => header.map((h) => (wanted.has(h) ? h : false)), skip_empty_lines: true, bom: true, relax_quotes: false })
      for await (const r of records) {
        const k = r[key] ?? ''
        const at = rowOf.get(k)
        if (at === undefined) continue
        const result = take(r)
        out[at] = result
        for (const j of twins.get(k) ?? []) out[j] = result
      }
    })
  if (processed - failedCount > 0) await read('successfulResults', (r) => ({ ok: true, id: r['sf__Id'] ?? '', created: r['sf__Created'] === 'true' }))
  if (failedCount > 0) await read('failedResults', (r) => ({ ok: false, errors: parseBulkError(r['sf__Error'] ?? '') }))
  // A row none of the files has is one Salesforce did not process (`notDone`, as it is filled):
  // the unprocessed file names those, read only so that a row it lists is not taken as done.
  if (processed < rows) await read('unprocessedrecords', () => notDone)
  return out
}
