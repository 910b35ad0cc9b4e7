/**
 * @module emulators/salesforce/soql/query
 * Runs a SOQL SELECT against the store: parse with `@jetstreamapp/soql-parser-js`, check every
 * object and field name (INVALID_TYPE / INVALID_FIELD with Salesforce's wording), filter, sort
 * (ORDER BY with ASC/DESC and NULLS FIRST/LAST; nulls first by default for ASC, last for DESC),
 * OFFSET/LIMIT, and project the selected fields — parent relationships as nested objects with
 * their own `attributes`, empty fields as explicit `null` (Addendum §10). `COUNT()` gives only a
 * total. Supported subset documented in the emulator README.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js'
import { findField, findObject, findRelationship } from '../schema.js'
import type { FieldDef, ObjectDef, Schema } from '../schema.js'
import type { Rec, Store } from '../store.js'
import { toWire } from '../values.js'
import { SoqlError } from './literals.js'
import { candidates } from './plan.js'
import { buildWhere, foldText, operand, test } from './where.js'
import type { Node, RawCondition, RawWhere } from './where.js'

/** Salesforce rejects statements longer than 100,000 characters (SF-LIMITS soslsoql). */
export const MAX_SOQL_LENGTH = 100_000

/** A resolved field path: the lookups to follow, then the field. */
interface Path {
  hops: FieldDef[]
  field: FieldDef
  objects: ObjectDef[]
}

interface OrderItem {
  path: Path
  desc: boolean
  nullsFirst: boolean
}

export interface CompiledQuery {
  object: ObjectDef
  count: boolean
  select: Path[]
  where?: Node
  orderBy: OrderItem[]
  limit?: number
  offset: number
}

function noSuchColumn(soql: string, name: string, obj: ObjectDef): SoqlError {
  const col = soql.toLowerCase().indexOf(name.toLowerCase()) + 1
  return new SoqlError(
    'INVALID_FIELD',
    `${soql}\n${' '.repeat(Math.max(col - 1, 0))}^\nERROR at Row:1:Column:${col}\nNo such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  )
}

function resolvePath(schema: Schema, soql: string, root: ObjectDef, dotted: string): Path {
  const parts = dotted.split('.')
  const hops: FieldDef[] = []
  const objects: ObjectDef[] = [root]
  let obj = root
  for (const rel of parts.slice(0, -1)) {
    const ref = findRelationship(obj, rel)
    const next = ref && findObject(schema, ref.referenceTo[0] ?? '')
    if (!ref || !next) {
      const col = soql.toLowerCase().indexOf(rel.toLowerCase()) + 1
      throw new SoqlError(
        'INVALID_FIELD',
        `${soql}\n${' '.repeat(Math.max(col - 1, 0))}^\nERROR at Row:1:Column:${col}\nDidn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      )
    }
    hops.push(ref)
    obj = next
    objects.push(obj)
  }
  const last = parts[parts.length - 1] ?? ''
  const field = findField(obj, last)
  if (!field) throw noSuchColumn(soql, last, obj)
  return { hops, field, objects }
}

