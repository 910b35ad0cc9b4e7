/**
 * @module salesforce/client
 * Tally's Salesforce REST client on jsforce 3.10.16: authentication (client credentials, or a
 * refresh token from the web-server flow), queries that always read every page, sObject Collections
 * writes in chunks of 200 with per-record outcomes as data, and exact counting of every request.
 * jsforce provides OAuth, session refresh on 401 and the HTTP transport; paging and collections are
 * done here so that nothing is truncated (jsforce's autoFetch stops silently at maxFetch = 10,000)
 * and results keep input order.
 */
import type { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { Connection } from 'jsforce'
import { HttpApi } from 'jsforce/lib/http-api.js'
import type { TokenResponse } from 'jsforce/lib/oauth2.js'
import type { HttpMethods } from 'jsforce/lib/types/common.js'
import { noopLogger, type Logger } from '../lib/logger.js'
import { SalesforceError, toSalesforceError } from './errors.js'
import { checkPackageDeployed, type DescribeResult } from './package-check.js'
import { encodeSoqlParam, MAX_SOQL_LENGTH, type Soql } from './soql.js'
import { instrumentTransport, parseLimitInfo, streamRequest, type RetryPolicy } from './transport.js'

export const DEFAULT_API_VERSION = '62.0'
/** sObject Collections take at most 200 records per request.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm */
export const COLLECTION_CHUNK = 200

export type SaveResult =
  | { ok: true; id: string; created?: boolean }
  | { ok: false; errors: { code: string; message: string; fields: string[] }[] }

export interface SalesforceClientOptions {
  /** Where the token endpoint lives: a My Domain URL for client credentials. */
  loginUrl: string
  clientId: string
  clientSecret: string
  /** From the web-server flow; without it the client-credentials flow is used. */
  refreshToken?: string
  apiVersion?: string
  logger?: Logger
  /** Called when Salesforce rotates the refresh token; persist it at once. */
  onRefreshToken?: (refreshToken: string) => void
  /** jsforce's own retry of idempotent requests (GET etc.) on 5xx; defaults to jsforce's. */
  retry?: RetryPolicy
}

/** One subrequest of a Composite request (REST API "Composite Subrequest"). `url`: a path under
 * this client's `/services/data/vXX.X` (`/sobjects/Account/describe`), or a whole such path (a
 * `queryPath`). A reference `@{referenceId.field}` to an earlier subrequest's answer may stand in
 * `url` or `body`. */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}

/** A subrequest's answer: its body, or the SalesforceError its error body says (the vendor's
 * `errorCode`, the subrequest's HTTP status, `fields`) — PROCESSING_HALTED for one that was not run
 * because a subrequest it references failed, or because allOrNone rolled the request back. */
export type CompositeResult =
  | { referenceId: string; ok: true; status: number; body: unknown; headers: Record<string, string> }
  | { referenceId: string; ok: false; status: number; error: SalesforceError }

/** Composite takes at most 25 subrequests, at most 5 of them query (query more included) or
 * sObject Collections operations.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm */
export const COMPOSITE_MAX_SUBREQUESTS = 25
export const COMPOSITE_MAX_QUERIES = 5

export interface ConnectionInfo {
  instanceUrl: string
  orgId: string
  userId: string
}

