/**
 * @module store/migrations/0012_qbo_gate
 * The QBO request gate shared by every process (qbo/gate): requests in flight per realm (each with
 * an expiry, so a process that died frees its slots) and requests per realm and minute.
 */
import type { Kysely, Migration } from 'kysely'

export const qboGate: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('qbo_inflight')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('qbo_inflight_realm').on('qbo_inflight').columns(['realm_id', 'expires_at']).execute()
    await db.schema
      .createTable('qbo_minutes')
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('minute', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('qbo_minutes_pk', ['realm_id', 'minute'])
      .execute()
  },
}
