/**
 * @module salesforce/bulk-query
 * Bulk API 2.0 query jobs on the Salesforce client, for reading large sets in a handful of calls
 * (create → poll → results pages) instead of one REST call per 2,000 rows, with the rows in the
 * shapes the REST reader gives them.
 *
 * Raw requests through the counted transport, as bulk.ts does for ingest (its header says why not
 * jsforce's `conn.bulk2`); the back-off and the retries of transient failures are bulk.ts's.
 * A finished job is not deleted (one call more each): Salesforce deletes jobs in a terminal state
 * after 7 days (Bulk API 2.0 Limits and Allocations, "Results lifespan").
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import type { SalesforceClient } from './client.js'
import { again, DEFAULT_BULK_POLL, resultFile, waitForJob, type BulkPoll, type JobInfo } from './bulk.js'
import { SalesforceError } from './errors.js'
import type { DescribeField } from './package-check.js'
import type { Soql } from './soql.js'

/**
 * Rows asked for per results page. Get Results for a Query Job: without `maxRecords` "the server
 * uses a default value based on the service" (not documented, and smaller than Tally's sets in
 * practice), and each set is one call; `maxRecords` is "the maximum number of records to retrieve
 * per set … still subject to the size limits", given to split very large results so a download
 * does not time out. 200,000 is above any one read Tally makes (100,000 customers of a realm, or
 * the org's Accounts), so a read is one page unless Salesforce cuts a set smaller by size — the
 * `Sforce-Locator` loop below reads on either way. At the ~0.4 KB a QBO_Customer__c row measures
 * in CSV (bulk.ts BULK_MAX_UPLOAD_BYTES) a full page is ~85 MB; an Account row is far smaller.
 */
export const BULK_QUERY_MAX_RECORDS = 200_000

/** What a Bulk query costs, in calls, when its describes are known (the package check reads
 * QBO_Customer__c's and Account's): create, two polls (a job of 100,000 rows takes seconds), and
 * one results page per BULK_QUERY_MAX_RECORDS rows. */
export function bulkQueryCalls(rows: number): number {
  return 1 + 2 + Math.max(1, Math.ceil(rows / BULK_QUERY_MAX_RECORDS))
}

export interface BulkQueryOptions {
  poll?: BulkPoll
  /** Rows per results page (default BULK_QUERY_MAX_RECORDS). */
  maxRecords?: number
  /** Called once the job exists (its id). */
  onJob?: (jobId: string) => void
}

type Row = Record<string, unknown>

/** A describe's type → how a result cell is read back into the JSON value REST gives. */
type Reader = (text: string) => unknown

/** REST gives datetimes as `2015-08-26T09:21:07.000+0000`; Bulk results as
 * `2015-08-26T09:21:07.000Z` (same instant). REST API Developer Guide, "Valid Date and DateTime
 * Formats"; Bulk API 2.0, "Valid Date Format in Records". */
const restDateTime = (text: string): string => {
  const t = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(t) ? text : new Date(t).toISOString().replace(/Z$/, '+0000')
}

/** SOAP field types of describe ("Field Types", SOAP API Developer Guide / Object Reference):
 * REST answers booleans as JSON booleans and int, double, currency, percent, long as JSON numbers;
 * everything else (string, textarea, email, phone, url, picklist, id, reference, date…) as text. */
function readerOf(f: DescribeField): Reader {
  switch (f.type) {
    case 'boolean':
      return (t) => t.toLowerCase() === 'true'
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
    case 'long':
      return (t) => Number(t)
    case 'datetime':
      return restDateTime
    default:
      return (t) => t
  }
}

interface Column {
  /** Keys in the REST shape: relationship names, then the field, as describe spells them. */
  path: string[]
  read: Reader
}

/** Each header cell (`Name`, `Account__r.Name`, `LastModifiedBy.Name`) as its field: relationships
 * followed through describe (a lookup's `relationshipName` and `referenceTo`), cached per client
 * (the package check has read QBO_Customer__c and Account; a User field costs one describe). */
