/**
 * @module store/store
 * `createStore` opens Tally's database (SQLite file or Postgres) and migrates it with the one
 * migration set of `migrations/`, under a cross-process lock (store/migrate). Repositories are plain functions taking `store.db` (or the
 * handle a transaction or `withConnectionLock` gives).
 */
import { Kysely } from 'kysely'
import { noopLogger } from '../lib/logger.js'
import type { Logger } from '../lib/logger.js'
import type { Database } from './database.js'
import { checkSchemaName, createPostgresDialect, createSqliteDialect } from './dialect.js'
import type { StoreDialect, StoreOptions } from './dialect.js'
import { migrateUnderLock } from './migrate.js'

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
    migrate: () => migrateUnderLock({ db, dialect, schema }, logger),
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}
