/**
 * @module qbo/client
 * `QboClient`: the one way Tally talks to the QuickBooks Online Accounting API v3 for a realm.
 * It adds the bearer token (refreshing it proactively and once on a 401, under the token store's
 * lock), `minorversion` on every call, `requestid` on every POST, retries with full-jitter backoff
 * on throttling, 5xx and dropped connections, and caps the requests in flight per realm.
 *
 * Base URL and paths: https://developer.intuit.com/app/developer/qbo/docs/develop/explore-the-quickbooks-online-api
 * Minor versions (75 is served whatever is asked since 2025-08-01, api-facts A.0):
 *   https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/minor-versions
 * Throttling (500 req/min, 10 concurrent per realm → 429/3001, api-facts A.7):
 *   https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#limits-and-throttles
 */
import { randomUUID } from 'node:crypto'
import { createLimiter, type Limiter } from '../lib/limiter.js'
import { noopLogger, type Logger } from '../lib/logger.js'
import { retry } from '../lib/retry.js'
import * as customers from './customers.js'
import { QboAuthError, QboError, qboErrorFromResponse } from './errors.js'
import { connectionError, isConnectionDrop, type QboOAuth } from './oauth.js'
import type { QboCustomer } from './schemas.js'
import type { RequestGate } from './gate.js'
import type { QboTokens, QboTokenStore } from './tokens.js'

export interface QboClientOptions {
  /** API origin, e.g. `https://quickbooks.api.intuit.com` or the sandbox emulator's URL. */
  apiUrl: string
  realmId: string
  oauth: QboOAuth
  tokens: QboTokenStore
  minorVersion?: number
  maxInFlight?: number
  retry?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number }
  /** The token endpoint's retry policy; default TOKEN_RETRY. */
  tokenRetry?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number }
  logger?: Logger
  fetch?: typeof fetch
  /** Called after new tokens were persisted with `tokens.write`. */
  onTokens?: (t: QboTokens) => void
  /** Clock, for tests. */
  now?: () => Date
  /** The limits shared with Tally's other processes (qbo/gate); absent: this client's own only. */
  gate?: RequestGate
}

export interface QboRequestOptions {
  query?: Record<string, string>
  body?: unknown
}

export interface QboStats {
  apiCalls: number
  oauthCalls: number
  retries: number
}

/**
 * Refresh when the access token has less than this left: a minute for Intuit's 1-hour tokens
 * (api-facts A.5), a tenth of the lifetime for short-lived ones (a 30 s sandbox token would
 * otherwise always look expired and be refreshed before every call). A token that expires anyway
 * is refreshed once on its 401.
 */
export function refreshMarginMs(t: QboTokens): number {
  const MAX = 60_000
  if (!t.accessTokenIssuedAt) return MAX
  const lifetime = t.accessTokenExpiresAt.getTime() - t.accessTokenIssuedAt.getTime()
  return Math.max(0, Math.min(MAX, lifetime / 10))
}

/**
 * The token endpoint's own bounded policy: at most 3 attempts, 1 s then 2 s apart (intuit-oauth
 * retries its token calls 3 times at 1/2/4 s; each attempt is cut off by QboOAuth's timeout). A
 * refresh that fails after these is final for the logical request too: the request loop below
 * never retries it again, so attempts never multiply (before: 7 × 7 = 49 over ~2 minutes).
 */
export const TOKEN_RETRY = { retries: 2, baseDelayMs: 1_000, maxDelayMs: 2_000 } as const

/** `encodeURIComponent` plus `'`, as the recorded clients send it (`%27`, api-facts A.2). */
const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27')

export class QboClient {
  readonly realmId: string
  private readonly base: string
  private readonly o: QboClientOptions
  private readonly log: Logger
  private readonly limiter: Limiter
  private readonly doFetch: typeof fetch
  private readonly retryCfg: { retries: number; baseDelayMs: number; maxDelayMs: number }
  private readonly tokenRetryCfg: { retries: number; baseDelayMs: number; maxDelayMs: number }
  private readonly counters: QboStats = { apiCalls: 0, oauthCalls: 0, retries: 0 }
  private cached: QboTokens | null = null
  private refreshing: Promise<QboTokens> | null = null

