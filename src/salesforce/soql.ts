/**
 * @module salesforce/soql
 * Builds SOQL safely. Values are only ever interpolated as quoted, escaped literals through the
 * `soql` tagged template; identifiers are never taken from values (use `soqlIdentifier`, which
 * validates the name). Escapes follow the SOQL reference "Quoted String Escape Sequences":
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */

/** A piece of SOQL text that is safe to embed: produced only by this module. */
export class Soql {
  readonly text: string
  /** @internal use `soql`, `soqlIdentifier` or `likePattern` */
  constructor(text: string, _brand: typeof BRAND) {
    this.text = text
  }
  toString(): string {
    return this.text
  }
}
const BRAND = Symbol('soql')

/** Backslash-escapes what may not appear raw inside a SOQL string literal: `\` and `'` (the
 * reserved characters), `"`, and the control characters that have an escape (`\n \r \t \b \f`).
 * Any other character, including non-Latin letters, is kept as it is (UTF-8 on the wire). */
export function escapeSoqlString(value: string): string {
  let out = ''
  for (const ch of value) {
    switch (ch) {
      case '\\': out += '\\\\'; break
      case "'": out += "\\'"; break
      case '"': out += '\\"'; break
      case '\n': out += '\\n'; break
      case '\r': out += '\\r'; break
      case '\t': out += '\\t'; break
      case '\b': out += '\\b'; break
      case '\f': out += '\\f'; break
      default: {
        const code = ch.codePointAt(0) ?? 0
        // Other control characters have no short escape; \uXXXX is accepted in literals.
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch
      }
    }
  }
  return out
}

/** Escapes a value for use inside a LIKE pattern: the string escapes plus `%` → `\%` and
 * `_` → `\_`, which are only legal inside LIKE. */
export function escapeSoqlLike(value: string): string {
  return escapeSoqlString(value).replace(/[%_]/g, (c) => `\\${c}`)
}

/** `'value'`, escaped. */
export function quoteSoql(value: string): string {
  return `'${escapeSoqlString(value)}'`
}

/** A quoted LIKE pattern from literal parts joined by `%`, with optional leading/trailing `%`:
 * `likePattern(['Acme', 'Inc'])` → `'Acme%Inc'`. Each part is LIKE-escaped. */
export function likePattern(parts: readonly string[], o: { prefix?: boolean; suffix?: boolean } = {}): Soql {
  const body = parts.map(escapeSoqlLike).join('%')
  return new Soql(`'${o.prefix ? '%' : ''}${body}${o.suffix ? '%' : ''}'`, BRAND)
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/

/** A field or object API name (optionally a relationship path `Account__r.Name`), checked so that
 * nothing but a name can reach the query text. */
export function soqlIdentifier(name: string): Soql {
  if (!IDENTIFIER.test(name) || name.includes('___')) throw new TypeError(`Not a Salesforce API name: ${JSON.stringify(name)}`)
  return new Soql(name, BRAND)
}

/** A comma-separated list of identifiers for SELECT. */
export function soqlFields(names: readonly string[]): Soql {
  if (names.length === 0) throw new TypeError('SELECT needs at least one field')
  return new Soql(names.map((n) => soqlIdentifier(n).text).join(', '), BRAND)
}

/** Joins fragments with a separator (`' OR '`, `', '`). */
export function joinSoql(parts: readonly Soql[], separator: string): Soql {
  if (!/^\s*(,|AND|OR)?\s*$/.test(separator)) throw new TypeError(`Unsupported separator ${JSON.stringify(separator)}`)
  return new Soql(parts.map((p) => p.text).join(separator), BRAND)
}

export type SoqlValue = string | number | boolean | null | Date | Soql | readonly (string | number)[]

function literal(v: SoqlValue): string {
  if (v instanceof Soql) return v.text
  if (typeof v === 'string') return quoteSoql(v)
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`Cannot put ${v} into SOQL`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (v === null) return 'NULL'
  // Datetime literals are unquoted ISO 8601 with a zone (SOQL "Date Formats and Date Literals").
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) {
    if (v.length === 0) throw new TypeError('IN () with no values is not valid SOQL')
    return `(${v.map((x) => literal(x)).join(', ')})`
  }
  throw new TypeError(`Cannot interpolate ${Object.prototype.toString.call(v)} into SOQL`)
}

/** Tagged template: every `${value}` becomes a literal (strings quoted and escaped, arrays as an
 * `IN` list, `Soql` fragments as they are). A plain string is always a value, never a name:
 * soql`SELECT Id FROM Account WHERE Name = ${name}`. */
export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): Soql {
  let text = strings[0] ?? ''
  values.forEach((v, i) => {
    text += literal(v) + (strings[i + 1] ?? '')
  })
  return new Soql(text, BRAND)
}

/** Percent-encodes a statement for `?q=` exactly as it will travel: `encodeURIComponent` leaves
 * `'` raw, but the WHATWG URL parser in node-fetch re-encodes it as `%27` in a query string, so
 * we encode `! ' ( ) *` ourselves (RFC 3986 strict) and the length we size batches by is the
 * length sent. */
export function encodeSoqlParam(soql: string): string {
  return encodeURIComponent(soql).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Salesforce's limit on a SOQL statement's length (characters).
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm */
export const MAX_SOQL_LENGTH = 100_000
