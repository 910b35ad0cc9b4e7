/**
 * @module store/checkpoints.repository
 * Per realm, the instant up to which QBO changes were synced (the `changedSince` of the next
 * incremental, CDC, sync), and when the last run's own writes to Salesforce ended and as which
 * user: the next sync's read of what changed in Salesforce skips those writes (sync/read-changed).
 */
import { toIso } from './codec.js'
import type { Db } from './database.js'

/** Tally's own writes of the last run: made by `userId`, none later than `until`. */
export interface OwnWrites {
  until: Date
  userId: string
}

export interface Checkpoint {
  lastSyncAt: Date
  ownWrites: OwnWrites | null
}

export async function getCheckpoint(db: Db, realmId: string): Promise<Date | null> {
  return (await getCheckpointDetail(db, realmId))?.lastSyncAt ?? null
}

export async function getCheckpointDetail(db: Db, realmId: string): Promise<Checkpoint | null> {
  const row = await db
    .selectFrom('checkpoints')
    .select(['last_sync_at', 'own_writes_until', 'own_writes_user_id'])
    .where('realm_id', '=', realmId)
    .executeTakeFirst()
  if (!row) return null
  const ownWrites = row.own_writes_until && row.own_writes_user_id ? { until: new Date(row.own_writes_until), userId: row.own_writes_user_id } : null
  return { lastSyncAt: new Date(row.last_sync_at), ownWrites }
}

export async function saveCheckpoint(
  db: Db,
  realmId: string,
  lastSyncAt: Date,
  now: Date = new Date(),
  ownWrites: OwnWrites | null = null,
): Promise<void> {
  const values = {
    last_sync_at: toIso(lastSyncAt),
    updated_at: toIso(now),
    own_writes_until: ownWrites ? toIso(ownWrites.until) : null,
    own_writes_user_id: ownWrites?.userId ?? null,
  }
  await db
    .insertInto('checkpoints')
    .values({ realm_id: realmId, ...values })
    .onConflict((oc) => oc.column('realm_id').doUpdateSet(values))
    .execute()
}

export async function deleteCheckpoint(db: Db, realmId: string): Promise<void> {
  await db.deleteFrom('checkpoints').where('realm_id', '=', realmId).execute()
}
