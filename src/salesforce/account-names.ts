/**
 * @module salesforce/account-names
 * Plans the fewest Account queries that find every Account whose Name may equal one of a list of
 * names by Tally's rule (contract §5.3: trimmed, white space collapsed, case-insensitive).
 *
 * Patterns (a superset; the caller compares locally with `sameAccountName`):
 * - a one-word name goes into `Name IN (…)`: SOQL `=`/`IN` on text is case-insensitive
 *   (SOQL reference, fieldExpression "Comparison Operators"), and Salesforce trims leading and
 *   trailing white space when it saves a field value
 *   (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_data_diff_event_fields_considerations.htm),
 *   so no wildcard is needed;
 * - a name of several words becomes `Name LIKE 'w1%w2%…'` with each word LIKE-escaped: `%` matches
 *   any run of white space (double spaces, tabs) between the words; it also matches other text
 *   there, which the local comparison drops. LIKE is case-insensitive too.
 *
 * Batch size: jsforce sends a query as `GET …/query?q=<SOQL>`, and Salesforce accepts at most
 * 16,384 bytes for the URI and headers together (414 URI Too Long / 431 beyond that; Salesforce
 * help article 000386264 "Maximum number of rows returned by SOQL queries over the REST API", and
 * the API limits cheatsheet salesforce_app_limits_platform_api.htm). We keep the encoded path and
 * query string (encoded as sent, `encodeSoqlParam`) ≤ 14,336 bytes, leaving 2,048 bytes for the request line and headers (the bearer
 * token is ~112 bytes). The 100,000-character SOQL limit is never the binding one under a GET.
 */
import { normalizeName, sameName } from '../lib/names.js'
import { encodeSoqlParam, escapeSoqlLike, quoteSoql } from './soql.js'

/** 16,384 bytes for URI + headers, minus 2,048 reserved for headers. */
export const MAX_QUERY_PATH_BYTES = 16_384 - 2_048

/** Tally's comparison form of an Account or customer name: the one the engine matches by. */
export const normalizeAccountName = normalizeName

export const sameAccountName = sameName

const enc = (s: string): number => encodeSoqlParam(s).length

const SELECT = 'SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE '
const IN_OPEN = 'Name IN ('
const IN_SEP = ', '
const IN_CLOSE = ')'
const OR = ' OR '

interface Batch {
  ins: string[]
  likes: string[]
  /** Sum of the encoded lengths of the IN items and of the LIKE clauses. */
  inBytes: number
  likeBytes: number
}

const emptyBatch = (): Batch => ({ ins: [], likes: [], inBytes: 0, likeBytes: 0 })

/** Encoded length of the statement `toSoql` builds from a batch with these contents. */
function batchBytes(prefix: number, ins: number, inBytes: number, likes: number, likeBytes: number): number {
  const clauses = (ins > 0 ? 1 : 0) + likes
  let n = prefix + enc(SELECT) + likeBytes + enc(OR) * Math.max(0, clauses - 1)
  if (ins > 0) n += enc(IN_OPEN) + inBytes + enc(IN_SEP) * (ins - 1) + enc(IN_CLOSE)
  return n
}

function toSoql(b: Batch): string {
  const clauses: string[] = []
  if (b.ins.length > 0) clauses.push(`${IN_OPEN}${b.ins.join(IN_SEP)}${IN_CLOSE}`)
  clauses.push(...b.likes)
  return SELECT + clauses.join(OR)
}

/**
 * The SOQL statements to run, each fitting `maxPathBytes` once URL-encoded after `prefixBytes`
 * (the length of `/services/data/vNN.0/query?q=`). Names that normalise to the same text are
 * asked once; empty names are skipped.
 */
export function planAccountNameQueries(
  names: readonly string[],
  o: { prefixBytes: number; maxPathBytes?: number },
): string[] {
  const max = o.maxPathBytes ?? MAX_QUERY_PATH_BYTES
  const seen = new Set<string>()
  const items: { kind: 'in' | 'like'; text: string }[] = []
  for (const raw of names) {
    const words = raw.trim().split(/\s+/u).filter(Boolean)
    if (words.length === 0) continue
    const key = normalizeAccountName(raw)
    if (seen.has(key)) continue
    seen.add(key)
    if (words.length === 1) items.push({ kind: 'in', text: quoteSoql(words[0] as string) })
    else items.push({ kind: 'like', text: `Name LIKE '${words.map(escapeSoqlLike).join('%')}'` })
  }
  const out: string[] = []
  let cur = emptyBatch()
  const bytesWith = (b: Batch, kind: 'in' | 'like', size: number): number =>
    kind === 'in'
      ? batchBytes(o.prefixBytes, b.ins.length + 1, b.inBytes + size, b.likes.length, b.likeBytes)
      : batchBytes(o.prefixBytes, b.ins.length, b.inBytes, b.likes.length + 1, b.likeBytes + size)
  for (const it of items) {
    const size = enc(it.text)
    if (bytesWith(cur, it.kind, size) > max && (cur.ins.length > 0 || cur.likes.length > 0)) {
      out.push(toSoql(cur))
      cur = emptyBatch()
    }
    const bytes = bytesWith(cur, it.kind, size)
    if (bytes > max) throw new RangeError(`One Account name alone does not fit in a query URL (${bytes} bytes)`)
    if (it.kind === 'in') {
      cur.ins.push(it.text)
      cur.inBytes += size
    } else {
      cur.likes.push(it.text)
      cur.likeBytes += size
    }
  }
  if (cur.ins.length > 0 || cur.likes.length > 0) out.push(toSoql(cur))
  return out
}
