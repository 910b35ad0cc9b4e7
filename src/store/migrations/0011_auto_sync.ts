/**
 * @module store/migrations/0011_auto_sync
 * Automatic sync (contract §11): per QuickBooks company its "Automatic sync" switch and what the
 * automatic sync last did (sweeps, the last change's lag, the last error), and for the org the
 * daily Salesforce API usage last seen and whether automatic syncs are paused at the budget. In the
 * store, so every process (Hubs, workers) shows and obeys the same.
 */
import type { Kysely, Migration } from 'kysely'

export const autoSync: Migration = {
  // Kysely's migrations are untyped by design: they must not depend on today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('auto_sync_companies')
      .addColumn('realm_id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('last_sweep_at', 'text')
      .addColumn('next_sweep_at', 'text')
      .addColumn('last_change_at', 'text')
      .addColumn('last_lag_ms', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('last_error_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('api_budget')
      // One row, 'org': the one Salesforce org every company syncs to.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('used', 'integer')
      .addColumn('max', 'integer')
      .addColumn('seen_at', 'text')
      .addColumn('paused_since', 'text')
      .execute()
  },
}
