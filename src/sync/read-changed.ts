/**
 * @module sync/read-changed
 * What an incremental sync reads of the records in Salesforce (README, "Incremental sync"): not
 * every record of the company, but those the link rules can act on after a change —
 *  - the records of the customers CDC reported (changed or deleted), and their ancestors up to the
 *    top-level customer (a sub-customer's link is its top-level parent's, contract §5.2);
 *  - every record changed in Salesforce since the last sync (`SystemModstamp`, minus the checkpoint's
 *    overlap): a link a person edited in the org (§5.1, §10), an Account merge that moved a lookup;
 *    but not the records whose last change is the last run's own write (`ownWrites`: as Tally's
 *    user, before those writes ended), or the sync after an import would read back every record;
 *  - the records Tally last linked to an Account deleted or merged since then (the Recycle Bin tells
 *    which; the `SetNull` that cleared their lookup need not move their `SystemModstamp`, §5.8);
 *  - the descendants of every record whose link may change in this run, level by level, which
 *    follow it.
 * Nothing else can change what the plan writes: a record outside these sets was not changed in QBO
 * nor in Salesforce since the last run saw it, and neither was any record above it.
 */
import { linkChange } from './link.js'
import { customerKey, type AccountFate, type ExistingRecord, type RecordState, type SourceCustomer } from './model.js'
import type { OwnWrites, SalesforceTarget } from './ports.js'

export interface ChangedRecords {
  existing: ExistingRecord[]
  /** The Accounts deleted or merged since `since` (their fates, for `accountsToCheck`). */
  deletedAccounts: AccountFate[]
}

const qboIdOf = (e: ExistingRecord) => String(e.fields['QBO_Id__c'] ?? '')
const parentOf = (e: ExistingRecord) => {
  const p = e.fields['Parent_QBO_Id__c']
  return typeof p === 'string' && p !== '' ? p : undefined
}

export async function readChangedRecords(
  target: SalesforceTarget,
  input: {
    realmId: string
    customers: readonly SourceCustomer[]
    deletedIds: readonly string[]
    since: Date
    /** The last run's own writes, skipped in the read of what changed since (RecordSelection). */
    ownWrites?: OwnWrites
    states: ReadonlyMap<string, RecordState>
    fieldNames: readonly string[]
  },
): Promise<ChangedRecords> {
  const { realmId, states } = input
  const key = (id: string) => customerKey(realmId, id)

  const loaded = new Map<string, ExistingRecord>()
  const asked = new Set<string>()
  const explored = new Set<string>()
  // Records whose link may change in this run: their descendants are read too.
  const moving = new Set<string>()
  const keys = new Set<string>()
  for (const c of input.customers) {
    keys.add(key(c.qboId))
    moving.add(c.qboId)
    if (c.isSubCustomer && c.parentQboId) keys.add(key(c.parentQboId))
  }
  for (const id of input.deletedIds) keys.add(key(id))
  let since: Date | undefined = input.since
  let fates = new Map<string, AccountFate>()

  /** One read's rows: the new ones are kept; their parents are asked for next, and the children
   * of those whose link may change. */
  const take = (rows: readonly ExistingRecord[], fromSince: boolean) => {
    const fresh: ExistingRecord[] = []
    for (const e of rows) {
      if (loaded.has(e.key)) continue
      loaded.set(e.key, e)
      fresh.push(e)
    }
    for (const e of fresh) {
      const id = qboIdOf(e)
      const p = parentOf(e)
      if (p !== undefined && !loaded.has(key(p)) && !asked.has(key(p))) keys.add(key(p))
      // A record read as a child, or one whose link Salesforce or a person changed: its own
      // children follow it. (A record changed only by Tally's last run keeps its link.)
      const child = p !== undefined && explored.has(p)
      if (child || (fromSince && linkChange(e, states.get(e.key), fates) !== 'none')) moving.add(id)
    }
  }
  const selection = () => {
    for (const k of keys) asked.add(k)
    const parentIds = [...moving].filter((id) => !explored.has(id))
    for (const id of parentIds) explored.add(id)
    const s = { keys: [...keys], parentIds, ...(since ? { since, ...(input.ownWrites ? { ownWrites: input.ownWrites } : {}) } : {}) }
    keys.clear()
    since = undefined
    return s
  }

  // The Recycle Bin first: the records Tally last linked to an Account deleted or merged since are
  // read too. A target that can answers it and the first records in one call; the records of such
  // Accounts that this first read did not bring are then asked for in the next.
  let deletedAccounts: AccountFate[]
  if (target.readChangesSince) {
    const first = await target.readChangesSince(realmId, input.since, selection(), input.fieldNames)
    deletedAccounts = first.deletedAccounts
    fates = new Map(deletedAccounts.map((f) => [f.id, f]))
    take(first.records, true)
  } else {
    deletedAccounts = await target.accountsDeletedSince(input.since)
    fates = new Map(deletedAccounts.map((f) => [f.id, f]))
  }
  for (const s of states.values()) {
    if (s.accountWritten && fates.has(s.accountWritten)) {
      if (!loaded.has(s.key) && !asked.has(s.key)) keys.add(s.key)
      moving.add(s.key.slice(realmId.length + 1))
    }
  }
  while (keys.size > 0 || [...moving].some((id) => !explored.has(id)) || since) {
    const fromSince = since !== undefined
    take(await target.listRecordsSelected(realmId, selection(), input.fieldNames), fromSince)
  }
  return { existing: [...loaded.values()], deletedAccounts }
}