/** Parses and checks a statement. Throws SoqlError with the code Salesforce would answer. */
export function compileQuery(schema: Schema, soql: string): CompiledQuery {
  if (soql.length > MAX_SOQL_LENGTH) {
    throw new SoqlError('MALFORMED_QUERY', `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH} characters.`)
  }
  let parsed: ReturnType<typeof parseQuery>
  try {
    parsed = parseQuery(soql)
  } catch (e) {
    throw new SoqlError('MALFORMED_QUERY', (e as Error).message.split('\n')[0] ?? 'unexpected token')
  }
  const object = findObject(schema, parsed.sObject ?? '')
  if (!object) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${parsed.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    )
  }
  let count = false
  const select: Path[] = []
  for (const f of parsed.fields ?? []) {
    if (f.type === 'Field') select.push(resolvePath(schema, soql, object, f.field))
    else if (f.type === 'FieldRelationship') select.push(resolvePath(schema, soql, object, [...f.relationships, f.field].join('.')))
    else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0) count = true
    else throw new SoqlError('MALFORMED_QUERY', `The sandbox does not support this SELECT item: ${JSON.stringify(f)}`)
  }
  if (count && select.length > 0) {
    throw new SoqlError('MALFORMED_QUERY', 'COUNT() cannot be combined with other fields')
  }
  if (parsed.groupBy || parsed.having) throw new SoqlError('MALFORMED_QUERY', 'GROUP BY is not supported by the sandbox')
  const checkWhere = (n: Node): void => {
    if (n.kind === 'cond') {
      if (!n.cond.field || n.cond.fn || n.cond.valueQuery) {
        throw new SoqlError('MALFORMED_QUERY', 'The sandbox supports only field comparisons in WHERE')
      }
      resolvePath(schema, soql, object, n.cond.field)
    } else if (n.kind === 'not') checkWhere(n.item)
    else n.items.forEach(checkWhere)
  }
  const where = parsed.where ? buildWhere(parsed.where as unknown as RawWhere) : undefined
  if (where) checkWhere(where)
  const orderRaw = parsed.orderBy ? (Array.isArray(parsed.orderBy) ? parsed.orderBy : [parsed.orderBy]) : []
  const orderBy = orderRaw.map((o) => {
    if (!('field' in o)) throw new SoqlError('MALFORMED_QUERY', 'ORDER BY functions are not supported by the sandbox')
    const desc = o.order === 'DESC'
    return { path: resolvePath(schema, soql, object, o.field), desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !desc }
  })
  return { object, count, select, where, orderBy, limit: parsed.limit, offset: parsed.offset ?? 0 }
}

/** The value at the end of a path, or undefined when a lookup on the way is empty. */
function valueAt(store: Store, rec: Rec, path: Path): unknown {
  let cur: Rec | undefined = rec
  path.hops.forEach((hop, i) => {
    const id = cur?.[hop.name]
    cur = typeof id === 'string' ? store.get((path.objects[i + 1] as ObjectDef).name, id) : undefined
  })
  return cur ? (cur[path.field.name] ?? null) : null
}

/**
 * Compiles a WHERE tree once per query into a predicate over records: field paths resolved and
 * literals decoded (LIKE patterns turned into RegExps) up front, `IN` lists of text as a Set —
 * rather than again for every record and clause.
 */
function compileWhere(store: Store, schema: Schema, root: ObjectDef, n: Node, now: Date): (rec: Rec) => boolean {
  if (n.kind === 'not') {
    const inner = compileWhere(store, schema, root, n.item, now)
    return (rec) => !inner(rec)
  }
  if (n.kind !== 'cond') {
    const items = n.items.map((i) => compileWhere(store, schema, root, i, now))
    return n.kind === 'and' ? (rec) => items.every((p) => p(rec)) : (rec) => items.some((p) => p(rec))
  }
  const c: RawCondition = n.cond
  const path = resolvePath(schema, '', root, c.field ?? '')
  const f = path.field
  const op = c.operator.toUpperCase()
  const values = Array.isArray(c.value) ? c.value : [c.value ?? '']
  const types = Array.isArray(c.literalType) ? c.literalType : values.map(() => (c.literalType as string) ?? 'STRING')
  const ops = values.map((raw, i) => operand(f, raw, types[i] ?? 'STRING', op, now))
  const at = (rec: Rec) => valueAt(store, rec, path)
  const plainText = f.type !== 'id' && f.type !== 'reference' && ops.every((o) => o.kind === 'value' && (typeof o.v === 'string' || o.v === null))
  if ((op === 'IN' || op === 'NOT IN') && plainText) {
    const fold = (v: unknown) => (typeof v === 'string' ? foldText(f, v) : v)
    const set = new Set(ops.map((o) => fold((o as { v: unknown }).v)))
    // NOT IN keeps records whose value is null unless the list holds null itself.
    return op === 'IN' ? (rec) => set.has(fold(at(rec))) : (rec) => !set.has(fold(at(rec)))
  }
  if (op === 'IN') return (rec) => ops.some((o) => test(f, at(rec), '=', o))
  if (op === 'NOT IN') return (rec) => ops.every((o) => test(f, at(rec), '!=', o))
  const o = ops[0] as never
  return (rec) => test(f, at(rec), op, o)
}

