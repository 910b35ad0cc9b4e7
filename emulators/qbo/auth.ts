/**
 * @module emulators/qbo/auth
 * Intuit OAuth 2.0 token state (api-facts A.5 + Addendum §6): authorization codes (single use),
 * access tokens (default 3600 s), refresh tokens with a rolling 100-day life
 * (x_refresh_token_expires_in 8726400), a 5-year hard cap (I-RT), and rotation: a new refresh token
 * on every refresh by default, or once a day ('daily', per Intuit staff in oauth-jsclient #74).
 * A superseded refresh token fails after `refreshTokenGraceSeconds` (default 0: the newer help
 * article "Validity of Refresh Token" says the old one expires at once; the oauth-jsclient README
 * says 24 h — configurable).
 *
 * Every grant is for one company: the consent page's company choice binds the code, and the
 * tokens minted from it (and from their refreshes) reach that realm only (api-facts A.6: another
 * realm answers 403 ApplicationAuthorizationFailed 3100).
 */
import { randomBytes } from 'node:crypto'

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
  x_refresh_token_expires_in: number
  x_refresh_token_hard_expires_in?: number
}

export interface AuthOptions {
  tokenTtlSeconds: number
  refreshTokenGraceSeconds: number
  refreshRotation: 'every-refresh' | 'daily'
}

interface RefreshState {
  issuedMs: number
  expiresMs: number
  hardExpiresMs: number
  supersededMs?: number
  revoked?: boolean
  clientId: string
  realmId: string
}

interface AccessState {
  expiresMs: number
  refreshToken: string
  revoked?: boolean
  realmId: string
}

const REFRESH_LIFETIME_S = 8_726_400
const HARD_LIFETIME_S = 5 * 365 * 24 * 3600
const DAY_MS = 24 * 3600 * 1000

export type AccessCheck = { ok: true; realmId: string } | { ok: false; detail: string }

export class AuthState {
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; expiresMs: number; used: boolean; realmId: string }>()
  private readonly refresh = new Map<string, RefreshState>()
  private readonly access = new Map<string, AccessState>()

  constructor(private readonly opts: AuthOptions) {}

  issueCode(clientId: string, redirectUri: string, nowMs: number, realmId: string): string {
    const code = `AB11${randomBytes(24).toString('base64url')}`
    // Intuit codes are valid for 5 minutes (developer.intuit.com … /oauth-2.0 "authorization code").
    this.codes.set(code, { clientId, redirectUri, expiresMs: nowMs + 5 * 60_000, used: false, realmId })
    return code
  }

  /** Exchanges a code; undefined when unknown, reused, expired or for another client/redirect. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined, nowMs: number, hard: boolean): TokenPair | undefined {
    const c = this.codes.get(code)
    if (!c || c.used || c.expiresMs < nowMs || c.clientId !== clientId) return undefined
    if (redirectUri !== undefined && redirectUri !== c.redirectUri) return undefined
    c.used = true
    return this.mint(clientId, c.realmId, nowMs, nowMs + HARD_LIFETIME_S * 1000, undefined, hard)
  }

  /** Issues a fresh pair for one company without the browser flow (tests, demo mode). */
  issue(clientId: string, realmId: string, nowMs: number, hard = false): TokenPair {
    return this.mint(clientId, realmId, nowMs, nowMs + HARD_LIFETIME_S * 1000, undefined, hard)
  }

  refreshWith(token: string, clientId: string, nowMs: number, hard: boolean): TokenPair | undefined {
    const r = this.refresh.get(token)
    if (!r || r.revoked || r.clientId !== clientId) return undefined
    if (r.expiresMs <= nowMs || r.hardExpiresMs <= nowMs) return undefined
    if (r.supersededMs !== undefined && nowMs - r.supersededMs >= this.opts.refreshTokenGraceSeconds * 1000) return undefined
    const keep = this.opts.refreshRotation === 'daily' && nowMs - r.issuedMs < DAY_MS && r.supersededMs === undefined
    return this.mint(clientId, r.realmId, nowMs, r.hardExpiresMs, keep ? token : undefined, hard, token)
  }

  checkAccess(token: string | undefined, nowMs: number): AccessCheck {
    if (!token) return { ok: false, detail: 'Token not found' }
    const a = this.access.get(token)
    if (!a || a.revoked) return { ok: false, detail: `Token invalid: ${token.slice(0, 12)}` }
    if (a.expiresMs <= nowMs) return { ok: false, detail: `Token expired: ${token.slice(0, 12)}` }
    return { ok: true, realmId: a.realmId }
  }

  /** Revokes a refresh token (and its access tokens) or an access token. */
  revoke(token: string): boolean {
    const r = this.refresh.get(token)
    if (r) {
      r.revoked = true
      for (const a of this.access.values()) if (a.refreshToken === token) a.revoked = true
      return true
    }
    const a = this.access.get(token)
    if (a) a.revoked = true
    return a !== undefined
  }

  /** Test hook: make an access token expire now. */
  expireAccessToken(token: string): void {
    const a = this.access.get(token)
    if (a) a.expiresMs = 0
  }

  private mint(clientId: string, realmId: string, nowMs: number, hardExpiresMs: number, keepRefresh: string | undefined, hard: boolean, previous?: string): TokenPair {
    const accessToken = `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..${randomBytes(32).toString('base64url')}`
    let refreshToken = keepRefresh
    if (refreshToken === undefined) {
      refreshToken = `AB11${Math.floor(nowMs / 1000) + REFRESH_LIFETIME_S}${randomBytes(20).toString('base64url')}`
      if (previous) {
        const old = this.refresh.get(previous)
        if (old && old.supersededMs === undefined) old.supersededMs = nowMs
      }
      this.refresh.set(refreshToken, { issuedMs: nowMs, expiresMs: 0, hardExpiresMs, clientId, realmId })
    }
    const r = this.refresh.get(refreshToken) as RefreshState
    // Rolling lifetime: every use extends the refresh token to 100 days, capped by the hard limit.
    r.expiresMs = Math.min(nowMs + REFRESH_LIFETIME_S * 1000, hardExpiresMs)
    this.access.set(accessToken, { expiresMs: nowMs + this.opts.tokenTtlSeconds * 1000, refreshToken, realmId })
    const pair: TokenPair = {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: this.opts.tokenTtlSeconds,
      x_refresh_token_expires_in: Math.round((r.expiresMs - nowMs) / 1000),
    }
    if (hard) pair.x_refresh_token_hard_expires_in = Math.round((hardExpiresMs - nowMs) / 1000)
    return pair
  }
}
