/**
 * @module emulators/salesforce/bulk/jobs
 * Bulk API 2.0 jobs and their asynchronous processing. An ingest job's rows go through the same
 * writes as REST (writes.ts: value parsing, field lengths, required and unique fields, duplicate
 * external ids, validation rules), in internal batches of 10,000 records split into chunks of 200
 * ("How Requests Are Processed", Bulk API 2.0 Developer Guide); each internal batch uses one of the
 * org's `DailyBulkApiBatches`. A job is `UploadComplete` when closed, `InProgress` while its batches
 * run (one chunk per turn of the event loop, so the sandbox keeps answering), then `JobComplete`.
 * Injected faults: with the fault rate, one record of a 200-record chunk fails with
 * UNABLE_TO_LOCK_ROW (as one record of a 200-record Collection does over REST).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/how_requests_are_processed.htm
 */
import { errors, sfError, type SfError } from '../errors.js'
import { normalizeId } from '../ids.js'
import { findField, findObject, findRelationship } from '../schema.js'
import type { FieldDef, ObjectDef } from '../schema.js'
import type { SfState } from '../state.js'
import { createRecord, deleteRecord, updateRecord, upsertRow, type SaveResult } from '../writes.js'
import { compileQuery, runQuery, type CompiledQuery } from '../soql/query.js'
import { NULL_VALUE, parseCsv, type Dialect } from './csv.js'

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete'
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted'

/** Records per internal batch and per chunk (How Requests Are Processed). */
export const BATCH_RECORDS = 10_000
export const CHUNK_RECORDS = 200

interface JobBase extends Dialect {
  id: string
  createdById: string
  createdDate: number
  systemModstamp: number
  apiVersion: number
  state: JobState
  numberRecordsProcessed: number
  retries: number
  totalProcessingTime: number
  apiActiveProcessingTime: number
  errorMessage?: string
}

export interface IngestJob extends JobBase {
  kind: 'ingest'
  object: string
  operation: IngestOperation
  externalIdFieldName?: string
  /** The uploaded CSV, until the job runs. */
  data?: string
  header: string[]
  successful: string[][]
  failed: string[][]
  unprocessed: string[][]
  numberRecordsFailed: number
  /** Lock faults the upload request drew: that many records fail with UNABLE_TO_LOCK_ROW. */
  lockFaults: number
}

export interface QueryJob extends JobBase {
  kind: 'query'
  object: string
  operation: 'query' | 'queryAll'
  query: string
  compiled: CompiledQuery
  /** Result columns (SELECT order, relationship fields dotted) and rows, once complete. */
  columns: string[]
  rows: string[][]
}

export interface BulkState {
  ingest: Map<string, IngestJob>
  query: Map<string, QueryJob>
}

export const newBulkState = (): BulkState => ({ ingest: new Map(), query: new Map() })

const tick = (ms: number) => new Promise<void>((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)))

/** `sf__Error`: `STATUS_CODE:message:fields --`, the Bulk API's error column format. */
export const formatError = (e: SfError): string => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`

/** A CSV header cell → a field of the object, or a relationship by external id (`Parent__r.Key__c`). */
type Column =
  | { kind: 'field'; field: FieldDef }
  | { kind: 'ref'; rel: FieldDef; relName: string; key: string }

function resolveColumns(s: SfState, obj: ObjectDef, header: string[]): Column[] | { error: string } {
  const out: Column[] = []
  for (const name of header) {
    const dot = name.indexOf('.')
    if (dot > 0) {
      // "Relationship Fields in a Header Row": child-to-parent only, one level, an indexed field.
      const relName = name.slice(0, dot)
      const keyName = name.slice(dot + 1)
      const rel = findRelationship(obj, relName.replace(/^\w+:/, ''))
      const target = rel && findObject(s.schema, rel.referenceTo[0] ?? '')
      const key = target && findField(target, keyName)
      if (!rel || !key || !(key.externalId || key.idLookup || key.name === 'Id')) return { error: `InvalidBatch : Field name not found : ${name}` }
      out.push({ kind: 'ref', rel, relName: rel.relationshipName as string, key: key.name })
      continue
    }
    const f = findField(obj, name)
    if (!f) return { error: `InvalidBatch : Field name not found : ${name}` }
    out.push({ kind: 'field', field: f })
  }
  return out
}

/** One CSV row → the input writes.ts takes: empty cells left out, `#N/A` as null. */
function rowInput(columns: Column[], row: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  columns.forEach((c, i) => {
    const v = row[i] ?? ''
    if (v === '') return
    const value = v === NULL_VALUE ? null : v
    if (c.kind === 'field') input[c.field.name] = value
    // `#N/A` under `Parent__r.Key__c` clears the lookup itself.
    else if (value === null) input[c.rel.name] = null
    else input[c.relName] = { [c.key]: value }
  })
  return input
}