export interface SalesforceClient {
  connect(): Promise<ConnectionInfo>
  /** Who the connection signs in as (username, display name, org). */
  identity(): Promise<{ username: string; displayName: string | null; organizationId: string }>
  /** Throws `PackageNotDeployedError` unless `QBO_Customer__c`, its fields and
   * `Account.QBO_Source_Key__c` are visible. `extraFields` are more `QBO_Customer__c` fields. */
  checkPackage(extraFields?: readonly string[]): Promise<void>
  query<T = Record<string, unknown>>(soql: string | Soql): Promise<T[]>
  /** Like `query`, deleted and merged records included (the Recycle Bin: `IsDeleted`,
   * `MasterRecordId`). */
  queryAll<T = Record<string, unknown>>(soql: string | Soql): Promise<T[]>
  /** Every row, unless reading them all would take more than `maxCalls` calls: then null,
   * after one call (the first page). */
  queryWithin<T = Record<string, unknown>>(soql: string | Soql, maxCalls: number): Promise<T[] | null>
  count(soql: string | Soql): Promise<number>
  upsert(sobject: string, extIdField: string, records: Record<string, unknown>[]): Promise<SaveResult[]>
  update(sobject: string, records: ({ Id: string } & Record<string, unknown>)[]): Promise<SaveResult[]>
  /** One PATCH of one record by Id (204 No Content). */
  patchRecord(sobject: string, id: string, fields: Record<string, unknown>): Promise<void>
  /** One record created (`POST /sobjects/{type}`); its Id. Throws SalesforceError on refusal. */
  create(sobject: string, fields: Record<string, unknown>): Promise<string>
  /** Records created in Collections of 200 (`POST /composite/sobjects`, allOrNone false). */
  insert(sobject: string, records: Record<string, unknown>[]): Promise<SaveResult[]>
  /** The jsforce connection, signed in, for the Metadata and Streaming APIs (its requests are
   * counted in apiCalls like every other). */
  jsforce(): Promise<Connection>
  /** Describe of one object, fetched once per client. */
  describe(sobject: string): Promise<DescribeResult>
  /** Up to 25 subrequests in one call (`POST /composite`, one API call whatever they are), run in
   * the order given; one result per subrequest, in that order. A subrequest that failed is a
   * result with its SalesforceError, never an exception; the call itself failing (a 5xx, no
   * answer, the session) throws. allOrNone (default false): the first failure rolls every change
   * of the request back. */
  composite(subrequests: readonly CompositeSubrequest[], o?: { allOrNone?: boolean }): Promise<CompositeResult[]>
  /** Every record of a query from its first page (a composite subrequest's answer): the rest read
   * with query more, one call per page, as `query` does. */
  continueQuery<T = Record<string, unknown>>(firstPage: unknown): Promise<T[]>
  apiCalls(): number
  oauthCalls(): number
  apiUsage(): { used: number; max: number } | null
  /** Salesforce's clock at its latest answer (the HTTP `Date` header, to the second; RFC 9110
   * §6.6.1), or null before the first: when Tally's writes ended, as `SystemModstamp` counts. */
  serverTime(): Date | null
  /** The org's daily API requests now (`GET /limits`, one call; its Sforce-Limit-Info updates
   * `apiUsage` too). */
  readApiUsage(): Promise<{ used: number; max: number }>
  instanceUrl(): string | null
  /** The query URL path for a statement, as sent (for sizing batches, and as a composite
   * subrequest's url); `queryAll` for the Recycle Bin's too. */
  queryPath(soql: string, resource?: 'query' | 'queryAll'): string
  /** One request under `/services/data/vXX.X` (e.g. Bulk API 2.0's `/jobs/ingest`), counted like
   * every other: a JSON or raw body, the answer parsed as JSON. jsforce's
   * own retry is off for it: the caller decides what is safe to send again. */
  request<T = unknown>(method: HttpMethods, path: string, o?: RawRequestOptions): Promise<T>
  /** A GET under `/services/data/vXX.X` whose answer is read as a stream of bytes (a Bulk API 2.0
   * result file), counted like every other; a refused answer is a typed error, as `request`'s. The
   * answer's headers come with it (names lower-cased: a query result set's `sforce-locator`). The
   * caller reads `body` to its end. */
  download(path: string): Promise<{ headers: Record<string, string>; body: Readable }>
  /** A PUT under `/services/data/vXX.X` of `bytes` bytes made as they are sent (`body` makes the
   * stream, again for a repeated request: a Bulk API 2.0 upload), counted like every other; its
   * answer's text, or the typed error a refusal's body says. */
  upload(path: string, body: () => Readable, o: { bytes: number; contentType: string }): Promise<string>
  /** The first page of a REST query and, on demand, the rest of its pages (each one call): a
   * caller learns the size from `totalSize` before deciding how to read the rest. */
  queryFirstPage<T = Record<string, unknown>>(soql: string | Soql): Promise<FirstPage<T>>
  /** The client's logger, for what is sent beside it (Bulk API 2.0 jobs log their SOQL here). */
  readonly logger: Logger
}

