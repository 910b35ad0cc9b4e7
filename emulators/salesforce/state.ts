/**
 * @module emulators/salesforce/state
 * The emulator's mutable state and resolved options, shared by the route modules.
 */
import type { RequestStats } from '../../emulators/shared/stats.js'
import type { Random } from '../../emulators/shared/random.js'
import type { BulkState } from './bulk/jobs.js'
import type { IdFactory } from './ids.js'
import type { ApiAccount, LimitTable } from './limits.js'
import type { Schema } from './schema.js'
import type { QueryPlanning } from './soql/query.js'
import type { Store } from './store.js'
import type { WriteContext } from './writes.js'

export type FaultKind = '503' | '500' | 'reset' | 'lock'

export interface ResolvedOptions {
  clientId: string
  clientSecret: string
  latencyMs: number
  faultRate: number
  tokenTtlSeconds: number
  dailyApiLimit: number
  idLength: number
  trimText: boolean
  now: () => Date
}

export interface TokenInfo {
  userId: string
  clientId: string
  expiresAt: number
}

export interface Cursor {
  rows: Record<string, unknown>[]
  totalSize: number
  pageSize: number
}

export interface SfState {
  options: ResolvedOptions
  schema: Schema
  store: Store
  ids: IdFactory
  stats: RequestStats
  random: Random
  orgId: string
  userId: string
  username: string
  accessTokens: Map<string, TokenInfo>
  refreshTokens: Map<string, { userId: string; clientId: string }>
  authCodes: Map<string, { clientId: string; redirectUri: string; userId: string }>
  cursors: Map<string, Cursor>
  /** The daily API allocation and its use (set by the option, or by POST /__sandbox/limits). */
  api: ApiAccount
  /** The other limits `/limits` reports. */
  limits: LimitTable
  faultQueue: FaultKind[]
  /** Bulk API 2.0 ingest and query jobs. */
  bulk: BulkState
  /** Whether SOQL uses the planner's indexes (option `queryIndexes`), and how often it did. */
  queryPlanning: QueryPlanning
  /** The context of a write, made as `userId` (the request's user; the run-as user when absent). */
  writeContext(userId?: string): WriteContext
}
