/**
 * @module qbo/oauth
 * Intuit OAuth 2.0 (authorization-code grant, refresh, revoke) on top of `oauth4webapi`.
 * https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
 * Token endpoint: form-encoded POST with HTTP Basic client authentication (api-facts A.5).
 * Plain http:// is allowed only for 127.0.0.1/localhost (the sandbox emulator).
 */
import * as oauth from 'oauth4webapi'
import { QboConnectionError, QboError, qboErrorFromResponse, type QboEndpoint } from './errors.js'
import { parseWire, tokenResponseSchema } from './schemas.js'
import type { QboTokens } from './tokens.js'

export interface QboOAuthOptions {
  clientId: string
  clientSecret: string
  tokenUrl: string
  authorizeUrl: string
  revokeUrl?: string
  fetch?: typeof fetch
  /** Give up on one token-endpoint request after this long (ms); default 15 s. */
  timeoutMs?: number
  /** Clock, for tests. */
  now?: () => Date
}

export interface QboOAuth {
  /** The token endpoint this client calls. */
  readonly tokenUrl: string
  authorizeUrl(p: { redirectUri: string; state: string; scope?: string }): string
  exchangeCode(p: { code: string; redirectUri: string }): Promise<QboTokens>
  refresh(refreshToken: string): Promise<QboTokens>
  revoke(token: string): Promise<void>
}

/** The accounting scope (https://developer.intuit.com/app/developer/qbo/docs/learn/scopes). */
export const QBO_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting'
/** Intuit's issuer (discovery document, api-facts A.5); only used by oauth4webapi for checks. */
const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1'
const REVOKE_URL = 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke'

export function isLoopback(url: string): boolean {
  const u = new URL(url)
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
}

/** fetch() rejects with a TypeError ("fetch failed", cause ECONNRESET / socket hang up …), or
 * with a TimeoutError when our own per-request deadline fires. */
export function isConnectionDrop(err: unknown): boolean {
  if (err instanceof QboConnectionError) return true
  if (!(err instanceof Error)) return false
  if (err.name === 'TimeoutError') return true
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  const text = `${err.message} ${cause?.code ?? ''} ${cause?.message ?? ''}`
  return (
    (err instanceof TypeError && /fetch failed|terminated|other side closed/i.test(text)) ||
    /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|socket hang up/i.test(text)
  )
}

/** The system's reason (`ECONNREFUSED`, `ENOTFOUND`, `timeout` …) of a failed fetch. */
function dropCode(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout'
  const cause = (err as { cause?: { code?: string; cause?: { code?: string } } }).cause
  return cause?.code ?? cause?.cause?.code ?? 'connection'
}