export interface RawRequestOptions {
  body?: string
  contentType?: string
}

export interface FirstPage<T> {
  totalSize: number
  /** The first page's rows (attributes removed at the top level, as `query` gives them). */
  records: T[]
  /** True when the first page holds every row. */
  done: boolean
  /** Every row: this page's and the following pages' (one call each). */
  readAll(): Promise<T[]>
}

interface QueryPage<T> {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: T[]
}

interface RawSaveResult {
  id?: string
  success: boolean
  created?: boolean
  errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[]
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

function apiName(name: string): string {
  if (!API_NAME.test(name)) throw new TypeError(`Not a Salesforce API name: ${JSON.stringify(name)}`)
  return name
}

/** The identity URL ends in `/id/<orgId>/<userId>` (OAuth token response, B.8). */
function parseIdentity(id: string | undefined): { orgId: string; userId: string } {
  const parts = (id ?? '').split('/').filter(Boolean)
  return { orgId: parts.at(-2) ?? '', userId: parts.at(-1) ?? '' }
}

function toSaveResult(r: RawSaveResult): SaveResult {
  if (r.success && r.id) return { ok: true, id: r.id, ...(typeof r.created === 'boolean' ? { created: r.created } : {}) }
  // Collections report errors with `statusCode` (B.2); single-record bodies use `errorCode`.
  const errors = (r.errors ?? []).map((e) => ({
    code: e.statusCode ?? e.errorCode ?? 'UNKNOWN_ERROR',
    message: e.message ?? '',
    fields: e.fields ?? [],
  }))
  return { ok: false, errors }
}

/** A body as JSON when it is JSON, else as its text. */
function parsedOrText(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body
  }
}

function stripAttributes<T>(record: T): T {
  if (record && typeof record === 'object' && 'attributes' in record) {
    const { attributes: _a, ...rest } = record as Record<string, unknown>
    return rest as T
  }
  return record
}

