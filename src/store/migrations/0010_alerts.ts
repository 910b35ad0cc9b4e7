/**
 * @module store/migrations/0010_alerts
 * Alerts (contract §11): the problems that are open now, one row per (kind, subject), so that a
 * problem is alerted once while it lasts — whichever process sees it, and across restarts — and
 * the alerts sent, raised or recovered, with what each channel answered.
 */
import type { Kysely, Migration } from 'kysely'

export const alerts: Migration = {
  // Kysely's migrations are untyped by design: they must not depend on today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('alert_problems')
      .addColumn('kind', 'text', (c) => c.notNull())
      // The QuickBooks company's realm id, or '' for the org as a whole (a key cannot be null).
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_problems_pk', ['kind', 'subject'])
      .execute()
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('company_name', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('deliveries', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('alerts_at_idx').on('alerts').columns(['at', 'id']).execute()
  },
}
