/**
 * @module store/migrations/0005_refresh_lease
 * The refresh lease of a connection (who is refreshing its tokens, until when), so that two
 * processes never refresh at once without holding a database lock across the call to the token
 * endpoint; and when the access token was issued, so the refresh margin can fit its lifetime.
 */
import type { Kysely, Migration } from 'kysely'

export const refreshLease: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    // One column per statement: SQLite's ALTER TABLE adds one column at a time.
    await db.schema.alterTable('connections').addColumn('refresh_lease_owner', 'text').execute()
    await db.schema.alterTable('connections').addColumn('refresh_lease_expires_at', 'text').execute()
    await db.schema.alterTable('connections').addColumn('access_token_issued_at', 'text').execute()
  },
}
