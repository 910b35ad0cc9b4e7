/**
 * @module store/qbo-token-store
 * The token store the QBO client uses for OAuth refresh (declared structurally here; the store
 * knows nothing of src/qbo). Intuit rotates refresh tokens, and the previous one stops working
 * soon after, so a rotated token must be on disk before it is used, and only one process may
 * refresh at a time (design notes "Tokens").
 *
 * ```ts
 * await tokens.withLock(async () => {      // claims the refresh lease (store/lock): no DB lock held
 *   const t = await tokens.read()          // fresh from the database: another process may have refreshed
 *   const fresh = await refresh(t)         // HTTP call to Intuit, outside any transaction
 *   await tokens.write(fresh)              // one short transaction that checks the lease, committed at once
 * })                                       // lease released
 * ```
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Cipher } from '../lib/crypto.js'
import { getConnection, saveTokens, type TokenSet } from './connections.repository.js'
import type { QboTokens, QboTokenStore } from '../lib/token-store.js'
import { holdsLease, withConnectionLock, withLease } from './lock.js'
import type { Store } from './store.js'

export type { QboTokens, QboTokenStore }

export interface QboTokenStoreOptions {
  /** How long a refresh lease lasts if its holder dies without releasing it; default 2 min,
   * well above the QBO client's bounded refresh (a few attempts of at most 15 s each). */
  leaseTtlMs?: number
  /** How long to wait for another process's refresh; default the lease's lifetime. */
  waitMs?: number
}

const DEFAULT_LEASE_TTL_MS = 120_000

interface Held {
  owner: string
  /** The refresh token the holder read first: what its refresh replaces. */
  basis?: string
}

/** The QBO connection's tokens in the store: after an environment import the access token is
 * empty and already expired, so the client refreshes first. */
export function qboTokenStore(store: Store, cipher: Cipher, options: QboTokenStoreOptions = {}): QboTokenStore {
  const current = new AsyncLocalStorage<Held>()
  const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS
  return {
    async read() {
      const c = await getConnection(store.db, cipher, 'qbo')
      if (!c?.refreshToken) return null
      const held = current.getStore()
      if (held && held.basis === undefined) held.basis = c.refreshToken
      return {
        accessToken: c.accessToken ?? '',
        accessTokenExpiresAt: c.accessTokenExpiresAt ?? new Date(0),
        ...(c.accessTokenIssuedAt ? { accessTokenIssuedAt: c.accessTokenIssuedAt } : {}),
        refreshToken: c.refreshToken,
        ...(c.refreshTokenExpiresAt ? { refreshTokenExpiresAt: c.refreshTokenExpiresAt } : {}),
      }
    },
    async write(t) {
      const set: TokenSet = {
        accessToken: t.accessToken,
        accessTokenExpiresAt: t.accessTokenExpiresAt,
        accessTokenIssuedAt: t.accessTokenIssuedAt ?? null,
        refreshToken: t.refreshToken,
        refreshTokenExpiresAt: t.refreshTokenExpiresAt ?? null,
      }
      const held = current.getStore()
      if (!held) return saveTokens(store.db, cipher, 'qbo', set)
      // A short transaction, no network inside: check the lease, save, commit.
      await withConnectionLock(store, 'qbo', async (trx) => {
        if (!(await holdsLease(trx, 'qbo', held.owner))) {
          // The lease expired under us (a stalled process) and may have changed hands. Our
          // token is still the newest unless someone saved one since we read ours: only then
          // keep theirs, which their refresh produced from the same or a newer grant.
          const stored = await getConnection(trx, cipher, 'qbo')
          if (stored?.refreshToken !== held.basis) return
        }
        await saveTokens(trx, cipher, 'qbo', set)
      })
      held.basis = t.refreshToken
    },
    withLock(fn) {
      // Re-entrant: a nested withLock in the same async context reuses the held lease.
      if (current.getStore()) return fn()
      return withLease(store, 'qbo', (owner) => current.run({ owner }, fn), { ttlMs, waitMs: options.waitMs ?? ttlMs })
    },
  }
}
