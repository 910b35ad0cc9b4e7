/**
 * @module salesforce/qbo-customers
 * Reads and writes Tally's `QBO_Customer__c` records (contract §4). Writes are upserts on
 * `QBO_Key__c`; lookups may be given by the parent's external ID inside the same write
 * (`Parent_Customer__r: { QBO_Key__c }`, `Account__r: { QBO_Source_Key__c }`), so parents written
 * earlier in the same run need no second pass.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
import type { SalesforceClient, SaveResult } from './client.js'
import { soql, soqlFields } from './soql.js'

export const QBO_CUSTOMER = 'QBO_Customer__c'
const BASE_FIELDS = ['Id', 'QBO_Key__c', 'Account__c', 'Link_Status__c'] as const

/** Relationship name → the object it points to, for references by external ID. */
const RELATIONSHIPS: Record<string, string> = {
  Parent_Customer__r: QBO_CUSTOMER,
  Account__r: 'Account',
}

export type QboCustomerRecord = Record<string, unknown> & { QBO_Key__c: string }

/** Every record of a realm with the base fields and `fieldNames`, all pages. */
export function listQboCustomerRecords(
  client: SalesforceClient,
  realmId: string,
  fieldNames: readonly string[],
): Promise<Record<string, unknown>[]> {
  const fields = soqlFields([...new Set([...BASE_FIELDS, ...fieldNames])])
  return client.query(soql`SELECT ${fields} FROM QBO_Customer__c WHERE QBO_Realm_Id__c = ${realmId}`)
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
