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
import type { QboCompany, QboContext, RuntimeSettings } from './context.js'
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

export type QboCompanyData = Partial<SandboxData['qbo']>

export interface QboEmulatorOptions {
  /** One company's data (the first company). */
  data?: QboCompanyData
  /** Several companies (contract §9); when given, `data` is ignored. A company without a realm
   * id gets the default one plus its position. */
  companies?: QboCompanyData[]
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
  /** The first company's realm and name. */
  realmId: string
  companyName: string
  /** Every company, in the order given. */
  companies(): { realmId: string; companyName: string }[]
  stats: RequestStats
  settings: RuntimeSettings
  reset(): void
  /** A fresh grant of one company (default: the first). */
  issueTokens(realmId?: string): Pick<TokenPair, 'access_token' | 'refresh_token' | 'expires_in' | 'x_refresh_token_expires_in'>
  /** Test hook: make an access token expire now. */
  expireAccessToken(token: string): void
  /** One company's records (default: the first company's). */
  customers(realmId?: string): Wire[]
  vendors(realmId?: string): Wire[]
  employees(realmId?: string): Wire[]
  customer(id: string, realmId?: string): Wire | undefined
  /** Test hook: hard-delete a customer (as a merge would), leaving a CDC "Deleted" stub. */
  deleteCustomer(id: string, realmId?: string): boolean
  setWebhook(config: WebhookConfig | undefined): void
  /** Resolves when every webhook queued so far has been attempted. */
  webhooksIdle(): Promise<void>
  webhookDeliveries(): readonly { body: string; status: number }[]
}

export function createQboEmulator(options: QboEmulatorOptions = {}): QboEmulator {
  const datasets = options.companies && options.companies.length > 0 ? options.companies : [options.data ?? {}]
  const realmOf = (d: QboCompanyData, i: number) => d.realmId ?? (i === 0 ? DEFAULT_REALM_ID : String(BigInt(DEFAULT_REALM_ID) + BigInt(i)))
  const realmId = realmOf(datasets[0] as QboCompanyData, 0)
  const companyName = datasets[0]?.companyName ?? "Craig's Design and Landscaping Services"
  const companies = new Map<string, QboCompany>()
  datasets.forEach((d, i) => {
    const r = realmOf(d, i)
    if (companies.has(r)) throw new Error(`QBO sandbox data: the realm ${r} is given twice`)
    companies.set(r, { realmId: r, companyName: d.companyName ?? (i === 0 ? companyName : `Sandbox Company ${i + 1}`), store: new QboStore(r) })
  })
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
    companies,
    clientId,
    clientSecret: options.clientSecret ?? DEFAULT_QBO_CLIENT_SECRET,
    redirectUris: options.redirectUris,
    settings,
    auth: new AuthState({
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      refreshTokenGraceSeconds: options.refreshTokenGraceSeconds ?? 0,
      refreshRotation: options.refreshRotation ?? 'every-refresh',
    }),
    stats: new RequestStats(),
    webhooks: new WebhookSender(options.webhook),
    random: seededRandom(options.randomSeed ?? 1),
    nowMs,
    publish: (realm: string, changes: Change[]) =>
      ctx.webhooks.send(changes.map((ch) => ({
        realmId: realm, entity: ch.record.entity, id: String(ch.record.wire.Id), operation: ch.kind, timeMs: ch.record.updatedMs,
      }))),
  }

  const load = () => {
    datasets.forEach((data, i) => {
      // Each company has its own records and its own Id counter, as QBO companies do.
      const store = new QboStore(realmOf(data, i))
      ;(companies.get(realmOf(data, i)) as QboCompany).store = store
      const now = nowMs()
      // Ids given in the data come first, so records without one get fresh Ids from the shared counter.
      for (const list of [data.customers, data.vendors, data.employees]) {
        for (const r of list ?? []) if (r.Id !== undefined) store.noteId(String(r.Id))
      }
      for (const v of data.vendors ?? []) seedNamed(store, 'Vendor', v, now)
      for (const e of data.employees ?? []) seedNamed(store, 'Employee', e, now)
      for (const cust of parentsFirst(data.customers ?? [])) {
        try {
          seedCustomer(store, cust, now)
        } catch (e) {
          throw new Error(`QBO sandbox data: ${datasets.length > 1 ? `company ${realmOf(data, i)}: ` : ''}customer ${String(cust.Id ?? cust.DisplayName)}: ${(e as Error).message}: ${isFault(e) ? e.errors[0]?.Detail : ''}`, { cause: e })
        }
      }
    })
  }
  load()
  const company = (realm?: string): QboCompany => {
    const co = companies.get(realm ?? realmId)
    if (!co) throw new Error(`No company ${realm ?? ''} in this QBO sandbox (it has ${[...companies.keys()].join(', ')})`)
    return co
  }

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
    const { companyName: name } = company(c.req.param('realmId'))
    return json(c, { CompanyInfo: { CompanyName: name, LegalName: name, Country: 'US', domain: 'QBO', sparse: false, Id: '1', SyncToken: '0' }, time: new Date(nowMs()).toISOString() })
  })
  const issueTokens = (realm?: string) => {
    const { access_token, refresh_token, expires_in, x_refresh_token_expires_in } = ctx.auth.issue(clientId, company(realm).realmId, nowMs())
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
    companies: () => [...companies.values()].map((co) => ({ realmId: co.realmId, companyName: co.companyName })),
    stats: ctx.stats,
    settings,
    reset,
    issueTokens,
    expireAccessToken: (t) => ctx.auth.expireAccessToken(t),
    customers: (realm) => company(realm).store.list('Customer'),
    vendors: (realm) => company(realm).store.list('Vendor'),
    employees: (realm) => company(realm).store.list('Employee'),
    customer: (id, realm) => company(realm).store.get('Customer', id)?.wire,
    deleteCustomer: (id, realm) => {
      const co = company(realm)
      if (!co.store.get('Customer', id)) return false
      const rec = co.store.remove(id, nowMs())
      if (rec) ctx.publish(co.realmId, [{ kind: 'deleted', record: { ...rec, updatedMs: nowMs() } }])
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