function writeRow(s: SfState, job: IngestJob, obj: ObjectDef, columns: Column[], row: string[]): SaveResult {
  const ctx = s.writeContext()
  const input = rowInput(columns, row)
  const id = typeof input.Id === 'string' ? input.Id : undefined
  switch (job.operation) {
    case 'insert':
      if (id) return { success: false, errors: [sfError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id'])] }
      return { ...createRecord(ctx, obj, input), created: true }
    case 'update': {
      const { Id: _Id, ...rest } = input
      if (!id) return { success: false, errors: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call', [])] }
      const full = normalizeId(id)
      if (!full || s.store.objectOfId(full)?.name !== obj.name) return { success: false, errors: [errors.invalidCrossReference()] }
      return { ...updateRecord(ctx, obj, full, rest), created: false }
    }
    case 'upsert': {
      const key = findField(obj, job.externalIdFieldName ?? '') as FieldDef
      const { Id: _Id, ...rest } = input
      const value = key.name === 'Id' ? id : rest[key.name]
      if (value === undefined || value === null || value === '') {
        return { success: false, created: false, errors: [sfError('MISSING_ARGUMENT', `${key.name} not specified`, [])] }
      }
      return upsertRow(ctx, obj, key, value, rest)
    }
    case 'delete':
    case 'hardDelete':
      if (!id) return { success: false, errors: [sfError('MISSING_ARGUMENT', 'Id not specified in a delete call', [])] }
      return { ...deleteRecord(ctx, normalizeId(id) ?? id), created: false }
  }
}

/**
 * Runs a closed ingest job to its end, unless it is aborted on the way (the rows not reached go
 * to `unprocessedrecords`). `recordWrites` wraps each chunk so the write log sees what it changed.
 */
export async function processIngest(
  s: SfState,
  job: IngestJob,
  o: { queueMs: number; batchMs: number; recordWrites: (fn: () => void) => void },
): Promise<void> {
  await tick(o.queueMs)
  if (job.state !== 'UploadComplete') return
  const started = Date.now()
  job.state = 'InProgress'
  job.systemModstamp = s.options.now().getTime()
  const parsed = parseCsv(job.data ?? '', job)
  job.data = undefined
  const obj = findObject(s.schema, job.object) as ObjectDef
  const fail = (message: string, rows: string[][]) => {
    job.state = 'Failed'
    job.errorMessage = message
    job.unprocessed = rows
  }
  if ('error' in parsed) return fail(`InvalidBatch : ${parsed.error}`, [])
  job.header = parsed.header
  const columns = resolveColumns(s, obj, parsed.header)
  if ('error' in columns) return fail(columns.error, parsed.rows)
  const width = parsed.header.length
  let locks = job.lockFaults
  for (let b = 0; b < parsed.rows.length; b += BATCH_RECORDS) {
    const batch = s.limits.DailyBulkApiBatches
    if (batch) batch.Remaining = Math.max(batch.Remaining - 1, 0)
    for (let c = b; c < Math.min(b + BATCH_RECORDS, parsed.rows.length); c += CHUNK_RECORDS) {
      if (job.state !== 'InProgress') {
        job.unprocessed.push(...parsed.rows.slice(c))
        return
      }
      const chunk = parsed.rows.slice(c, Math.min(c + CHUNK_RECORDS, b + BATCH_RECORDS, parsed.rows.length))
      const drawn = s.options.faultRate > 0 && s.random() < s.options.faultRate
      const locked = drawn || locks > 0 ? Math.floor(s.random() * chunk.length) : -1
      if (!drawn && locks > 0) locks -= 1
      o.recordWrites(() => {
        chunk.forEach((row, i) => {
          const padded = row.length === width ? row : [...row, ...Array<string>(Math.max(width - row.length, 0)).fill('')]
          const r: SaveResult = i === locked
            ? { success: false, errors: [errors.unableToLock(s.ids.next(obj.keyPrefix))] }
            : writeRow(s, job, obj, columns, padded)
          job.numberRecordsProcessed += 1
          if (r.success) job.successful.push([r.id ?? '', String(r.created === true), ...row])
          else {
            job.numberRecordsFailed += 1
            job.failed.push([r.id ?? '', r.errors.map(formatError).join(';'), ...row])
          }
        })
      })
      await tick(0)
    }
    if (o.batchMs > 0) await tick(o.batchMs)
  }
  if (job.state !== 'InProgress') return
  job.state = 'JobComplete'
  job.totalProcessingTime = Date.now() - started
  job.apiActiveProcessingTime = job.totalProcessingTime
  job.systemModstamp = s.options.now().getTime()
}

/** A result cell: null as empty, datetimes as ISO (`2015-08-26T09:21:07.000Z`), booleans as text. */
function cell(f: FieldDef, v: unknown): string {
  if (v === null || v === undefined) return ''
  if (f.type === 'datetime' && typeof v === 'number') return new Date(v).toISOString()
  return String(v)
}

/** Runs a query job: the same SOQL evaluation as REST `query`/`queryAll`, flattened to columns. */
export async function processQuery(s: SfState, job: QueryJob, o: { queueMs: number }): Promise<void> {
  await tick(o.queueMs)
  if (job.state !== 'UploadComplete') return
  const started = Date.now()
  job.state = 'InProgress'
  await tick(0)
  if ((job.state as JobState) !== 'InProgress') return
  const q = job.compiled
  const result = runQuery(s.store, q, { version: job.apiVersion.toFixed(1), now: s.options.now(), includeDeleted: job.operation === 'queryAll', planning: s.queryPlanning })
  job.columns = q.select.map((p) => [...p.hops.map((h) => h.relationshipName as string), p.field.name].join('.'))
  job.rows = result.rows.map((r) =>
    q.select.map((p) => {
      let cur: unknown = r
      for (const h of p.hops) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[h.relationshipName as string] : null
      const v = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p.field.name] : null
      // project() gives datetimes in REST form; Bulk results are ISO with Z.
      if (p.field.type === 'datetime' && typeof v === 'string') return new Date(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString()
      return cell(p.field, v)
    }),
  )
  job.numberRecordsProcessed = job.rows.length
  job.state = 'JobComplete'
  job.totalProcessingTime = Date.now() - started
  job.systemModstamp = s.options.now().getTime()
}

export function compileBulkQuery(s: SfState, soql: string): CompiledQuery {
  return compileQuery(s.schema, soql)
}

