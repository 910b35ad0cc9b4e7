/**
 * @module emulators/qbo
 * The QuickBooks Online emulator: a stateful Hono app reproducing the Accounting API v3 for
 * customers (create/update/read, query, CDC), Intuit OAuth 2.0 and webhooks, over real HTTP.
 * Fidelity, sources and what is not reproduced: ./README.md.
 */
import { Hono } from 'hono'
import type { SandboxData } from '../../emulators/shared/data.js'
import { seededRandom } from '../../emulators/shared/random.js'
import { listen } from '../../src/lib/http-server.js'
import { RequestStats } from '../../emulators/shared/stats.js'
import { AuthState, type TokenPair } from './auth.js'
import type { QboContext, RuntimeSettings } from './context.js'
import { seedCustomer, type Change } from './customers.js'
import { unsupportedOperation } from './errors.js'
import { faultResponse, isFault, json, qboHeaders } from './http.js'
import { seedNamed } from './name-entities.js'
import { cdcRoutes } from './routes/cdc.js'
import { customerRoutes } from './routes/customer.js'
import { apiGate } from './routes/gate.js'
import { oauthRoutes } from './routes/oauth.js'
import { queryRoutes } from './routes/query.js'
import { sandboxRoutes } from './routes/sandbox.js'
import { parentId, QboStore, type Wire } from './store.js'
import { WebhookSender, type WebhookConfig } from './webhooks.js'

export { signWebhookBody, webhookBody, type WebhookConfig, type WebhookEvent } from './webhooks.js'
export { formatEnvelopeTime, formatMetaTime } from './time.js'
export type { TokenPair } from './auth.js'

export const DEFAULT_QBO_CLIENT_ID = 'sandbox-qbo-client-id'
export const DEFAULT_QBO_CLIENT_SECRET = 'sandbox-qbo-client-secret'
export const DEFAULT_REALM_ID = '9341452631925553'

export interface QboEmulatorOptions {
  data?: Partial<SandboxData['qbo']>
  clientId?: string
  clientSecret?: string
  /** Allowed redirect URIs; by default any http(s) URI. */
  redirectUris?: string[]
  latencyMs?: number
  faultRate?: number
  throttle?: boolean
  tokenTtlSeconds?: number
  refreshTokenGraceSeconds?: number
  refreshRotation?: 'every-refresh' | 'daily'
  cdcWindowEnforced?: boolean
  randomSeed?: number
  now?: () => Date
  webhook?: WebhookConfig
}

export interface QboEmulator {
  app: Hono
  realmId: string
  companyName: string
  stats: RequestStats
  settings: RuntimeSettings
  reset(): void
  issueTokens(): Pick<TokenPair, 'access_token' | 'refresh_token' | 'expires_in' | 'x_refresh_token_expires_in'>
  /** Test hook: make an access token expire now. */
  expireAccessToken(token: string): void
  customers(): Wire[]
  vendors(): Wire[]
  employees(): Wire[]
  customer(id: string): Wire | undefined
  /** Test hook: hard-delete a customer (as a merge would), leaving a CDC "Deleted" stub. */
  deleteCustomer(id: string): boolean
  setWebhook(config: WebhookConfig | undefined): void
  /** Resolves when every webhook queued so far has been attempted. */
  webhooksIdle(): Promise<void>
  webhookDeliveries(): readonly { body: string; status: number }[]
}