async function resolveColumns(client: SalesforceClient, object: string, header: readonly string[]): Promise<Column[]> {
  const out: Column[] = []
  for (const h of header) {
    const parts = h.split('.')
    let sobject = object
    const path: string[] = []
    for (const hop of parts.slice(0, -1)) {
      const d = await client.describe(sobject)
      const rel = d.fields.find((f) => f.relationshipName?.toLowerCase() === hop.toLowerCase())
      const to = rel?.referenceTo ?? []
      if (!rel || to.length !== 1) {
        throw new SalesforceError({ status: 0, errorCode: 'INVALID_FIELD', message: `Bulk query column ${h}: no single-object relationship ${hop} on ${sobject}` })
      }
      path.push(rel.relationshipName as string)
      sobject = to[0] as string
    }
    const leaf = parts.at(-1) as string
    const d = await client.describe(sobject)
    const field = d.fields.find((f) => f.name.toLowerCase() === leaf.toLowerCase())
    if (!field) throw new SalesforceError({ status: 0, errorCode: 'INVALID_FIELD', message: `Bulk query column ${h}: no field ${leaf} on ${sobject}` })
    path.push(field.name)
    out.push({ path, read: readerOf(field) })
  }
  return out
}

/** A result row in the REST shape: an empty cell is null (Bulk results have no other null, and
 * Salesforce stores no empty text); relationship columns nest (`{ Account__r: { Name } }`), and a
 * relationship whose every column is empty is null, as REST gives a lookup that is not set. (A
 * related record whose selected fields are all null reads as null too; Tally's relationship
 * columns are Names, which are never null.) */
function toRow(columns: readonly Column[], cells: readonly string[]): Row {
  const row: Row = {}
  columns.forEach((c, i) => {
    const text = cells[i] ?? ''
    let at = row
    for (const key of c.path.slice(0, -1)) {
      const next = at[key]
      if (next === undefined) at = at[key] = {} as Row
      else at = next as Row
    }
    at[c.path.at(-1) as string] = text === '' ? null : c.read(text)
  })
  const collapse = (r: Row): void => {
    for (const [k, v] of Object.entries(r)) {
      if (v && typeof v === 'object') {
        collapse(v as Row)
        if (Object.values(v as Row).every((x) => x === null)) r[k] = null
      }
    }
  }
  collapse(row)
  return row
}

/** A REST row without its `attributes` at any depth (they describe the record, not its data;
 * the Bulk reader has none), so the two readers give equal rows. */
export function withoutAttributes<T>(r: T): T {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return r
  const out: Row = {}
  for (const [k, v] of Object.entries(r as Row)) if (k !== 'attributes') out[k] = withoutAttributes(v)
  return out as T
}

/**
 * Every row of `soql` through one Bulk API 2.0 query job, as REST rows (see toRow). A job that
 * fails throws SalesforceBulkJobError; one aborted throws too (its results are not the set).
 */
