/**
 * @module salesforce/transport
 * Counts every HTTP request jsforce sends, retries included, and reads the API usage header.
 *
 * Why here: jsforce retries GET/PUT/HEAD/OPTIONS/DELETE itself on 420/429/5xx and on connection
 * errors (lib/request.js `fetchWithRetries`), below the `request`/`response` events of its HttpApi,
 * so counting those events undercounts. Its Transport builds one request stream per logical call
 * and that stream emits `retry` once before every repeated fetch; we wrap the stream creator, count
 * the first fetch plus every `retry`, and switch off redirect-following (a followed redirect would
 * be a fetch with no event; Salesforce's REST API does not redirect).
 * A test compares the count with the emulator's own request count, so a jsforce upgrade that
 * stops emitting `retry` fails loudly instead of silently undercounting.
 */
import { Readable, type Duplex } from 'node:stream'
import type { Transport } from 'jsforce/lib/transport.js'
import type { HttpRequest, HttpRequestOptions } from 'jsforce/lib/types/common.js'

export interface RetryPolicy {
  /** Repeats after the first attempt (jsforce default 5). */
  maxRetries?: number
  /** First back-off in ms, doubled each time (jsforce default 500). */
  minTimeout?: number
}

export interface TransportCounter {
  requests: number
}

type StreamCreator = (req: HttpRequest, options: HttpRequestOptions) => Duplex

/** API usage from `Sforce-Limit-Info: api-usage=18/5000` (sent on every REST response).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm */
export function parseLimitInfo(header: string | undefined): { used: number; max: number } | null {
  if (!header) return null
  const m = /api-usage=(\d+)\/(\d+)/.exec(header)
  return m ? { used: Number(m[1]), max: Number(m[2]) } : null
}

/** Rewires `transport` in place so that every fetch increments `counter.requests` and every
 * response's headers reach `onHeaders`. */
export function instrumentTransport(
  transport: Transport,
  counter: TransportCounter,
  o: { retry?: RetryPolicy; onHeaders?: (headers: Record<string, string>) => void } = {},
): void {
  const t = transport as unknown as { getRequestStreamCreator(): StreamCreator }
  const base = t.getRequestStreamCreator()
  t.getRequestStreamCreator = () => (req, options) => {
    counter.requests += 1
    const opts: HttpRequestOptions = {
      ...options,
      followRedirect: false,
      ...(o.retry ? { retry: { ...options.retry, ...o.retry } } : {}),
    }
    const stream = base(req, opts)
    stream.on('retry', () => {
      counter.requests += 1
    })
    stream.on('response', (res: { headers?: Record<string, string> }) => {
      if (res.headers) o.onHeaders?.(res.headers)
    })
    return stream
  }
}

/**
 * One request whose answer is read as a stream of bytes, through the transport's own stream creator
 * (counted and its headers read as any request, with its proxy settings), never buffered: jsforce's
 * `httpRequest` reads every answer whole (lib/request-helper.js `readAll`: its chunks, their
 * concatenation and the text), which for a Bulk result file of 100,000 rows is some 140 MB at once.
 * A `body` is sent as it is read: fetch reads the request from jsforce's input stream (the duplex's
 * writable side), so a Bulk upload of 35 MB is made a piece at a time as the socket takes it, never
 * held whole (README, "Memory"). Resolves once the answer's status and headers are in; the body is
 * then the stream's to read.
 */
export function streamRequest(transport: Transport, req: HttpRequest, options: HttpRequestOptions = {}, body?: Readable): Promise<{ status: number; headers: Record<string, string>; body: Readable }> {
  const create = (transport as unknown as { getRequestStreamCreator(): StreamCreator }).getRequestStreamCreator()
  const duplex = create(req, options)
  return new Promise((resolve, reject) => {
    duplex.once('error', reject)
    if (body) {
      // A pipe does not pass errors on: a body that fails (its rows changed) fails the request.
      body.once('error', (e) => duplex.destroy(e))
      body.pipe(duplex)
    }
    duplex.once('response', (res: { statusCode: number; headers?: Record<string, string> }) => {
      duplex.off('error', reject)
      resolve({ status: res.statusCode, headers: res.headers ?? {}, body: answerOf(duplex) })
    })
  })
}

/**
 * The answer's bytes as the reader takes them. jsforce's stream (lib/util/stream.js
 * `DuplexifiedStream`, 3.10.16) moves what arrives in the PassThrough that fetch's body is piped
 * into to itself on every 'readable', without heeding `push()`'s false: a reader slower than the
 * network (a parser) gets the whole answer buffered, 40 MB for a Bulk result file of 100,000 rows.
 * So the answer is read from that PassThrough itself, which the body's pipe fills only as it is
 * read (Node's backpressure, down to the socket); the failures jsforce reports on its stream (a
 * dropped connection) end it with their error. Its own stream, if it is not what jsforce made.
 */
function answerOf(duplex: Duplex): Readable {
  const inner = (duplex as unknown as { _readable?: unknown })._readable
  if (!(inner instanceof Readable)) return duplex
  inner.removeAllListeners('readable')
  duplex.once('error', (e: Error) => inner.destroy(e))
  return inner
}
