/**
 * @module store/migrations
 * The one ordered migration set, given to Kysely's `Migrator` as a static provider (no folder
 * scanning, so it works the same from source, a bundle or a test). Add `0002_…` below.
 */
import type { Migration, MigrationProvider } from 'kysely'
import type { StoreDialect } from '../dialect.js'
import { initial } from './0001_initial.js'
import { runOwner } from './0002_run_owner.js'
import { sessionUserOAuth } from './0003_session_user_oauth.js'
import { customerViews } from './0004_customer_views.js'
import { refreshLease } from './0005_refresh_lease.js'

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initial(dialect),
        '0002_run_owner': runOwner,
        '0003_session_user_oauth': sessionUserOAuth,
        '0004_customer_views': customerViews,
        '0005_refresh_lease': refreshLease,
      }
    },
  }
}
