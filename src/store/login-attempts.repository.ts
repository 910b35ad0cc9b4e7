/**
 * @module store/login-attempts.repository
 * Brute-force protection for the Hub's sign-in: failures are counted per key (e.g. user name,
 * client address) within a window; reaching `maxFailures` locks the key for `lockMs`. Counting is
 * done in SQL (insert, then one conditional update) so parallel attempts cannot undercount.
 */
import { sql } from 'kysely'
import { toIso } from './codec.js'
import type { Db } from './database.js'

export interface LockoutPolicy {
  maxFailures: number
  /** Failures older than this (from the first of the series) no longer count. */
  windowMs: number
  lockMs: number
}

export interface Lockout {
  failures: number
  /** Set while the key is locked. */
  lockedUntil: Date | null
}

/** Counts one failed sign-in and returns the key's state (locked once `maxFailures` is reached). */
export async function recordLoginFailure(
  db: Db,
  key: string,
  now: Date,
  policy: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
): Promise<Lockout> {
  const at = toIso(now)
  const windowStart = toIso(new Date(now.getTime() - policy.windowMs))
  const lockUntil = toIso(new Date(now.getTime() + policy.lockMs))
  await db
    .insertInto('login_attempts')
    .values({ key, failures: 0, first_failure_at: at, locked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  // A new series starts when the window has passed or an earlier lock has expired.
  const fresh = sql<boolean>`(first_failure_at < ${windowStart}
    or (locked_until is not null and locked_until <= ${at}))`
  await db
    .updateTable('login_attempts')
    .set({
      failures: sql<number>`case when ${fresh} then 1 else failures + 1 end`,
      first_failure_at: sql<string>`case when ${fresh} then ${at} else first_failure_at end`,
      locked_until: sql<string | null>`case when ${fresh} then null else locked_until end`,
    })
    .where('key', '=', key)
    .execute()
  await db
    .updateTable('login_attempts')
    .set({ locked_until: lockUntil })
    .where('key', '=', key)
    .where('failures', '>=', policy.maxFailures)
    .where('locked_until', 'is', null)
    .execute()
  return (await getLockout(db, key, now)) ?? { failures: 1, lockedUntil: null }
}

/** After a successful sign-in. */
export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute()
}

/** The key's failures and lock (lockedUntil null when not locked at `now`); null if none. */
export async function getLockout(db: Db, key: string, now: Date = new Date()): Promise<Lockout | null> {
  const row = await db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst()
  if (!row) return null
  const lockedUntil = row.locked_until && row.locked_until > toIso(now) ? new Date(row.locked_until) : null
  return { failures: Number(row.failures), lockedUntil }
}

/** Locks a key until `until` and starts its count afresh (the Hub decides when). */
export async function lockLogin(db: Db, key: string, until: Date, now: Date = new Date()): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ key, failures: 0, first_failure_at: toIso(now), locked_until: toIso(until) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: 0, first_failure_at: toIso(now), locked_until: toIso(until) }))
    .execute()
}
