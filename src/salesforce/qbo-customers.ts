/**
 * @module salesforce/qbo-customers
 * Reads and writes Tally's `QBO_Customer__c` records (contract §4). Writes are upserts on
 * `QBO_Key__c`; lookups may be given by the parent's external ID inside the same write
 * (`Parent_Customer__r: { QBO_Key__c }`, `Account__r: { QBO_Source_Key__c }`), so parents written
 * earlier in the same run need no second pass.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
import type { SalesforceClient, SaveResult } from './client.js'
import { MAX_QUERY_PATH_BYTES } from './account-names.js'
import { readAllRows, type BulkQueryOptions } from './bulk-query.js'
import { encodeSoqlParam, joinSoql, soql, soqlFields, type Soql } from './soql.js'

export const QBO_CUSTOMER = 'QBO_Customer__c'
const BASE_FIELDS = ['Id', 'QBO_Key__c', 'Account__c', 'Link_Status__c'] as const

/** Relationship name → the object it points to, for references by external ID. */
const RELATIONSHIPS: Record<string, string> = {
  Parent_Customer__r: QBO_CUSTOMER,
  Account__r: 'Account',
}

export type QboCustomerRecord = Record<string, unknown> & { QBO_Key__c: string }

/** Every record of a realm with the base fields and `fieldNames` (relationship fields such as
 * `Account__r.Name` included). The first REST page tells how many there are; a large realm is then
 * read by one Bulk API 2.0 query job instead of its REST pages (readAllRows in bulk-query.ts:
 * 100,000 records are the first page and ~4 Bulk calls, not 50 pages), rows identical either way,
 * without `attributes`. `bulk: false`: REST pages only. */
export async function listQboCustomerRecords<T = Record<string, unknown>>(
  client: SalesforceClient,
  realmId: string,
  fieldNames: readonly string[],
  o: { bulk?: false | BulkQueryOptions } = {},
  /** Made of each row as it is read, so a big read never holds its rows and what they become. */
  map: (row: Record<string, unknown>) => T = (row) => row as T,
): Promise<T[]> {
  const fields = soqlFields([...new Set([...BASE_FIELDS, ...fieldNames])])
  const rows = await readAllRows(client, soql`SELECT ${fields} FROM QBO_Customer__c WHERE QBO_Realm_Id__c = ${realmId}`, o.bulk === undefined ? {} : { bulk: o.bulk }, map)
  return rows ?? []
}

/** What an incremental sync reads of a realm's records (README, "Incremental sync"): these keys,
 * the children of these QBO Ids, and what changed since an instant (`SystemModstamp`, which moves
 * with every change, a person's, Salesforce's or Tally's). */
export interface RecordSelection {
  keys: readonly string[]
  parentIds: readonly string[]
  since?: Date
  /** With `since`: skip the records whose last change is Tally's own write of the last run — made
   * as this user, no later than this instant (`LastModifiedById` moves with `SystemModstamp` for a
   * person's edit or a merge; a record both wrote is still read for the later change). */
  ownWrites?: { until: Date; userId: string }
}

/**
 * The records a selection names, in as few queries as fit a query URL: one statement per batch,
 * `QBO_Key__c IN (…) OR Parent_QBO_Id__c IN (…) OR SystemModstamp > …`, each filtered to the realm
 * (both fields are External IDs, so Salesforce answers from indexes).
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm
 */
export function selectQboCustomerRecords(realmId: string, selection: RecordSelection, fieldNames: readonly string[], o: { prefixBytes?: number; maxPathBytes?: number } = {}): Soql[] {
  const fields = soqlFields([...new Set([...BASE_FIELDS, ...fieldNames])])
  const own = selection.ownWrites
  const statement = (keys: readonly string[], parents: readonly string[], since: Date | undefined): Soql => {
    const parts: Soql[] = []
    if (keys.length > 0) parts.push(soql`QBO_Key__c IN ${keys}`)
    if (parents.length > 0) parts.push(soql`Parent_QBO_Id__c IN ${parents}`)
    if (since && own) parts.push(soql`(SystemModstamp > ${since} AND (SystemModstamp > ${own.until} OR LastModifiedById != ${own.userId}))`)
    else if (since) parts.push(soql`SystemModstamp > ${since}`)
    return soql`SELECT ${fields} FROM QBO_Customer__c WHERE QBO_Realm_Id__c = ${realmId} AND (${joinSoql(parts, ' OR ')})`
  }
  const max = (o.maxPathBytes ?? MAX_QUERY_PATH_BYTES) - (o.prefixBytes ?? 0)
  const base = encodeSoqlParam(statement(['x'], ['x'], selection.since).text).length
  const values = [...selection.keys.map((v) => ({ v, key: true })), ...selection.parentIds.map((v) => ({ v, key: false }))]
  const out: Soql[] = []
  let keys: string[] = []
  let parents: string[] = []
  let bytes = base
  for (const { v, key } of values) {
    // A value costs its quoted, encoded length and a separator.
    const size = encodeSoqlParam(`'${v}', `).length + 6
    if (bytes + size > max && keys.length + parents.length > 0) {
      out.push(statement(keys, parents, out.length === 0 ? selection.since : undefined))
      keys = []
      parents = []
      bytes = base
    }
    ;(key ? keys : parents).push(v)
    bytes += size
  }
  if (keys.length + parents.length > 0 || (out.length === 0 && selection.since)) out.push(statement(keys, parents, out.length === 0 ? selection.since : undefined))
  return out
}

