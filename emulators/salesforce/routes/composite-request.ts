/**
 * @module emulators/salesforce/routes/composite-request
 * The Composite resource, `POST /services/data/vXX.X/composite`: up to 25 subrequests run in order
 * in one call, the output of one usable in the url or body of a later one (`@{refId.field}`,
 * `@{refId.records[0].Id}`), their answers returned together as `compositeResponse`. The whole
 * request counts as one API call.
 *
 * Each subrequest is dispatched through this same app (and so through the guard: version, session,
 * faults, locks; see routes/guard.ts for what a subrequest is spared), so it validates, fails and
 * writes exactly as the same request sent on its own would.
 *
 * - At most 25 subrequests, of which at most 5 query, queryAll (with their query more) or sObject
 *   Collections operations: more → LIMIT_EXCEEDED, nothing run (the 25 wording and the answer's
 *   shape as recorded in guardian/support-service-lambdas#766; the 5 wording is ours).
 * - A request that does not parse, a subrequest without `referenceId` (JSON_PARSER_ERROR
 *   "'referenceId' is a required field.", the tech-pubs blog "Handle Errors with Composite
 *   Resources"), a referenceId other than letters, digits and underscores (from v52.0, the REST API
 *   Developer Guide's wording), or an Accept/Authorization/Content-Type subrequest header → HTTP 400,
 *   nothing run.
 * - A subrequest url must be a `/services/data/vXX.X/…` path of a resource Composite serves (sObject
 *   resources, query, queryAll, sObject Collections); any other answers that subrequest 404.
 * - allOrNone false: a failed subrequest does not stop the others; one that references a failed
 *   subrequest, or a value its answer does not have, is not run and answers 400 PROCESSING_HALTED
 *   "Invalid reference specified. No value for … found in …" (the Developer Guide's examples).
 *   From v52.0 a reference to a null field is null (before, PROCESSING_HALTED).
 * - allOrNone true: at the first failure — an error status, or an sObject Collections answer with a
 *   failed record ("allOrNone Parameters in Composite and Collections Requests", case 4) — every
 *   change of the request is rolled back (`store.snapshot()/restore`, as Collections do); the failed
 *   subrequest keeps its answer, every other answers 400 PROCESSING_HALTED "The transaction was
 *   rolled back since another operation in the same transaction failed."
 * - Subrequests always run in the order sent (`collateSubrequests` is accepted and ignored).
 * - The composite request's own lock fault falls on one of its write subrequests (UNABLE_TO_LOCK_ROW
 *   there), as a Collection's falls on one record.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_subrequest_result.htm
 */
import type { Context, Hono } from 'hono'
import type { SfState } from '../state.js'
import { asSubrequest, lockFault, sfErrorResponse, sfJson, versionOf } from './guard.js'
import { jsonBody } from './sobjects.js'

const MAX_SUBREQUESTS = 25
const MAX_QUERIES_AND_COLLECTIONS = 5
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])
/** Subrequests inherit these from the composite request (Composite Subrequest, `httpHeaders`). */
const INHERITED_HEADERS = new Set(['accept', 'authorization', 'content-type'])
const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9_]*$/
const REFERENCE = /@\{([^}]*)\}/g
/** Subresponse headers the Composite resource leaves out (no Content-Length: the Composite
 * Subrequest Result), and the ones that belong to the HTTP response as a whole. */
const DROPPED_HEADERS = new Set(['content-length', 'content-type', 'sforce-limit-info'])

interface Subrequest {
  method: string
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}

interface SubResult {
  body: unknown
  httpHeaders: Record<string, string>
  httpStatusCode: number
  referenceId: string
}

const processingHalted = (referenceId: string, message: string): SubResult => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
})

const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.'

const invalidReference = (expr: string, ref: string) =>
  `Invalid reference specified. No value for ${expr} found in ${ref}. Provided referenceId ('${expr}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`

/** The resource of a subrequest url: `sobjects`, `query`, `queryAll`, `collections`, or null for
 * one Composite does not serve (or a url outside `/services/data/vXX.X/`). */
