/**
 * @module emulators/qbo/http
 * Response helpers: QBO's JSON content type and headers on every response (qbo_api recordings:
 * `Intuit-Tid`, `Qbo-Version`, `Service-Time`, `Strict-Transport-Security`, `Cache-Control`,
 * `Expires`). SDKs read the tracking id as `intuit_tid` (quickbooks-ruby, oauth-jsclient mocks),
 * so both spellings are sent.
 */
import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { QboFault } from './errors.js'
import { formatEnvelopeTime } from './time.js'

export function trackingId(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`
}

export function qboHeaders(c: Context): void {
  const tid = trackingId()
  c.header('Intuit-Tid', tid)
  c.header('intuit_tid', tid)
  c.header('Strict-Transport-Security', 'max-age=15552000')
  c.header('Qbo-Version', '1944.190')
  c.header('Service-Time', 'total=12, db=5')
  c.header('Expires', '0')
  c.header('Cache-Control', 'max-age=0, no-cache, no-store, must-revalidate, private')
}

/**
 * A JSON response. Successes are `application/json;charset=utf-8`, errors (faults, the
 * gateway's 401/403) plain `application/json` — as every qbo_api cassette recorded them.
 */
export function json(c: Context, body: unknown, status = 200): Response {
  const type = status < 400 ? 'application/json;charset=utf-8' : 'application/json'
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': type })
}

/** `{...payload, "time": "<Pacific, ms>"}` — every API success body carries `time`. */
export function envelope(c: Context, nowMs: number, payload: Record<string, unknown>): Response {
  return json(c, { ...payload, time: formatEnvelopeTime(nowMs) })
}

export function faultResponse(c: Context, fault: QboFault, nowMs: number): Response {
  return json(c, fault.body(nowMs), fault.status)
}

export function isFault(e: unknown): e is QboFault {
  return e instanceof QboFault
}
