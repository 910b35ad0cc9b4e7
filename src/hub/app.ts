/**
 * @module hub/app
 * `createHubApp(deps)`: the Tally Hub as a Hono app (the caller listens). Order of the layers:
 * security headers on every response → session loading → 401 for /api without a session →
 * CSRF/origin check on state-changing requests → routes → SPA files. One `onError` produces the
 * `{ error: { code, message } }` envelope.
 */
import { resolve } from 'node:path'
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { AppError } from '../lib/errors.js'
import { noopLogger } from '../lib/logger.js'
import type { ApiError } from './api-types.js'
import { csrfGuard, loadSession, requireSession } from './auth.js'
import type { HubDeps, HubEnv, ResolvedDeps } from './context.js'
import { HubError } from './errors.js'
import { registerAlertRoutes } from './routes/alerts.js'
import { registerAutoSyncRoutes } from './routes/auto-sync.js'
import { registerConnectionRoutes } from './routes/connections.js'
import { registerCustomerRoutes } from './routes/customers.js'
import { registerLinkRoutes } from './routes/links.js'
import { registerRunRoutes } from './routes/runs.js'
import { registerSalesforcePackageRoutes } from './routes/salesforce-package.js'
import { registerSessionRoutes } from './routes/session.js'
import { registerSettingsRoutes } from './routes/settings.js'
import { NotFoundError } from './services.js'
import { serveSpa } from './static.js'
import { WEB_ROOT } from './web-build.js'

export type { HubDeps } from './context.js'

function resolveDeps(deps: HubDeps): ResolvedDeps {
  const base = new URL(deps.publicUrl)
  return {
    services: deps.services,
    auth: deps.auth,
    webRoot: resolve(deps.webRoot ?? WEB_ROOT),
    logger: deps.logger ?? noopLogger,
    secureCookies: deps.secureCookies ?? base.protocol === 'https:',
    publicUrl: deps.publicUrl,
    baseUrl: deps.publicUrl.replace(/\/+$/, ''),
    origin: base.origin,
    now: deps.now ?? (() => new Date()),
  }
}

export function createHubApp(hubDeps: HubDeps): Hono<HubEnv> {
  const deps = resolveDeps(hubDeps)
  const app = new Hono<HubEnv>()

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: deps.secureCookies ? 'max-age=15552000; includeSubDomains' : false,
    }),
  )
  app.use('/api/*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  app.use('*', loadSession(deps))
  app.use('/api/*', requireSession())
  app.use('*', csrfGuard(deps))

  registerSessionRoutes(app, deps)
  registerConnectionRoutes(app, deps)
  registerSettingsRoutes(app, deps)
  registerRunRoutes(app, deps)
  registerCustomerRoutes(app, deps)
  registerLinkRoutes(app, deps)
  if (deps.services.salesforcePackage) registerSalesforcePackageRoutes(app, deps, deps.services.salesforcePackage)
  if (deps.services.alerts) registerAlertRoutes(app, deps.services.alerts)
  if (deps.services.autoSync) registerAutoSyncRoutes(app, deps.services.autoSync)

  app.all('/api/*', () => {
    throw new HubError(404, 'not_found', 'No such API endpoint.')
  })
  app.get('*', serveSpa(deps.webRoot))

  app.onError((e, c) => {
    let status = 500
    let body: ApiError = { error: { code: 'server_error', message: 'Something went wrong in the Hub; see its log.' } }
    if (e instanceof HubError) {
      status = e.status
      body = { error: { code: e.code, message: e.message } }
    } else if (e instanceof NotFoundError) {
      status = 404
      body = { error: { code: 'not_found', message: e.message } }
    } else if (e instanceof AppError) {
      // Errors a user can act on (not connected, package not deployed…) carry their sentence.
      status = 422
      body = { error: { code: 'action_failed', message: e.toText() } }
    } else {
      deps.logger.error('hub request failed', { path: c.req.path, error: e instanceof Error ? e.message : String(e) })
    }
    return c.json(body, status as 400)
  })
  app.notFound((c) => c.json<ApiError>({ error: { code: 'not_found', message: 'Not found.' } }, 404))
  return app
}