  constructor(o: QboClientOptions) {
    this.o = o
    this.realmId = o.realmId
    this.base = `${o.apiUrl.replace(/\/+$/, '')}/v3/company/${enc(o.realmId)}`
    this.log = o.logger ?? noopLogger
    this.limiter = createLimiter(o.maxInFlight ?? 10)
    this.doFetch = o.fetch ?? fetch
    this.retryCfg = {
      retries: o.retry?.retries ?? 6,
      baseDelayMs: o.retry?.baseDelayMs ?? 500,
      maxDelayMs: o.retry?.maxDelayMs ?? 30_000,
    }
    this.tokenRetryCfg = { ...TOKEN_RETRY, ...o.tokenRetry }
  }

  now(): Date {
    return this.o.now?.() ?? new Date()
  }

  /** Every HTTP request sent so far, retries included. */
  stats(): QboStats {
    return { ...this.counters }
  }

  // ── Customers (see customers.ts for the doc links) ────────────────────────────────────────────
  listCustomers(o?: { includeInactive?: boolean; pageSize?: number }): AsyncGenerator<QboCustomer[]> {
    return customers.listCustomers(this, o)
  }
  countCustomers(o?: { includeInactive?: boolean }): Promise<number> {
    return customers.countCustomers(this, o)
  }
  getCustomer(id: string): Promise<QboCustomer> {
    return customers.getCustomer(this, id)
  }
  changedCustomers(since: Date): Promise<{ customers: QboCustomer[]; deletedIds: string[] }> {
    return customers.changedCustomers(this, since)
  }
  createCustomer(c: Partial<QboCustomer>): Promise<QboCustomer> {
    return customers.createCustomer(this, c)
  }
  updateCustomer(
    c: Partial<QboCustomer> & { Id: string; SyncToken: string },
    o?: { sparse?: boolean },
  ): Promise<QboCustomer> {
    return customers.updateCustomer(this, c, o)
  }
  /** The company's name, for people to recognise the connection: CompanyInfo is read by the
   * realm's own id (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo). */
  async companyName(): Promise<string | null> {
    const body = (await this.request('GET', `/companyinfo/${encodeURIComponent(this.realmId)}`)) as { CompanyInfo?: { CompanyName?: unknown } }
    const name = body.CompanyInfo?.CompanyName
    return typeof name === 'string' && name !== '' ? name : null
  }
  /** Raw query escape hatch: rows are returned unvalidated. Build the string with query.ts. */
  query<T = Record<string, unknown>>(qboQuery: string): Promise<customers.QboQueryResult<T>> {
    return customers.rawQuery<T>(this, qboQuery)
  }

  // ── Transport ─────────────────────────────────────────────────────────────────────────────────
  /**
   * Sends one logical request, retrying transient failures. POSTs carry a `requestid` that stays
   * the same across retries, so QBO applies a create or update at most once even when a response
   * was lost (https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#idempotency).
   */
  async request(method: 'GET' | 'POST', path: string, o: QboRequestOptions = {}): Promise<unknown> {
    const params: Record<string, string> = { ...o.query, minorversion: String(this.o.minorVersion ?? 75) }
    if (method === 'POST') params.requestid = randomUUID()
    const qs = Object.entries(params)
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .join('&')
    const url = `${this.base}${path}?${qs}`
    let refreshedAfter401 = false
    return retry(
      async () => {
        const token = await this.accessToken()
        try {
          return await this.send(method, url, token, o.body)
        } catch (err) {
          // Once per logical request: the token may have been revoked or rotated elsewhere.
          if (err instanceof QboAuthError && err.status === 401 && !refreshedAfter401) {
            refreshedAfter401 = true
            this.log.info('qbo: 401, refreshing the access token once', { intuitTid: err.intuitTid })
            const fresh = await this.refresh(token)
            return await this.send(method, url, fresh.accessToken, o.body)
          }
          throw err
        }
      },
      {
        ...this.retryCfg,
        // Token-endpoint failures were already retried by their own policy (refresh below).
        shouldRetry: (err) => err instanceof QboError && err.retryable && err.endpoint !== 'token',
        minDelayMs: (err) => (err instanceof QboError ? err.retryAfterMs : undefined),
        onRetry: (err, attempt, delayMs) => {
          this.counters.retries++
          this.log.debug('qbo: retrying', { path, attempt, delayMs, code: (err as QboError).code })
        },
      },
    )
  }

