/**
 * @module emulators/salesforce/routes/oauth
 * OAuth 2.0 endpoints of the login server (api-facts B.8, Addendum §9): `/services/oauth2/token`
 * for client_credentials, password, refresh_token and authorization_code grants;
 * `/services/oauth2/authorize` with a login page and a consent page; `/id/{orgId}/{userId}`.
 * Token responses carry `access_token, signature, scope, instance_url, id, token_type "Bearer",
 * issued_at` (epoch ms as a string); only the web-server flow adds `refresh_token`.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Context, Hono } from 'hono'
import type { SfState } from '../state.js'

const token = (prefix: string): string => `${prefix}!${randomBytes(36).toString('base64url')}`

function oauthError(c: Context, error: string, description: string, status: 400 | 401 = 400) {
  return c.json({ error, error_description: description }, status)
}

/** Client id/secret from the form body or an HTTP Basic header. */
function clientCredentials(c: Context, form: Record<string, string>): { id?: string; secret?: string } {
  const auth = c.req.header('authorization')
  if (auth?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')
    return { id: id ? decodeURIComponent(id) : undefined, secret: secret ? decodeURIComponent(secret) : undefined }
  }
  return { id: form.client_id, secret: form.client_secret }
}

export function issueTokens(s: SfState, origin: string, userId: string, clientId: string, withRefresh: boolean) {
  const accessToken = token(s.orgId.slice(0, 15))
  s.accessTokens.set(accessToken, {
    userId,
    clientId,
    expiresAt: s.options.now().getTime() + s.options.tokenTtlSeconds * 1000,
  })
  const id = `${origin}/id/${s.orgId}/${userId}`
  const issuedAt = String(s.options.now().getTime())
  // Salesforce signs id + issued_at with the client secret (HMAC-SHA256, base64).
  const signature = createHmac('sha256', s.options.clientSecret).update(id + issuedAt).digest('base64')
  const body: Record<string, string> = {
    access_token: accessToken,
    signature,
    scope: withRefresh ? 'refresh_token api' : 'api',
    instance_url: origin,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  }
  if (withRefresh) {
    const refresh = token(`5Aep861${randomBytes(6).toString('hex')}`)
    s.refreshTokens.set(refresh, { userId, clientId })
    body.refresh_token = refresh
  }
  return body
}

async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? ''
  const out: Record<string, string> = {}
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const body = await c.req.parseBody()
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v
  }
  for (const [k, v] of Object.entries(c.req.query())) out[k] ??= v
  return out
}

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

