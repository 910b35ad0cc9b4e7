/**
 * @module sync/apply
 * Executes a Plan through the SalesforceTarget port: Accounts first (keyed on `QBO_Source_Key__c`,
 * so a retry never duplicates one), then the records in Collections (the target's size) or, when
 * there are many, Bulk API 2.0 jobs, parents before their children. Returns one outcome per item and never throws for one record.
 */
import { LINK_FIELDS, SUGGESTION } from './fields.js'
import type { FieldIssue } from './map.js'
import type { LinkStatus, RecordState, Refusal, TargetFields } from './model.js'
import { fingerprintOf, NO_VALUES, type Plan, type PlanItem } from './plan.js'
import type { AccountCreate, RecordWrite, SalesforceTarget, SyncStateStore, WriteResult, WriteSpool } from './ports.js'
import { planWaves } from './waves.js'


export interface ItemError {
  field: string | null
  code: string
  message: string
}

export interface ItemOutcome {
  item: PlanItem
  status: 'created' | 'updated' | 'unchanged' | 'failed'
  salesforceId: string | null
  /** The link as written (may differ from the plan when an Account could not be created). */
  linkStatus: LinkStatus
  accountId: string | null
  errors: ItemError[]
  /** Values that did not fit and were shortened or left out (the record still synced). */
  warnings: FieldIssue[]
}

export interface ApplyResult {
  outcomes: ItemOutcome[]
  accountsCreated: number
}

/** Errors that concern one field's value: the record is written again without it. */
const FIELD_VALUE_ERRORS = new Set([
  'STRING_TOO_LONG',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
])
/** Transient per-record errors worth another try (Salesforce asks callers to retry these). */
const TRANSIENT_ERRORS = new Set(['UNABLE_TO_LOCK_ROW', 'BULK_UNPROCESSED'])
const MAX_ATTEMPTS = 3
/** Before another try of a transient refusal: 0.5 s, then 1 s (a row lock is held for moments). */
const pause = (attempt: number) => new Promise((r) => setTimeout(r, 250 * 2 ** attempt))

/** A refusal reported again from memory. */
const heldAgain = (e: Refusal['errors'][number]): ItemError => ({
  ...e,
  message: `${e.message} (refused in an earlier run and not sent again until it changes; run with --retry-refused once the cause is fixed)`,
})

/** The errors or warnings of an outcome that has none: one array for all, frozen (`added` makes
 * an outcome its own on the first one). */
const NONE = Object.freeze([]) as unknown as never[]

function added<T>(list: T[], ...more: T[]): T[] {
  if (list === NONE) return more
  list.push(...more)
  return list
}

export interface ApplyOptions {
  /** Called after every Collection with the number of records done. */
  onProgress?: (done: number, total: number) => void
  /** Saves what was written after every Collection, so a run killed midway resumes cleanly. */
  state?: SyncStateStore
  /** What the store held before the run: unchanged records already remembered are not saved again. */
  known?: ReadonlyMap<string, RecordState>
  realmId: string
  /** Called after each Bulk API 2.0 job's results are taken (its upload and results are garbage). */
  afterJob?: () => void
  /** Where the plan's spooled writes keep their values (`RecordWrite.spooled`). */
  spool?: WriteSpool
}

/** A write as the writer reads it: a spooled one's values are read from the spool each time they
 * are (a Bulk job reads each row twice, to measure and to send its CSV) and never held: a wave
 * of 100,000 records holds no values but the ones being sent (README, "Memory"). */
function wireWrite(w: RecordWrite, resolved: TargetFields | null, spool: WriteSpool | undefined): RecordWrite {
  if (w.spooled === undefined || !spool) return resolved ? { key: w.key, fields: w.fields, resolved, isNew: w.isNew } : { key: w.key, fields: w.fields, isNew: w.isNew }
  return new SpooledWrite(w.key, w.isNew, w.spooled, spool, resolved)
}

/** A class, not an object literal with a getter: each literal's getter was a closure with its
 * context and put the object in dictionary mode, 360 bytes a write (31 MB for a wave of 85,000);
 * one of these is 64 (five fields). */