/** The records of `selectQboCustomerRecords`, every query's pages; one record once. */
export async function listSelectedQboCustomerRecords(client: SalesforceClient, realmId: string, selection: RecordSelection, fieldNames: readonly string[]): Promise<Record<string, unknown>[]> {
  const seen = new Map<string, Record<string, unknown>>()
  for (const q of selectQboCustomerRecords(realmId, selection, fieldNames, { prefixBytes: client.queryPath('').length })) {
    for (const r of await client.query(q)) seen.set(String(r['Id']), r)
  }
  return [...seen.values()]
}

/** The records of a realm with one of these link statuses (the link queue), all pages. */
export function listQboCustomerRecordsByStatus(
  client: SalesforceClient,
  realmId: string,
  statuses: readonly string[],
  fieldNames: readonly string[],
): Promise<Record<string, unknown>[]> {
  const fields = soqlFields([...new Set([...BASE_FIELDS, ...fieldNames])])
  return client.query(soql`SELECT ${fields} FROM QBO_Customer__c WHERE QBO_Realm_Id__c = ${realmId} AND Link_Status__c IN ${statuses}`)
}

/**
 * A reference by external ID inside sObject Collections is a nested sObject; it carries its own
 * `attributes.type`, as every sObject in a collections body does (records are deserialised as typed
 * sObjects; without the type Salesforce answers JSON_PARSER_ERROR "Cannot deserialize instance of
 * <unknown>", jsforce issue #1031).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 */
export function withReferenceTypes(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record }
  for (const [rel, type] of Object.entries(RELATIONSHIPS)) {
    const ref = out[rel]
    if (ref && typeof ref === 'object' && !('attributes' in ref)) out[rel] = { attributes: { type }, ...ref }
  }
  return out
}

/** Upsert on `QBO_Key__c` in Collections of 200; outcomes in input order. */
export function upsertQboCustomers(client: SalesforceClient, records: readonly QboCustomerRecord[]): Promise<SaveResult[]> {
  return client.upsert(QBO_CUSTOMER, 'QBO_Key__c', records.map(withReferenceTypes))
}

/** A person's link from the Hub: one PATCH of `Account__c` and `Link_Status__c`. */
export function setRecordLink(client: SalesforceClient, recordId: string, accountId: string | null, status: string): Promise<void> {
  return client.patchRecord(QBO_CUSTOMER, recordId, { Account__c: accountId, Link_Status__c: status })
}

/** One record by key, or null. */
export async function getQboCustomerRecord(
  client: SalesforceClient,
  key: string,
  fieldNames: readonly string[] = [],
): Promise<Record<string, unknown> | null> {
  const fields = soqlFields([...new Set([...BASE_FIELDS, 'Name', ...fieldNames])])
  const rows = await client.query(soql`SELECT ${fields} FROM QBO_Customer__c WHERE QBO_Key__c = ${key} LIMIT 1`)
  return rows[0] ?? null
}

/** The functions above bound to one client. */
export function qboCustomersOf(client: SalesforceClient) {
  return {
    listQboCustomerRecords: (realmId: string, fieldNames: readonly string[]) => listQboCustomerRecords(client, realmId, fieldNames),
    upsertQboCustomers: (records: readonly QboCustomerRecord[]) => upsertQboCustomers(client, records),
    setRecordLink: (recordId: string, accountId: string | null, status: string) => setRecordLink(client, recordId, accountId, status),
    getQboCustomerRecord: (key: string, fieldNames?: readonly string[]) => getQboCustomerRecord(client, key, fieldNames),
  }
}
