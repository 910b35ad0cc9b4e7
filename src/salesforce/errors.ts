/**
 * @module salesforce/errors
 * Typed errors for everything Salesforce answers with a failure. jsforce throws plain `Error`s
 * whose `name`/`errorCode` is the vendor's code; `toSalesforceError` turns those into the classes
 * below so callers branch on a type and never on message text.
 * Error codes and statuses: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import { AppError } from '../lib/errors.js'

/** A failed REST request: `status` is the HTTP status (0 when no response), `errorCode` the
 * vendor's code (`MALFORMED_QUERY`, `INVALID_FIELD`, …), `fields` the API names it names. */
export class SalesforceError extends AppError {
  readonly status: number
  readonly errorCode: string
  readonly fields: string[]
  constructor(
    o: { status: number; errorCode: string; message: string; fields?: string[] },
    options?: { cause?: unknown },
  ) {
    super(`salesforce.${o.errorCode}`, o.message, options)
    this.status = o.status
    this.errorCode = o.errorCode
    this.fields = o.fields ?? []
  }
}

/** The credentials no longer work: `invalid_grant`/`invalid_client` from the token endpoint, or
 * `INVALID_SESSION_ID` still answered after a refresh. A person must reconnect. */
export class SalesforceAuthError extends SalesforceError {}

/** No HTTP response at all (refused, reset, unknown host, timeout): `url` is what was called,
 * `reason` the system's code (`ECONNREFUSED`, `ENOTFOUND` …). `errorCode` is `CONNECTION_ERROR`. */
export class SalesforceConnectionError extends SalesforceError {
  readonly url: string | undefined
  readonly reason: string
  constructor(o: { message: string; url: string | undefined; reason: string }, options?: { cause?: unknown }) {
    super({ status: 0, errorCode: 'CONNECTION_ERROR', message: o.message }, options)
    this.url = o.url
    this.reason = o.reason
  }
}

/** `REQUEST_LIMIT_EXCEEDED` (HTTP 403): the org's rolling 24-hour API allowance is used up, or
 * too many long-running requests run at once. Salesforce sends no Retry-After header.
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm */
export class SalesforceLimitError extends SalesforceError {}

/** Tally's package (object `QBO_Customer__c`, its fields, `Account.QBO_Source_Key__c`) is not
 * deployed or not visible to the integration user. The message is the one sentence to show. */
export class PackageNotDeployedError extends AppError {
  readonly missing: string[]
  constructor(message: string, missing: string[]) {
    super('salesforce.package_not_deployed', message)
    this.missing = missing
  }
}

interface JsforceLikeError {
  name?: unknown
  errorCode?: unknown
  message?: unknown
  data?: unknown
  /** node-fetch's FetchError (jsforce's transport): `type: 'system'` with the errno `code`. */
  type?: unknown
  code?: unknown
}

/**
 * What the token endpoint's OAuth error codes mean for the person who set the credentials
 * (bodies as recorded: `invalid_client_id` "client identifier invalid" from a live org, api-facts
 * Addendum §3; `invalid_client` "invalid client credentials", restforce #338). The vendor's own
 * description stays in the sentence.
 */
function authSentence(code: string, description: string): string {
  if (code === 'invalid_client_id') {
    return `Salesforce does not know this client id (invalid_client_id: ${description}); use the Consumer Key of your external client app.`
  }
  if (code === 'invalid_client') {
    return `Salesforce rejected the client secret (invalid_client: ${description}); use the Consumer Secret of the external client app whose Consumer Key is the client id.`
  }
  return description
}

const AUTH_CODES = new Set(['invalid_grant', 'invalid_client', 'invalid_client_id', 'unsupported_grant_type', 'INVALID_SESSION_ID', 'INVALID_AUTH_HEADER'])

/** Wraps anything jsforce (or our own HTTP code) threw. `status` is the HTTP status of the
 * response that failed, when the caller saw it. Already-typed errors pass through. */
export function toSalesforceError(err: unknown, status = 0): AppError {
  if (err instanceof AppError) return err
  const e = (typeof err === 'object' && err !== null ? err : {}) as JsforceLikeError
  const message = typeof e.message === 'string' ? e.message : String(err)
  // jsforce's session refresh wraps the token endpoint's error into a plain Error with this prefix
  // (session-refresh-delegate.js); the refresh failed, so the session cannot be restored.
  if (message.startsWith('Unable to refresh session due to:')) {
    return new SalesforceAuthError({ status: status || 401, errorCode: 'invalid_grant', message }, { cause: err })
  }
  if (e.name === 'FetchError' && e.type === 'system') {
    // "request to <url> failed, reason: connect ECONNREFUSED 127.0.0.1:9" (node-fetch)
    const url = /request to (\S+) failed/.exec(message)?.[1]
    const reason = typeof e.code === 'string' ? e.code : 'connection'
    const where = url ? new URL(url).origin : 'Salesforce'
    return new SalesforceConnectionError({ message: `No response from ${where} (${reason}).`, url, reason }, { cause: err })
  }
  let code = typeof e.errorCode === 'string' ? e.errorCode : typeof e.name === 'string' ? e.name : 'UNKNOWN'
  if (code === 'Error' || code === 'FetchError') code = 'CONNECTION_ERROR'
  const data = e.data as { fields?: unknown } | undefined
  const fields = Array.isArray(data?.fields) ? data.fields.filter((f): f is string => typeof f === 'string') : []
  const o = { status: status || statusFromCode(code), errorCode: code, message, fields }
  if (AUTH_CODES.has(code)) return new SalesforceAuthError({ ...o, message: authSentence(code, message) }, { cause: err })
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new SalesforceLimitError(o, { cause: err })
  return new SalesforceError(o, { cause: err })
}

/** Fallback status for codes whose status is fixed by the docs, used when no response was seen. */
function statusFromCode(code: string): number {
  const m = /^ERROR_HTTP_(\d{3})$/.exec(code)
  if (m) return Number(m[1])
  if (code === 'INVALID_SESSION_ID') return 401
  if (code === 'REQUEST_LIMIT_EXCEEDED') return 403
  if (code === 'NOT_FOUND') return 404
  if (code === 'MULTIPLE_CHOICES') return 300
  if (code.startsWith('invalid_') || code.startsWith('unsupported_')) return 400
  return 0
}
