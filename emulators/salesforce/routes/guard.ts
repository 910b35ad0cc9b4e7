/**
 * @module emulators/salesforce/routes/guard
 * What happens to every REST API request before its handler: latency, counting, the version in
 * the path, the session (401 INVALID_SESSION_ID), the daily allocation (403
 * REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded."; `Sforce-Limit-Info: api-usage=n/max` on
 * every response — api-facts B.5/B.6) and injected transient faults. Over-long URLs get 431/414
 * as Salesforce's edge answers them (salesforce.stackexchange.com/questions/195449: the URI limit
 * is 16,384 bytes; beyond it 431, from about 16,410 characters 414).
 *
 * A Composite subrequest (routes/composite-request.ts) passes through here too, dispatched through
 * the same app, so its version, session, validation and faults are a direct call's; but it is part
 * of one API call: it waits no latency of its own, is not counted in the stats nor against the
 * daily allocation, and its writes are logged as the composite request's.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Context, Hono, Next } from 'hono'
import type { FaultKind, SfState } from '../state.js'

/** The versions this sandbox serves: Spring '15 (33.0) to Summer '26 (67.0) (api-facts B.0). */
export const MIN_VERSION = 31
export const MAX_VERSION = 67

export const sfJson = (c: Context, body: unknown, status = 200): Response =>
  c.newResponse(JSON.stringify(body), status as 200, { 'Content-Type': 'application/json;charset=UTF-8' })

export const sfErrorResponse = (c: Context, status: number, errorCode: string, message: string, fields?: string[]) =>
  sfJson(c, [{ message, errorCode, ...(fields ? { fields } : {}) }], status)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A short operation name for /__sandbox/stats, from method and path. */
export function operationOf(method: string, path: string): string {
  const rest = path.replace(/^\/services\/data\/v[\d.]+\/?/, '')
  const parts = rest.split('/').filter(Boolean)
  const [head, second, third, fourth] = parts
  if (!head) return 'resources'
  if (head === 'query' || head === 'queryAll') return second ? `${head}.more` : head
  if (head === 'limits') return 'limits'
  if (head === 'jobs' && (second === 'ingest' || second === 'query')) {
    // Bulk API 2.0: bulk2.ingest.create / .upload / .close / .info / .successfulResults …
    const kind = `bulk2.${second}`
    if (!third) return `${kind}.${method === 'POST' ? 'create' : 'list'}`
    if (fourth) return `${kind}.${fourth === 'batches' ? 'upload' : fourth}`
    return `${kind}.${{ GET: 'info', PATCH: 'state', DELETE: 'delete' }[method] ?? method}`
  }
  if (head === 'composite' && second === 'sobjects') {
    const verb = { POST: third ? 'retrieve' : 'create', PATCH: third ? 'upsert' : 'update', DELETE: 'delete', GET: 'retrieve' }[method]
    return `collections.${verb ?? method}`
  }
  if (head === 'sobjects') {
    if (!second) return 'describeGlobal'
    if (third === 'describe') return 'describe'
    if (!third) return method === 'POST' ? 'sobject.create' : 'sobject.info'
    if (fourth !== undefined) return { GET: 'sobject.getByExternalId', PATCH: 'sobject.upsert', DELETE: 'sobject.delete', POST: 'sobject.create' }[method] ?? 'sobject'
    return { GET: 'sobject.retrieve', PATCH: 'sobject.update', DELETE: 'sobject.delete', POST: 'sobject.create' }[method] ?? 'sobject'
  }
  return head
}

function pickFault(s: SfState, method: string): FaultKind | undefined {
  const queued = s.faultQueue.shift()
  if (queued) return queued
  if (s.options.faultRate <= 0 || s.random() >= s.options.faultRate) return undefined
  const kinds: FaultKind[] = method === 'GET' ? ['503', '500', 'reset'] : ['503', '500', 'reset', 'lock', 'lock']
  return kinds[Math.floor(s.random() * kinds.length)]
}

/** Drops the TCP connection when served by @hono/node-server; otherwise answers 503. */
function dropConnection(c: Context): Response | undefined {
  const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming
  if (incoming?.socket) {
    incoming.socket.destroy()
    return new Response(null, { status: 503 })
  }
  return undefined
}

/** The objects the request being served has changed (for the write log). */
const touched = new AsyncLocalStorage<Set<string>>()

/** Set while a Composite subrequest is served; `lock`: it is the write the composite request's own
 * lock fault falls on. */
const subrequest = new AsyncLocalStorage<{ lock: boolean }>()

