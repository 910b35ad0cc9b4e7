/**
 * @module emulators/qbo/routes/gate
 * What happens before an API request reaches its handler, in the order the real service applies it:
 * the gateway checks the bearer token (401 3200 in the lower-case envelope with
 * `Www-Authenticate: Bearer realm="Intuit", error="invalid_token"` — qbo_api error/401.yml) and
 * the realm: a token reaches only the company it was granted for (403 3100
 * ApplicationAuthorizationFailed, same envelope — api-facts A.6); then throttling (500 requests/minute and
 * 10 concurrent requests per realm → 429 fault 3001: I-THR blog 2016-08-08, quickbooks-ruby
 * too_many_requests_error.xml); then the sandbox's injected latency and transient faults.
 * Injected faults are 500 SystemFault 10000, 503, a dropped connection, or 429 3001, chosen with
 * the seeded PRNG so a run is reproducible. OAuth endpoints are never faulted (a choice: token
 * failures are tested through invalid_grant instead).
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { QboContext } from '../context.js'
import { gatewayFault, systemFault, throttleExceeded } from '../errors.js'
import { faultResponse, json } from '../http.js'

export function apiGate(ctx: QboContext): MiddlewareHandler {
  // Intuit's limits are per realm (I-THR): each company has its own window and concurrency.
  const windows = new Map<string, number[]>()
  const inFlightBy = new Map<string, number>()
  return async (c, next) => {
    const now = ctx.nowMs()
    const auth = c.req.header('authorization') ?? ''
    const token = /^bearer\s+(.+)$/i.exec(auth)?.[1]?.trim()
    const check = ctx.auth.checkAccess(token, now)
    if (!check.ok) {
      c.header('Www-Authenticate', 'Bearer realm="Intuit", error="invalid_token"')
      return json(c, gatewayFault(now, '3200', check.detail), 401)
    }
    const realm = c.req.param('realmId') ?? ''
    if (realm !== check.realmId || !ctx.companies.has(realm)) {
      return json(c, gatewayFault(now, '3100', `The application is not authorized to access company ${realm}`), 403)
    }
    const window = windows.get(realm) ?? []
    windows.set(realm, window)
    if (ctx.settings.throttle) {
      while (window.length > 0 && (window[0] as number) <= now - 60_000) window.shift()
      if (window.length >= 500 || (inFlightBy.get(realm) ?? 0) >= 10) return faultResponse(c, throttleExceeded(), now)
      window.push(now)
    }
    inFlightBy.set(realm, (inFlightBy.get(realm) ?? 0) + 1)
    try {
      if (ctx.settings.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.settings.latencyMs))
      if (ctx.settings.faultRate > 0 && ctx.random() < ctx.settings.faultRate) return injectFault(c, ctx)
      await next()
    } finally {
      inFlightBy.set(realm, (inFlightBy.get(realm) ?? 1) - 1)
    }
    return undefined
  }
}

function injectFault(c: Context, ctx: QboContext): Response {
  const kind = Math.floor(ctx.random() * 4)
  const now = ctx.nowMs()
  if (kind === 0) return faultResponse(c, systemFault(), now)
  if (kind === 1) return c.html('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>', 503)
  if (kind === 2) {
    const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined
    const socket = env?.incoming?.socket
    if (socket) {
      socket.destroy()
      return c.body(null, 500)
    }
    return c.html('<html><body><h1>502 Bad Gateway</h1></body></html>', 502)
  }
  return faultResponse(c, throttleExceeded(), now)
}
