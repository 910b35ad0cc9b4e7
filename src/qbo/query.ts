/**
 * @module qbo/query
 * A small, pure builder for QBO's query language and its string-literal escaping.
 *
 * Grammar (https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries):
 * `SELECT * | COUNT(*) FROM <Entity> [WHERE c [AND c]…] [ORDERBY p [ASC|DESC]] [STARTPOSITION n]
 * [MAXRESULTS n]`; no OR, no projections; `LIKE` knows only the `%` wildcard. String literals are
 * single-quoted with BACKSLASH escapes (`'Amy\'s Bird Sanctuary'`, recorded working: api-facts
 * A.2); double quotes are rejected. So `\` and `'` are backslash-escaped and nothing else is
 * touched: `%` and `_` mean nothing inside `=`, and non-Latin text passes as-is (URL-encoded later).
 */

export type QboLiteral = string | number | boolean | Date

const IDENT = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/
/** QBO's page-size ceiling (MAXRESULTS ≤ 1000; STARTPOSITION is 1-based). */
export const MAX_PAGE_SIZE = 1000

function ident(name: string): string {
  if (!IDENT.test(name)) throw new RangeError(`not a QBO entity or property name: ${JSON.stringify(name)}`)
  return name
}

/** Escapes a string for use between single quotes: `\` → `\\`, `'` → `\'`. */
export function escapeString(value: string): string {
  return value.replace(/[\\']/g, (c) => `\\${c}`)
}

/** A literal as QBO wants it: quoted strings, bare numbers and booleans, ISO date-times quoted. */
export function literal(value: QboLiteral): string {
  if (typeof value === 'string') return `'${escapeString(value)}'`
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
    return String(value)
  }
  if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date in query')
  return `'${value.toISOString()}'`
}

export const eq = (field: string, v: QboLiteral): string => `${ident(field)} = ${literal(v)}`
export const gt = (field: string, v: QboLiteral): string => `${ident(field)} > ${literal(v)}`
export const gte = (field: string, v: QboLiteral): string => `${ident(field)} >= ${literal(v)}`
export const lt = (field: string, v: QboLiteral): string => `${ident(field)} < ${literal(v)}`

export function inList(field: string, values: readonly QboLiteral[]): string {
  if (values.length === 0) throw new RangeError(`IN () needs at least one value for ${field}`)
  return `${ident(field)} IN (${values.map(literal).join(', ')})`
}

/**
 * `field LIKE 'text%'`. QBO documents no way to escape a literal `%` inside LIKE, so text that
 * contains one is refused rather than silently turned into a wildcard.
 */
export function startsWith(field: string, text: string): string {
  if (text.includes('%')) throw new RangeError('QBO LIKE cannot match a literal "%"; use = instead')
  return `${ident(field)} LIKE '${escapeString(text)}%'`
}

export interface SelectOptions {
  /** Conditions joined with AND (QBO has no OR). Build them with the helpers above. */
  where?: readonly string[]
  orderBy?: string
  desc?: boolean
  /** 1-based. */
  startPosition?: number
  /** 1..1000. */
  maxResults?: number
}

function whereClause(where: readonly string[] | undefined): string {
  return where && where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
}

export function selectQuery(entity: string, o: SelectOptions = {}): string {
  let q = `SELECT * FROM ${ident(entity)}${whereClause(o.where)}`
  if (o.orderBy) q += ` ORDERBY ${ident(o.orderBy)}${o.desc ? ' DESC' : ''}`
  if (o.startPosition !== undefined) {
    if (!Number.isInteger(o.startPosition) || o.startPosition < 1) {
      // STARTPOSITION 0 is fault 4001 "value 0 is too small. Min allowed value is 1" (api-facts A.2).
      throw new RangeError(`STARTPOSITION is 1-based, got ${o.startPosition}`)
    }
    q += ` STARTPOSITION ${o.startPosition}`
  }
  if (o.maxResults !== undefined) {
    if (!Number.isInteger(o.maxResults) || o.maxResults < 1 || o.maxResults > MAX_PAGE_SIZE) {
      throw new RangeError(`MAXRESULTS must be 1..${MAX_PAGE_SIZE}, got ${o.maxResults}`)
    }
    q += ` MAXRESULTS ${o.maxResults}`
  }
  return q
}

export function countQuery(entity: string, where?: readonly string[]): string {
  return `SELECT COUNT(*) FROM ${ident(entity)}${whereClause(where)}`
}