export function createQboEmulator(options: QboEmulatorOptions = {}): QboEmulator {
  const data = options.data ?? {}
  const realmId = data.realmId ?? DEFAULT_REALM_ID
  const companyName = data.companyName ?? "Craig's Design and Landscaping Services"
  const nowMs = () => (options.now ? options.now().getTime() : Date.now())
  const clientId = options.clientId ?? DEFAULT_QBO_CLIENT_ID
  const settings: RuntimeSettings = {
    latencyMs: options.latencyMs ?? 0,
    faultRate: options.faultRate ?? 0,
    throttle: options.throttle ?? false,
    cdcWindowEnforced: options.cdcWindowEnforced ?? true,
  }
  const ctx: QboContext = {
    realmId,
    companyName,
    clientId,
    clientSecret: options.clientSecret ?? DEFAULT_QBO_CLIENT_SECRET,
    redirectUris: options.redirectUris,
    settings,
    store: new QboStore(realmId),
    auth: new AuthState({
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      refreshTokenGraceSeconds: options.refreshTokenGraceSeconds ?? 0,
      refreshRotation: options.refreshRotation ?? 'every-refresh',
    }),
    stats: new RequestStats(),
    webhooks: new WebhookSender(options.webhook),
    random: seededRandom(options.randomSeed ?? 1),
    nowMs,
    publish: (changes: Change[]) =>
      ctx.webhooks.send(changes.map((ch) => ({
        realmId, entity: ch.record.entity, id: String(ch.record.wire.Id), operation: ch.kind, timeMs: ch.record.updatedMs,
      }))),
  }

  const load = () => {
    ctx.store = new QboStore(realmId)
    const now = nowMs()
    // Ids given in the data come first, so records without one get fresh Ids from the shared counter.
    for (const list of [data.customers, data.vendors, data.employees]) {
      for (const r of list ?? []) if (r.Id !== undefined) ctx.store.noteId(String(r.Id))
    }
    for (const v of data.vendors ?? []) seedNamed(ctx.store, 'Vendor', v, now)
    for (const e of data.employees ?? []) seedNamed(ctx.store, 'Employee', e, now)
    for (const cust of parentsFirst(data.customers ?? [])) {
      try {
        seedCustomer(ctx.store, cust, now)
      } catch (e) {
        throw new Error(`QBO sandbox data: customer ${String(cust.Id ?? cust.DisplayName)}: ${(e as Error).message}: ${isFault(e) ? e.errors[0]?.Detail : ''}`, { cause: e })
      }
    }
  }
  load()

  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    if (!c.req.path.startsWith('/__sandbox')) qboHeaders(c)
  })
  app.use('/v3/company/:realmId/*', apiGate(ctx))
  oauthRoutes(app, ctx)
  customerRoutes(app, ctx)
  queryRoutes(app, ctx)
  cdcRoutes(app, ctx)
  app.get('/v3/company/:realmId/companyinfo/:id', (c) => {
    ctx.stats.count('companyinfo.read')
    return json(c, { CompanyInfo: { CompanyName: companyName, LegalName: companyName, Country: 'US', domain: 'QBO', sparse: false, Id: '1', SyncToken: '0' }, time: new Date(nowMs()).toISOString() })
  })
  const issueTokens = () => {
    const { access_token, refresh_token, expires_in, x_refresh_token_expires_in } = ctx.auth.issue(clientId, nowMs())
    return { access_token, refresh_token, expires_in, x_refresh_token_expires_in }
  }
  const reset = () => {
    load()
    ctx.stats.reset()
  }
  sandboxRoutes(app, ctx, reset, issueTokens)
  app.notFound((c) => {
    ctx.stats.count('unsupported')
    return faultResponse(c, unsupportedOperation(c.req.path), nowMs())
  })
  app.onError((err, c) => {
    if (isFault(err)) return faultResponse(c, err, nowMs())
    return json(c, { error: 'emulator error', message: err.message }, 500)
  })

  return {
    app,
    realmId,
    companyName,
    stats: ctx.stats,
    settings,
    reset,
    issueTokens,
    expireAccessToken: (t) => ctx.auth.expireAccessToken(t),
    customers: () => ctx.store.list('Customer'),
    vendors: () => ctx.store.list('Vendor'),
    employees: () => ctx.store.list('Employee'),
    customer: (id) => ctx.store.get('Customer', id)?.wire,
    deleteCustomer: (id) => {
      if (!ctx.store.get('Customer', id)) return false
      const rec = ctx.store.remove(id, nowMs())
      if (rec) ctx.publish([{ kind: 'deleted', record: { ...rec, updatedMs: nowMs() } }])
      return true
    },
    setWebhook: (config) => {
      ctx.webhooks.config = config
    },
    webhooksIdle: () => ctx.webhooks.idle(),
    webhookDeliveries: () => ctx.webhooks.delivered,
  }
}

/** Orders customers so that each parent is loaded before its children. */
function parentsFirst(customers: Wire[]): Wire[] {
  const byId = new Map(customers.filter((c) => c.Id !== undefined).map((c) => [String(c.Id), c]))
  const depth = new Map<Wire, number>()
  const depthOf = (c: Wire, seen = new Set<Wire>()): number => {
    const known = depth.get(c)
    if (known !== undefined) return known
    const pid = parentId(c)
    const parent = pid ? byId.get(pid) : undefined
    const d = parent && !seen.has(parent) ? depthOf(parent, seen.add(c)) + 1 : 0
    depth.set(c, d)
    return d
  }
  return customers.map((c, i) => ({ c, i, d: depthOf(c) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.c)
}

export async function startQboEmulator(
  options: QboEmulatorOptions & { port?: number } = {},
): Promise<{ url: string; close(): Promise<void>; emulator: QboEmulator }> {
  const emulator = createQboEmulator(options)
  const server = await listen(emulator.app, options.port ?? 0)
  return { url: server.url, close: server.close, emulator }
}
