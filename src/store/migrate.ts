/**
 * @module store/migrate
 * Applies the migration set under a lock that holds across processes, so two processes opening
 * one fresh store at once (the Hub and a CLI command, two workers) never both run it.
 *
 * Kysely 0.28's `Migrator` is not enough on its own: its SQLite adapter's migration lock is a
 * no-op (it assumes one process owns the one connection) and it runs SQLite migrations outside
 * any transaction, so two processes both see "nothing applied" and the loser fails with "table
 * connections already exists", possibly halfway through. On Postgres it takes a session advisory
 * lock, but only after creating its own tables and our schema with `if not exists`, which races
 * (that is why it re-checks after errors). Here:
 * - SQLite: `BEGIN IMMEDIATE` (the file's write lock) on the store's one connection, the whole
 *   set applied inside that transaction (SQLite's DDL is transactional), then commit; polled
 *   with async sleeps because better-sqlite3 waits for a busy file synchronously.
 * - Postgres: a session advisory lock keyed by the schema, on a connection of its own, held
 *   around creating the schema and the `Migrator` run; Kysely's tables are always looked up in
 *   the store's schema (it otherwise matches another schema's `kysely_migration`).
 * A store already up to date takes no lock (a read of the applied migrations).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Migrator, sql } from 'kysely'
import type { Kysely, MigrationResultSet } from 'kysely'
import { AppError } from '../lib/errors.js'
import type { Logger } from '../lib/logger.js'
import type { Database } from './database.js'
import { SQLITE_BUSY_TIMEOUT_MS } from './dialect.js'
import type { StoreDialect } from './dialect.js'
import { migrationProvider } from './migrations/index.js'

export interface MigrateTarget {
  db: Kysely<Database>
  dialect: StoreDialect
  schema: string | undefined
}

/** Kysely's default name for its table of applied migrations. */
const MIGRATION_TABLE = 'kysely_migration'

export async function migrateUnderLock(t: MigrateTarget, logger: Logger): Promise<void> {
  if (await isUpToDate(t)) return
  const results = t.dialect === 'sqlite' ? await migrateSqlite(t) : await migratePostgres(t)
  for (const r of results.results ?? []) {
    if (r.status === 'Success') logger.info('store: migration applied', { migration: r.migrationName })
    if (r.status === 'Error') logger.error('store: migration failed', { migration: r.migrationName })
  }
  if (results.error) {
    const e = results.error
    if (e instanceof AppError) throw e
    const why = e instanceof Error ? e.message : String(e)
    throw new AppError('store_migration', `Could not migrate Tally's database: ${why}`, { cause: e })
  }
}

async function isUpToDate(t: MigrateTarget): Promise<boolean> {
  const wanted = Object.keys(await migrationProvider(t.dialect).getMigrations())
  try {
    // Unqualified on purpose: a Postgres store's search_path is its schema.
    const rows = await sql<{ name: string }>`select name from ${sql.id(MIGRATION_TABLE)}`.execute(t.db)
    const applied = new Set(rows.rows.map((r) => r.name))
    return wanted.every((name) => applied.has(name))
  } catch {
    // No migration table yet (a fresh store) or no schema: the migrator decides under the lock.
    return false
  }
}

function migrator(db: Kysely<Database>, t: MigrateTarget): Migrator {
  return new Migrator({ db, provider: migrationProvider(t.dialect), ...(t.schema ? { migrationTableSchema: t.schema } : {}) })
}

async function migrateSqlite(t: MigrateTarget): Promise<MigrationResultSet> {
  return t.db.connection().execute(async (conn) => {
    await beginImmediate(conn)
    let results: MigrationResultSet
    try {
      results = await migrator(conn, t).migrateToLatest()
    } catch (e) {
      await sql`rollback`.execute(conn)
      throw e
    }
    // All or nothing: a failed migration leaves the store as it was.
    await sql.raw(results.error ? 'rollback' : 'commit').execute(conn)
    return results
  })
}

/** Takes the file's write lock, waiting up to the busy timeout without blocking the event loop. */
async function beginImmediate(conn: Kysely<Database>): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS
  let delay = 5
  for (;;) {
    await sql`pragma busy_timeout = 0`.execute(conn)
    try {
      await sql`begin immediate`.execute(conn)
      return
    } catch (e) {
      if (!String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw e
    } finally {
      await sql.raw(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).execute(conn)
    }
    await sleep(delay)
    delay = Math.min(delay * 2, 100)
  }
}

async function migratePostgres(t: MigrateTarget): Promise<MigrationResultSet> {
  // hashtextextended maps the key to the advisory lock's bigint; lock_timeout bounds the wait.
  // https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
  const key = `tally:${t.schema ?? ''}:migrate`
  return t.db.connection().execute(async (conn) => {
    await sql`select set_config('lock_timeout', '60s', false)`.execute(conn)
    await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(conn)
    try {
      if (t.schema) await sql`create schema if not exists ${sql.id(t.schema)}`.execute(t.db)
      // Kysely looks for its own tables in every schema unless told which one: a store without
      // an explicit schema (search_path in DATABASE_URL, or the default) names its current one,
      // or another store's kysely_migration in the same database would be taken for its own.
      const schema = t.schema ?? (await sql<{ s: string | null }>`select current_schema() as s`.execute(conn)).rows[0]?.s ?? undefined
      for (let attempt = 1; ; attempt++) {
        const results = await migrator(t.db, { ...t, schema }).migrateToLatest()
        if (attempt < 5 && schema && otherSchemaVanished(results.error, schema)) {
          await sleep(50 * attempt)
          continue
        }
        return results
      }
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn)
      await sql`select set_config('lock_timeout', '0', false)`.execute(conn)
    }
  })
}

/**
 * Kysely's introspection reads the catalog of every schema of the database, and fails with
 * 3F000 when another schema is dropped while it reads (tests drop theirs; so might an operator).
 * Nothing was applied then, and the lock is still held, so trying again is safe.
 */
function otherSchemaVanished(e: unknown, ours: string): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined
  return err?.code === '3F000' && !String(err.message ?? '').includes(`"${ours}"`)
}
