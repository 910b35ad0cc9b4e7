/**
 * @module sync/ports
 * What the engine needs from the world. `src/jobs` implements these with the QBO client, the
 * Salesforce client and the store; tests implement them the same way, against the sandbox.
 */
import type { SuggestionTerms } from './suggest.js'

/** Which records an incremental sync reads (see `SalesforceTarget.listRecordsSelected`). */
export interface RecordSelection {
  keys: readonly string[]
  parentIds: readonly string[]
  since?: Date
  /** With `since`: the records last changed by Tally's own writes of the last run are not read for
   * being changed since. */
  ownWrites?: OwnWrites
}

/** Tally's own writes of the last run: made as `userId`, none later than `until` (the store keeps
 * its own copy of this shape in the checkpoint: the store may not import the engine). */
export interface OwnWrites {
  until: Date
  userId: string
}
import type { AccountFate, AccountRef, ExistingRecord, LinkStatus, RecordState, SourceCustomer, TargetFields } from './model.js'

/** QBO, read-only. */
export interface CustomerSource {
  readonly realmId: string
  /** Every customer, active and inactive, page by page (QBO pages of 1,000). */
  listAllCustomers(): AsyncIterable<SourceCustomer[]>
  /** Customers changed since an instant (CDC); `deletedIds` are ids QBO reports as deleted.
   * Null when the answer may be incomplete (CDC's cap of 1,000 objects was reached): the run
   * then reads every customer instead. */
  listChangedCustomers(since: Date): Promise<{ customers: SourceCustomer[]; deletedIds: string[] } | null>
  /** API calls made so far by this source. */
  apiCalls(): number
}

/** One write to `QBO_Customer__c`, upserted on `QBO_Key__c`. */
export interface RecordWrite {
  key: string
  /** Values by API name. `Account__c` and `Parent_Customer__c`, when known by Id, are here. */
  fields: TargetFields
  /** Set `Account__c` to the Account whose `QBO_Source_Key__c` is this (created in this run). */
  accountSourceKey?: string
  /** Set `Parent_Customer__c` to the record whose `QBO_Key__c` is this (written in this run). */
  parentKey?: string
  /** Set `Suggested_Account__c` to the Account created in this run with this `QBO_Source_Key__c`
   * (the best suggestion is an Account the run creates for another customer's name). */
  suggestedSourceKey?: string
  /** The record is new in Salesforce (written before any record that references it). */
  isNew: boolean
  /** Values filled in as the run goes (the Ids of the Account, the parent and the suggested Account
   * it created), sent over `fields`: the plan's fields are not copied for each record (README,
   * "Memory"). */
  resolved?: TargetFields
  /** The values are in the run's `WriteSpool` under this handle, and `fields` is empty (a big run's
   * plan; `applyPlan` reads them back as each wave is sent). */
  spooled?: number
}

export interface AccountCreate {
  /** `QBO_Source_Key__c`: derived from the normalised name (`accountSourceKey`), so every
   * company's run creates the same one Account for a name (contract §5.10). */
  sourceKey: string
  name: string
}

/** The outcome of one write, in input order; failures are data, never exceptions. */
export type WriteResult =
  | { key: string; ok: true; id: string; created: boolean }
  | { key: string; ok: false; errors: { code: string; message: string; fields: string[] }[] }

/** A second writer of records, for many at once (Bulk API 2.0 ingest jobs): one call is one job. */
export interface BulkRecordWriter {
  /** From this many records to write, the engine sends them through `upsertRecords` here. */
  readonly threshold: number
  /** Records per job (one wave of the plan: rows of one job do not see each other). */
  readonly maxRows: number
  /** Same contract as SalesforceTarget.upsertRecords; a row not processed is a transient failure
   * (code BULK_UNPROCESSED). */
  upsertRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]>
  /** Same contract as SalesforceTarget.upsertAccounts (a key some Account has already returns
   * that Account, `created: false`, unchanged; results in input order), through one Bulk insert
   * job; a row not processed is a transient failure (code BULK_UNPROCESSED). */
  upsertAccounts(accounts: readonly AccountCreate[]): Promise<WriteResult[]>
}

