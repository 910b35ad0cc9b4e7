/**
 * @module qbo/tokens
 * Where a QBO connection's tokens live. Intuit rotates refresh tokens (the value changes about once
 * a day and the previous one then fails with invalid_grant: api-facts Addendum §6), so the newest
 * one must be persisted the moment it arrives, and two processes must never refresh at once:
 * `withLock` serialises refreshes per connection (design-notes "Tokens").
 */

export interface QboTokens {
  accessToken: string
  accessTokenExpiresAt: Date
  refreshToken: string
  refreshTokenExpiresAt?: Date
}

/**
 * Where tokens live (the store implements it; tests use memoryTokenStore). `withLock` serialises
 * refreshes across processes: the client re-reads tokens inside the lock before refreshing
 * (another process may have refreshed already), and `write`s a rotated refresh token BEFORE using
 * the new access token.
 */
export interface QboTokenStore {
  read(): Promise<QboTokens | null>
  write(t: QboTokens): Promise<void>
  withLock<T>(fn: () => Promise<T>): Promise<T>
}

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
