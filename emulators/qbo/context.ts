/**
 * @module emulators/qbo/context
 * What the routes share: the company, its store, token state, runtime fault settings, counters,
 * the clock and the webhook sender. Built by `createQboEmulator` (index.ts).
 */
import type { RequestStats } from '../../emulators/shared/stats.js'
import type { Random } from '../../emulators/shared/random.js'
import type { AuthState } from './auth.js'
import type { Change } from './customers.js'
import type { QboStore } from './store.js'
import type { WebhookSender } from './webhooks.js'

export interface RuntimeSettings {
  latencyMs: number
  faultRate: number
  throttle: boolean
  cdcWindowEnforced: boolean
}

export interface QboContext {
  realmId: string
  companyName: string
  clientId: string
  clientSecret: string
  redirectUris?: string[]
  settings: RuntimeSettings
  store: QboStore
  auth: AuthState
  stats: RequestStats
  webhooks: WebhookSender
  random: Random
  nowMs(): number
  /** Records the changes: webhooks out. */
  publish(changes: Change[]): void
}
