/**
 * @module store/lock
 * Two ways to keep processes apart on one connection (design notes "Tokens"):
 * - `withConnectionLock`: a short critical section in a transaction — Postgres
 *   `pg_advisory_xact_lock`, SQLite `BEGIN IMMEDIATE` (the database file's write lock, so every
 *   other writer waits). Only for quick store work: never hold it across a network call.
 * - `withLease`: the refresh lease, held across the call to the token endpoint without holding
 *   any database lock (see below).
 *
 * The callback of `withConnectionLock` gets the handle (`trx`) of the locked connection and must
 * do its store work through it: on SQLite, Kysely has a single connection, so a query on
 * `store.db` inside the callback would wait for the lock holder itself, forever.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { AppError } from '../lib/errors.js'
import type { Db } from './database.js'
import { SQLITE_BUSY_TIMEOUT_MS } from './dialect.js'
import type { Store } from './store.js'
import { markLockHandle } from './transaction.js'

import type { Provider } from '../lib/provider.js'

export type { Provider }

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
  constructor(provider: Provider) {
    super(
      'store_lock_timeout',
      `Timed out waiting for the ${provider} connection lock held by another process.`,
    )
  }
}

/**
 * Runs `fn` while holding the lock of `provider`'s connection. `fn`'s writes through `trx`
 * commit when it returns and roll back if it throws (except those already `checkpoint()`ed).
 */
export async function withConnectionLock<T>(
  store: Store,
  provider: Provider,
  fn: (trx: Db, lock: ConnectionLock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const acquire = store.dialect === 'postgres' ? acquirePostgres : acquireSqlite
  const key = `tally:${store.schema ?? ''}:connection:${provider}`
  return store.db.connection().execute(async (conn) => {
    markLockHandle(conn)
    const take = () => acquire(conn, key, provider, timeoutMs)
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

async function acquirePostgres(conn: Db, key: string, provider: Provider, timeoutMs: number) {
  await sql`begin`.execute(conn)
  try {
    // Advisory locks obey lock_timeout; hashtextextended maps the key to the lock's bigint id.
    // https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
    await sql`select set_config('lock_timeout', ${`${timeoutMs}ms`}, true)`.execute(conn)
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(conn)
  } catch (e) {
    await sql`rollback`.execute(conn)
    if ((e as { code?: string }).code === '55P03') throw new LockTimeoutError(provider)
    throw e
  }
}

/**
 * better-sqlite3 waits for a busy database synchronously, blocking the event loop; so the lock
 * is polled with a zero busy timeout and async sleeps instead. https://www.sqlite.org/lang_transaction.html
 */
async function acquireSqlite(conn: Db, _key: string, provider: Provider, timeoutMs: number) {
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
    if (Date.now() >= deadline) throw new LockTimeoutError(provider)
    await sleep(delay)
    delay = Math.min(delay * 2, 100)
  }
}

// ── Refresh lease ───────────────────────────────────────────────────────────────────────────────
// A refresh calls the token endpoint, which can take seconds or fail slowly; holding the lock
// above across it would hold SQLite's write lock (every other Tally process on the file fails
// after its 5 s busy timeout) or a Postgres transaction. So a refresh holds a lease instead: a
// (owner, expiry) pair on the connection's row, claimed and released by single UPDATE statements,
// each its own short transaction. Nothing is locked while the refresh is in flight.

/** Another process held the refresh lease for longer than we were willing to wait. */
export class LeaseTimeoutError extends AppError {
  constructor(provider: Provider) {
    super(
      'store_lease_timeout',
      `Timed out waiting for another Tally process to finish refreshing the ${provider} connection's tokens; try again.`,
    )
  }
}

export interface LeaseOptions {
  /** How long a claimed lease lasts unless released: past it a crashed holder's lease is taken over. */
  ttlMs: number
  /** Give up waiting for another holder after this long. */
  waitMs: number
  now?: () => Date
}

/**
 * Claims the lease when it is free or expired: one atomic UPDATE (the row must exist; it does
 * whenever there are tokens to refresh). True when `owner` now holds it.
 */
export async function claimLease(db: Db, provider: Provider, owner: string, o: Pick<LeaseOptions, 'ttlMs' | 'now'>): Promise<boolean> {
  const now = (o.now ?? (() => new Date()))()
  const r = await db
    .updateTable('connections')
    .set({ refresh_lease_owner: owner, refresh_lease_expires_at: new Date(now.getTime() + o.ttlMs).toISOString() })
    .where('provider', '=', provider)
    .where((eb) =>
      eb.or([
        eb('refresh_lease_owner', 'is', null),
        eb('refresh_lease_owner', '=', owner),
        // ISO 8601 UTC text of one width: text order is time order (store/codec).
        eb('refresh_lease_expires_at', '<', now.toISOString()),
      ]),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Releases the lease if `owner` still holds it. */
export async function releaseLease(db: Db, provider: Provider, owner: string): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_lease_owner: null, refresh_lease_expires_at: null })
    .where('provider', '=', provider)
    .where('refresh_lease_owner', '=', owner)
    .execute()
}

/** True while `owner` holds an unexpired lease. */
export async function holdsLease(db: Db, provider: Provider, owner: string, now: Date = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom('connections')
    .select(['refresh_lease_owner', 'refresh_lease_expires_at'])
    .where('provider', '=', provider)
    .executeTakeFirst()
  return row?.refresh_lease_owner === owner && (row.refresh_lease_expires_at ?? '') >= now.toISOString()
}

/**
 * Runs `fn` while holding `provider`'s refresh lease, claiming it by polling (waiters sleep, they
 * hold nothing). `fn` runs outside any transaction. The lease is released when `fn` settles.
 */
export async function withLease<T>(store: Store, provider: Provider, fn: (owner: string) => Promise<T>, o: LeaseOptions): Promise<T> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`
  const deadline = Date.now() + o.waitMs
  let delay = 10
  while (!(await claimLease(store.db, provider, owner, o))) {
    // No row, no tokens: nothing to refresh and nobody to wait for (fn finds that out itself).
    const row = await store.db.selectFrom('connections').select('provider').where('provider', '=', provider).executeTakeFirst()
    if (!row) return fn(owner)
    if (Date.now() >= deadline) throw new LeaseTimeoutError(provider)
    await sleep(delay)
    delay = Math.min(delay * 2, 200)
  }
  try {
    return await fn(owner)
  } finally {
    await releaseLease(store.db, provider, owner)
  }
}