class SpooledWrite implements RecordWrite {
  readonly resolved?: TargetFields
  constructor(
    readonly key: string,
    readonly isNew: boolean,
    private readonly handle: number,
    private readonly spool: WriteSpool,
    resolved: TargetFields | null,
  ) {
    if (resolved) this.resolved = resolved
  }

  get fields(): TargetFields {
    return this.spool.get(this.handle)
  }
}

export async function applyPlan(plan: Plan, target: SalesforceTarget, opts: ApplyOptions): Promise<ApplyResult> {
  // One request's worth: records of one request do not see each other, so the batching below
  // must cut where the target's requests are cut.
  const COLLECTION_SIZE = target.collectionSize
  const toWrite = plan.items.filter((i) => i.write)
  const total = toWrite.length
  const outcomes = new Map<string, ItemOutcome>()
  for (const item of plan.items) {
    outcomes.set(item.key, {
      item,
      status: item.write || item.held ? 'failed' : 'unchanged',
      salesforceId: null,
      linkStatus: item.link.status,
      accountId: item.link.accountId,
      // A write refused before and not sent again, or an Account refused before and not asked for
      // again: the refusal still stands, so it is reported again and the run is not complete.
      errors: item.held || item.link.refused ? [...(item.held ?? []).map(heldAgain), ...(item.link.refused ?? []).map(heldAgain)] : NONE,
      warnings: item.write && item.issues.length > 0 ? [...item.issues] : NONE,
    })
  }
  /** The Account refusal to remember for this customer: one met in this run, or one from an earlier
   * run that still holds (the Account was not asked for again). Null: nothing to remember. */
  const accountRefusal = (item: PlanItem): Refusal | null => {
    const sk = item.write?.accountSourceKey
    const fresh = sk !== undefined ? accountRefusals.get(sk) : undefined
    if (fresh) return { write: null, accountName: fresh.name, errors: [fresh.error] }
    return item.link.refused ? (opts.known?.get(item.key)?.refused ?? null) : null
  }
  /** What Tally remembers of a customer whose write Salesforce refused: what it knew before, and
   * the refusal (a state it never had is not invented: no Id, so the link is not taken for a person's). */
  const refusedState = (item: PlanItem, refused: Refusal): RecordState => {
    const known = opts.known?.get(item.key)
    return { ...(known ?? { key: item.key, salesforceId: null, accountWritten: null, linkStatus: null }), refused }
  }

  // 1. Accounts, keyed by the source key the records refer to.
  const accountIds = new Map<string, string>()
  const accountErrors = new Map<string, ItemError>()
  /** Accounts refused for a reason that repeats, by source key: remembered on their records. */
  const accountRefusals = new Map<string, { name: string; error: ItemError }>()
  let accountsCreated = 0
  /** Takes one request's results; returns the Accounts worth another try. */
  const tookAccounts = (batch: readonly AccountCreate[], results: readonly WriteResult[], attempt: number): AccountCreate[] => {
    const again: AccountCreate[] = []
    results.forEach((r, j) => {
      const account = batch[j] as AccountCreate
      if (r.ok) {
        accountIds.set(account.sourceKey, r.id)
        accountErrors.delete(account.sourceKey)
        if (r.created) accountsCreated += 1
        return
      }
      // A lock held elsewhere is let go in moments: upserting on QBO_Source_Key__c again is safe.
      if (attempt < MAX_ATTEMPTS && r.errors.length > 0 && r.errors.every((e) => TRANSIENT_ERRORS.has(e.code))) again.push(account)
      const e = r.errors[0]
      const error: ItemError = { field: LINK_FIELDS.account, code: e?.code ?? 'UNKNOWN', message: `The Account "${account.name}" could not be created: ${e?.message ?? 'unknown error'}` }
      accountErrors.set(account.sourceKey, error)
      if (!r.errors.every((x) => TRANSIENT_ERRORS.has(x.code))) accountRefusals.set(account.sourceKey, { name: account.name, error })
    })
    return again
  }
  // Many Accounts: one Bulk API 2.0 insert job for all of them (Accounts do not refer to each other,
  // so one job is one wave); the few to try again go through Collections, as records do.
  let toCreate: readonly AccountCreate[] = plan.accountsToCreate
  let firstAttempt = 1
  const bulkAccounts = target.bulk && toCreate.length >= target.bulk.threshold ? target.bulk : undefined
  if (bulkAccounts) {
    toCreate = tookAccounts(toCreate, await bulkAccounts.upsertAccounts(toCreate), 1)
    opts.afterJob?.()
    if (toCreate.length > 0) await pause(1)
    firstAttempt = 2
  }
  for (let i = 0; i < toCreate.length; i += COLLECTION_SIZE) {
    let batch = toCreate.slice(i, i + COLLECTION_SIZE)
    for (let attempt = firstAttempt; batch.length > 0; attempt++) {
      const again = tookAccounts(batch, await target.upsertAccounts(batch), attempt)
      if (again.length > 0) await pause(attempt)
      batch = again
    }
  }

  // 2. Records, by level so that a parent is written before its children.
  const ordered = [...toWrite].sort((a, b) => a.level - b.level)
  const ids = new Map<string, string>()
  let done = 0
  let pending: { item: PlanItem; write: RecordWrite; attempt: number }[] = []

  const resolve = (item: PlanItem): RecordWrite | null => {
    const w = item.write as RecordWrite
    // The references filled in below, apart (a write with them carries no reference to resolve):
    // the plan's write stays as planned, and a wave of 100,000 records holds no copy of its fields.
    const resolved: TargetFields = {}
    const out = outcomes.get(item.key) as ItemOutcome
    if (w.accountSourceKey !== undefined) {
      const id = accountIds.get(w.accountSourceKey)
      if (id) {
        resolved[LINK_FIELDS.account] = id
        out.accountId = id
      } else {
        // The record still syncs; it waits for a person like an unmapped one.
        resolved[LINK_FIELDS.account] = null
        resolved[LINK_FIELDS.linkStatus] = 'Unmapped'
        out.linkStatus = 'Unmapped'
        out.accountId = null
        const err = accountErrors.get(w.accountSourceKey)
        if (err) out.errors = added(out.errors, err)
        // Only the link was to change, and the record already says what it would say now: an
        // error that repeats never rewrites it (the Account is tried again next run).
        const now = item.linkNow
        const linkOnly = item.changedFields.every((f) => f === LINK_FIELDS.account || f === LINK_FIELDS.linkStatus)
        if (now && linkOnly && now.accountId === null && now.status === 'Unmapped') {
          out.status = 'unchanged'
          out.salesforceId = item.existingId
          out.warnings = NONE
          return null
        }
      }
    }
    if (w.parentKey !== undefined) {
      const pid = ids.get(w.parentKey)
      resolved[LINK_FIELDS.parent] = pid ?? null
    }
    // The suggested Account was created above (or not: then there is no suggestion to show).
    if (w.suggestedSourceKey !== undefined) resolved[SUGGESTION.account] = accountIds.get(w.suggestedSourceKey) ?? null
    return wireWrite(w, Object.keys(resolved).length > 0 ? resolved : null, opts.spool)
  }

  const transientRetry = new Set<string>()
  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending
      pending = []
      // Many records: one Bulk API 2.0 job; the few retried after it go through Collections.
      const writer = bulk && batch.length >= bulk.threshold ? bulk : target
      const results = await writer.upsertRecords(batch.map((b) => b.write))
      const retry: typeof pending = []
      const states: RecordState[] = []
      results.forEach((r: WriteResult, j) => {
        const b = batch[j]
        if (!b) return
        const out = outcomes.get(b.item.key) as ItemOutcome
        if (r.ok) {
          out.status = r.created ? 'created' : 'updated'
          out.salesforceId = r.id
          ids.set(b.item.key, r.id)
          states.push({ key: b.item.key, salesforceId: r.id, accountWritten: out.accountId, linkStatus: out.linkStatus, refused: accountRefusal(b.item) })
          // Taken: its values are let go (the rest of the write, read after the run, stays). A big
          // import's first wave sends 100,000, held otherwise through the later waves and the run's
          // end (README, "Memory").
          if (b.item.write) b.item.write.fields = NO_VALUES
          return
        }
        const fieldErrs = r.errors.filter((e) => FIELD_VALUE_ERRORS.has(e.code) && e.fields.length > 0)
        const transient = r.errors.length > 0 && r.errors.every((e) => TRANSIENT_ERRORS.has(e.code))
        if (b.attempt < MAX_ATTEMPTS && fieldErrs.length > 0 && fieldErrs.length === r.errors.length) {
          // Salesforce refused a value: write the record without it and report the field.
          const fields = { ...b.write.fields, ...b.write.resolved }
          for (const e of fieldErrs) {
            for (const f of e.fields) {
              delete fields[f]
              out.warnings = added(out.warnings, { field: f, code: e.code as FieldIssue['code'], message: `${e.message} (left out)` })
            }
          }
          retry.push({ item: b.item, write: { key: b.write.key, fields, isNew: b.write.isNew }, attempt: b.attempt + 1 })
        } else if (b.attempt < MAX_ATTEMPTS && transient) {
          transientRetry.add(b.item.key)
          retry.push({ ...b, attempt: b.attempt + 1 })
        } else {
          out.status = 'failed'
          const errors = r.errors.map((e) => ({ field: e.fields[0] ?? null, code: e.code, message: e.message }))
          out.errors = added(out.errors, ...errors)
          // A refusal that repeats is remembered, so the same write is not sent again next run; a
          // lock that outlasted the retries is not (the next run simply tries again).
          const fingerprint = transient ? undefined : fingerprintOf(b.item, opts.spool)
          if (fingerprint !== undefined) {
            states.push(refusedState(b.item, { write: fingerprint, accountName: accountRefusal(b.item)?.accountName ?? null, errors }))
          }
        }
      })
      if (states.length > 0) await opts.state?.saveRecordStates(states)
      if (writer === bulk) opts.afterJob?.()
      done += batch.length - retry.length
      opts.onProgress?.(done, total)
      if (retry.some((b) => transientRetry.has(b.item.key))) await pause((retry[0]?.attempt ?? 2) - 1)
      transientRetry.clear()
      pending = retry
    }
  }

  // The waves (sync/waves): Collections of up to the target's size, each record after the one that
  // writes its new parent.
  // With Bulk API 2.0 (enough records), a wave is one job of up to maxRows: a job does not order
  // its rows either, so a child still waits for the job after its parent's.
  const bulk = target.bulk && total >= target.bulk.threshold ? target.bulk : undefined
  const waveSize = bulk ? bulk.maxRows : COLLECTION_SIZE
  const waveItems = ordered.map((item) => ({ item, key: item.key, level: item.level, parentKey: item.write?.parentKey, isNew: item.write?.isNew === true }))
  for (const wave of planWaves(waveItems, waveSize)) {
    for (const { item } of wave) {
      const write = resolve(item)
      if (write) pending.push({ item, write, attempt: 1 })
    }
    await flush()
  }

  // Unchanged records: make sure Tally remembers them (a lost store is rebuilt, never rewritten).
  const unchangedStates: RecordState[] = []
  for (const item of plan.items) {
    const out = outcomes.get(item.key) as ItemOutcome
    if (out.status !== 'unchanged') continue
    const s: RecordState = { key: item.key, salesforceId: item.existingId, accountWritten: out.accountId, linkStatus: out.linkStatus, refused: accountRefusal(item) }
    const k = opts.known?.get(item.key)
    const sameRefusal = JSON.stringify(k?.refused ?? null) === JSON.stringify(s.refused ?? null)
    if (k && k.salesforceId === s.salesforceId && k.accountWritten === s.accountWritten && k.linkStatus === s.linkStatus && sameRefusal) continue
    unchangedStates.push(s)
  }
  if (unchangedStates.length > 0) await opts.state?.saveRecordStates(unchangedStates)

  return { outcomes: [...outcomes.values()], accountsCreated }
}