const hidden = (params: Record<string, string>): string =>
  Object.entries(params)
    .filter(([k]) => ['response_type', 'client_id', 'redirect_uri', 'state', 'scope'].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
    .join('')

export function registerOAuth(app: Hono, s: SfState): void {
  app.post('/services/oauth2/token', async (c) => {
    s.stats.count('oauth.token')
    const form = await formOf(c)
    const origin = new URL(c.req.url).origin
    const { id, secret } = clientCredentials(c, form)
    const grant = form.grant_type
    if (!['client_credentials', 'password', 'refresh_token', 'authorization_code'].includes(grant ?? '')) {
      return oauthError(c, 'unsupported_grant_type', 'grant type not supported')
    }
    if (id !== s.options.clientId) return oauthError(c, 'invalid_client_id', 'client identifier invalid')
    const secretOk = secret === s.options.clientSecret
    switch (grant) {
      case 'client_credentials':
        if (!secretOk) return oauthError(c, 'invalid_client', 'invalid client credentials')
        return c.json(issueTokens(s, origin, s.userId, id, false))
      case 'password':
        if (!secretOk) return oauthError(c, 'invalid_client', 'invalid client credentials')
        if (!form.username || !form.password) {
          return oauthError(c, 'invalid_grant', 'authentication failure')
        }
        return c.json(issueTokens(s, origin, s.userId, id, false))
      case 'refresh_token': {
        if (secret !== undefined && !secretOk) return oauthError(c, 'invalid_client', 'invalid client credentials')
        const known = s.refreshTokens.get(form.refresh_token ?? '')
        if (!known || known.clientId !== id) return oauthError(c, 'invalid_grant', 'expired access/refresh token')
        // Without refresh-token rotation the response carries no new refresh token.
        return c.json(issueTokens(s, origin, known.userId, id, false))
      }
      default: {
        if (!secretOk) return oauthError(c, 'invalid_client', 'invalid client credentials')
        const code = s.authCodes.get(form.code ?? '')
        s.authCodes.delete(form.code ?? '')
        if (!code || code.clientId !== id) return oauthError(c, 'invalid_grant', 'invalid authorization code')
        if (form.redirect_uri !== code.redirectUri) return oauthError(c, 'redirect_uri_mismatch', 'redirect_uri must match configuration')
        return c.json(issueTokens(s, origin, code.userId, id, true))
      }
    }
  })

  app.get('/services/oauth2/authorize', (c) => {
    s.stats.count('oauth.authorize')
    const q = c.req.query()
    if (q.client_id !== s.options.clientId) return c.html(page('Error', '<p>error=invalid_client_id: client identifier invalid</p>'), 400)
    if (q.response_type !== 'code' || !q.redirect_uri) {
      return c.html(page('Error', '<p>error=unsupported_response_type: response type not supported</p>'), 400)
    }
    return c.html(
      page(
        'Login | Salesforce',
        `<form method="post" action="/services/oauth2/authorize">${hidden(q)}<input type="hidden" name="step" value="login">` +
          '<p><label for="username">Username</label> <input id="username" name="username" type="email" autocomplete="username"></p>' +
          '<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>' +
          '<p><button type="submit">Log In</button></p></form>',
      ),
    )
  })

  app.post('/services/oauth2/authorize', async (c) => {
    s.stats.count('oauth.authorize')
    const form = await formOf(c)
    if (form.client_id !== s.options.clientId || !form.redirect_uri) {
      return c.html(page('Error', '<p>error=invalid_client_id: client identifier invalid</p>'), 400)
    }
    if (form.step === 'login') {
      if (!form.username || !form.password) {
        return c.html(page('Login | Salesforce', '<p role="alert">Please check your username and password.</p>'), 401)
      }
      return c.html(
        page(
          'Allow Access?',
          `<p>Tally is asking to access your Salesforce data as ${esc(form.username)}.</p>` +
            `<form method="post" action="/services/oauth2/authorize">${hidden(form)}<input type="hidden" name="step" value="consent">` +
            '<button type="submit" name="decision" value="allow">Allow</button> ' +
            '<button type="submit" name="decision" value="deny">Deny</button></form>',
        ),
      )
    }
    const target = new URL(form.redirect_uri)
    if (form.decision === 'allow') {
      const code = `aPrx${randomBytes(24).toString('base64url')}`
      s.authCodes.set(code, { clientId: form.client_id, redirectUri: form.redirect_uri, userId: s.userId })
      target.searchParams.set('code', code)
    } else {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'end-user denied authorization')
    }
    if (form.state) target.searchParams.set('state', form.state)
    return c.redirect(target.toString(), 302)
  })

  app.post('/services/oauth2/revoke', async (c) => {
    s.stats.count('oauth.revoke')
    const form = await formOf(c)
    s.accessTokens.delete(form.token ?? '')
    s.refreshTokens.delete(form.token ?? '')
    return c.body(null, 200)
  })

  // Identity URL: who the token belongs to.
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
  app.get('/id/:orgId/:userId', (c) => {
    s.stats.count('identity')
    const bearer = c.req.header('authorization')?.replace(/^Bearer /, '') ?? c.req.query('oauth_token') ?? ''
    const info = s.accessTokens.get(bearer)
    if (!info || info.expiresAt <= s.options.now().getTime()) return c.text('Bad_OAuth_Token', 403)
    if (c.req.param('orgId') !== s.orgId || c.req.param('userId') !== info.userId) return c.text('Bad_Id', 403)
    const origin = new URL(c.req.url).origin
    return c.json({
      id: `${origin}/id/${s.orgId}/${info.userId}`,
      asserted_user: true,
      user_id: info.userId,
      organization_id: s.orgId,
      username: s.username,
      nick_name: 'integration',
      display_name: 'Integration User',
      email: 'noreply@example.com',
      email_verified: true,
      first_name: 'Integration',
      last_name: 'User',
      timezone: 'America/Los_Angeles',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      is_app_installed: true,
      urls: {
        rest: `${origin}/services/data/v{version}/`,
        sobjects: `${origin}/services/data/v{version}/sobjects/`,
        query: `${origin}/services/data/v{version}/query/`,
      },
    })
  })
}
