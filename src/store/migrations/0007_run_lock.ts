/**
 * @module store/migrations/0007_run_lock
 * One running run per lock key, enforced by the database: a partial unique index on
 * `runs(lock_key) where status = 'running'`, so claiming a run is one insert that either wins or
 * conflicts (SQLite and Postgres both support partial indexes). Today every run has the store's
 * one key; scoping runs per QuickBooks company means giving each run its realm as the key.
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

/** The key of every run until runs are scoped per company. */
export const STORE_RUN_LOCK_KEY = 'store'

export const runLock: Migration = {
  // Kysely's migrations are untyped by design: they must not depend on today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('lock_key', 'text').execute()
    // The old check-then-insert claim could leave two runs `running`; only the latest can be
    // live, and the index below needs at most one.
    await sql`update runs set status = 'interrupted', finished_at = heartbeat_at,
        error = 'Superseded by a later run that started at the same time.'
      where status = 'running'
        and id <> (select id from runs where status = 'running' order by started_at desc, id limit 1)`.execute(db)
    await db.updateTable('runs').set({ lock_key: STORE_RUN_LOCK_KEY }).execute()
    await db.schema
      .createIndex('runs_running_lock_key_idx')
      .on('runs')
      .column('lock_key')
      .unique()
      .where(sql.ref('status'), '=', sql.lit('running'))
      .execute()
  },
}