  /** One HTTP exchange inside the in-flight limiter; the body is read before the slot is freed. */
  private send(method: string, url: string, token: string, body: unknown): Promise<unknown> {
    return this.limiter.run(() => (this.o.gate ? this.o.gate.run(this.realmId, () => this.exchange(method, url, token, body)) : this.exchange(method, url, token, body)))
  }

  private async exchange(method: string, url: string, token: string, body: unknown): Promise<unknown> {
    this.counters.apiCalls++
    let res: Response
    let text: string
    try {
      res = await this.doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      })
      text = await res.text()
    } catch (err) {
      if (isConnectionDrop(err)) throw connectionError(err, `${method} ${new URL(url).pathname}`, { endpoint: 'api', url })
      throw err
    }
    let json: unknown = text
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      // Not JSON (a proxy's HTML error page): keep the text for the error.
    }
    const hasFault = typeof json === 'object' && json !== null && ('Fault' in json || 'fault' in json)
    if (!res.ok || hasFault) throw qboErrorFromResponse({ status: res.status, headers: res.headers, body: json }, { endpoint: 'api', url })
    if (typeof json !== 'object' || json === null) {
      throw new QboError({ status: res.status, code: 'not_json', message: `QBO answered ${method} with a non-JSON body` })
    }
    return json
  }

  // ── Tokens ────────────────────────────────────────────────────────────────────────────────────
  private async accessToken(): Promise<string> {
    const t = this.cached ?? (this.cached = await this.o.tokens.read())
    if (!t) throw notConnected()
    if (this.isFresh(t)) return t.accessToken
    return (await this.refresh(t.accessToken)).accessToken
  }

  private isFresh(t: QboTokens): boolean {
    return t.accessToken !== '' && t.accessTokenExpiresAt.getTime() - this.now().getTime() > refreshMarginMs(t)
  }

  /**
   * Refreshes under the store's lock (a lease: no database lock is held during the call). Inside
   * it the tokens are read again: if another client or process already replaced
   * `staleAccessToken`, its tokens are used and Intuit is not called (refreshing with a refresh
   * token that was just rotated away would fail with invalid_grant). The new tokens are written
   * BEFORE anyone uses them (design-notes "Tokens"). Retries follow TOKEN_RETRY only.
   */
  private refresh(staleAccessToken: string): Promise<QboTokens> {
    this.refreshing ??= this.o.tokens
      .withLock(async () => {
        const current = await this.o.tokens.read()
        if (!current) throw notConnected()
        if (current.accessToken !== staleAccessToken && this.isFresh(current)) return current
        const next = await retry(
          () => {
            this.counters.oauthCalls++
            return this.o.oauth.refresh(current.refreshToken)
          },
          {
            ...this.tokenRetryCfg,
            shouldRetry: (err) => err instanceof QboError && err.retryable,
            onRetry: (err, attempt, delayMs) => {
              this.counters.retries++
              this.log.debug('qbo: retrying the token endpoint', { attempt, delayMs, code: (err as QboError).code })
            },
          },
        )
        await this.o.tokens.write(next)
        this.log.info('qbo: access token refreshed', { rotated: next.refreshToken !== current.refreshToken })
        this.o.onTokens?.(next)
        return next
      })
      .then((t) => (this.cached = t))
      .finally(() => {
        this.refreshing = null
      })
    return this.refreshing
  }
}

function notConnected(): QboAuthError {
  return new QboAuthError({
    status: 0,
    code: 'not_connected',
    message: 'QuickBooks is not connected (no tokens are stored). Connect QuickBooks to continue.',
  })
}
