/**
 * @module store/checkpoints.repository
 * Per realm, the instant up to which QBO changes were synced: the `changedSince` of the next
 * incremental (CDC) sync.
 */
import { toIso } from './codec.js'
import type { Db } from './database.js'

export async function getCheckpoint(db: Db, realmId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('checkpoints')
    .select('last_sync_at')
    .where('realm_id', '=', realmId)
    .executeTakeFirst()
  return row ? new Date(row.last_sync_at) : null
}

export async function saveCheckpoint(
  db: Db,
  realmId: string,
  lastSyncAt: Date,
  now: Date = new Date(),
): Promise<void> {
  const values = { last_sync_at: toIso(lastSyncAt), updated_at: toIso(now) }
  await db
    .insertInto('checkpoints')
    .values({ realm_id: realmId, ...values })
    .onConflict((oc) => oc.column('realm_id').doUpdateSet(values))
    .execute()
}

export async function deleteCheckpoint(db: Db, realmId: string): Promise<void> {
  await db.deleteFrom('checkpoints').where('realm_id', '=', realmId).execute()
}
