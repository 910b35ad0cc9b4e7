/**
 * @module store/dialect
 * Builds the Kysely dialect for the configured database: a SQLite file through better-sqlite3
 * (the default, `TALLY_DB`), or Postgres through a `pg` pool (`DATABASE_URL`), optionally pinned
 * to one schema through the connection's `search_path`.
 *
 * The SQLite file holds OAuth tokens (encrypted) and the Hub's sessions, so its folder is created
 * 0700 and the file and its `-wal`/`-shm` siblings are 0600 whatever the umask. Failures of the
 * file (damaged, read-only, locked) become a `StoreError` that names it and says what to do.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { PostgresDialect, SqliteDialect } from 'kysely'
import type { Dialect, SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import type pgTypes from 'pg'
import { ConfigError } from '../lib/errors.js'
import { sqliteStoreError } from './errors.js'

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

/** Owner only: the store holds tokens and sessions. */
const DIR_MODE = 0o700
const FILE_MODE = 0o600

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`"${schema}" is not a usable Postgres schema name (letters, digits, _).`)
  }
  return schema
}

/** Runs `fn`, turning a failure of the store file into the `StoreError` that explains it. */
function explained<T>(path: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw sqliteStoreError(e, path, SQLITE_BUSY_TIMEOUT_MS) ?? e
  }
}

/** chmod that leaves alone a file Tally does not own (EPERM): it is not ours to tighten. */
function restrict(path: string): void {
  try {
    chmodSync(path, FILE_MODE)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e
  }
}

export function createSqliteDialect(path: string): Dialect {
  if (path !== ':memory:') {
    explained(path, () => {
      mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE })
      // SQLite would create the file 0644 minus the umask; create it first, owner-only. Its
      // -wal and -shm files take the database file's permissions (SQLite's unix VFS), and are
      // chmodded below as well. An existing file from an older Tally is tightened the same way.
      closeSync(openSync(path, 'a', FILE_MODE))
      restrict(path)
    })
  }
  const database = explained(path, () => new SqliteDatabase(path, { timeout: SQLITE_BUSY_TIMEOUT_MS }))
  explained(path, () => {
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
    // Foreign keys are off by default in SQLite.
    database.pragma('foreign_keys = ON')
    // SQLite's own default page cache, 2 MB: better-sqlite3 builds it with 16 MB
    // (deps/defines.gypi, SQLITE_DEFAULT_CACHE_SIZE=-16000), which a big run fills reading and
    // writing 100,000 records' states and keeps for the rest of the process (11 MB of its peak;
    // README, "Memory"). The store's reads are by key and its writes in batches: the file's pages
    // stay in the OS's cache.
    database.pragma('cache_size = -2000')
  })
  // Kysely opens its connection with the first query, so the journal mode, which may have to wait
  // for another process, is set there without blocking the event loop.
  return new SqliteDialect({
    database: async () => {
      await walMode(database, path)
      if (path !== ':memory:') {
        for (const sibling of [`${path}-wal`, `${path}-shm`]) if (existsSync(sibling)) restrict(sibling)
      }
      return explainingDatabase(database, path)
    },
  })
}

/**
 * WAL lets the Hub read while a run writes. Setting it may find the file busy: a second process
 * opening a fresh store while the first switches it to WAL or migrates it under `BEGIN IMMEDIATE`
 * (store/migrate). SQLite does not always call the busy handler there (it answers SQLITE_BUSY at
 * once, e.g. while the WAL index is being built: https://www.sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode),
 * so it is polled with async sleeps up to the busy timeout.
 */
async function walMode(database: SqliteDatabase.Database, path: string): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS
  let delay = 5
  for (;;) {
    try {
      database.pragma('busy_timeout = 0')
      database.pragma('journal_mode = WAL')
      return
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '')
      if (!code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw sqliteStoreError(e, path, SQLITE_BUSY_TIMEOUT_MS) ?? e
    } finally {
      database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
    }
    await sleep(delay)
    delay = Math.min(delay * 2, 100)
  }
}

/** better-sqlite3 as Kysely uses it, with failures of the file explained (`StoreError`). */
function explainingDatabase(database: SqliteDatabase.Database, path: string): KyselySqliteDatabase {
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = explained(path, () => database.prepare(sql))
      return {
        reader: stmt.reader,
        all: (parameters) => explained(path, () => stmt.all(parameters)),
        run: (parameters) => explained(path, () => stmt.run(parameters)),
        iterate: (parameters) => explained(path, () => stmt.iterate(parameters)),
      }
    },
  }
}

export function createPostgresDialect(databaseUrl: string, schema?: string): Dialect {
  // Required when Postgres is used: a SQLite store does not carry the pg driver.
  const pg = createRequire(import.meta.url)('pg') as typeof pgTypes
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(schema ? { options: `-c search_path=${checkSchemaName(schema)}` } : {}),
  })
  return new PostgresDialect({ pool })
}
