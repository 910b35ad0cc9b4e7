/**
 * @module store/database
 * The Kysely `Database` interface, assembled from `tables/*.table.ts`. Repositories take a
 * `Db` — the store's `db` or a transaction/lock handle, which have the same type.
 */
import type { Kysely } from 'kysely'
import type { AlertProblemsTable, AlertsTable } from './tables/alerts.table.js'
import type { ApiBudgetTable, AutoSyncCompaniesTable } from './tables/auto-sync.table.js'
import type { CheckpointsTable } from './tables/checkpoints.table.js'
import type { ConnectionsTable } from './tables/connections.table.js'
import type { CustomerViewsTable } from './tables/customer-views.table.js'
import type { LinkHistoryTable } from './tables/link-history.table.js'
import type { QboInflightTable, QboMinutesTable } from './tables/qbo-gate.table.js'
import type { LoginAttemptsTable } from './tables/login-attempts.table.js'
import type { RecordStatesTable } from './tables/record-states.table.js'
import type { RunMessagesTable } from './tables/run-messages.table.js'
import type { RunsTable } from './tables/runs.table.js'
import type { SessionsTable } from './tables/sessions.table.js'
import type { CompanySettingsTable, SettingsTable } from './tables/settings.table.js'

export interface Database {
  connections: ConnectionsTable
  settings: SettingsTable
  company_settings: CompanySettingsTable
  runs: RunsTable
  run_messages: RunMessagesTable
  record_states: RecordStatesTable
  checkpoints: CheckpointsTable
  sessions: SessionsTable
  login_attempts: LoginAttemptsTable
  customer_views: CustomerViewsTable
  link_history: LinkHistoryTable
  qbo_inflight: QboInflightTable
  qbo_minutes: QboMinutesTable
  alert_problems: AlertProblemsTable
  alerts: AlertsTable
  auto_sync_companies: AutoSyncCompaniesTable
  api_budget: ApiBudgetTable
}

/** The store's Kysely instance, or a transaction / lock handle on it. */
export type Db = Kysely<Database>
