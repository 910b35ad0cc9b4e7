/**
 * @module emulators/salesforce/soql/where
 * The WHERE clause. soql-parser-js returns conditions as a right-leaning chain with
 * `openParen`/`closeParen` counts and does not apply precedence, so the chain is flattened back to
 * tokens and re-parsed here (NOT binds tightest, then AND, then OR). Conditions compare the way
 * Salesforce does: text case-insensitively unless the field is case-sensitive (api-facts B.1,
 * SOQL fieldExpression), `!=`/`NOT IN` keep records whose value is null, LIKE with `%`/`_`, and
 * date literals as ranges.
 */
import { compileLike, dateLiteralRange, parseDateTimeLiteral, SoqlError, unescapeString } from './literals.js'
import type { FieldDef } from '../schema.js'

export interface RawCondition {
  field?: string
  fn?: unknown
  valueQuery?: unknown
  operator: string
  value?: string | string[]
  literalType?: string | string[]
  openParen?: number
  closeParen?: number
}
export interface RawWhere {
  left: RawCondition | null
  operator?: string
  right?: RawWhere
}

export type Node =
  | { kind: 'and' | 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'cond'; cond: RawCondition }

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | RawCondition

function flatten(w: RawWhere | undefined, out: Token[]): Token[] {
  if (!w) return out
  if (w.left) {
    for (let i = 0; i < (w.left.openParen ?? 0); i++) out.push('(')
    out.push(w.left)
    for (let i = 0; i < (w.left.closeParen ?? 0); i++) out.push(')')
  }
  if (w.operator) out.push(w.operator.toUpperCase() as Token)
  return flatten(w.right, out)
}

/** Builds a precedence-correct tree from the parser's chain. */
export function buildWhere(w: RawWhere): Node {
  const tokens = flatten(w, [])
  let pos = 0
  const peek = () => tokens[pos]
  const expr = (): Node => {
    const items = [and()]
    while (peek() === 'OR') {
      pos++
      items.push(and())
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'or', items }
  }
  const and = (): Node => {
    const items = [unary()]
    while (peek() === 'AND') {
      pos++
      items.push(unary())
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'and', items }
  }
  const unary = (): Node => {
    const t = tokens[pos++]
    if (t === 'NOT') return { kind: 'not', item: unary() }
    if (t === '(') {
      const inner = expr()
      if (tokens[pos++] !== ')') throw new SoqlError('MALFORMED_QUERY', 'unexpected token: missing )')
      return inner
    }
    if (t === undefined || typeof t === 'string') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t ?? 'EOF'}'`)
    return { kind: 'cond', cond: t }
  }
  const tree = expr()
  if (pos !== tokens.length) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${String(tokens[pos])}'`)
  return tree
}

/** A literal, decoded for the field it is compared with. */
export type Operand =
  | { kind: 'value'; v: unknown }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'like'; re: RegExp; prefix: string; suffix: string }

const DAY = 86_400_000

function quotedNotAllowed(f: FieldDef): SoqlError {
  const type = f.type === 'datetime' ? 'dateTime' : f.type
  return new SoqlError(
    'INVALID_FIELD',
    `value of filter criterion for field '${f.name}' must be of type ${type} and should not be enclosed in quotes`,
  )
}

export function operand(f: FieldDef, raw: string, literalType: string, operator: string, now: Date): Operand {
  switch (literalType) {
    case 'STRING': {
      if (['datetime', 'date', 'double', 'currency', 'int', 'boolean'].includes(f.type)) throw quotedNotAllowed(f)
      if (operator === 'LIKE') return { kind: 'like', ...compileLike(raw) }
      return { kind: 'value', v: unescapeString(raw) }
    }
    case 'NULL':
      return { kind: 'value', v: null }
    case 'BOOLEAN':
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' }
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return { kind: 'value', v: Number(raw.replace(/^[A-Z]{3}/, '')) }
    case 'DATE': {
      const start = Date.parse(`${raw}T00:00:00Z`)
      return f.type === 'date' ? { kind: 'value', v: start } : { kind: 'range', start, end: start + DAY }
    }
    case 'DATETIME':
      return { kind: 'value', v: parseDateTimeLiteral(raw) }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      const [start, end] = dateLiteralRange(raw, now)
      return { kind: 'range', start, end }
    }
    default:
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${raw}'`)
  }
}

/** Text as `=`, `!=` and `IN` compare it on a field: lower-cased unless the field is
 * case-sensitive or holds Ids. The query planner keys its equality indexes by this too, so an
 * index lookup and a comparison cannot disagree. */
export function foldText(f: FieldDef, v: string): string {
  return !f.caseSensitive && f.type !== 'id' && f.type !== 'reference' ? v.toLowerCase() : v
}

/** A stored value in comparable form: dates as ms, text folded (`foldText`). */
function comparable(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (f.type === 'date' && typeof v === 'string') return Date.parse(`${v}T00:00:00Z`)
  if (typeof v === 'string') return foldText(f, v)
  return v
}

function compareOp(op: string, a: unknown, b: unknown): boolean {
  if (op === '=' || op === '!=' || op === '<>') {
    const eq = a === b
    return op === '=' ? eq : !eq
  }
  if (a === null || b === null) return false
  const c = typeof a === 'string' ? a.localeCompare(String(b)) : (a as number) - (b as number)
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : false
}

/** Does `value` (stored form) satisfy one operand under `op`? */
export function test(f: FieldDef, value: unknown, op: string, o: Operand): boolean {
  const a = comparable(f, value)
  if (o.kind === 'like') return typeof value === 'string' && o.re.test(value)
  if (o.kind === 'range') {
    if (a === null) return op === '!=' || op === '<>'
    const v = a as number
    switch (op) {
      case '=':
        return v >= o.start && v < o.end
      case '!=':
      case '<>':
        return v < o.start || v >= o.end
      case '<':
        return v < o.start
      case '<=':
        return v < o.end
      case '>':
        return v >= o.end
      case '>=':
        return v >= o.start
      default:
        return false
    }
  }
  let b = o.v
  if (typeof b === 'string' && (f.type === 'id' || f.type === 'reference') && b.length === 15) {
    // 15-character Ids compare equal to their 18-character form.
    return compareOp(op, typeof a === 'string' ? a.slice(0, 15) : a, b)
  }
  if (typeof b === 'string') b = foldText(f, b)
  return compareOp(op, a, b)
}
