/**
 * @module salesforce/composite
 * Requests that would each be a call of their own, sent together in one Composite call
 * (`SalesforceClient.composite`), each read back as its direct call would have answered: a part is
 * a subrequest with what its answer means (the rows of every page of a query, a describe, a new
 * record's Id). A part whose subrequest failed with a 5xx (or whose composite call got no answer)
 * is, when it is a read, sent again on its own, where jsforce retries GETs as it always does; a
 * write is not (jsforce never repeats a POST or PATCH either), and fails with its error.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 */
import type { CompositeResult, CompositeSubrequest, SalesforceClient } from './client.js'
import { SalesforceAuthError, SalesforceError, SalesforceLimitError, toSalesforceError } from './errors.js'
import type { DescribeResult } from './package-check.js'
import type { Soql } from './soql.js'

export interface CompositePart<T> {
  readonly subrequest: CompositeSubrequest
  /** The part's value from its subrequest's result; rejects with its SalesforceError. */
  read(result: CompositeResult): Promise<T>
}

type ValueOf<P> = P extends CompositePart<infer T> ? T : never

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
function apiName(name: string): string {
  if (!API_NAME.test(name)) throw new TypeError(`Not a Salesforce API name: ${JSON.stringify(name)}`)
  return name
}

/** No answer, or a server-side failure: what jsforce would have retried for a GET. */
function transient(r: CompositeResult): boolean {
  if (r.ok) return false
  if (r.error instanceof SalesforceAuthError || r.error instanceof SalesforceLimitError) return false
  return r.status === 0 || r.status >= 500
}

/** A SOQL query (`queryAll`: the Recycle Bin's records too): every row, every page. */
export function queryPart<T = Record<string, unknown>>(client: SalesforceClient, referenceId: string, soql: string | Soql, o: { all?: boolean } = {}): CompositePart<T[]> {
  return {
    subrequest: { method: 'GET', url: client.queryPath(String(soql), o.all ? 'queryAll' : 'query'), referenceId },
    async read(r) {
      if (r.ok) return client.continueQuery<T>(r.body)
      if (transient(r)) return o.all ? client.queryAll<T>(soql) : client.query<T>(soql)
      throw r.error
    },
  }
}

/** An object's describe. */
export function describePart(client: SalesforceClient, referenceId: string, sobject: string): CompositePart<DescribeResult> {
  return {
    subrequest: { method: 'GET', url: `/sobjects/${apiName(sobject)}/describe`, referenceId },
    async read(r) {
      if (r.ok) return r.body as DescribeResult
      if (transient(r)) return client.describe(sobject)
      throw r.error
    },
  }
}

/** One record created; its Id. */
export function createPart(referenceId: string, sobject: string, fields: Record<string, unknown>): CompositePart<string> {
  return {
    subrequest: { method: 'POST', url: `/sobjects/${apiName(sobject)}`, referenceId, body: fields },
    async read(r) {
      if (!r.ok) throw r.error
      return String((r.body as { id?: unknown }).id)
    },
  }
}

/** One record's fields set by Id (204 No Content). */
export function patchPart(referenceId: string, sobject: string, id: string, fields: Record<string, unknown>): CompositePart<void> {
  return {
    subrequest: { method: 'PATCH', url: `/sobjects/${apiName(sobject)}/${encodeURIComponent(id)}`, referenceId, body: fields },
    async read(r) {
      if (!r.ok) throw r.error
    },
  }
}

/**
 * Sends the parts in one Composite call (allOrNone false: one part failing does not stop the
 * others) and gives each part's value as a promise of its own, in order, for its owner to await
 * (a promise no one awaits does not make an unhandled rejection). When the call itself fails, each
 * part reads that failure: reads go again on their own when it was transient, everything else
 * rejects with it.
 */
export async function sendParts<const P extends readonly CompositePart<unknown>[]>(
  client: SalesforceClient,
  parts: P,
): Promise<{ -readonly [K in keyof P]: Promise<ValueOf<P[K]>> }> {
  let results: CompositeResult[]
  try {
    results = await client.composite(parts.map((p) => p.subrequest))
  } catch (e) {
    const error = toSalesforceError(e)
    if (!(error instanceof SalesforceError)) throw e
    results = parts.map((p) => ({ referenceId: p.subrequest.referenceId, ok: false, status: error.status, error }))
  }
  return parts.map((p, i) => {
    const value = p.read(results[i] as CompositeResult)
    value.catch(() => {})
    return value
  }) as { -readonly [K in keyof P]: Promise<ValueOf<P[K]>> }
}
