/**
 * @module store/migrations/0009_links
 * Links that help (contract §10): the suggested Accounts of each record in the Hub's copy (JSON,
 * best first), and the history of every link change, newest first by `seq` (an id that orders on
 * both dialects without a clock). `undone_by` names the entry that undid this one.
 */
import type { Kysely, Migration } from 'kysely'

export const links: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('customer_views').addColumn('suggestions', 'text').execute()
    await db.schema
      .createTable('link_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('qbo_key', 'text', (c) => c.notNull())
      .addColumn('qbo_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('from_account_id', 'text')
      .addColumn('from_account_name', 'text')
      .addColumn('to_account_id', 'text')
      .addColumn('to_account_name', 'text')
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('undo_of', 'text')
      .addColumn('undone_by', 'text')
      .execute()
    await db.schema.createIndex('link_history_at').on('link_history').columns(['at', 'id']).execute()
    await db.schema.createIndex('link_history_key').on('link_history').columns(['qbo_key']).execute()
  },
}
