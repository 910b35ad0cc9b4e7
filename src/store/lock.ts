/**
 * @module store/lock
 * A per-connection lock that holds across processes, so two processes never refresh the same
 * OAuth connection at once (the classic way to lose a rotating QBO refresh token — design notes
 * "Tokens"). Postgres: `pg_advisory_xact_lock` inside a transaction. SQLite: `BEGIN IMMEDIATE`,
 * i.e. the database file's write lock — one lock for all providers, which is fine for a
 * single-node install.
 *
 * The callback gets the handle (`trx`) of the locked connection and must do its store work
 * through it: on SQLite, Kysely has a single connection, so a query on `store.db` inside the
 * callback would wait for the lock holder itself, forever.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { AppError } from '../lib/errors.js'
import type { Db } from './database.js'
import { SQLITE_BUSY_TIMEOUT_MS } from './dialect.js'
import type { Store } from './store.js'
import { markLockHandle } from './transaction.js'

import type { Provider } from '../lib/provider.js'

export type { Provider }

/**
 * Which connection: a provider alone (Salesforce, the one org; or a QBO connection with no
 * company key), or a provider and a company — for QBO the realm id, since every QuickBooks
 * company is a connection of its own (contract §9).
 */
export type ConnectionRef = Provider | { provider: Provider; company: string }

/** The connection of one QuickBooks company. */
export function qboCompany(realmId: string): ConnectionRef {
  return { provider: 'qbo', company: realmId }
}

/** The row key of a ref: `(provider, company_key)`, '' when there is no company. */
export function refParts(ref: ConnectionRef): { provider: Provider; company: string } {
  return typeof ref === 'string' ? { provider: ref, company: '' } : ref
}

function refLabel(ref: ConnectionRef): string {
  const { provider, company } = refParts(ref)
  return company ? `${provider} (company ${company})` : provider
}

/** Handed to the locked callback. */
export interface ConnectionLock {
  /**
   * Makes the writes done so far through `trx` durable now (commit), then takes the lock again.
   * Another waiter may run in between and will see those writes. Use it right after persisting
   * a rotated refresh token.
   */
  checkpoint(): Promise<void>
}

export interface LockOptions {
  /** Give up waiting for the lock after this long (ms); default 30 s. */
  timeoutMs?: number
}

/** The lock could not be taken in time: another process holds it. */
export class LockTimeoutError extends AppError {
  constructor(ref: ConnectionRef) {
    super(
      'store_lock_timeout',
      `Timed out waiting for the ${refLabel(ref)} connection lock held by another process.`,
    )
  }
}

/**
 * Runs `fn` while holding the lock of one connection (each QuickBooks company has its own). `fn`'s writes through `trx`
 * commit when it returns and roll back if it throws (except those already `checkpoint()`ed).
 */
export async function withConnectionLock<T>(
  store: Store,
  ref: ConnectionRef,
  fn: (trx: Db, lock: ConnectionLock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const acquire = store.dialect === 'postgres' ? acquirePostgres : acquireSqlite
  const { provider, company } = refParts(ref)
  const key = `tally:${store.schema ?? ''}:connection:${provider}${company ? `:${company}` : ''}`
  return store.db.connection().execute(async (conn) => {
    markLockHandle(conn)
    const take = () => acquire(conn, key, ref, timeoutMs)
    let open = false
    try {
      await take()
      open = true
      const lock: ConnectionLock = {
        async checkpoint() {
          await sql`commit`.execute(conn)
          open = false
          await take()
          open = true
        },
      }
      const value = await fn(conn, lock)
      await sql`commit`.execute(conn)
      open = false
      return value
    } catch (e) {
      if (open) await sql`rollback`.execute(conn)
      throw e
    }
  })
}

async function acquirePostgres(conn: Db, key: string, ref: ConnectionRef, timeoutMs: number) {
  await sql`begin`.execute(conn)
  try {
    // Advisory locks obey lock_timeout; hashtextextended maps the key to the lock's bigint id.
    // https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
    await sql`select set_config('lock_timeout', ${`${timeoutMs}ms`}, true)`.execute(conn)
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(conn)
  } catch (e) {
    await sql`rollback`.execute(conn)
    if ((e as { code?: string }).code === '55P03') throw new LockTimeoutError(ref)
    throw e
  }
}

/**
 * better-sqlite3 waits for a busy database synchronously, blocking the event loop; so the lock
 * is polled with a zero busy timeout and async sleeps instead. https://www.sqlite.org/lang_transaction.html
 */
async function acquireSqlite(conn: Db, _key: string, ref: ConnectionRef, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  let delay = 5
  for (;;) {
    await sql`pragma busy_timeout = 0`.execute(conn)
    try {
      await sql`begin immediate`.execute(conn)
      return
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e
    } finally {
      await sql.raw(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).execute(conn)
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(ref)
    await sleep(delay)
    delay = Math.min(delay * 2, 100)
  }
}
