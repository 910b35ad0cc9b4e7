/**
 * @module store/migrations/0003_session_user_oauth
 * Hub sessions name their user and carry the state of an OAuth authorization in progress.
 */
import type { Kysely, Migration } from 'kysely'

export const sessionUserOAuth: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('sessions').addColumn('username', 'text').execute()
    await db.schema.alterTable('sessions').addColumn('oauth_state', 'text').execute()
  },
}
