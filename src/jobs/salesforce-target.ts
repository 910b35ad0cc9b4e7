/**
 * @module jobs/salesforce-target
 * The SalesforceTarget port over the Salesforce client: query rows become ExistingRecords and
 * AccountRefs; the engine's writes become sObject Collections upserts (records) and inserts
 * (the Accounts Tally creates, which must never change an Account that exists). An incremental
 * sync's first read (the Recycle Bin and the selected records) is one Composite call.
 */
import {
  accountFates,
  accountsDeletedSince,
  listSelectedQboCustomerRecords,
  findSuggestionCandidates,
  suggestionCandidateQueries,
  COLLECTION_CHUNK,
  findAccountsByNames,
  listAllAccounts,
  listQboCustomerRecords,
  planAccountNameQueries,
  createAccountsBySourceKey,
  upsertQboCustomers,
  bulkUpsert,
  readChangesSince,
  QBO_CUSTOMER,
  type BulkPoll,
  type SalesforceClient,
  type SaveResult,
} from '../salesforce/index.js'
import type { ExistingRecord, FieldValue, LinkStatus, TargetFields } from '../sync/model.js'
import { LINK_STATUSES } from '../sync/model.js'
import type { RecordWrite, SalesforceTarget, WriteResult } from '../sync/ports.js'
import { retry } from '../lib/retry.js'
import { SalesforceAuthError, SalesforceError, SalesforceLimitError } from '../salesforce/index.js'

/** jsforce retries reads itself but never a POST or PATCH. An upsert on an external ID is safe to
 * send again (it converges), so Tally retries Collections writes on transient failures: 5xx,
 * dropped connections and whole-request UNABLE_TO_LOCK_ROW. */
function isTransient(err: unknown): boolean {
  if (err instanceof SalesforceAuthError || err instanceof SalesforceLimitError) return false
  if (err instanceof SalesforceError) {
    return err.status === 0 || err.status >= 500 || err.errorCode === 'UNABLE_TO_LOCK_ROW' || err.errorCode === 'CONNECTION_ERROR' || /^ERROR_HTTP_5/.test(err.errorCode)
  }
  return true
}
const retryWrites = <T>(fn: () => Promise<T>) => retry(fn, { retries: 5, baseDelayMs: 200, maxDelayMs: 5_000, shouldRetry: isTransient })

const toWriteResult = (key: string, r: SaveResult): WriteResult =>
  r.ok ? { key, ok: true, id: r.id, created: r.created === true } : { key, ok: false, errors: r.errors }

const asValue = (v: unknown): FieldValue =>
  v === undefined || v === null ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v)

/** From how many records Bulk API 2.0 is cheaper in calls and still quick (README, "Bulk API
 * 2.0"): a job costs 4–7 calls (create, upload, close, 1–3 polls, 1–2 results files) against
 * ⌈n/200⌉ Collections, so it wins in calls from ~1,400 records; Salesforce's own advice is Bulk
 * above about 2,000, where the seconds a job waits in the queue matter less. */
export const BULK_THRESHOLD = 2_000
/** Records per Bulk job (one wave): 10,000 is one internal batch ("How Requests Are Processed"). */
export const BULK_MAX_ROWS = 10_000

export interface SalesforceTargetOptions {
  /** Bulk API 2.0 for large writes (defaults above); false: Collections only. */
  bulk?: false | { threshold?: number; maxRows?: number; poll?: BulkPoll }
}

/** A write as a `QBO_Customer__c` row: references by external ID where the Id is not known yet
 * (REST API Developer Guide, "Insert or Update (Upsert) a Record Using an External ID";
 * Bulk: relationship columns such as `Account__r.QBO_Source_Key__c`). */
const recordOf = (w: RecordWrite) => ({
  ...w.fields,
  QBO_Key__c: w.key,
  ...(w.accountSourceKey !== undefined && !('Account__c' in w.fields) ? { Account__r: { QBO_Source_Key__c: w.accountSourceKey } } : {}),
  ...(w.parentKey !== undefined && !('Parent_Customer__c' in w.fields) ? { Parent_Customer__r: { QBO_Key__c: w.parentKey } } : {}),
})

