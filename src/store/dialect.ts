/**
 * @module store/dialect
 * Builds the Kysely dialect for the configured database: a SQLite file through better-sqlite3
 * (the default, `TALLY_DB`), or Postgres through a `pg` pool (`DATABASE_URL`), optionally pinned
 * to one schema through the connection's `search_path`.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { PostgresDialect, SqliteDialect } from 'kysely'
import type { Dialect } from 'kysely'
import pg from 'pg'
import { ConfigError } from '../lib/errors.js'

export type StoreDialect = 'sqlite' | 'postgres'

export type StoreOptions =
  | { sqlitePath: string }
  | {
      databaseUrl: string
      /** Postgres schema holding Tally's tables (created by `migrate()`); default: the server's. */
      schema?: string
    }

/** How long a write waits for another process's write lock before failing (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`"${schema}" is not a usable Postgres schema name (letters, digits, _).`)
  }
  return schema
}

export function createSqliteDialect(path: string): Dialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new SqliteDatabase(path, { timeout: SQLITE_BUSY_TIMEOUT_MS })
  // WAL lets the Hub read while a run writes; foreign keys are off by default in SQLite.
  database.pragma('journal_mode = WAL')
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
  database.pragma('foreign_keys = ON')
  return new SqliteDialect({ database })
}

export function createPostgresDialect(databaseUrl: string, schema?: string): Dialect {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(schema ? { options: `-c search_path=${checkSchemaName(schema)}` } : {}),
  })
  return new PostgresDialect({ pool })
}
