/**
 * @module hub/routes/connections
 * The connections (every QuickBooks company, the Salesforce org) and the OAuth 2.0
 * authorization-code flow: "Add a QuickBooks company", and Reconnect of one company, whose answer
 * must be for that company (the wrong-company guard). The `state` is bound to the
 * signed-in session (RFC 6749 §10.12, CSRF protection of the redirect URI); the redirect URI is
 * `${publicUrl}/oauth/callback/<provider>`, which must be registered with Intuit and Salesforce.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { DeleteConnection, GetConnections, PostAuthorize } from '../api-types.js'
import { newToken, safeEqual } from '../auth.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { HubError, parseOr400 } from '../errors.js'
import { PROVIDERS, type Provider } from '../../lib/provider.js'

const ProviderParams = z.strictObject({ provider: z.enum(PROVIDERS) })
const realm = z.string().regex(/^\d+$/).max(32)
const AuthorizeBody = z.strictObject({ realmId: realm.optional() })
const RealmQuery = z.object({ realmId: realm.optional() })

/** The session's OAuth state is `<provider>:<state>`, and `#<realmId>` for a Reconnect of one
 * QuickBooks company (what the answer must be for, contract §9). */
const splitState = (s: string): { binding: string; realmId?: string } => {
  const i = s.indexOf('#')
  return i < 0 ? { binding: s } : { binding: s.slice(0, i), realmId: s.slice(i + 1) }
}

export const redirectUri = (deps: ResolvedDeps, provider: Provider): string =>
  `${deps.baseUrl}/oauth/callback/${provider}`

/** A page that reloads the same URL from our own origin (see the callback route). */
function bouncePage(url: string): string {
  const safe = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${safe}"><title>Tally Hub</title><p>Finishing the connection…</p>`
}

export function registerConnectionRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  const { connections } = deps.services

  app.get('/api/connections', async (c) =>
    c.json<GetConnections['Success']>({ connections: await connections.list() }),
  )

  app.post('/api/connections/:provider/authorize', async (c) => {
    const { provider } = parseOr400(ProviderParams, c.req.param(), 'invalid_uri_params')
    const session = c.get('session')
    if (!session) throw new HubError(401, 'unauthenticated', 'Sign in to use the Tally Hub.')
    const text = await c.req.text()
    const body = parseOr400(AuthorizeBody, text === '' ? {} : safeJson(text), 'invalid_body')
    const state = newToken()
    const reconnect = provider === 'qbo' && body.realmId ? `#${body.realmId}` : ''
    await deps.auth.sessions.setOAuthState(session.idHash, `${provider}:${state}${reconnect}`)
    const url = await connections.beginAuthorize(provider, redirectUri(deps, provider), state)
    return c.json<PostAuthorize['Success']>({ url })
  })

  app.delete('/api/connections/:provider', async (c) => {
    const { provider } = parseOr400(ProviderParams, c.req.param(), 'invalid_uri_params')
    const { realmId } = parseOr400(RealmQuery, c.req.query(), 'invalid_query_params')
    await connections.disconnect(provider, realmId)
    return c.json<DeleteConnection['Success']>({ ok: true })
  })

  // The vendor redirects the browser here. That navigation comes from another site, so the
  // SameSite=Strict session cookie is not sent with it; the first hit without a cookie answers a
  // page that reloads the same URL from our own origin, which does carry the cookie.
  app.get('/oauth/callback/:provider', async (c) => {
    const done = (flag: string) => c.redirect(`/#/connections?${flag}`, 302)
    const parsed = ProviderParams.safeParse(c.req.param())
    if (!parsed.success) return done('error=' + encodeURIComponent('Unknown connection.'))
    const provider = parsed.data.provider
    const query = c.req.query()
    const session = c.get('session')
    if (!session) {
      if (query['tally_bounce'] === undefined) {
        const url = new URL(c.req.url)
        url.searchParams.set('tally_bounce', '1')
        return c.html(bouncePage(url.pathname + url.search))
      }
      return done('error=' + encodeURIComponent('Sign in to the Tally Hub, then connect again.'))
    }
    const expected = session.oauthState ? splitState(session.oauthState) : null
    await deps.auth.sessions.setOAuthState(session.idHash, null)
    const state = query['state'] ?? ''
    if (!expected || !safeEqual(`${provider}:${state}`, expected.binding)) {
      return done('error=' + encodeURIComponent('The authorization expired or did not come from this Hub. Connect again.'))
    }
    if (query['error']) {
      const why = query['error_description'] ?? query['error']
      return done('error=' + encodeURIComponent(`Authorization was not granted: ${why}`))
    }
    const params: Record<string, string> = {}
    for (const [k, v] of Object.entries(query)) if (k !== 'tally_bounce') params[k] = v
    try {
      await connections.completeAuthorize(provider, params, redirectUri(deps, provider), expected.realmId)
    } catch (e) {
      deps.logger.warn('oauth callback failed', { provider, error: e instanceof Error ? e.message : String(e) })
      const msg = e instanceof Error ? e.message : 'The connection could not be completed.'
      return done('error=' + encodeURIComponent(msg))
    }
    return done(`connected=${provider}`)
  })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