export async function bulkQuery<T = Row>(client: SalesforceClient, soql: string | Soql, o: BulkQueryOptions = {}, map: (row: Row) => T = (row) => row as T): Promise<T[]> {
  const text = String(soql)
  const path = '/jobs/query'
  client.logger.debug('salesforce: query', { soql: text, bulk: true })
  // Create a Query Job: the SOQL in a JSON body (no URL limit), results as CSV in the dialect
  // asked for. A POST sent again after a lost answer leaves one more job, never other rows: the
  // results read are the job's whose id came back.
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
  const job = await again(() =>
    client.request<JobInfo>('POST', path, {
      body: JSON.stringify({ operation: 'query', query: text, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' }),
      contentType: 'application/json; charset=utf-8',
    }),
  )
  o.onJob?.(job.id)
  const info = await waitForJob(client, path, job.id, o.poll ?? DEFAULT_BULK_POLL)
  if (info.state !== 'JobComplete') {
    throw new SalesforceError({ status: 200, errorCode: 'BULK_QUERY_ABORTED', message: `Bulk query job ${job.id} ended ${info.state}` })
  }
  const object = info.object ?? job.object
  if (!object) throw new SalesforceError({ status: 200, errorCode: 'UNEXPECTED_RESPONSE', message: `Bulk query job ${job.id} names no object` })

  // Get Results for a Query Job, set after set: each answer's `Sforce-Locator` names the next set,
  // the string `null` after the last. "As long as the associated job exists, the locator string for
  // a set of results does not change", so a set is read again after a transient failure.
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
  const max = o.maxRecords ?? BULK_QUERY_MAX_RECORDS
  const rows: T[] = []
  let header: string[] | null = null
  let columns: Column[] = []
  let locator: string | null = null
  for (;;) {
    const query = `maxRecords=${max}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`
    let next: string | undefined
    // Each set read as a stream and each record made into its row (and mapped) as it is parsed: a
    // set of 100,000 records is never held as text, nor as a table of cells beside its rows
    // (README, "Memory"). After a transient failure the set is read again from its start (its
    // locator does not change), the rows it had given so far dropped first.
    const mark = rows.length
    await again(async () => {
      rows.length = mark
      // No empty lines skipped: a one-column row whose value is null is an empty line.
      const { headers, records } = await resultFile<string[]>(client, `${path}/${job.id}/results?${query}`, { bom: true, relax_quotes: false, skip_empty_lines: false })
      next = headers['sforce-locator']
      let first = true
      for await (const cells of records) {
        // Every set starts with the header row (the documented example shows it; the sandbox and
        // jsforce's bulk2 read it so). A set whose first row is not the header is taken as data.
        if (first) {
          first = false
          if (!header) {
            header = cells
            columns = await resolveColumns(client, object, header)
            continue
          }
          if (cells.length === header.length && cells.every((c, i) => c === header?.[i])) continue
        }
        rows.push(map(toRow(columns, cells)))
      }
    })
    if (next === undefined) throw new SalesforceError({ status: 200, errorCode: 'UNEXPECTED_RESPONSE', message: `Bulk query job ${job.id}: results without Sforce-Locator` })
    if (next === 'null' || next === '') break
    locator = next
  }
  if (info.numberRecordsProcessed !== undefined && rows.length !== info.numberRecordsProcessed) {
    client.logger.warn('salesforce: bulk query returned a different number of rows than the job processed', { rows: rows.length, processed: info.numberRecordsProcessed })
  }
  return rows
}

export interface LargeReadOptions {
  /** Null instead of the rows when reading them all would take more calls (counting the first
   * page); known from the first page. */
  maxCalls?: number
  /** false: REST pages only. */
  bulk?: false | BulkQueryOptions
}

/**
 * Every row of `soql`, the cheaper way in calls: the first REST page is read (its `totalSize` is
 * the set's size — that call is the price of knowing); when the pages left would cost more calls
 * than a Bulk query (bulkQueryCalls: create, polls, results), the whole set is read by one Bulk
 * query job instead, else the REST pages are read on. Rows as REST gives them, `attributes` left
 * out at every depth (withoutAttributes), either way.
 */
export async function readAllRows<T = Row>(client: SalesforceClient, soql: string | Soql, o: LargeReadOptions = {}, map: (row: Row) => T = (row) => row as T): Promise<T[] | null> {
  const first = await client.queryFirstPage<Row>(soql)
  const each = (r: Row): T => map(withoutAttributes(r))
  if (first.done) return first.records.map(each)
  const pageRows = Math.max(1, first.records.length)
  const restCalls = Math.ceil((first.totalSize - first.records.length) / pageRows)
  const useBulk = o.bulk !== false && restCalls > bulkQueryCalls(first.totalSize)
  const calls = 1 + (useBulk ? bulkQueryCalls(first.totalSize) : restCalls)
  if (o.maxCalls !== undefined && calls > o.maxCalls) return null
  if (useBulk) return bulkQuery<T>(client, soql, o.bulk === false ? {} : (o.bulk ?? {}), map)
  return (await first.readAll()).map(each)
}