export function createSalesforceClient(o: SalesforceClientOptions): SalesforceClient {
  const version = o.apiVersion ?? DEFAULT_API_VERSION
  const base = `/services/data/v${version}`
  const logger = o.logger ?? noopLogger
  const restCounter = { requests: 0 }
  const oauthCounter = { requests: 0 }
  let usage: { used: number; max: number } | null = null
  let serverDate: Date | null = null
  let refreshToken = o.refreshToken
  let info: ConnectionInfo | null = null
  let connecting: Promise<ConnectionInfo> | null = null
  const describes = new Map<string, Promise<DescribeResult>>()

  const conn = new Connection({
    loginUrl: o.loginUrl,
    version,
    oauth2: { loginUrl: o.loginUrl, clientId: o.clientId, clientSecret: o.clientSecret },
    // jsforce calls this on a 401 and then repeats the request once with the new token.
    refreshFn: (_c, callback) => {
      obtainToken().then(
        (res) => callback(null, res.access_token, res),
        (err: Error) => callback(err),
      )
    },
  })
  instrumentTransport(conn._transport, restCounter, {
    retry: o.retry,
    onHeaders: (h) => {
      usage = parseLimitInfo(h['sforce-limit-info']) ?? usage
      const date = h['date'] ? new Date(h['date']) : null
      if (date && !Number.isNaN(date.getTime())) serverDate = date
    },
  })
  // Token requests go through OAuth2's own transport; they are counted apart (oauthCalls()).
  instrumentTransport(conn.oauth2._transport, oauthCounter, { retry: o.retry })

  /** Token endpoint: refresh-token grant when we hold one, else client credentials.
   * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
   * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm */
  async function obtainToken(): Promise<TokenResponse> {
    let res: TokenResponse
    // A token is refreshed mid-run too (a 401 after a long plan): the same dead connection to avoid.
    await settled()
    try {
      res = refreshToken
        ? await conn.oauth2.refreshToken(refreshToken)
        : await conn.oauth2.requestToken({ grant_type: 'client_credentials' })
    } catch (err) {
      throw toSalesforceError(err, 400)
    }
    conn.accessToken = res.access_token
    conn.instanceUrl = res.instance_url
    // With refresh-token rotation Salesforce returns a new refresh token and invalidates the old.
    if (res.refresh_token && res.refresh_token !== refreshToken) {
      refreshToken = res.refresh_token
      o.onRefreshToken?.(res.refresh_token)
    }
    info = { instanceUrl: res.instance_url, ...parseIdentity(res.id) }
    identityUrl = res.id
    logger.debug('salesforce: token obtained', { instanceUrl: res.instance_url, flow: o.refreshToken ? 'refresh_token' : 'client_credentials' })
    return res
  }

  let identityUrl: string | null = null

  /** Who Tally is connected as: the identity URL of the token response (OAuth identity service,
   * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm); it does not
   * count against the org's API allocation. */
  async function identity(): Promise<{ username: string; displayName: string | null; organizationId: string }> {
    await connect()
    const r = await send<{ username?: string; display_name?: string; organization_id?: string }>('GET', identityUrl as string)
    return { username: r.username ?? '', displayName: r.display_name ?? null, organizationId: r.organization_id ?? info?.orgId ?? '' }
  }

  async function connect(): Promise<ConnectionInfo> {
    connecting ??= obtainToken().then(
      () => info as ConnectionInfo,
      (err: unknown) => {
        connecting = null
        throw err
      },
    )
    return connecting
  }

  async function send<T>(method: HttpMethods, path: string, body?: unknown): Promise<T> {
    if (!conn.accessToken || !conn.instanceUrl) await connect()
    await settled()
    const api = new HttpApi(conn, {})
    let status = 0
    api.on('response', (res: { statusCode: number }) => {
      status = res.statusCode
    })
    try {
      return (await api.request<T>({
        method,
        url: conn._normalizeUrl(path),
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      })) as T
    } catch (err) {
      throw toSalesforceError(err, status)
    }
  }

  /** See SalesforceClient.download and .upload. An expired session is renewed once, as jsforce's
   * HttpApi does for `request` (its refreshFn: a 401, the token endpoint, the same request again). */
  async function streamed(method: 'GET' | 'PUT', path: string, upload?: { body: () => Readable; bytes: number; contentType: string }): Promise<{ headers: Record<string, string>; body: Readable }> {
    if (!conn.accessToken || !conn.instanceUrl) await connect()
    for (let attempt = 1; ; attempt++) {
      await settled()
      let answer: Awaited<ReturnType<typeof streamRequest>>
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${conn.accessToken}` }
        // The length is known (the upload was measured): sent whole, not chunked.
        if (upload) Object.assign(headers, { 'content-type': upload.contentType, 'content-length': String(upload.bytes) })
        answer = await streamRequest(conn._transport, { method, url: conn._normalizeUrl(`${base}${path}`), headers }, { retry: { methods: [] } } as never, upload?.body())
      } catch (err) {
        throw toSalesforceError(err)
      }
      if (answer.status < 300) return { headers: answer.headers, body: answer.body }
      // A refusal's body is a short JSON list of errors (REST API, "Status Codes and Error Responses").
      const body = await text(answer.body)
      if (answer.status === 401 && attempt === 1) {
        await obtainToken()
        continue
      }
      throw errorOfBody(answer.status, parsedOrText(body))
    }
  }

  const download = (path: string) => streamed('GET', path)

  async function upload(path: string, body: () => Readable, o: { bytes: number; contentType: string }): Promise<string> {
    return text((await streamed('PUT', path, { body, ...o })).body)
  }

  /** See SalesforceClient.request. jsforce's transport retries a PUT on 5xx by sending the same
   * request-body stream again (lib/request.js `fetchWithRetries` reuses `input`, already read), so
   * its retries are switched off here (`methods: []`) and the caller repeats whole requests. */
  async function raw<T>(method: HttpMethods, path: string, o: RawRequestOptions = {}): Promise<T> {
    if (!conn.accessToken || !conn.instanceUrl) await connect()
    await settled()
    const api = new HttpApi(conn, { retry: { methods: [] } } as never)
    let status = 0
    // After a session refresh the event fires again for the repeated request: the last one wins.
    api.on('response', (res: { statusCode: number }) => {
      status = res.statusCode
    })
    try {
      return (await api.request<T>({
        method,
        url: conn._normalizeUrl(`${base}${path}`),
        ...(o.body === undefined ? {} : { headers: { 'content-type': o.contentType ?? 'application/json' }, body: o.body }),
      })) as T
    } catch (err) {
      throw toSalesforceError(err, status)
    }
  }

  /** `GET /query?q=` — the SOQL goes in the URL.
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm */
  function queryPath(soql: string, resource: 'query' | 'queryAll' = 'query'): string {
    return `${base}/${resource}?q=${encodeSoqlParam(soql)}`
  }

  function checkLength(soql: string): void {
    if (soql.length > MAX_SOQL_LENGTH) {
      throw new SalesforceError({ status: 0, errorCode: 'MALFORMED_QUERY', message: `SOQL statement of ${soql.length} characters exceeds Salesforce's ${MAX_SOQL_LENGTH}` })
    }
  }

  async function firstPage<T>(soql: string | Soql, all = false): Promise<FirstPage<T>> {
    const text = String(soql)
    checkLength(text)
    logger.debug('salesforce: query', { soql: text, ...(all ? { queryAll: true } : {}) })
    return pagesFrom(await send<QueryPage<T>>('GET', queryPath(text, all ? 'queryAll' : 'query')))
  }

  /** A query's first page (read directly, or as a Composite subresult), and the rest on demand. */
  function pagesFrom<T>(first: QueryPage<T>): FirstPage<T> {
    if (!first || typeof first !== 'object' || !Array.isArray(first.records)) {
      throw new SalesforceError({ status: 200, errorCode: 'UNEXPECTED_RESPONSE', message: 'Salesforce answered a query without records' })
    }
    return {
      totalSize: first.totalSize,
      records: first.records.map((r) => stripAttributes(r)),
      done: first.done || !first.nextRecordsUrl,
      async readAll() {
        const records: T[] = []
        let page = first
        // Follow nextRecordsUrl until done (queryMore); each page is one API call of ≤ 2,000 rows.
        // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm#retrieve_remaining_results
        for (;;) {
          for (const r of page.records) records.push(stripAttributes(r))
          if (page.done || !page.nextRecordsUrl) break
          page = await send<QueryPage<T>>('GET', page.nextRecordsUrl)
        }
        if (records.length !== page.totalSize) {
          logger.warn('salesforce: query returned a different number of rows than totalSize', { rows: records.length, totalSize: page.totalSize })
        }
        return records
      },
    }
  }

  async function query<T>(soql: string | Soql, o: { maxCalls?: number; all?: boolean } = {}): Promise<T[] | null> {
    return readPages(await firstPage<T>(soql, o.all), o)
  }

  /** The rows of a query from its first page on, or null when a budget of calls would not do. */
  async function readPages<T>(first: QueryPage<T> | FirstPage<T>, o: { maxCalls?: number } = {}): Promise<T[] | null> {
    const page = 'readAll' in first ? first : pagesFrom(first)
    // The first page says how many rows (totalSize) and pages there are: a caller with a budget
    // learns whether reading on is worth it without a separate COUNT() call.
    if (o.maxCalls !== undefined && !page.done && page.records.length > 0) {
      if (Math.ceil(page.totalSize / page.records.length) > o.maxCalls) return null
    }
    return page.readAll()
  }

  /** An error body (a subrequest's, or a streamed answer's: the usual `[{ errorCode, message,
   * fields }]`) as a typed error. */
  function errorOfBody(status: number, body: unknown): SalesforceError {
    const first = (Array.isArray(body) ? body[0] : body) as { errorCode?: unknown; message?: unknown; fields?: unknown } | null | undefined
    const errorCode = typeof first?.errorCode === 'string' ? first.errorCode : `ERROR_HTTP_${status}`
    const message = typeof first?.message === 'string' ? first.message : typeof body === 'string' ? body : `HTTP ${status}`
    const err = toSalesforceError({ errorCode, message, data: { fields: first?.fields } }, status)
    return err instanceof SalesforceError ? err : new SalesforceError({ status, errorCode, message })
  }

  /** `POST /composite`: one call, its subrequests in order (`collateSubrequests` false).
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_subrequest_result.htm */
  async function composite(subrequests: readonly CompositeSubrequest[], o: { allOrNone?: boolean } = {}): Promise<CompositeResult[]> {
    if (subrequests.length === 0) return []
    const heavy = subrequests.filter((r) => /^\/services\/data\/v[\d.]+\/(query|queryAll|composite\/sobjects)(\/|\?|$)/.test(r.url.startsWith('/services/') ? r.url : `${base}${r.url}`)).length
    if (subrequests.length > COMPOSITE_MAX_SUBREQUESTS || heavy > COMPOSITE_MAX_QUERIES) {
      throw new TypeError(`A composite request takes at most ${COMPOSITE_MAX_SUBREQUESTS} subrequests, ${COMPOSITE_MAX_QUERIES} of them queries or Collections (got ${subrequests.length}, ${heavy})`)
    }
    const compositeRequest = subrequests.map((r) => ({ ...r, url: r.url.startsWith('/services/') ? r.url : `${base}${r.url}` }))
    logger.debug('salesforce: composite', { subrequests: compositeRequest.map((r) => `${r.method} ${r.referenceId}`) })
    const answer = await raw<{ compositeResponse?: { body: unknown; httpHeaders?: Record<string, string>; httpStatusCode: number; referenceId: string | null }[] }>('POST', '/composite', {
      body: JSON.stringify({ allOrNone: o.allOrNone === true, collateSubrequests: false, compositeRequest }),
    })
    const results = answer?.compositeResponse
    // A request over the limits is answered with one result and no referenceId (LIMIT_EXCEEDED).
    const refused = results?.length === 1 && results[0]?.referenceId === null ? results[0] : undefined
    if (refused) throw errorOfBody(refused.httpStatusCode, refused.body)
    if (!Array.isArray(results) || results.length !== subrequests.length) {
      throw new SalesforceError({ status: 200, errorCode: 'UNEXPECTED_RESPONSE', message: `Salesforce answered ${Array.isArray(results) ? results.length : 'no'} results for ${subrequests.length} subrequests` })
    }
    const byRef = new Map(results.map((r) => [r.referenceId, r]))
    return subrequests.map((req) => {
      const r = byRef.get(req.referenceId)
      if (!r) return { referenceId: req.referenceId, ok: false, status: 0, error: new SalesforceError({ status: 0, errorCode: 'UNEXPECTED_RESPONSE', message: `No answer for subrequest ${req.referenceId}` }) }
      if (r.httpStatusCode >= 400) return { referenceId: req.referenceId, ok: false, status: r.httpStatusCode, error: errorOfBody(r.httpStatusCode, r.body) }
      return { referenceId: req.referenceId, ok: true, status: r.httpStatusCode, body: r.body, headers: r.httpHeaders ?? {} }
    })
  }

  async function count(soql: string | Soql): Promise<number> {
    const text = String(soql)
    checkLength(text)
    logger.debug('salesforce: query', { soql: text })
    // `SELECT COUNT() …` answers with totalSize and no records.
    // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_count.htm
    const page = await send<QueryPage<unknown>>('GET', queryPath(text))
    return page.totalSize
  }

  async function collection(method: HttpMethods, path: string, type: string, records: Record<string, unknown>[]): Promise<SaveResult[]> {
    const results: SaveResult[] = []
    for (let i = 0; i < records.length; i += COLLECTION_CHUNK) {
      const chunk = records.slice(i, i + COLLECTION_CHUNK)
      const body = { allOrNone: false, records: chunk.map((r) => ({ attributes: { type }, ...r })) }
      const raw = await send<RawSaveResult[]>(method, path, body)
      if (!Array.isArray(raw) || raw.length !== chunk.length) {
        throw new SalesforceError({ status: 200, errorCode: 'UNEXPECTED_RESPONSE', message: `Salesforce answered ${Array.isArray(raw) ? raw.length : 'no'} results for ${chunk.length} records` })
      }
      results.push(...raw.map(toSaveResult))
    }
    return results
  }

  /** Cached per object: the package check needs each describe once per client.
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm */
  function describe(sobject: string): Promise<DescribeResult> {
    let d = describes.get(sobject)
    if (!d) {
      d = send<DescribeResult>('GET', `${base}/sobjects/${apiName(sobject)}/describe`)
      d.catch(() => describes.delete(sobject))
      describes.set(sobject, d)
    }
    return d
  }

  return {
    connect,
    identity,
    async checkPackage(extraFields = []) {
      await checkPackageDeployed(describe, extraFields)
    },
    query: async <T>(soql: string | Soql) => (await query<T>(soql)) as T[],
    /** `GET /queryAll?q=`: also records in the Recycle Bin (deleted, or merged away).
     * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm */
    queryAll: async <T>(soql: string | Soql) => (await query<T>(soql, { all: true })) as T[],
    queryWithin: (soql, maxCalls) => query(soql, { maxCalls }),
    queryFirstPage: (soql) => firstPage(soql),
    count,
    /** `PATCH /composite/sobjects/{SObject}/{ExtIdField}`, allOrNone false; results in input order.
     * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm */
    upsert(sobject, extIdField, records) {
      return collection('PATCH', `${base}/composite/sobjects/${apiName(sobject)}/${apiName(extIdField)}`, sobject, records)
    },
    /** `PATCH /composite/sobjects` with each record's `id`.
     * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm */
    update(sobject, records) {
      const rows = records.map(({ Id, ...rest }) => ({ id: Id, ...rest }))
      return collection('PATCH', `${base}/composite/sobjects`, apiName(sobject), rows)
    },
    /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm */
    async patchRecord(sobject, id, fields) {
      await send('PATCH', `${base}/sobjects/${apiName(sobject)}/${encodeURIComponent(id)}`, fields)
    },
    /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm */
    async create(sobject, fields) {
      const r = await send<{ id: string }>('POST', `${base}/sobjects/${apiName(sobject)}`, fields)
      return r.id
    },
    /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm */
    insert(sobject, records) {
      return collection('POST', `${base}/composite/sobjects`, apiName(sobject), records)
    },
    async jsforce() {
      if (!conn.accessToken || !conn.instanceUrl) await connect()
      return conn
    },
    describe,
    composite,
    continueQuery: async <T>(firstPage: unknown) => (await readPages<T>(firstPage as QueryPage<T>)) as T[],
    apiCalls: () => restCounter.requests,
    oauthCalls: () => oauthCounter.requests,
    apiUsage: () => usage,
    serverTime: () => serverDate,
    /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm */
    async readApiUsage() {
      const r = await send<{ DailyApiRequests?: { Max?: number; Remaining?: number } }>('GET', `${base}/limits`)
      const max = Number(r.DailyApiRequests?.Max ?? 0)
      return { used: max - Number(r.DailyApiRequests?.Remaining ?? max), max }
    },
    instanceUrl: () => conn.instanceUrl || null,
    queryPath,
    request: (method, path, o) => raw(method, path, o),
    download,
    upload,
    logger,
  }
}

/**
 * One turn of the event loop before a request, so that a kept-alive connection the server closed
 * meanwhile is seen closed and not reused. Salesforce, like any HTTP server, closes a connection
 * left idle; when Tally has held the event loop longer than that (planning 100,000 customers takes
 * seconds), the close is still unread when the next request is sent, which then meets a reset
 * (ECONNRESET) without reaching the org — and a POST or PATCH is not sent again (jsforce retries
 * only GET, PUT, HEAD, OPTIONS and DELETE). A timer runs after the loop's close callbacks, where
 * the HTTP agent drops the dead socket.
 */
function settled(): Promise<void> {
  return new Promise((done) => setTimeout(done, 0))
}
