/**
 * @module store/store
 * `createStore` opens Tally's database (SQLite file or Postgres) and migrates it with the one
 * migration set of `migrations/`. Repositories are plain functions taking `store.db` (or the
 * handle a transaction or `withConnectionLock` gives).
 */
import { Kysely, Migrator, sql } from 'kysely'
import { AppError } from '../lib/errors.js'
import { noopLogger } from '../lib/logger.js'
import type { Logger } from '../lib/logger.js'
import type { Database } from './database.js'
import { checkSchemaName, createPostgresDialect, createSqliteDialect } from './dialect.js'
import type { StoreDialect, StoreOptions } from './dialect.js'
import { migrationProvider } from './migrations/index.js'

export interface Store {
  db: Kysely<Database>
  dialect: StoreDialect
  /** Postgres schema the store is pinned to, if any (part of the lock keys). */
  schema: string | undefined
  /** Applies every pending migration; throws `AppError('store_migration')` on failure. */
  migrate(): Promise<void>
  close(): Promise<void>
}

/** Opens the store. Call `migrate()` before first use. */
export function createStore(o: StoreOptions, logger: Logger = noopLogger): Store {
  const isPg = 'databaseUrl' in o
  const dialect: StoreDialect = isPg ? 'postgres' : 'sqlite'
  const schema = isPg && o.schema ? checkSchemaName(o.schema) : undefined
  const db = new Kysely<Database>({
    dialect: isPg ? createPostgresDialect(o.databaseUrl, schema) : createSqliteDialect(o.sqlitePath),
  })
  let closed = false
  return {
    db,
    dialect,
    schema,
    async migrate() {
      if (schema) await createSchema(db, schema)
      // Kysely looks for its migration tables in every schema unless told which one: another
      // schema's (a second Tally in the same database) would be taken for ours. Without a schema
      // option the store's schema is the connection's current one (search_path).
      const tableSchema = schema ?? (isPg ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined)
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect),
        ...(tableSchema ? { migrationTableSchema: tableSchema } : {}),
      })
      const { error, results } = await migrator.migrateToLatest()
      for (const r of results ?? []) {
        if (r.status === 'Success') logger.info('store: migration applied', { migration: r.migrationName })
        if (r.status === 'Error') logger.error('store: migration failed', { migration: r.migrationName })
      }
      if (error) {
        const why = error instanceof Error ? error.message : String(error)
        throw new AppError('store_migration', `Could not migrate Tally's database: ${why}`, { cause: error })
      }
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}

/** `if not exists` still races when two processes start together; the loser's error is harmless. */
async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code !== '23505' && code !== '42P06') throw e
  }
}
