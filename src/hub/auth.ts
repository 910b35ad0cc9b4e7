/**
 * @module hub/auth
 * Sign-in, sessions and CSRF protection. Session ids are 256-bit random values that live only in
 * an HttpOnly, SameSite=Strict cookie; the store keeps their SHA-256 hash, so a leaked database
 * cannot be replayed as a session. Every login mints a new id (no session fixation). State-changing
 * requests need the session's CSRF token in `X-CSRF-Token` and, when the browser sends one, an
 * `Origin` equal to the Hub's own (OWASP CSRF Prevention Cheat Sheet: synchronizer token plus
 * origin verification).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { CSRF_HEADER, SESSION_COOKIE, type SessionInfo } from './api-types.js'
import type { HubEnv, ResolvedDeps } from './context.js'
import { HubError } from './errors.js'
import type { SessionRecord } from './services.js'

export const ADMIN_USERNAME = 'admin'
/** Sliding session lifetime. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000
export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MS = 15 * 60 * 1000

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const newToken = (): string => randomBytes(32).toString('base64url')
export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex')

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb) && a.length === b.length
}

export function sessionInfo(s: SessionRecord | null): SessionInfo {
  return s
    ? { authenticated: true, username: s.username, csrfToken: s.csrfToken }
    : { authenticated: false, username: null, csrfToken: null }
}

/** Loads the session named by the cookie into `c.var.session` (null when absent or expired). */
export function loadSession(deps: ResolvedDeps): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    c.set('session', null)
    const id = getCookie(c, SESSION_COOKIE)
    if (id) {
      const idHash = hashSessionId(id)
      const s = await deps.auth.sessions.get(idHash)
      const now = deps.now()
      if (s && s.expiresAt.getTime() > now.getTime()) {
        // Slide the expiry, but write at most about once a minute per session.
        if (s.expiresAt.getTime() - now.getTime() < SESSION_TTL_MS - 60_000) {
          s.expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
          await deps.auth.sessions.touch(idHash, s.expiresAt)
        }
        c.set('session', s)
      } else if (s) {
        await deps.auth.sessions.delete(idHash)
      }
    }
    await next()
  }
}

/** Paths under /api that answer without a session. */
function isPublic(method: string, path: string): boolean {
  return path === '/api/session' && (method === 'GET' || method === 'POST')
}

/** 401 for every /api request without a session, except reading and creating the session. */
export function requireSession(): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    if (!c.get('session') && !isPublic(c.req.method, c.req.path)) {
      throw new HubError(401, 'unauthenticated', 'Sign in to use the Tally Hub.')
    }
    await next()
  }
}

/** The signed-in Hub user's name, as the link history records who did a change (contract §10).
 * Only for routes behind `requireSession`. */
export function signedInUser(c: Context<HubEnv>): string {
  const s = c.get('session')
  if (!s) throw new HubError(401, 'unauthenticated', 'Sign in to use the Tally Hub.')
  return s.username
}

/** 403 for a state-changing request from another origin or without the session's CSRF token. */
export function csrfGuard(deps: ResolvedDeps): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    if (STATE_CHANGING.has(c.req.method)) {
      const origin = c.req.header('Origin')
      if (origin !== undefined && origin !== deps.origin) {
        throw new HubError(403, 'csrf_failed', 'Cross-origin request refused.')
      }
      const login = c.req.method === 'POST' && c.req.path === '/api/session'
      const session = c.get('session')
      if (!login) {
        const token = c.req.header(CSRF_HEADER) ?? ''
        if (!session || !safeEqual(token, session.csrfToken)) {
          throw new HubError(403, 'csrf_failed', 'Missing or wrong CSRF token. Reload the page and try again.')
        }
      }
    }
    await next()
  }
}

/** The client's address: the socket's peer (no proxy headers are trusted). */
export function clientIp(c: Context<HubEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown'
}

function lockedMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))
  return `Too many failed sign-in attempts. Sign-in is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}; try again later.`
}

/**
 * Checks the credentials and on success opens a new session and sets its cookie. Attempts are
 * counted per username and per client address *before* the password is checked, atomically: an
 * attempt past the fifth of a series is refused (and locks the key for 15 minutes) without
 * running scrypt, so parallel sign-ins cannot get more than five guesses; a fifth failure locks
 * too. The password is verified even for a wrong username, so both failures cost the same time.
 */
export async function logIn(c: Context<HubEnv>, deps: ResolvedDeps, username: string, password: string): Promise<SessionInfo> {
  const now = deps.now()
  const attempts = deps.auth.loginAttempts
  const keys = [`user:${username.trim().toLowerCase().slice(0, 100)}`, `ip:${clientIp(c)}`]
  const counted: { key: string; attempt: number }[] = []
  for (const key of keys) {
    const { attempt, lockedUntil } = await attempts.count(key, now)
    if (lockedUntil && lockedUntil.getTime() > now.getTime()) {
      throw new HubError(429, 'locked_out', lockedMessage(lockedUntil, now))
    }
    if (attempt > MAX_FAILED_LOGINS) {
      const until = new Date(now.getTime() + LOCKOUT_MS)
      await attempts.lock(key, until)
      deps.logger.warn('hub sign-in refused: too many attempts', { ip: clientIp(c) })
      throw new HubError(429, 'locked_out', lockedMessage(until, now))
    }
    counted.push({ key, attempt })
  }
  const userOk = safeEqual(username, ADMIN_USERNAME)
  const passwordOk = await deps.auth.verifyAdminPassword(password)
  if (!userOk || !passwordOk) {
    let lockedUntil: Date | null = null
    for (const { key, attempt } of counted) {
      if (attempt >= MAX_FAILED_LOGINS) {
        lockedUntil = new Date(now.getTime() + LOCKOUT_MS)
        await attempts.lock(key, lockedUntil)
      }
    }
    deps.logger.warn('hub sign-in failed', { ip: clientIp(c), locked: lockedUntil !== null })
    if (lockedUntil) throw new HubError(429, 'locked_out', lockedMessage(lockedUntil, now))
    throw new HubError(401, 'invalid_credentials', 'Wrong username or password.')
  }
  for (const { key, attempt } of counted) await attempts.succeeded(key, attempt)

  // Session fixation: whatever session cookie came in is dropped, never elevated.
  const previous = getCookie(c, SESSION_COOKIE)
  if (previous) await deps.auth.sessions.delete(hashSessionId(previous))
  const id = newToken()
  const session: SessionRecord = {
    idHash: hashSessionId(id),
    username: ADMIN_USERNAME,
    csrfToken: newToken(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    oauthState: null,
  }
  await deps.auth.sessions.create(session)
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: deps.secureCookies,
    maxAge: SESSION_TTL_MS / 1000,
  })
  c.set('session', session)
  deps.logger.info('hub sign-in', { ip: clientIp(c) })
  return sessionInfo(session)
}

export async function logOut(c: Context<HubEnv>, deps: ResolvedDeps): Promise<void> {
  const s = c.get('session')
  if (s) await deps.auth.sessions.delete(s.idHash)
  c.set('session', null)
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies, httpOnly: true, sameSite: 'Strict' })
}