/** Read with every record: the linked Account's name and who last changed the record (§10). */
const RELATED = ['Account__r.Name', 'LastModifiedBy.Name']

function toExistingRecord(r: Record<string, unknown>, fieldNames: readonly string[]): ExistingRecord {
  const fields: TargetFields = {}
  for (const f of fieldNames) fields[f] = asValue(r[f])
  const status = r['Link_Status__c']
  return {
    id: String(r['Id']),
    key: String(r['QBO_Key__c']),
    accountId: typeof r['Account__c'] === 'string' ? r['Account__c'] : null,
    accountName: (r['Account__r'] as { Name?: string } | null | undefined)?.Name ?? null,
    lastModifiedBy: (r['LastModifiedBy'] as { Name?: string } | null | undefined)?.Name ?? null,
    linkStatus: LINK_STATUSES.includes(status as LinkStatus) ? (status as LinkStatus) : null,
    fields,
  }
}


export function salesforceTarget(client: SalesforceClient, o: SalesforceTargetOptions = {}): SalesforceTarget {
  const bulk = o.bulk === false ? undefined : (o.bulk ?? {})
  return {
    collectionSize: COLLECTION_CHUNK,
    ...(bulk
      ? {
          bulk: {
            threshold: bulk.threshold ?? BULK_THRESHOLD,
            maxRows: bulk.maxRows ?? BULK_MAX_ROWS,
            async upsertRecords(writes) {
              const results = await bulkUpsert(client, { object: QBO_CUSTOMER, externalIdFieldName: 'QBO_Key__c', records: writes.map(recordOf), ...(bulk.poll ? { poll: bulk.poll } : {}) })
              return results.map((r, i) => toWriteResult(writes[i]?.key ?? '', r))
            },
          },
        }
      : {}),
    async listExistingRecords(realmId, fieldNames) {
      const rows = await listQboCustomerRecords(client, realmId, [...fieldNames, ...RELATED])
      return rows.map((r) => toExistingRecord(r, fieldNames))
    },
    async listRecordsSelected(realmId, selection, fieldNames) {
      const rows = await listSelectedQboCustomerRecords(client, realmId, selection, [...fieldNames, ...RELATED])
      return rows.map((r) => toExistingRecord(r, fieldNames))
    },
    accountsDeletedSince: (since) => accountsDeletedSince(client, since),
    /** One Composite call for the two (salesforce/changes). */
    async readChangesSince(realmId, since, selection, fieldNames) {
      const r = await readChangesSince(client, realmId, since, selection, [...fieldNames, ...RELATED])
      return { deletedAccounts: r.deletedAccounts, records: r.records.map((row) => toExistingRecord(row, fieldNames)) }
    },
    listAllAccounts: (maxCalls) => listAllAccounts(client, maxCalls),
    findAccountsByNames: (names) => findAccountsByNames(client, names),
    accountFates: (ids) => accountFates(client, ids),
    findSuggestionCandidates: (terms) => findSuggestionCandidates(client, terms),
    suggestionLookupCalls: (terms) => suggestionCandidateQueries(terms).length,
    nameLookupCalls: (names) => planAccountNameQueries(names, { prefixBytes: client.queryPath('').length }).length,
    async upsertAccounts(accounts) {
      // An insert that finds its key taken reads that Account instead, so sending it again after
      // a lost answer converges like an upsert does.
      const results = await retryWrites(() => createAccountsBySourceKey(client, accounts))
      return results.map((r, i) => toWriteResult(accounts[i]?.sourceKey ?? '', r))
    },
    async upsertRecords(writes) {
      const records = writes.map(recordOf)
      const results = await retryWrites(() => upsertQboCustomers(client, records))
      return results.map((r, i) => toWriteResult(writes[i]?.key ?? '', r))
    },
    apiCalls: () => client.apiCalls() + client.oauthCalls(),
    apiUsage: () => client.apiUsage(),
  }
}
