/**
 * @module qbo/errors
 * Typed QuickBooks Online errors, shaped like stripe-node's hierarchy: one base `QboError`
 * carrying QBO's own string `code`, the HTTP status, `detail`, `element` and the `intuit_tid`
 * tracking id, and subclasses callers branch on. Every HTTP failure goes through ONE factory,
 * `qboErrorFromResponse()`.
 *
 * Error codes: https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
 * (envelopes and codes as recorded: api-facts A.6).
 */
import { AppError } from '../lib/errors.js'

export interface QboErrorInit {
  status: number
  /** QBO's code as a string (`"6240"`), or an OAuth error (`"invalid_grant"`), or a local code. */
  code: string
  message: string
  detail?: string
  element?: string
  intuitTid?: string
  /** Fault type: `ValidationFault`, `SystemFault`, `AUTHENTICATION`, `SERVICE`, … */
  type?: string
  retryable?: boolean
  /** Minimum wait before retrying, when the server said so. */
  retryAfterMs?: number
  /** Which Intuit endpoint failed: the OAuth token endpoint or the Accounting API. */
  endpoint?: QboEndpoint
  /** The URL that was called (for a failure to reach it, the one thing to check). */
  url?: string
  cause?: unknown
}

export type QboEndpoint = 'token' | 'api'

export class QboError extends AppError {
  readonly status: number
  readonly detail?: string
  readonly element?: string
  readonly intuitTid?: string
  readonly type?: string
  readonly retryable: boolean
  readonly retryAfterMs?: number
  readonly endpoint?: QboEndpoint
  readonly url?: string
  constructor(init: QboErrorInit) {
    super(init.code, init.message, { cause: init.cause })
    this.status = init.status
    this.detail = init.detail
    this.element = init.element || undefined
    this.intuitTid = init.intuitTid
    this.type = init.type
    this.retryable = init.retryable ?? false
    this.retryAfterMs = init.retryAfterMs
    this.endpoint = init.endpoint
    this.url = init.url
  }
  override toText(): string {
    const tid = this.intuitTid ? ` (intuit_tid ${this.intuitTid})` : ''
    return `QuickBooks error ${this.code}: ${this.message}${this.detail ? ` — ${this.detail}` : ''}${tid}`
  }
}

/** 401 / 3200 / 120 / 3100, or the token endpoint said `invalid_grant`: the user must reconnect. */
export class QboAuthError extends QboError {}
/** 429 / 3001: the realm's request or concurrency limit was hit. Retryable. */
export class QboThrottleError extends QboError {}
/** 5010: the SyncToken sent is not the current one (someone else saved first). */
export class QboStaleObjectError extends QboError {}
/** 6240: DisplayName is already used by a customer, vendor or employee. */
export class QboDuplicateNameError extends QboError {}
/** Other 400-class business or request validation faults (2000–4999, 6000+). Never retried. */
export class QboValidationError extends QboError {}
/** 404, or 610 "Object Not Found". */
export class QboNotFoundError extends QboError {}
/** 5xx or fault code ≥ 10000: QBO's side failed. Retryable for 500/502/503/504. */
export class QboServerError extends QboError {}
/** The request never got an HTTP response (reset, refused, socket hang up). Retryable. */
export class QboConnectionError extends QboError {}
/** A response did not have the shape we rely on; names the entity and the field. */
export class QboSchemaError extends QboError {}
/** CDC returned its maximum of 1000 objects: changes may be missing; read everything instead. */
export class QboCdcTruncatedError extends QboError {}
/** CDC `changedSince` is older than QBO's 30-day look-back; read everything instead. */
export class QboCdcWindowError extends QboError {}

/** Statuses that a retry may cure (QBO error-code page: 429 throttling, 5xx transient). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/** Reads a header case-, `_`- and `-`-insensitively (`Intuit-Tid`, `intuit_tid`, `intuit-tid`). */
export function headerLoose(headers: Headers, name: string): string | undefined {
  const want = name.toLowerCase().replace(/[-_]/g, '')
  for (const [k, v] of headers) if (k.toLowerCase().replace(/[-_]/g, '') === want) return v
  return undefined
}

interface FaultItem {
  message?: string
  detail?: string
  code?: string
  element?: string
}

type Loose = Record<string, unknown>
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined

/**
 * Finds the fault in a body: the capitalised API envelope `{"Fault":{"Error":[…],"type"}}`, the
 * lower-case gateway envelope `{"fault":{"error":[…],"type"}}` (401/403), or an OAuth error
 * `{"error":"invalid_grant","error_description"}`. Returns undefined when there is none.
 */
export function extractFault(body: unknown): { type?: string; errors: FaultItem[] } | undefined {
  if (!isObj(body)) return undefined
  const fault = isObj(body.Fault) ? body.Fault : isObj(body.fault) ? body.fault : undefined
  if (fault) {
    const list = Array.isArray(fault.Error) ? fault.Error : Array.isArray(fault.error) ? fault.error : []
    const errors = list.filter(isObj).map((e) => ({
      message: str(e.Message ?? e.message),
      detail: str(e.Detail ?? e.detail),
      code: str(e.code ?? e.Code),
      element: str(e.element ?? e.Element),
    }))
    return { type: str(fault.type ?? fault.Type), errors }
  }
  if (typeof body.error === 'string') {
    return { type: 'OAuth', errors: [{ code: body.error, message: str(body.error_description) }] }
  }
  return undefined
}

/** The gateway message packs `message=ThrottleExceeded; errorCode=003001; statusCode=429`. */
function gatewayName(message: string | undefined): string | undefined {
  return message?.match(/message=([^;]+)/)?.[1]
}

function parseRetryAfter(headers: Headers): number | undefined {
  const v = headers.get('retry-after')
  if (!v) return undefined
  const s = Number(v)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/**
 * Builds the typed error for an HTTP response (any status, including a 200 whose body carries a
 * Fault — QBO does that, esp. for batch). `body` is the parsed JSON, or the raw text when the body
 * was not JSON (a proxy's HTML 502).
 */
export function qboErrorFromResponse(
  r: { status: number; headers: Headers; body: unknown },
  where?: { endpoint: QboEndpoint; url: string },
): QboError {
  const fault = extractFault(r.body)
  const first = fault?.errors[0] ?? {}
  const rawCode = first.code ?? ''
  // Gateway codes come zero-padded in the message ("003200"); the `code` field is "3200".
  const code = rawCode.replace(/^0+(?=\d)/, '') || `http_${r.status}`
  const numeric = /^\d+$/.test(code) ? Number(code) : NaN
  const message =
    gatewayName(first.message) ??
    first.message ??
    (typeof r.body === 'string' && r.body.length > 0 && r.body.length < 200 ? r.body : `HTTP ${r.status}`)
  const init: QboErrorInit = {
    status: r.status,
    code,
    message,
    detail: first.detail,
    element: first.element,
    intuitTid: headerLoose(r.headers, 'intuit_tid'),
    type: fault?.type,
    retryAfterMs: parseRetryAfter(r.headers),
    ...(where ? { endpoint: where.endpoint, url: where.url } : {}),
  }

  if (code === 'invalid_grant') return new QboAuthError({ ...init, message: reconnectMessage(first.message) })
  if (code === 'invalid_client') {
    return new QboAuthError({
      ...init,
      message: 'QuickBooks rejected the app credentials (invalid_client). Check the QuickBooks client id and secret.',
    })
  }
  if (r.status === 429 || numeric === 3001) return new QboThrottleError({ ...init, retryable: true })
  if (r.status === 401 || numeric === 3200 || numeric === 120 || numeric === 3100 || r.status === 403) {
    return new QboAuthError(init)
  }
  if (numeric === 5010) return new QboStaleObjectError(init)
  if (numeric === 6240) return new QboDuplicateNameError(init)
  if (r.status === 404 || numeric === 610) return new QboNotFoundError(init)
  if (r.status >= 500 || numeric >= 10000) {
    return new QboServerError({ ...init, retryable: RETRYABLE_STATUSES.has(r.status) })
  }
  if (r.status >= 400 || fault) return new QboValidationError(init)
  return new QboError(init)
}

/** The sentence a user sees when the refresh token is gone (expired, revoked or rotated away). */
export function reconnectMessage(description?: string): string {
  const why = description ? ` (Intuit said: ${description})` : ''
  return `The QuickBooks connection is no longer authorised${why}. Reconnect QuickBooks to continue syncing.`
}
