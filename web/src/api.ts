/**
 * @module web/api
 * The SPA's fetch client, typed by the Hub's endpoint contract (src/hub/api-types.ts): the path,
 * its parameters, the body and the answer are all checked against the same types the server uses.
 * Sends the CSRF token on every state-changing request.
 */
import type { ApiError, ApiErrorCode, Endpoint } from '../../src/hub/api-types.js'

let csrfToken: string | null = null
let onUnauthenticated: () => void = () => {}

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}
/** Called when the server says the session is gone (expired, logged out elsewhere). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn
}

/** An error answer from the Hub, with its envelope's code and message. */
export class HubApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode | 'network'
  constructor(status: number, code: ApiErrorCode | 'network', message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

type Opts<E extends Endpoint> = (E extends { Params: infer P } ? { params: P } : { params?: never }) &
  (E extends { Body: infer B } ? { body: B } : { body?: never }) &
  (E extends { Querystring: infer Q } ? { query?: Q } : { query?: never })

function buildUrl(path: string, params?: Record<string, string>, query?: Record<string, unknown>): string {
  let url = path.replace(/:([a-zA-Z]+)/g, (_, k: string) => encodeURIComponent(params?.[k] ?? ''))
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v))
  if ([...qs].length > 0) url += `?${qs.toString()}`
  return url
}

/** Calls one endpoint: `api<GetCustomers>('GET', '/api/customers', { query: { page: 1 } })`. */
export async function api<E extends Endpoint>(
  method: E['Method'],
  path: E['Path'],
  ...[opts]: Record<string, never> extends Opts<E> ? [Opts<E>?] : [Opts<E>]
): Promise<E['Success']> {
  const o = (opts ?? {}) as { params?: Record<string, string>; body?: unknown; query?: Record<string, unknown> }
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (o.body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(buildUrl(path, o.params, o.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: o.body === undefined ? null : JSON.stringify(o.body),
    })
  } catch {
    throw new HubApiError(0, 'network', 'The Hub cannot be reached. Check that Tally is running, then retry.')
  }
  const data: unknown = await res.json().catch(() => null)
  if (!res.ok) {
    const err = (data as ApiError | null)?.error
    if (res.status === 401 && path !== '/api/session') onUnauthenticated()
    throw new HubApiError(res.status, err?.code ?? 'server_error', err?.message ?? `The Hub answered ${res.status}.`)
  }
  return data as E['Success']
}

/** The message to show for any error thrown by `api`. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
