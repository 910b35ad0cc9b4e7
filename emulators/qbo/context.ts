/**
 * @module emulators/qbo/context
 * What the routes share: the companies (each with its realm, name and store — one QBO sandbox
 * may hold several, as one Intuit developer account has several sandbox companies), token state,
 * runtime fault settings, counters, the clock and the webhook sender. Built by
 * `createQboEmulator` (index.ts).
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

/** One QuickBooks company: its realm id, name and records. */
export interface QboCompany {
  realmId: string
  companyName: string
  store: QboStore
}

export interface QboContext {
  /** The first company's realm and name. */
  realmId: string
  companyName: string
  /** Every company, by realm id, in the order given. */
  companies: Map<string, QboCompany>
  clientId: string
  clientSecret: string
  redirectUris?: string[]
  settings: RuntimeSettings
  auth: AuthState
  stats: RequestStats
  webhooks: WebhookSender
  random: Random
  nowMs(): number
  /** Records the changes of one company: webhooks out. */
  publish(realmId: string, changes: Change[]): void
}

/** The company of an API request's path; the gate has already refused unknown realms. */
export function companyOf(ctx: QboContext, realmId: string | undefined): QboCompany {
  const co = realmId === undefined ? undefined : ctx.companies.get(realmId)
  if (!co) throw new Error(`No QBO sandbox company ${realmId ?? ''}`)
  return co
}
