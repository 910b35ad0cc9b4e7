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

/**
 * Writes `items` in one transaction (as `inTransaction`), `size` rows at a time, each made by
 * `toRow` as its batch is reached: a big run's rows (100,000 customers' views or links) are never
 * all held at once. Nothing is opened for no items. Returns how many were written.
 */
export async function inBatches<T, R>(db: Db, items: Iterable<T>, size: number, toRow: (item: T) => R, write: (trx: Db, batch: R[]) => Promise<unknown>): Promise<number> {
  const iterator = items[Symbol.iterator]()
  let next = iterator.next()
  if (next.done) return 0
  return inTransaction(db, async (trx) => {
    let count = 0
    let batch: R[] = []
    for (; !next.done; next = iterator.next()) {
      batch.push(toRow(next.value))
      if (batch.length === size) {
        await write(trx, batch)
        count += batch.length
        batch = []
      }
    }
    if (batch.length > 0) await write(trx, batch)
    return count + batch.length
  })
}
