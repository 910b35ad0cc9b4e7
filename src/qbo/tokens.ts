/**
 * @module qbo/tokens
 * Where a QBO connection's tokens live (the contract is in lib/token-store), and an in-memory
 * implementation for tests and scripts.
 */

import type { QboTokens, QboTokenStore } from '../lib/token-store.js'

export type { QboTokens, QboTokenStore }

const copy = (t: QboTokens): QboTokens => ({
  ...t,
  accessTokenExpiresAt: new Date(t.accessTokenExpiresAt),
  refreshTokenExpiresAt: t.refreshTokenExpiresAt ? new Date(t.refreshTokenExpiresAt) : undefined,
})

/** An in-memory store with a real (in-process) mutex; share one instance to share a connection. */
export function memoryTokenStore(initial?: QboTokens): QboTokenStore & { writes: number } {
  let current: QboTokens | null = initial ? copy(initial) : null
  let tail: Promise<unknown> = Promise.resolve()
  const store = {
    writes: 0,
    async read() {
      return current ? copy(current) : null
    },
    async write(t: QboTokens) {
      current = copy(t)
      store.writes++
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(fn, fn)
      // The next holder waits for this one whether it succeeded or failed.
      tail = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    },
  }
  return store
}
