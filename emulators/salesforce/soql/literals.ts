/**
 * @module emulators/salesforce/soql/literals
 * SOQL literals as Salesforce reads them. The parser (`@jetstreamapp/soql-parser-js`) keeps string
 * literals raw, so quotes and backslash escapes are decoded here (SF-SOQL-ESC, api-facts B.1:
 * `\' \" \\ \n \r \t \b \f \uXXXX`; `\%` and `\_` only inside LIKE; any other backslash is an
 * error). Date literals (TODAY, LAST_N_DAYS:n, …) become half-open UTC ranges.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message)
  }
}

const SIMPLE: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }

function illegal(raw: string, seq: string): SoqlError {
  return new SoqlError(
    'MALFORMED_QUERY',
    `Invalid string literal '${raw}'. Illegal character sequence '${seq}' in string literal.`,
  )
}

/** `'O\'Brien'` → `O'Brien`. */
export function unescapeString(raw: string): string {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i)
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = body.charAt(i + 1)
    if (next in SIMPLE) {
      out += SIMPLE[next]
      i += 1
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16))
      i += 5
    } else {
      throw illegal(body, `\\${next}`)
    }
  }
  return out
}

/** A LIKE pattern, compiled: a case-insensitive anchored RegExp (`%` any run, `_` one
 * character), and its literal prefix and suffix — the text before the first wildcard and after
 * the last one (the whole text when there is none), which the query planner looks up in its
 * indexes (empty when the pattern starts, or ends, with a wildcard). */
export interface LikePattern {
  re: RegExp
  prefix: string
  suffix: string
}

export function compileLike(raw: string): LikePattern {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw
  let src = ''
  let prefix = ''
  let suffix = ''
  let literalSoFar = true
  const lit = (s: string) => {
    if (literalSoFar) prefix += s
    suffix += s
    src += s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i)
    if (ch === '%' || ch === '_') {
      literalSoFar = false
      suffix = ''
      src += ch === '%' ? '[\\s\\S]*' : '[\\s\\S]'
    } else if (ch === '\\') {
      const next = body.charAt(i + 1)
      if (next === '%' || next === '_') lit(next)
      else if (next in SIMPLE) lit(SIMPLE[next] as string)
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        lit(String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16)))
        i += 4
      } else throw illegal(body, `\\${next}`)
      i += 1
    } else lit(ch)
  }
  return { re: new RegExp(`^${src}$`, 'i'), prefix, suffix }
}

/**
 * Text as a case-insensitive RegExp without the `u` flag compares it, one UTF-16 code unit at a
 * time (ECMA-262 "Canonicalize": the code unit's upper case when that is one code unit, except
 * that nothing outside ASCII becomes ASCII). Two strings the LIKE RegExp can match character for
 * character have the same `likeFold`, which is what lets an index keyed by it find every
 * candidate (`likeFold` is length-preserving, so prefixes fold to prefixes).
 */
export function likeFold(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i)
    const u = ch.toUpperCase()
    out += u.length !== 1 || (ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) ? ch : u
  }
  return out
}

const DAY = 86_400_000

const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY

/** `[start, end)` in epoch ms for a date literal, evaluated at `now` (UTC; the sandbox org's zone). */
export function dateLiteralRange(literal: string, now: Date): [number, number] {
  const [name = '', nRaw] = literal.toUpperCase().split(':')
  const n = nRaw === undefined ? 0 : Number(nRaw)
  const today = startOfDay(now.getTime())
  const d = new Date(today)
  const month = (offset: number): [number, number] => [
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1),
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 1),
  ]
  const week = (offset: number): [number, number] => {
    const start = today - d.getUTCDay() * DAY + offset * 7 * DAY
    return [start, start + 7 * DAY]
  }
  switch (name) {
    case 'TODAY':
      return [today, today + DAY]
    case 'YESTERDAY':
      return [today - DAY, today]
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY]
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY]
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY]
    case 'THIS_WEEK':
      return week(0)
    case 'LAST_WEEK':
      return week(-1)
    case 'NEXT_WEEK':
      return week(1)
    case 'THIS_MONTH':
      return month(0)
    case 'LAST_MONTH':
      return month(-1)
    case 'NEXT_MONTH':
      return month(1)
    case 'THIS_YEAR':
      return [Date.UTC(d.getUTCFullYear(), 0, 1), Date.UTC(d.getUTCFullYear() + 1, 0, 1)]
    case 'LAST_YEAR':
      return [Date.UTC(d.getUTCFullYear() - 1, 0, 1), Date.UTC(d.getUTCFullYear(), 0, 1)]
    default:
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${literal}'`)
  }
}

/** An explicit datetime literal (`2015-08-26T09:21:07Z`, `…+01:00`, `…+0100`) → epoch ms. */
export function parseDateTimeLiteral(raw: string): number {
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  if (Number.isNaN(ms)) throw new SoqlError('MALFORMED_QUERY', `line 1:0 no viable alternative at character '${raw}'`)
  return ms
}
