/**
 * @module store/migrations
 * The one ordered migration set, given to Kysely's `Migrator` as a static provider (no folder
 * scanning, so it works the same from source, a bundle or a test). Add the next one below.
 */
import type { Migration, MigrationProvider } from 'kysely'
import type { StoreDialect } from '../dialect.js'
import { initial } from './0001_initial.js'
import { runOwner } from './0002_run_owner.js'
import { sessionUserOAuth } from './0003_session_user_oauth.js'
import { customerViews } from './0004_customer_views.js'
import { refreshLease } from './0005_refresh_lease.js'
import { recordRefusals } from './0006_record_refusals.js'
import { runLock } from './0007_run_lock.js'
import { companies } from './0008_companies.js'
import { links } from './0009_links.js'
import { alerts } from './0010_alerts.js'
import { autoSync } from './0011_auto_sync.js'
import { qboGate } from './0012_qbo_gate.js'
import { ownWrites } from './0013_own_writes.js'

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initial(dialect),
        '0002_run_owner': runOwner,
        '0003_session_user_oauth': sessionUserOAuth,
        '0004_customer_views': customerViews,
        '0005_refresh_lease': refreshLease,
        '0006_record_refusals': recordRefusals,
        '0007_run_lock': runLock,
        '0008_companies': companies,
        '0009_links': links,
        '0010_alerts': alerts,
        '0011_auto_sync': autoSync,
        '0012_qbo_gate': qboGate,
        '0013_own_writes': ownWrites,
      }
    },
  }
}
