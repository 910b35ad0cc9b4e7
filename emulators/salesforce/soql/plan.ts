/**
 * @module emulators/salesforce/soql/plan
 * The query planner: which records a WHERE clause can be true of, read from indexes, so that
 * `runQuery` evaluates the clause on those only instead of on every record of the object. It
 * narrows, it never decides: the full WHERE still runs on every candidate, so a candidate set that
 * is too large costs time, never a different answer — only a record missing from it could, and
 * each lookup below is built from the same folding the evaluator compares with (where.ts).
 *
 * A condition on a field of the queried object (not through a relationship) gives candidates when it is
 * - `Id = '…'` / `Id IN (…)`: the records with those Ids;
 * - `F = 'text'` / `F IN ('text', …)` on any other field: an index of F by `foldText` (lower case
 *   unless the field is case-sensitive), the key `=` and `IN` compare;
 * - `F LIKE 'abc…'` with a literal prefix: an index of F by the `likeFold` of its first
 *   three characters, the case folding of the LIKE RegExp.
 * An AND takes the smallest candidate set among its conditions (the others are checked on it); an
 * OR needs candidates from every branch and takes their union; NOT, other operators, NULL,
 * numbers, dates, a 15-character value on a lookup field and a LIKE that starts with a wildcard
 * give none, and a WHERE with no candidates is a scan. Indexes are built by the store on the
 * first query that needs them and kept in step with every write from then on.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_conditionexpression.htm
 */
import { to18 } from '../ids.js'
import { findField } from '../schema.js'
import type { FieldDef, ObjectDef } from '../schema.js'
import type { Rec, Store } from '../store.js'
import { likeFold } from './literals.js'
import { foldText, operand } from './where.js'
import type { Node, RawCondition } from './where.js'

/** Characters of a value the LIKE index files it under. */
export const LIKE_KEY_LENGTH = 3

/** Candidates beyond this share of the table are not worth sorting back into table order: the
 * scan reads the table in order anyway. */
const MAX_SHARE = 0.25

/**
 * The records `where` can be true of, deleted ones included, in the order `Store.all` lists
 * them (so that ORDER BY ties and unordered results come out as the scan's); undefined = scan.
 */
export function candidates(store: Store, object: ObjectDef, where: Node, now: Date): Rec[] | undefined {
  const ids = idsFor(store, object, where, now)
  if (!ids || ids.size > store.size(object.name) * MAX_SHARE) return undefined
  return store.inTableOrder(object.name, ids)
}

function idsFor(store: Store, object: ObjectDef, n: Node, now: Date): ReadonlySet<string> | undefined {
  if (n.kind === 'not') return undefined
  if (n.kind === 'cond') return conditionIds(store, object, n.cond, now)
  if (n.kind === 'and') {
    let best: ReadonlySet<string> | undefined
    for (const item of n.items) {
      const ids = idsFor(store, object, item, now)
      if (ids && (!best || ids.size < best.size)) best = ids
    }
    return best
  }
  // OR: every branch must narrow.
  const union = new Set<string>()
  for (const item of n.items) {
    const ids = idsFor(store, object, item, now)
    if (!ids) return undefined
    for (const id of ids) union.add(id)
  }
  return union
}

const NONE: ReadonlySet<string> = new Set()

function conditionIds(store: Store, object: ObjectDef, c: RawCondition, now: Date): ReadonlySet<string> | undefined {
  if (!c.field || c.field.includes('.')) return undefined
  const f = findField(object, c.field)
  const op = c.operator.toUpperCase()
  if (!f || (op !== '=' && op !== 'IN' && op !== 'LIKE')) return undefined
  // The literals decoded exactly as compileWhere decodes them.
  const values = Array.isArray(c.value) ? c.value : [c.value ?? '']
  const types = Array.isArray(c.literalType) ? c.literalType : values.map(() => (c.literalType as string) ?? 'STRING')
  const ops = values.map((raw, i) => operand(f, raw, types[i] ?? 'STRING', op, now))

  if (op === 'LIKE') {
    const o = ops[0]
    if (ops.length !== 1 || o?.kind !== 'like') return undefined
    return likeIds(store, object, f, likeFold(o.prefix))
  }
  const texts: string[] = []
  for (const o of ops) {
    if (o.kind !== 'value' || typeof o.v !== 'string') return undefined
    texts.push(o.v)
  }
  if (f.name === 'Id') {
    // A 15-character Id equals the 18-character Id it is the start of (where.ts `test`); every
    // stored Id is the canonical 18-character form of its first 15 (ids.ts `IdFactory`), so that
    // record is `to18` of it.
    const ids = new Set<string>()
    for (const t of texts) {
      const id = t.length === 15 ? to18(t) : t
      if (store.get(object.name, id)) ids.add(id)
    }
    return ids
  }
  // A lookup field compares a 15-character value with the first 15 characters of what it holds,
  // which need not be stored in canonical form: scan.
  if ((f.type === 'reference' || f.type === 'id') && texts.some((t) => t.length === 15)) return undefined
  if (f.type === 'date') return undefined
  const index = store.keyIndex(object.name, `eq:${f.name}`, f.name, (v) => (typeof v === 'string' ? foldText(f, v) : undefined))
  if (texts.length === 1) return index.get(foldText(f, texts[0] as string)) ?? NONE
  const ids = new Set<string>()
  for (const t of texts) for (const id of index.get(foldText(f, t)) ?? NONE) ids.add(id)
  return ids
}

function likeIds(store: Store, object: ObjectDef, f: FieldDef, prefix: string): ReadonlySet<string> | undefined {
  if (prefix === '') return undefined
  const index = store.keyIndex(object.name, `like:${f.name}`, f.name, (v) =>
    typeof v === 'string' ? likeFold(v.slice(0, LIKE_KEY_LENGTH)) : undefined,
  )
  if (prefix.length >= LIKE_KEY_LENGTH) return index.get(prefix.slice(0, LIKE_KEY_LENGTH)) ?? NONE
  // A short prefix: every key it starts (keys of values shorter than the key length are the whole value).
  const ids = new Set<string>()
  for (const [key, set] of index) if (key.startsWith(prefix)) for (const id of set) ids.add(id)
  return ids
}
