/**
 * @module store/qbo-token-store
 * The token store the QBO client uses for OAuth refresh (declared structurally here; the store
 * knows nothing of src/qbo). Intuit rotates refresh tokens, and the previous one stops working
 * soon after, so a rotated token must be on disk before it is used, and only one process may
 * refresh at a time (design notes "Tokens").
 *
 * ```ts
 * await tokens.withLock(async () => {
 *   const t = await tokens.read()          // reads through the lock's transaction
 *   const fresh = await refresh(t)         // HTTP call to Intuit
 *   await tokens.write(fresh)              // committed at once, lock kept
 * })
 * ```
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Cipher } from '../lib/crypto.js'
import { getConnection, saveTokens } from './connections.repository.js'
import type { Db } from './database.js'
import type { QboTokens, QboTokenStore } from '../lib/token-store.js'
import { qboCompany, withConnectionLock } from './lock.js'
import type { ConnectionLock, ConnectionRef, LockOptions } from './lock.js'
import type { Store } from './store.js'

export type { QboTokens, QboTokenStore }

/** The QBO connection's tokens in the store: after an environment import the access token is
 * empty and already expired, so the client refreshes first; `read`/`write` inside `withLock` go
 * through the lock's transaction, and `write` checkpoints it so a rotated token is on disk at once.
 * `realmId` names the company: each has its own tokens under its own lock (contract §9). */
export function qboTokenStore(store: Store, cipher: Cipher, options: LockOptions & { realmId?: string } = {}): QboTokenStore {
  const ref: ConnectionRef = options.realmId !== undefined ? qboCompany(options.realmId) : 'qbo'
  const current = new AsyncLocalStorage<{ trx: Db; lock: ConnectionLock }>()
  return {
    async read() {
      const c = await getConnection(current.getStore()?.trx ?? store.db, cipher, ref)
      if (!c?.refreshToken) return null
      return {
        accessToken: c.accessToken ?? '',
        accessTokenExpiresAt: c.accessTokenExpiresAt ?? new Date(0),
        refreshToken: c.refreshToken,
        ...(c.refreshTokenExpiresAt ? { refreshTokenExpiresAt: c.refreshTokenExpiresAt } : {}),
      }
    },
    async write(t) {
      const held = current.getStore()
      await saveTokens(held?.trx ?? store.db, cipher, ref, {
        accessToken: t.accessToken,
        accessTokenExpiresAt: t.accessTokenExpiresAt,
        refreshToken: t.refreshToken,
        refreshTokenExpiresAt: t.refreshTokenExpiresAt ?? null,
      })
      if (held) await held.lock.checkpoint()
    },
    withLock(fn) {
      // Re-entrant: a nested withLock in the same async context reuses the held lock.
      if (current.getStore()) return fn()
      return withConnectionLock(store, ref, (trx, lock) => current.run({ trx, lock }, fn), options)
    },
  }
}
