/**
 * @module qbo/customers
 * Customer operations on top of the client's transport: paged listing (inactive included), count,
 * read, Change Data Capture, create and (sparse) update, plus the raw query escape hatch.
 *
 * Customer entity: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
 * Query:           https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
 * CDC:             https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
 */
import type { QboRequestOptions } from './client.js'
import { QboCdcTruncatedError, QboCdcWindowError, QboValidationError } from './errors.js'
import { countQuery, eq, inList, MAX_PAGE_SIZE, selectQuery } from './query.js'
import {
  cdcResponseSchema,
  customerSchema,
  deletedStubSchema,
  parseWire,
  queryResponseSchema,
  type QboCustomer,
} from './schemas.js'

/** What customers.ts needs from the client (keeps this module testable and the import one-way). */
export interface QboTransport {
  request(method: 'GET' | 'POST', path: string, o?: QboRequestOptions): Promise<unknown>
  now(): Date
}

export interface QboQueryResult<T> {
  /** The entity key found in the QueryResponse (`Customer`), absent when nothing matched. */
  entity?: string
  rows: T[]
  startPosition?: number
  maxResults?: number
  totalCount?: number
  time?: string
}

/** CDC returns at most 1000 objects per response (api-facts A.3). */
export const CDC_MAX_OBJECTS = 1000
/** CDC looks back at most 30 days (api-facts A.3). */
export const CDC_MAX_AGE_DAYS = 30

const META_KEYS = new Set(['startPosition', 'maxResults', 'totalCount'])

// https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
export async function rawQuery<T>(t: QboTransport, q: string): Promise<QboQueryResult<T>> {
  const body = parseWire(queryResponseSchema, await t.request('GET', '/query', { query: { query: q } }), 'QueryResponse')
  const qr = body.QueryResponse
  const entity = Object.keys(qr).find((k) => !META_KEYS.has(k) && Array.isArray(qr[k]))
  return {
    entity,
    rows: entity ? (qr[entity] as T[]) : [],
    startPosition: qr.startPosition,
    maxResults: qr.maxResults,
    totalCount: qr.totalCount,
    time: body.time,
  }
}

async function queryCustomers(t: QboTransport, q: string): Promise<QboCustomer[]> {
  const r = await rawQuery<unknown>(t, q)
  return r.rows.map((row) => parseWire(customerSchema, row, 'Customer'))
}

const activeFilter = (includeInactive: boolean): string =>
  // Plain `SELECT * FROM Customer` returns active customers only (api-facts A.2).
  includeInactive ? inList('Active', [true, false]) : eq('Active', true)

/**
 * Every customer, one page (≤ 1000 rows) at a time.
 *
 * Order: `ORDERBY Id`. Without ORDERBY the sandbox was recorded returning rows by
 * FullyQualifiedName (api-facts A.2), which a rename during the read reshuffles, so a row could be
 * skipped or repeated across pages. Id never changes. QBO's Id is a string of digits but is issued
 * from one numeric counter and documented as sortable; whether a server compares Ids as numbers
 * (new customers land at the end) or as strings (a new "1000" may land before "999"), the order
 * is total and stable, so paging by position neither skips nor repeats rows while nothing is
 * created. A customer created mid-read can only push rows later (a repeat, never a gap: customers
 * are never deleted, only made inactive, and inactive rows stay in this read), so repeats are
 * dropped by Id here. The read stops at the first short page: no COUNT call.
 */
export async function* listCustomers(
  t: QboTransport,
  o: { includeInactive?: boolean; pageSize?: number } = {},
): AsyncGenerator<QboCustomer[]> {
  const pageSize = o.pageSize ?? MAX_PAGE_SIZE
  const where = [activeFilter(o.includeInactive ?? true)]
  const seen = new Set<string>()
  for (let start = 1; ; start += pageSize) {
    const q = selectQuery('Customer', { where, orderBy: 'Id', startPosition: start, maxResults: pageSize })
    const rows = await queryCustomers(t, q)
    const fresh = rows.filter((c) => !seen.has(c.Id))
    for (const c of fresh) seen.add(c.Id)
    if (fresh.length > 0) yield fresh
    if (rows.length < pageSize) return
  }
}