export function connectionError(err: unknown, what: string, where: { endpoint: QboEndpoint; url: string }): QboConnectionError {
  const code = dropCode(err)
  const origin = new URL(where.url).origin
  return new QboConnectionError({
    status: 0,
    code,
    message: `${what}: no response from ${origin} (${code})`,
    retryable: true,
    endpoint: where.endpoint,
    url: where.url,
    cause: err,
  })
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text()
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * HTTP Basic client authentication exactly as Intuit documents it: `Basic base64(id:secret)`
 * (https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-5-exchange-the-authorization-code-for-access-tokens;
 * intuit-oauth sends the same). oauth4webapi's `ClientSecretBasic` first form-encodes id and secret
 * (RFC 6749 §2.3.1), turning `-` into `%2D`; Intuit's ids are alphanumeric so both agree there,
 * but servers that do not form-decode (our sandbox ids contain `-`) reject the encoded form.
 */
function intuitBasic(clientId: string, clientSecret: string): oauth.ClientAuth {
  const credentials = Buffer.from(`${clientId}:${clientSecret}`).toString('base64')
  return (_as, _client, _body, headers) => {
    headers.set('authorization', `Basic ${credentials}`)
  }
}

export function createQboOAuth(o: QboOAuthOptions): QboOAuth {
  const as: oauth.AuthorizationServer = {
    issuer: INTUIT_ISSUER,
    authorization_endpoint: o.authorizeUrl,
    token_endpoint: o.tokenUrl,
    revocation_endpoint: o.revokeUrl ?? REVOKE_URL,
  }
  const client: oauth.Client = { client_id: o.clientId }
  const auth = intuitBasic(o.clientId, o.clientSecret)
  const doFetch = o.fetch ?? fetch
  const timeoutMs = o.timeoutMs ?? 15_000
  // A fresh deadline per request: an unreachable host that never answers SYN must not hang a
  // run on the OS's connect timeout (minutes). oauth4webapi calls `signal` once per request.
  const opts = {
    [oauth.customFetch]: doFetch,
    signal: () => AbortSignal.timeout(timeoutMs),
    ...(isLoopback(o.tokenUrl) ? { [oauth.allowInsecureRequests]: true } : {}),
  }
  const now = o.now ?? (() => new Date())

  const toTokens = (json: unknown): QboTokens => {
    const t = parseWire(tokenResponseSchema, json, 'token response')
    const at = now().getTime()
    return {
      accessToken: t.access_token,
      accessTokenExpiresAt: new Date(at + t.expires_in * 1000),
      accessTokenIssuedAt: new Date(at),
      refreshToken: t.refresh_token,
      refreshTokenExpiresAt:
        t.x_refresh_token_expires_in !== undefined ? new Date(at + t.x_refresh_token_expires_in * 1000) : undefined,
    }
  }

  const token = { endpoint: 'token' as const, url: o.tokenUrl }

  /** Runs one token-endpoint request; non-200 answers become typed errors (invalid_grant → auth).
   * No retries here: the caller owns the one retry policy (qbo/client). */
  async function tokenCall(
    what: string,
    send: () => Promise<Response>,
    process: (r: Response) => Promise<oauth.TokenEndpointResponse>,
  ): Promise<QboTokens> {
    let res: Response
    try {
      res = await send()
    } catch (err) {
      if (isConnectionDrop(err)) throw connectionError(err, what, token)
      throw err
    }
    if (res.status !== 200) {
      throw qboErrorFromResponse({ status: res.status, headers: res.headers, body: await readBody(res) }, token)
    }
    try {
      return toTokens(await process(res))
    } catch (err) {
      if (err instanceof QboError) throw err
      throw new QboError({ status: 200, code: 'invalid_token_response', message: `${what}: ${String(err)}`, ...token, cause: err })
    }
  }

  return {
    tokenUrl: o.tokenUrl,

    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-3-send-the-authorization-request
    authorizeUrl(p) {
      const url = new URL(o.authorizeUrl)
      url.searchParams.set('client_id', o.clientId)
      url.searchParams.set('response_type', 'code')
      url.searchParams.set('scope', p.scope ?? QBO_ACCOUNTING_SCOPE)
      url.searchParams.set('redirect_uri', p.redirectUri)
      url.searchParams.set('state', p.state)
      return url.toString()
    },

    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-5-exchange-the-authorization-code-for-access-tokens
    exchangeCode(p) {
      // The caller (the hub's callback) has already checked `state`; Intuit does not use PKCE here.
      const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code: p.code }), oauth.skipStateCheck)
      return tokenCall(
        'exchanging the authorization code',
        () => oauth.authorizationCodeGrantRequest(as, client, auth, params, p.redirectUri, oauth.nopkce, opts),
        (r) => oauth.processAuthorizationCodeResponse(as, client, r),
      )
    },

    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#refresh-the-token
    refresh(refreshToken) {
      return tokenCall(
        'refreshing the QuickBooks access token',
        () => oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, opts),
        (r) => oauth.processRefreshTokenResponse(as, client, r),
      )
    },

    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#revoke-token-disconnect
    // Intuit documents a JSON body `{"token": …}` with Basic auth (not RFC 7009's form body), so
    // this one request is built by hand.
    async revoke(token) {
      const headers = new Headers({ accept: 'application/json', 'content-type': 'application/json' })
      auth(as, client, new URLSearchParams(), headers)
      let res: Response
      try {
        res = await doFetch(as.revocation_endpoint!, {
          method: 'POST',
          headers,
          body: JSON.stringify({ token }),
        })
      } catch (err) {
        if (isConnectionDrop(err)) throw connectionError(err, 'revoking the QuickBooks token', { endpoint: 'token', url: as.revocation_endpoint! })
        throw err
      }
      if (!res.ok) throw qboErrorFromResponse({ status: res.status, headers: res.headers, body: await readBody(res) }, { endpoint: 'token', url: as.revocation_endpoint! })
    },
  }
}
