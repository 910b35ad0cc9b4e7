/**
 * @module store/transaction
 * `inTransaction` runs work atomically whether it is given the store's `db` (opens a
 * transaction) or a handle that is already inside one: a Kysely transaction, or the handle of
 * `withConnectionLock`, whose transaction Kysely does not know about (it is begun by hand).
 */
import type { Db } from './database.js'

const lockHandles = new WeakSet<Db>()

/** Marks a connection handle whose transaction was begun by hand (store/lock). */
export function markLockHandle(db: Db): void {
  lockHandles.add(db)
}

export function isInTransaction(db: Db): boolean {
  return db.isTransaction || lockHandles.has(db)
}

export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (isInTransaction(db)) return fn(db)
  return db.transaction().execute(fn)
}