/** Salesforce. */
export interface SalesforceTarget {
  /** Bulk API 2.0 for large writes; absent: every write goes through Collections. */
  readonly bulk?: BulkRecordWriter
  /** Records per write request (sObject Collections take 200); the engine batches by it. */
  readonly collectionSize: number
  /** Every `QBO_Customer__c` of this realm, with the fields the engine diffs; `onRecord` sees each
   * as it is read (and may change it in place). */
  listExistingRecords(realmId: string, fieldNames: readonly string[], onRecord?: (e: ExistingRecord) => void): Promise<ExistingRecord[]>
  /** The records of this realm with one of these keys, or whose `Parent_QBO_Id__c` is one of these
   * QBO Ids, or (with `since`) whose `SystemModstamp` is later: what an incremental sync reads. */
  listRecordsSelected(realmId: string, selection: RecordSelection, fieldNames: readonly string[]): Promise<ExistingRecord[]>
  /** The Accounts deleted or merged away since an instant (the Recycle Bin), with their fates. */
  accountsDeletedSince(since: Date): Promise<AccountFate[]>
  /** `accountsDeletedSince(since)` and `listRecordsSelected(realmId, selection, fieldNames)` at
   * once, in one call where the target can (an incremental sync's first read). Absent: the engine
   * makes the two calls. */
  readChangesSince?(realmId: string, since: Date, selection: RecordSelection, fieldNames: readonly string[]): Promise<{ deletedAccounts: AccountFate[]; records: ExistingRecord[] }>
  /** Every Account (Id, Name, QBO_Source_Key__c, and what suggestions compare), read in pages of
   * 2,000 or, for many, by one Bulk query — or null, after one call, when that would take more
   * than `maxCalls` calls (the first page tells the total). */
  listAllAccounts(maxCalls: number): Promise<AccountRef[] | null>
  /** Accounts whose Name may equal one of these names by the matching rule (a superset is fine:
   * the engine compares locally), batched into as few queries as the SOQL limits allow. */
  findAccountsByNames(names: readonly string[]): Promise<AccountRef[]>
  /** The Accounts that share a name part, a website domain or a billing postal code with these
   * terms (with what suggestions compare), for a few customers' suggestions. */
  findSuggestionCandidates(terms: SuggestionTerms): Promise<AccountRef[]>
  /** `findAccountsByNames(names)` and `findSuggestionCandidates(terms)` in one call where the target
   * can, or null (absent: never): a sync of a few customers not linked yet. */
  findAccountsAndCandidates?(names: readonly string[], terms: SuggestionTerms): Promise<{ accounts: AccountRef[]; candidates: AccountRef[] } | null>
  /** How many API calls `findSuggestionCandidates` would make. */
  suggestionLookupCalls(terms: SuggestionTerms): number
  /** These Accounts as the Recycle Bin knows them too (`queryAll`): deleted, merged into
   * another, or live. An Id not returned is gone for good (purged). */
  accountFates(ids: readonly string[]): Promise<AccountFate[]>
  /** How many API calls `findAccountsByNames` would make for these names. */
  nameLookupCalls(names: readonly string[]): number
  /** Create Accounts keyed by `QBO_Source_Key__c`, idempotently: a key some Account has already
   * returns that Account (`created: false`), unchanged. `collectionSize` per request. */
  upsertAccounts(accounts: readonly AccountCreate[]): Promise<WriteResult[]>
  /** Upsert records on `QBO_Key__c`, `collectionSize` per request, in the order given. */
  upsertRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]>
  /** API calls made so far by this target. */
  apiCalls(): number
  /** The org's daily API usage as Salesforce last reported it, or null before any answer. */
  apiUsage(): { used: number; max: number } | null
}

/**
 * Where a big run keeps what it needs again only later, out of the heap (jobs/spool: a temporary
 * file): its customers whole, read back as each is planned (sync/spooled-customer), and its planned
 * writes' values until they are sent, so that 100,000 of neither are held through planning and the
 * waves (README, "Memory").
 */
export interface Spool<T> {
  /** Keeps this value; `get` gives it back by what this returns. */
  put(value: T): number
  /** The value `put` kept, as it was (a new copy each time). */
  get(handle: number): T
  /** Lets them go (the run has ended). */
  close(): void
}

/** A big run's planned writes' values: a write kept here has `RecordWrite.spooled` and empty `fields`. */
export type WriteSpool = Spool<TargetFields>

/** Tally's memory of what it wrote. */
export interface SyncStateStore {
  loadRecordStates(realmId: string): Promise<Map<string, RecordState>>
  saveRecordStates(states: readonly RecordState[]): Promise<void>
}

/** A progress report while a run goes on. */
export interface Progress {
  phase: 'reading' | 'planning' | 'writing' | 'done'
  done: number
  total: number
}

export type { LinkStatus }
