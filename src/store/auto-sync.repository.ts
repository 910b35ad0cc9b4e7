/**
 * @module store/auto-sync.repository
 * Automatic sync's state (contract §11), shared by every process through the store: per QuickBooks
 * company its switch and what its automatic syncs last did; for the org the API usage last seen
 * and whether automatic syncs are paused at the budget. A company without a row is switched on and
 * has done nothing yet.
 */
import { fromBit, fromIsoOrNull, toBit, toIso, toIsoOrNull } from './codec.js'
import type { Db } from './database.js'
import type { AutoSyncCompanyRow } from './tables/auto-sync.table.js'

export interface AutoSyncCompanyState {
  realmId: string
  enabled: boolean
  lastSweepAt: Date | null
  nextSweepAt: Date | null
  lastChangeAt: Date | null
  lastLagMs: number | null
  lastError: string | null
  lastErrorAt: Date | null
}

/** What an automatic sync records; absent fields are left as they are. */
export type AutoSyncUpdate = Partial<Omit<AutoSyncCompanyState, 'realmId'>>

export interface ApiBudgetState {
  used: number | null
  max: number | null
  seenAt: Date | null
  pausedSince: Date | null
}

const blank = (realmId: string): AutoSyncCompanyState => ({
  realmId,
  enabled: true,
  lastSweepAt: null,
  nextSweepAt: null,
  lastChangeAt: null,
  lastLagMs: null,
  lastError: null,
  lastErrorAt: null,
})

function fromRow(r: AutoSyncCompanyRow): AutoSyncCompanyState {
  return {
    realmId: r.realm_id,
    enabled: fromBit(r.enabled),
    lastSweepAt: fromIsoOrNull(r.last_sweep_at),
    nextSweepAt: fromIsoOrNull(r.next_sweep_at),
    lastChangeAt: fromIsoOrNull(r.last_change_at),
    lastLagMs: r.last_lag_ms === null ? null : Number(r.last_lag_ms),
    lastError: r.last_error,
    lastErrorAt: fromIsoOrNull(r.last_error_at),
  }
}

export async function getAutoSyncState(db: Db, realmId: string): Promise<AutoSyncCompanyState> {
  const row = await db.selectFrom('auto_sync_companies').selectAll().where('realm_id', '=', realmId).executeTakeFirst()
  return row ? fromRow(row) : blank(realmId)
}

/** The state of each of `realmIds`, in that order (blank for a company with no row). */
export async function listAutoSyncStates(db: Db, realmIds: readonly string[]): Promise<AutoSyncCompanyState[]> {
  if (realmIds.length === 0) return []
  const rows = await db.selectFrom('auto_sync_companies').selectAll().where('realm_id', 'in', [...realmIds]).execute()
  const by = new Map(rows.map((r) => [r.realm_id, fromRow(r)]))
  return realmIds.map((id) => by.get(id) ?? blank(id))
}

/** Writes the given fields of a company's state (one upsert: no read-then-write race). */
export async function updateAutoSyncState(db: Db, realmId: string, u: AutoSyncUpdate, now: Date = new Date()): Promise<void> {
  const set = {
    ...(u.enabled !== undefined ? { enabled: toBit(u.enabled) } : {}),
    ...(u.lastSweepAt !== undefined ? { last_sweep_at: toIsoOrNull(u.lastSweepAt) } : {}),
    ...(u.nextSweepAt !== undefined ? { next_sweep_at: toIsoOrNull(u.nextSweepAt) } : {}),
    ...(u.lastChangeAt !== undefined ? { last_change_at: toIsoOrNull(u.lastChangeAt) } : {}),
    ...(u.lastLagMs !== undefined ? { last_lag_ms: u.lastLagMs } : {}),
    ...(u.lastError !== undefined ? { last_error: u.lastError } : {}),
    ...(u.lastErrorAt !== undefined ? { last_error_at: toIsoOrNull(u.lastErrorAt) } : {}),
    updated_at: toIso(now),
  }
  await db
    .insertInto('auto_sync_companies')
    .values({ realm_id: realmId, enabled: 1, ...set })
    .onConflict((oc) => oc.column('realm_id').doUpdateSet(set))
    .execute()
}

const ORG = 'org'

export async function getApiBudgetState(db: Db): Promise<ApiBudgetState> {
  const r = await db.selectFrom('api_budget').selectAll().where('id', '=', ORG).executeTakeFirst()
  return r
    ? { used: r.used === null ? null : Number(r.used), max: r.max === null ? null : Number(r.max), seenAt: fromIsoOrNull(r.seen_at), pausedSince: fromIsoOrNull(r.paused_since) }
    : { used: null, max: null, seenAt: null, pausedSince: null }
}

/** The org's daily API usage as just seen. */
export async function saveApiUsage(db: Db, usage: { used: number; max: number }, at: Date = new Date()): Promise<void> {
  const set = { used: usage.used, max: usage.max, seen_at: toIso(at) }
  await db.insertInto('api_budget').values({ id: ORG, ...set, paused_since: null }).onConflict((oc) => oc.column('id').doUpdateSet(set)).execute()
}

/**
 * Marks automatic syncs paused (`since`) or running (null). Returns true when this call changed
 * it — of two processes pausing at once one gets true — so the caller alerts exactly once.
 */
export async function setBudgetPaused(db: Db, since: Date | null): Promise<boolean> {
  await db.insertInto('api_budget').values({ id: ORG, used: null, max: null, seen_at: null, paused_since: null }).onConflict((oc) => oc.column('id').doNothing()).execute()
  const q = db.updateTable('api_budget').set({ paused_since: toIsoOrNull(since) }).where('id', '=', ORG)
  const r = await (since ? q.where('paused_since', 'is', null) : q.where('paused_since', 'is not', null)).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