/** Serves `fn` (the dispatch of one Composite subrequest) as a subrequest. */
export function asSubrequest<T>(o: { lock: boolean }, fn: () => Promise<T>): Promise<T> {
  return subrequest.run(o, fn)
}

/** Whether a Composite subrequest is being served (its answer is part of the composite's). */
export const inSubrequest = (): boolean => subrequest.getStore() !== undefined

export function registerGuard(app: Hono, s: SfState): void {
  s.store.listeners.push((objectName) => touched.getStore()?.add(objectName))
  app.use('/services/data/*', async (c: Context, next: Next) => {
    const url = new URL(c.req.url)
    const uriLength = url.pathname.length + url.search.length
    if (uriLength > 16_410) return c.body(null, 414)
    if (uriLength > 16_384) return c.body(null, 431)
    const sub = subrequest.getStore()
    if (s.options.latencyMs > 0 && !sub) await sleep(s.options.latencyMs)
    if (!sub) s.stats.count(operationOf(c.req.method, url.pathname))
    const version = /^\/services\/data\/v(\d+)\.0(?:\/|$)/.exec(url.pathname)
    if (!version || Number(version[1]) < MIN_VERSION || Number(version[1]) > MAX_VERSION) {
      return sfErrorResponse(c, 404, 'NOT_FOUND', 'The requested resource does not exist')
    }
    c.set('sfVersion' as never, `${version[1]}.0` as never)
    const bearer = c.req.header('authorization')?.replace(/^(Bearer|OAuth) /i, '') ?? ''
    const session = s.accessTokens.get(bearer)
    if (!session || session.expiresAt <= s.options.now().getTime()) {
      // RESTFORCE expired_session_response.json
      return sfErrorResponse(c, 401, 'INVALID_SESSION_ID', 'Session expired or invalid')
    }
    // Writes are made as the token's user (LastModifiedById, CreatedById).
    c.set('sfUserId' as never, session.userId as never)
    const limitHeader = () => `api-usage=${s.api.used}/${s.api.max}`
    // A subrequest is part of its composite request's one call: already allowed and counted.
    if (!sub && s.api.used >= s.api.max) {
      const res = sfErrorResponse(c, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
      res.headers.set('Sforce-Limit-Info', limitHeader())
      return res
    }
    if (!sub) s.api.used += 1
    const isWrite = c.req.method !== 'GET' && !url.pathname.includes('/query')
    const fault = sub?.lock && isWrite ? 'lock' : pickFault(s, c.req.method)
    if (fault === 'lock' && isWrite) {
      c.set('sfLockFault' as never, true as never)
    } else if (fault === '503' || fault === 'lock') {
      const res = sfErrorResponse(c, 503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.')
      res.headers.set('Sforce-Limit-Info', limitHeader())
      return res
    } else if (fault === '500') {
      const res = sfErrorResponse(
        c,
        500,
        'UNKNOWN_EXCEPTION',
        `An unexpected error occurred. Please include this ErrorId if you contact support: ${Math.floor(s.random() * 1e9)}-${Math.floor(s.random() * 1e5)} (${Math.floor(s.random() * 1e9)})`,
      )
      res.headers.set('Sforce-Limit-Info', limitHeader())
      return res
    } else if (fault === 'reset') {
      // A subrequest's reset drops the connection of its composite request (its `env`).
      const dropped = dropConnection(c)
      if (dropped) return dropped
      return sfErrorResponse(c, 503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.')
    }
    if (sub) {
      // Its writes join the composite request's entry in the write log.
      await next()
      return
    }
    const objects = new Set<string>()
    await touched.run(objects, next)
    if (objects.size > 0) s.stats.recordWrite(operationOf(c.req.method, url.pathname), [...objects].sort())
    c.res.headers.set('Sforce-Limit-Info', limitHeader())
  })
}

/** Runs `fn` (work done outside a request, e.g. a Bulk API job's batch) and logs what it changed
 * as one write of `operation`, as a request's writes are logged. */
export function recordWrites(s: SfState, operation: string, fn: () => void): void {
  const objects = new Set<string>()
  touched.run(objects, fn)
  if (objects.size > 0) s.stats.recordWrite(operation, [...objects].sort())
}

export const versionOf = (c: Context): string => (c.get('sfVersion' as never) as string | undefined) ?? '62.0'
/** The user whose token made this request (its writes are theirs: LastModifiedById). */
export const userOf = (c: Context): string | undefined => c.get('sfUserId' as never) as string | undefined
export const lockFault = (c: Context): boolean => c.get('sfLockFault' as never) === true