function resourceOf(url: string): 'sobjects' | 'query' | 'collections' | null {
  const m = /^\/services\/data\/v\d+\.\d+\/([^?#]*)/.exec(url)
  if (!m) return null
  const [head, second] = (m[1] ?? '').split('/')
  if (head === 'sobjects') return 'sobjects'
  if (head === 'query' || head === 'queryAll') return 'query'
  if (head === 'composite' && second === 'sobjects') return 'collections'
  return null
}

/** `records[0].Id` → ['records', 0, 'Id']; null when it does not parse. */
function parsePath(path: string): (string | number)[] | null {
  const out: (string | number)[] = []
  const re = /\.([^.[\]]+)|\[(\d+)\]/y
  let at = 0
  while (at < path.length) {
    re.lastIndex = at
    const m = re.exec(path)
    if (!m) return null
    out.push(m[1] !== undefined ? m[1] : Number(m[2]))
    at = re.lastIndex
  }
  return out
}

type Lookup = { ok: true; value: unknown } | { ok: false; message: string }

export function registerCompositeRequest(app: Hono, s: SfState): void {
  app.post('/services/data/:version/composite', async (c: Context) => {
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const input = parsed.body as { allOrNone?: unknown; compositeRequest?: unknown }
    if (!input || typeof input !== 'object' || !Array.isArray(input.compositeRequest)) {
      return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', "'compositeRequest' is a required field.")
    }
    const requests = input.compositeRequest as Partial<Subrequest>[]
    const seen = new Set<string>()
    for (const r of requests) {
      if (!r || typeof r !== 'object') return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', 'Each subrequest must be an object.')
      if (typeof r.referenceId !== 'string' || r.referenceId === '') return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', "'referenceId' is a required field.")
      if (!REFERENCE_ID.test(r.referenceId)) {
        return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', `Provided referenceId ('${r.referenceId}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`)
      }
      // [unverified wording]
      if (seen.has(r.referenceId)) return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', `Duplicate referenceId provided in the request: ${r.referenceId}`)
      seen.add(r.referenceId)
      if (typeof r.method !== 'string' || !METHODS.has(r.method)) return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', `'method' must be one of GET, POST, PATCH, PUT or DELETE: ${String(r.method)}`)
      if (typeof r.url !== 'string') return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', "'url' is a required field.")
      for (const h of Object.keys(r.httpHeaders ?? {})) {
        // [unverified wording] The docs say only that the composite request fails with HTTP 400.
        if (INHERITED_HEADERS.has(h.toLowerCase())) return sfErrorResponse(c, 400, 'INVALID_HEADER_TYPE', `A subrequest cannot set the ${h} header: it is inherited from the composite request.`)
      }
    }
    const limitExceeded = (message: string) =>
      sfJson(c, { compositeResponse: [{ body: [{ errorCode: 'LIMIT_EXCEEDED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }] })
    if (requests.length > MAX_SUBREQUESTS) return limitExceeded(`The request can’t contain more than ${MAX_SUBREQUESTS} operations.`)
    const heavy = requests.filter((r) => ['query', 'collections'].includes(resourceOf(r.url as string) ?? '')).length
    if (heavy > MAX_QUERIES_AND_COLLECTIONS) {
      return limitExceeded(`The request can’t contain more than ${MAX_QUERIES_AND_COLLECTIONS} sObject Collections or query operations.`)
    }

    const allOrNone = input.allOrNone === true
    const nullReferences = Number(versionOf(c).split('.')[0]) >= 52
    const answers = new Map<string, SubResult>()
    const lookup = (expr: string): Lookup => {
      const m = /^([A-Za-z0-9_]+)(.*)$/.exec(expr)
      const ref = m?.[1] ?? expr
      const path = m ? parsePath(m[2] ?? '') : null
      const answer = answers.get(ref)
      if (!m || !path || !answer || answer.httpStatusCode >= 400) return { ok: false, message: invalidReference(expr, ref) }
      let v: unknown = answer.body
      for (const step of path) {
        if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, step)) return { ok: false, message: invalidReference(expr, ref) }
        v = (v as Record<string | number, unknown>)[step]
      }
      if (v === null && !nullReferences) return { ok: false, message: invalidReference(expr, ref) }
      if (v !== null && typeof v === 'object') return { ok: false, message: invalidReference(expr, ref) }
      return { ok: true, value: v }
    }
    /** A value with its references replaced: a string that is one reference takes the value's
     * JSON type; references inside other text are spliced in as text. */
    const resolve = (value: unknown, inUrl: boolean): Lookup => {
      if (typeof value === 'string') {
        const whole = /^@\{([^}]*)\}$/.exec(value)
        if (whole && !inUrl) return lookup(whole[1] as string)
        let failed: string | null = null
        const text = value.replace(REFERENCE, (_all, expr: string) => {
          const found = lookup(expr)
          if (!found.ok) failed ??= found.message
          return found.ok ? String(found.value) : ''
        })
        return failed ? { ok: false, message: failed } : { ok: true, value: text }
      }
      if (Array.isArray(value)) {
        const out: unknown[] = []
        for (const v of value) {
          const r = resolve(v, false)
          if (!r.ok) return r
          out.push(r.value)
        }
        return { ok: true, value: out }
      }
      if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value)) {
          const r = resolve(v, false)
          if (!r.ok) return r
          out[k] = r.value
        }
        return { ok: true, value: out }
      }
      return { ok: true, value }
    }

    const origin = new URL(c.req.url).origin
    const authorization = c.req.header('authorization') ?? ''
    // The composite request's own lock fault falls on one of its writes.
    const writes = requests.map((r, i) => (r.method !== 'GET' && resourceOf(r.url as string) !== 'query' ? i : -1)).filter((i) => i >= 0)
    const lockedAt = lockFault(c) && writes.length > 0 ? writes[Math.floor(s.random() * writes.length)] : -1

    const run = async (r: Subrequest, index: number): Promise<SubResult> => {
      const url = resolve(r.url, true)
      if (!url.ok) return processingHalted(r.referenceId, url.message)
      const body = r.body === undefined ? { ok: true as const, value: undefined } : resolve(r.body, false)
      if (!body.ok) return processingHalted(r.referenceId, body.message)
      const target = String(url.value)
      if (!resourceOf(target)) {
        return { body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], httpHeaders: {}, httpStatusCode: 404, referenceId: r.referenceId }
      }
      const headers = new Headers({ ...(r.httpHeaders ?? {}), authorization, accept: 'application/json' })
      if (body.value !== undefined) headers.set('content-type', 'application/json')
      const req = new Request(new URL(target, origin), {
        method: r.method,
        headers,
        ...(body.value !== undefined ? { body: JSON.stringify(body.value) } : {}),
      })
      const res = await asSubrequest({ lock: index === lockedAt }, async () => app.fetch(req, c.env))
      const text = await res.text()
      let parsedBody: unknown = null
      if (text !== '') {
        try {
          parsedBody = JSON.parse(text)
        } catch {
          parsedBody = text
        }
      }
      const httpHeaders: Record<string, string> = {}
      res.headers.forEach((v, k) => {
        if (!DROPPED_HEADERS.has(k)) httpHeaders[k === 'location' ? 'Location' : k] = v
      })
      return { body: parsedBody, httpHeaders, httpStatusCode: res.status, referenceId: r.referenceId }
    }

    const failed = (r: Subrequest, a: SubResult): boolean =>
      a.httpStatusCode >= 400 ||
      (resourceOf(r.url) === 'collections' && Array.isArray(a.body) && a.body.some((x) => (x as { success?: unknown } | null)?.success === false))

    const snapshot = allOrNone ? s.store.snapshot() : undefined
    const results: SubResult[] = []
    for (const [i, r] of (requests as Subrequest[]).entries()) {
      const answer = await run(r, i)
      answers.set(r.referenceId, answer)
      results.push(answer)
      if (snapshot && failed(r, answer)) {
        s.store.restore(snapshot)
        const out = (requests as Subrequest[]).map((q, j) => (j === i ? answer : processingHalted(q.referenceId, ROLLED_BACK)))
        return sfJson(c, { compositeResponse: out })
      }
    }
    return sfJson(c, { compositeResponse: results })
  })
}