function compare(a: unknown, b: unknown, item: OrderItem): number {
  if (a === null && b === null) return 0
  if (a === null) return item.nullsFirst ? -1 : 1
  if (b === null) return item.nullsFirst ? 1 : -1
  const c =
    typeof a === 'string' && typeof b === 'string'
      ? a.localeCompare(b, 'en', { sensitivity: 'base' })
      : (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
  return item.desc ? -c : c
}

/** The URL the API puts in `attributes.url`. */
export const recordUrl = (version: string, type: string, id: string): string =>
  `/services/data/v${version}/sobjects/${type}/${id}`

export interface QueryResult {
  totalSize: number
  rows: Record<string, unknown>[]
}

/** Whether queries may use the planner's indexes (soql/plan.ts), and how many did. Off, every
 * query scans: tests run the same queries both ways and expect the same answers. */
export interface QueryPlanning {
  useIndexes: boolean
  indexed: number
  scanned: number
}

/** Evaluates a compiled query. `includeDeleted` is queryAll. Without `planning`, indexes are used. */
export function runQuery(
  store: Store,
  q: CompiledQuery,
  opts: { version: string; now: Date; includeDeleted: boolean; planning?: QueryPlanning },
): QueryResult {
  const schema = store.schema
  const where = q.where ? compileWhere(store, schema, q.object, q.where, opts.now) : () => true
  // The candidates are in table order, so everything after the filter sees what a scan gives it.
  const narrowed =
    q.where && opts.planning?.useIndexes !== false
      ? candidates(store, q.object, q.where, opts.now, (n) => compileWhere(store, schema, q.object, n, opts.now))
      : undefined
  if (opts.planning) {
    if (narrowed) opts.planning.indexed++
    else opts.planning.scanned++
  }
  const live = (narrowed?.recs ?? store.all(q.object.name)).filter((r) => opts.includeDeleted || !r.IsDeleted)
  let recs = narrowed?.exact ? live : live.filter(where)
  if (q.orderBy.length > 0) {
    const keyed = recs.map((r) => ({ r, keys: q.orderBy.map((o) => valueAt(store, r, o.path)) }))
    keyed.sort((x, y) => {
      for (let i = 0; i < q.orderBy.length; i++) {
        const c = compare(x.keys[i] ?? null, y.keys[i] ?? null, q.orderBy[i] as OrderItem)
        if (c !== 0) return c
      }
      return 0
    })
    recs = keyed.map((k) => k.r)
  }
  recs = recs.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit)
  if (q.count) return { totalSize: recs.length, rows: [] }
  return { totalSize: recs.length, rows: recs.map((r) => project(store, q, r, opts.version)) }
}

function project(store: Store, q: CompiledQuery, rec: Rec, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: q.object.name, url: recordUrl(version, q.object.name, rec.Id) } }
  for (const path of q.select) {
    let target = out
    let cur: Rec | undefined = rec
    let empty = false
    path.hops.forEach((hop, i) => {
      if (empty) return
      const obj = path.objects[i + 1] as ObjectDef
      const id = cur?.[hop.name]
      cur = typeof id === 'string' ? store.get(obj.name, id) : undefined
      const key = hop.relationshipName as string
      if (!cur) {
        if (!(key in target)) target[key] = null
        empty = true
        return
      }
      const existing = target[key]
      if (existing && typeof existing === 'object') target = existing as Record<string, unknown>
      else {
        const nested = { attributes: { type: obj.name, url: recordUrl(version, obj.name, cur.Id) } }
        target[key] = nested
        target = nested
      }
    })
    if (!empty && cur) target[path.field.name] = toWire(path.field, cur[path.field.name])
  }
  return out
}
