/**
 * @module store/login-attempts.repository
 * Brute-force protection for the Hub's sign-in. Every attempt is counted per key (user name,
 * client address) *before* its password is checked, by one atomic upsert that returns the
 * attempt's number in the key's series: of 40 parallel attempts each gets its own number, so the
 * Hub can refuse all but the first few without running scrypt for them. A series starts afresh
 * once its window has passed or the key's lock has expired; a success forgets the attempts up to
 * its own. (The `failures` and `first_failure_at` columns hold the series' attempts and start.)
 */
import { sql } from 'kysely'
import { toIso } from './codec.js'
import type { Db } from './database.js'

export interface Lockout {
  failures: number
  /** Set while the key is locked. */
  lockedUntil: Date | null
}

export interface CountedAttempt {
  /** This attempt's number in the key's series (1 for the first). */
  attempt: number
  /** Set while the key is locked (at `now`). */
  lockedUntil: Date | null
}

const col = (name: 'failures' | 'first_failure_at' | 'locked_until') => sql.ref(`login_attempts.${name}`)

/**
 * Counts one sign-in attempt for `key` at `now` and returns its number, in one statement
 * (insert … on conflict do update … returning, on SQLite and Postgres alike). Attempts whose
 * series began more than `windowMs` ago, or whose lock has expired, start a new series.
 */
export async function countLoginAttempt(db: Db, key: string, now: Date, windowMs: number): Promise<CountedAttempt> {
  const at = toIso(now)
  const windowStart = toIso(new Date(now.getTime() - windowMs))
  const fresh = sql<boolean>`(${col('first_failure_at')} < ${windowStart}
    or (${col('locked_until')} is not null and ${col('locked_until')} <= ${at}))`
  const row = await db
    .insertInto('login_attempts')
    .values({ key, failures: 1, first_failure_at: at, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${fresh} then 1 else ${col('failures')} + 1 end`,
        first_failure_at: sql<string>`case when ${fresh} then ${at} else ${col('first_failure_at')} end`,
        locked_until: sql<string | null>`case when ${fresh} then null else ${col('locked_until')} end`,
      }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow()
  const lockedUntil = row.locked_until && row.locked_until > at ? new Date(row.locked_until) : null
  return { attempt: Number(row.failures), lockedUntil }
}

/**
 * After a successful sign-in that was attempt number `attempt`: forgets the attempts up to it.
 * Attempts counted after it (still in flight) stay counted, and a lock stays until it expires.
 */
export async function forgetLoginAttempts(db: Db, key: string, attempt: number, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('login_attempts')
    .set({ failures: sql<number>`case when failures > ${attempt} then failures - ${attempt} else 0 end` })
    .where('key', '=', key)
    .execute()
  await db
    .deleteFrom('login_attempts')
    .where('key', '=', key)
    .where('failures', '=', 0)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', toIso(now))]))
    .execute()
}

/** The key's attempts and lock (lockedUntil null when not locked at `now`); null if none. */
export async function getLockout(db: Db, key: string, now: Date = new Date()): Promise<Lockout | null> {
  const row = await db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst()
  if (!row) return null
  const lockedUntil = row.locked_until && row.locked_until > toIso(now) ? new Date(row.locked_until) : null
  return { failures: Number(row.failures), lockedUntil }
}

/** Locks a key until `until` (the Hub decides when); its series starts afresh once it expires. */
export async function lockLogin(db: Db, key: string, until: Date, now: Date = new Date()): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ key, failures: 0, first_failure_at: toIso(now), locked_until: toIso(until) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ locked_until: toIso(until) }))
    .execute()
}
