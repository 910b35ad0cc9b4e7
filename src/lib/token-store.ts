/**
 * @module lib/token-store
 * The contract between the QBO client, which refreshes tokens, and whatever keeps them (the store
 * in production, memory in tests). It lives here because both sides depend on it and neither may
 * import the other. Intuit rotates refresh tokens (the previous one then fails with invalid_grant:
 * api-facts Addendum §6), so the newest must be persisted the moment it arrives, and two processes
 * must never refresh at once (design-notes "Tokens").
 */

export interface QboTokens {
  accessToken: string
  accessTokenExpiresAt: Date
  /** When the access token was issued, if known: its lifetime sets the refresh margin. */
  accessTokenIssuedAt?: Date
  refreshToken: string
  refreshTokenExpiresAt?: Date
}

/**
 * `withLock` serialises refreshes across processes: the client re-reads tokens inside it before
 * refreshing (another process may have refreshed already), and `write`s a rotated refresh token
 * BEFORE using the new access token. `write` persists immediately. Implementations must not hold
 * a database lock or transaction across `fn`, which calls the token endpoint (store: a lease).
 */
export interface QboTokenStore {
  read(): Promise<QboTokens | null>
  write(t: QboTokens): Promise<void>
  withLock<T>(fn: () => Promise<T>): Promise<T>
}
