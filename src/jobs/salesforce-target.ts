/**
 * @module jobs/salesforce-target
 * The SalesforceTarget port over the Salesforce client: query rows become ExistingRecords and
 * AccountRefs (large sets read by Bulk API 2.0 query); the engine's writes become sObject
 * Collections upserts (records) and inserts (the Accounts Tally creates, which must never change
 * an Account that exists), or, through `bulk`, Bulk API 2.0 upsert and insert jobs. An incremental
 * sync's first read (the Recycle Bin and the selected records) is one Composite call.
 */
import {
  accountFates,
  accountsDeletedSince,
  listSelectedQboCustomerRecords,
  findAccountsAndCandidates,
  findSuggestionCandidates,
  suggestionCandidateQueries,
  COLLECTION_CHUNK,
  findAccountsByNames,
  listAllAccounts,
  listQboCustomerRecords,
  planAccountNameQueries,
  createAccountsBySourceKey,
  createAccountsBySourceKeyInBulk,
  upsertQboCustomers,
  bulkUpsert,
  readChangesSince,
  QBO_CUSTOMER,
  type BulkPoll,
  type SalesforceClient,
  type SaveResult,
} from '../salesforce/index.js'
import type { ExistingRecord, FieldValue, TargetFields } from '../sync/model.js'
import { LINK_STATUSES } from '../sync/model.js'
import type { RecordWrite, SalesforceTarget, WriteResult } from '../sync/ports.js'
import { retry } from '../lib/retry.js'
import { inObject } from '../lib/objects.js'
import { StringPool } from '../lib/string-pool.js'
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
/** Records per Bulk job (one wave). A job holds up to 150 MB base64-encoded (Upload Job Data),
 * which Salesforce cuts into internal batches of 10,000 itself ("How Requests Are Processed"), so
 * one dependency level of a 100,000-customer realm is one job (measured: 85,055 top-level rows,
 * 36.1 MB). At 425 bytes a row (bulk.ts BULK_MAX_UPLOAD_BYTES) 150,000 rows are ~64 MB of CSV;
 * bulkUpsert still splits an upload above 100 MB into several jobs. */
export const BULK_MAX_ROWS = 150_000

export interface SalesforceTargetOptions {
  /** Bulk API 2.0 for large writes (defaults above) and large reads (Bulk query, see
   * listAllAccounts); false: Collections and REST query pages only. */
  bulk?: false | { threshold?: number; maxRows?: number; poll?: BulkPoll; maxUploadBytes?: number }
}

/** A write as a `QBO_Customer__c` row: references by external ID where the Id is not known yet
 * (REST API Developer Guide, "Insert or Update (Upsert) a Record Using an External ID";
 * Bulk: relationship columns such as `Account__r.QBO_Source_Key__c`). */
const recordOf = (w: RecordWrite) => {
  // Read once: a big run's write reads its values from where they are kept each time (sync/apply).
  const fields = w.fields
  return {
    ...fields,
    ...w.resolved,
    QBO_Key__c: w.key,
    ...(w.accountSourceKey !== undefined && !('Account__c' in fields) ? { Account__r: { QBO_Source_Key__c: w.accountSourceKey } } : {}),
    ...(w.parentKey !== undefined && !('Parent_Customer__c' in fields) ? { Parent_Customer__r: { QBO_Key__c: w.parentKey } } : {}),
  }
}

/** Read with every record: the linked Account's name and who last changed the record (§10). */
const RELATED = ['Account__r.Name', 'LastModifiedBy.Name']

function toExistingRecord(r: Record<string, unknown>, fieldNames: readonly string[], pool?: StringPool): ExistingRecord {
  const fields: TargetFields = {}
  for (const f of fieldNames) fields[f] = asValue(r[f])
  const status = r['Link_Status__c']
  // Who changed a record and its Account's name repeat from record to record: pooled like the fields.
  const shared = (field: string, v: string | null | undefined): string | null => (v == null ? null : pool ? pool.value(field, v) : v)
  return {
    id: String(r['Id']),
    key: String(r['QBO_Key__c']),
    accountId: typeof r['Account__c'] === 'string' ? r['Account__c'] : null,
    accountName: shared('Account__r.Name', (r['Account__r'] as { Name?: string } | null | undefined)?.Name),
    lastModifiedBy: shared('LastModifiedBy.Name', (r['LastModifiedBy'] as { Name?: string } | null | undefined)?.Name),
    // The package's own constant, not a copy per record.
    linkStatus: LINK_STATUSES.find((s) => s === status) ?? null,
    // A copy: built by computed keys, the object would stay in V8's dictionary mode (five times the
    // size; a re-import holds one per record: README, "Memory"). Its repeated values kept once.
    fields: pool ? pool.dedupe(inObject(fields)) : inObject(fields),
    // Set by the run's compactor as it reads the record (sync/plan `compactRecords`): here from the
    // start, it is held in the object, not in an array of properties added later.
    sameAsMapped: undefined,
  }
}


export function salesforceTarget(client: SalesforceClient, o: SalesforceTargetOptions = {}): SalesforceTarget {
  const bulk = o.bulk === false ? undefined : (o.bulk ?? {})
  const jobOptions = { ...(bulk?.poll ? { poll: bulk.poll } : {}), ...(bulk?.maxUploadBytes ? { maxUploadBytes: bulk.maxUploadBytes } : {}) }
  return {
    collectionSize: COLLECTION_CHUNK,
    ...(bulk
      ? {
          bulk: {
            threshold: bulk.threshold ?? BULK_THRESHOLD,
            maxRows: bulk.maxRows ?? BULK_MAX_ROWS,
            async upsertRecords(writes) {
              // Each row made as its CSV line is (and again for its result), not all held at once.
              const records = {
                length: writes.length,
                at: (i: number) => { const w = writes[i]; return w ? recordOf(w) : undefined },
                // The key results are matched on, without making the row.
                valueAt: (i: number, column: string) => {
                  const w = writes[i]
                  return !w ? undefined : column === 'QBO_Key__c' ? w.key : (recordOf(w) as Record<string, unknown>)[column]
                },
              }
              const results = await bulkUpsert(client, { object: QBO_CUSTOMER, externalIdFieldName: 'QBO_Key__c', records, ...jobOptions })
              return results.map((r, i) => toWriteResult(writes[i]?.key ?? '', r))
            },
            async upsertAccounts(accounts) {
              // An insert job, never an upsert: an Account that holds the key is read, not changed.
              const results = await createAccountsBySourceKeyInBulk(client, accounts, jobOptions)
              return results.map((r, i) => toWriteResult(accounts[i]?.sourceKey ?? '', r))
            },
          },
        }
      : {}),
    async listExistingRecords(realmId, fieldNames, onRecord) {
      // Every record of a company, held for the whole run: their repeated values once (lib/string-pool).
      const pool = new StringPool()
      return listQboCustomerRecords(client, realmId, [...fieldNames, ...RELATED], { bulk: bulk ? (bulk.poll ? { poll: bulk.poll } : {}) : false }, (r) => {
        const e = toExistingRecord(r, fieldNames, pool)
        onRecord?.(e)
        return e
      })
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
    listAllAccounts: (maxCalls) => listAllAccounts(client, maxCalls, { bulk: bulk ? (bulk.poll ? { poll: bulk.poll } : {}) : false }),
    findAccountsByNames: (names) => findAccountsByNames(client, names),
    accountFates: (ids) => accountFates(client, ids),
    findSuggestionCandidates: (terms) => findSuggestionCandidates(client, terms),
    findAccountsAndCandidates: (names, terms) => findAccountsAndCandidates(client, names, terms),
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