// `SELECT COUNT(*) FROM Customer` → {"QueryResponse":{"totalCount":41}} (api-facts A.2).
export async function countCustomers(t: QboTransport, o: { includeInactive?: boolean } = {}): Promise<number> {
  const r = await rawQuery(t, countQuery('Customer', [activeFilter(o.includeInactive ?? true)]))
  return r.totalCount ?? 0
}

function customerFrom(body: unknown): QboCustomer {
  const c = (body as { Customer?: unknown } | null)?.Customer
  return parseWire(customerSchema, c, 'Customer')
}

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#read-a-customer
export async function getCustomer(t: QboTransport, id: string): Promise<QboCustomer> {
  if (!/^\d+$/.test(id)) {
    // QBO would answer 2030 "Invalid ID" (api-facts A.6); don't spend a call on it.
    throw new QboValidationError({ status: 0, code: '2030', message: 'Invalid ID', detail: `Id ${JSON.stringify(id)} is not a QBO Id`, element: 'Id' })
  }
  return customerFrom(await t.request('GET', `/customer/${id}`))
}

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#create-a-customer
export async function createCustomer(t: QboTransport, c: Partial<QboCustomer>): Promise<QboCustomer> {
  return customerFrom(await t.request('POST', '/customer', { body: c }))
}

/**
 * Sparse update (default) touches only the fields sent; a full update sets every omitted writable
 * field to NULL. Both need the current SyncToken, else fault 5010 (QboStaleObjectError).
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#sparse-update-a-customer
 */
export async function updateCustomer(
  t: QboTransport,
  c: Partial<QboCustomer> & { Id: string; SyncToken: string },
  o: { sparse?: boolean } = {},
): Promise<QboCustomer> {
  return customerFrom(await t.request('POST', '/customer', { body: { ...c, sparse: o.sparse ?? true } }))
}

/** QBO's `changedSince` wants ISO 8601; whole seconds, rounded down so nothing is missed. */
function isoSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * Customers changed since `since`, via CDC. Deleted stubs (`status: "Deleted"`) become `deletedIds`
 * (customers are normally made inactive instead; merges show up as deletes).
 * Throws `QboCdcWindowError` when `since` is older than 30 days (QBO rejects it) and
 * `QboCdcTruncatedError` when the response holds CDC's maximum of 1000 objects, because changes
 * beyond the cap are silently dropped: the caller must fall back to a full read.
 */
export async function changedCustomers(
  t: QboTransport,
  since: Date,
): Promise<{ customers: QboCustomer[]; deletedIds: string[] }> {
  const oldest = t.now().getTime() - CDC_MAX_AGE_DAYS * 86_400_000
  if (since.getTime() < oldest) {
    throw new QboCdcWindowError({
      status: 0,
      code: 'cdc_window',
      message: `Change Data Capture only looks back ${CDC_MAX_AGE_DAYS} days; ${since.toISOString()} is older. Read all customers instead.`,
    })
  }
  const raw = await t.request('GET', '/cdc', { query: { entities: 'Customer', changedSince: isoSeconds(since) } })
  const body = parseWire(cdcResponseSchema, raw, 'CDCResponse')
  const out = { customers: [] as QboCustomer[], deletedIds: [] as string[] }
  for (const element of body.CDCResponse) {
    const qr = element.QueryResponse
    // One QueryResponse per requested entity; `{}` when that entity has no changes.
    for (const part of Array.isArray(qr) ? qr : qr ? [qr] : []) {
      const list = part.Customer
      if (list === undefined) continue
      if (!Array.isArray(list)) parseWire(customerSchema.array(), list, 'CDC Customer list')
      for (const item of list as unknown[]) {
        if ((item as { status?: unknown } | null)?.status === 'Deleted') {
          out.deletedIds.push(parseWire(deletedStubSchema, item, 'deleted Customer').Id)
        } else {
          out.customers.push(parseWire(customerSchema, item, 'Customer'))
        }
      }
    }
  }
  const count = out.customers.length + out.deletedIds.length
  if (count >= CDC_MAX_OBJECTS) {
    throw new QboCdcTruncatedError({
      status: 200,
      code: 'cdc_truncated',
      message: `Change Data Capture returned its maximum of ${CDC_MAX_OBJECTS} objects since ${since.toISOString()}, so some changes may be missing. Read all customers instead.`,
    })
  }
  return out
}
