/**
 * @module store/migrations/0013_own_writes
 * The checkpoint also remembers when the last run's writes to Salesforce ended and as which user
 * they were made, so the next sync need not read back every record that run wrote (store/checkpoints).
 */
import type { Kysely, Migration } from 'kysely'

export const ownWrites: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('checkpoints').addColumn('own_writes_until', 'text').execute()
    await db.schema.alterTable('checkpoints').addColumn('own_writes_user_id', 'text').execute()
  },
}
