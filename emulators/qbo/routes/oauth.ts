/**
 * @module emulators/qbo/routes/oauth
 * Intuit OAuth 2.0 endpoints (api-facts A.5; oauth-jsclient src/OAuthClient.js; .NET SDK
 * discovery.json): `GET /connect/oauth2` consent page (appcenter.intuit.com), its form POST
 * redirecting to `redirect_uri?code&state&realmId`; `POST /oauth2/v1/tokens/bearer` (form body,
 * HTTP Basic client auth or client_secret_post); `POST /v2/oauth2/tokens/revoke`. Errors:
 * bad client → 401 `invalid_client`; bad/superseded/expired refresh token or reused code →
 * 400 `{"error":"invalid_grant","error_description":"Incorrect or invalid refresh token"}`
 * (python-quickbooks #397, Dec 2025). `x_refresh_token_hard_expires_in` only when the request
 * has `x-include-refresh-token-hard-expires-in: true` (oauth-jsclient HardExpiresTest.js).
 * A user with several companies picks one on the consent page ("Intuit prompts for sign-in and
 * consent on the selected QuickBooks company"); the grant, and the `realmId` of the redirect, are
 * that company's.
 */
import type { Context, Hono } from 'hono'
import type { QboContext } from '../context.js'
import { json, trackingId } from '../http.js'

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

export function oauthRoutes(app: Hono, ctx: QboContext): void {
  const redirectAllowed = (uri: string) => {
    if (ctx.redirectUris) return ctx.redirectUris.includes(uri)
    return /^https?:\/\/[^\s]+$/i.test(uri)
  }
  const authorizeError = (c: Context, text: string) =>
    c.html(`<!doctype html><html><body><h1>Something went wrong</h1><p>${escapeHtml(text)}</p></body></html>`, 400)

  app.get('/connect/oauth2', (c) => {
    ctx.stats.count('oauth.authorize')
    const q = c.req.query()
    if (q.client_id !== ctx.clientId) return authorizeError(c, 'The client_id is not valid.')
    if (q.response_type !== 'code') return authorizeError(c, 'response_type must be code.')
    if (!q.redirect_uri || !redirectAllowed(q.redirect_uri)) return authorizeError(c, 'The redirect_uri is not valid for this app.')
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope']
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k] ?? '')}">`).join('')
    const companies = [...ctx.companies.values()]
    const only = companies[0] as { realmId: string; companyName: string }
    const choice = companies.length === 1
      ? `<p>An app wants to access <strong>${escapeHtml(only.companyName)}</strong> (company ${escapeHtml(only.realmId)}).</p><input type="hidden" name="realmId" value="${escapeHtml(only.realmId)}">`
      : `<p>An app wants to access one of your companies.</p><p><label for="company">Company</label> <select id="company" name="realmId">${companies
          .map((co) => `<option value="${escapeHtml(co.realmId)}">${escapeHtml(co.companyName)} (${escapeHtml(co.realmId)})</option>`).join('')}</select></p>`
    return c.html(`<!doctype html><html lang="en"><head><title>Connect to QuickBooks</title></head><body>
<main><h1>Connect your QuickBooks company</h1>
<form method="post" action="/connect/oauth2">${choice}
<p>Scope: ${escapeHtml(q.scope ?? '')}</p>${hidden}<button type="submit" name="action" value="connect">Connect</button></form>
</main></body></html>`)
  })

  app.post('/connect/oauth2', async (c) => {
    ctx.stats.count('oauth.consent')
    const form = new URLSearchParams(await c.req.text())
    const redirectUri = form.get('redirect_uri') ?? ''
    if (form.get('client_id') !== ctx.clientId || !redirectAllowed(redirectUri)) return authorizeError(c, 'Invalid request.')
    const realmId = form.get('realmId') ?? ctx.realmId
    if (!ctx.companies.has(realmId)) return authorizeError(c, 'Choose one of your companies.')
    const target = new URL(redirectUri)
    target.searchParams.set('code', ctx.auth.issueCode(ctx.clientId, redirectUri, ctx.nowMs(), realmId))
    target.searchParams.set('state', form.get('state') ?? '')
    target.searchParams.set('realmId', realmId)
    return c.redirect(target.toString(), 302)
  })

  app.post('/oauth2/v1/tokens/bearer', async (c) => {
    ctx.stats.count('oauth.token')
    c.header('intuit_tid', trackingId())
    const form = new URLSearchParams(await c.req.text())
    const client = clientCredentials(c.req.header('authorization'), form)
    if (client.id !== ctx.clientId || client.secret !== ctx.clientSecret) return json(c, { error: 'invalid_client' }, 401)
    const hard = (c.req.header('x-include-refresh-token-hard-expires-in') ?? '').toLowerCase() === 'true'
    const now = ctx.nowMs()
    const grant = form.get('grant_type')
    const invalidGrant = () => json(c, { error: 'invalid_grant', error_description: 'Incorrect or invalid refresh token' }, 400)
    if (grant === 'authorization_code') {
      const code = form.get('code')
      if (!code) return json(c, { error: 'invalid_request' }, 400)
      const pair = ctx.auth.redeemCode(code, client.id, form.get('redirect_uri') ?? undefined, now, hard)
      return pair ? json(c, pair) : invalidGrant()
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token')
      if (!token) return json(c, { error: 'invalid_request' }, 400)
      const pair = ctx.auth.refreshWith(token, client.id, now, hard)
      return pair ? json(c, pair) : invalidGrant()
    }
    return json(c, { error: 'unsupported_grant_type' }, 400)
  })

  app.post('/v2/oauth2/tokens/revoke', async (c) => {
    ctx.stats.count('oauth.revoke')
    const text = await c.req.text()
    let token: string | null
    try {
      token = (JSON.parse(text) as { token?: string }).token ?? null
    } catch {
      token = new URLSearchParams(text).get('token')
    }
    const client = clientCredentials(c.req.header('authorization'), new URLSearchParams())
    if (client.id !== ctx.clientId || client.secret !== ctx.clientSecret) return json(c, { error: 'invalid_client' }, 401)
    if (!token) return json(c, { error: 'invalid_request' }, 400)
    ctx.auth.revoke(token)
    return c.body(null, 200)
  })
}

function clientCredentials(header: string | undefined, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^basic\s+(.+)$/i.exec(header ?? '')?.[1]
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding (standard
    // OAuth libraries do it); Intuit's own SDKs send them raw, which decodes to the same text.
    const formDecode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '))
      } catch {
        return s
      }
    }
    return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) }
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined }
}
