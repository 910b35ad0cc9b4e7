/**
 * @module store
 * Tally's own state (Kysely over SQLite or Postgres): connections and their encrypted tokens,
 * settings, runs and their messages, per-record sync state, CDC checkpoints, Hub sessions,
 * sign-in lockouts, the Hub's local copy of the synced customers, and alerts (the open problems
 * and the alerts sent), and automatic sync's state per company and the org's API budget.
 * Repositories are plain functions `(db, …)`; `db` is `store.db`, a Kysely
 * transaction, or the handle `withConnectionLock` passes.
 */
export { createStore } from './store.js'
export type { Store } from './store.js'
export type { StoreDialect, StoreOptions } from './dialect.js'
export type { Database, Db } from './database.js'
export { inTransaction } from './transaction.js'
export { LeaseTimeoutError, LockTimeoutError, qboCompany, refParts, withConnectionLock } from './lock.js'
export type { ConnectionLock, ConnectionRef, LockOptions, Provider } from './lock.js'
export * from './connections.repository.js'
export { qboTokenStore } from './qbo-token-store.js'
export type { QboTokenStore, QboTokens } from './qbo-token-store.js'
export * from './settings.repository.js'
export * from './runs.repository.js'
export * from './run-messages.repository.js'
export * from './record-states.repository.js'
export * from './checkpoints.repository.js'
export * from './sessions.repository.js'
export * from './login-attempts.repository.js'
export * from './customer-views.repository.js'
export * from './link-history.repository.js'
export * from './alerts.repository.js'
export { createQboGate } from './qbo-gate.repository.js'
export type { QboGateOptions, SharedRequestGate } from './qbo-gate.repository.js'
export * from './auto-sync.repository.js'
