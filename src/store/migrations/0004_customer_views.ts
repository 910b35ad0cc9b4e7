/**
 * @module store/migrations/0004_customer_views
 * The Hub's local copy of the synced customers (`customer_views`), rewritten after each run so
 * that browsing and searching the "QBO Customers" page costs no Salesforce API calls. Portable
 * types only, like 0001: text, integer 0/1 booleans, ISO text instants, JSON text.
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

export const customerViews: Migration = {
  // Kysely's migrations are untyped by design: they must not depend on today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('customer_views')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('salesforce_id', 'text')
      .addColumn('qbo_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('account_name', 'text')
      .addColumn('link_status', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('is_sub_customer', 'integer', (c) => c.notNull())
      .addColumn('parent_name', 'text')
      .addColumn('email', 'text')
      .addColumn('candidates', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    // The list is ordered by lower(display_name) within a realm; both SQLite (3.9+) and Postgres
    // index expressions, and `lower` is deterministic on both. The realm prefix also serves
    // deletes by realm.
    await db.schema
      .createIndex('customer_views_realm_name_idx')
      .on('customer_views')
      .column('realm_id')
      .expression(sql`lower(display_name)`)
      .execute()
    // The link queue (Unmapped / Ambiguous) is a small slice of the table.
    await db.schema
      .createIndex('customer_views_link_status_idx')
      .on('customer_views')
      .column('link_status')
      .execute()
  },
}
