/**
 * @module emulators/salesforce/soql/plan
 * The query planner: which records a WHERE clause can be true of, read from indexes, so that
 * `runQuery` evaluates the clause on those only instead of on every record of the object. It
 * narrows, it never decides: the evaluator's own test (the full WHERE; for an OR, the branch) still
 * runs on every candidate, so a candidate set that
 * is too large costs time, never a different answer — only a record missing from it could, and
 * each lookup below is built from the same folding the evaluator compares with (where.ts).
 *
 * A condition on a field of the queried object (not through a relationship) gives candidates when it is
 * - `Id = '…'` / `Id IN (…)`: the records with those Ids;
 * - `F = 'text'` / `F IN ('text', …)` on any other field: an index of F by `foldText` (lower case
 *   unless the field is case-sensitive), the key `=` and `IN` compare;
 * - `F LIKE 'abc…'` with a literal prefix, `F LIKE '…xyz'` with a literal suffix: indexes of F
 *   by the `likeFold` (the case folding of the LIKE RegExp) of its first and of its last one to
 *   three characters; with both, the records in both. Tally's `Name LIKE 'w1%w2%w3'` needs the
 *   suffix: the first word alone is shared by a good part of an org.
 * An AND takes the smallest candidate set among its conditions (the others are checked on it); an
 * OR needs candidates from every branch, and gives the records among each branch's candidates
 * that satisfy that branch — checking one branch on its own candidates rather than every branch
 * on the union (Tally's name lookup ORs an `IN` with a hundred and more LIKEs); NOT, other operators, NULL,
 * numbers, dates, a 15-character value on a lookup field and a LIKE with neither a literal prefix
 * nor a literal suffix give none, and a WHERE with no candidates is a scan. Indexes are built by the store on the
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

/** Characters of a value the LIKE indexes file it under (its first ones, its last ones). */
export const LIKE_KEY_LENGTH = 3

/**
 * The records `where` can be true of, deleted ones included, in the order `Store.all` lists
 * them (so that ORDER BY ties and unordered results come out as the scan's); undefined = scan.
 * `exact`: every one of them satisfies `where` (a top-level OR, whose branches were checked
 * here), so the caller need not check them again.
 */
export function candidates(
  store: Store,
  object: ObjectDef,
  where: Node,
  now: Date,
  predicate: (n: Node) => (rec: Rec) => boolean,
): { recs: Rec[]; exact: boolean } | undefined {
  // However many candidates there are, checking Ids against a set costs less than the WHERE.
  const ids = idsFor({ store, object, now, predicate }, where)
  return ids && { recs: store.inTableOrder(object.name, ids), exact: where.kind === 'or' }
}

interface Planning {
  store: Store
  object: ObjectDef
  now: Date
  /** The evaluator's test of a record against part of the WHERE (query.ts `compileWhere`). */
  predicate: (n: Node) => (rec: Rec) => boolean
}

function idsFor(p: Planning, n: Node): ReadonlySet<string> | undefined {
  if (n.kind === 'not') return undefined
  if (n.kind === 'cond') return conditionIds(p.store, p.object, n.cond, p.now)
  if (n.kind === 'and') {
    let best: ReadonlySet<string> | undefined
    for (const item of n.items) {
      const ids = idsFor(p, item)
      if (ids && (!best || ids.size < best.size)) best = ids
    }
    return best
  }
  // OR: every branch must narrow; a record satisfies the OR when it satisfies a branch, and then
  // it is among that branch's candidates.
  const matched = new Set<string>()
  for (const item of n.items) {
    const ids = idsFor(p, item)
    if (!ids) return undefined
    const test = p.predicate(item)
    for (const id of ids) {
      if (matched.has(id)) continue
      const rec = p.store.get(p.object.name, id)
      if (rec && test(rec)) matched.add(id)
    }
  }
  return matched
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
    return likeIds(store, object, f, likeFold(o.prefix), likeFold(o.suffix))
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

function likeIds(store: Store, object: ObjectDef, f: FieldDef, prefix: string, suffix: string): ReadonlySet<string> | undefined {
  const starts = prefix === '' ? undefined : keyed(store, object, f, 'start', prefix)
  const ends = suffix === '' ? undefined : keyed(store, object, f, 'end', suffix)
  if (!starts || !ends) return starts ?? ends
  const [small, large] = starts.size <= ends.size ? [starts, ends] : [ends, starts]
  const both = new Set<string>()
  for (const id of small) if (large.has(id)) both.add(id)
  return both
}

/**
 * The records whose value starts (ends) with text that folds to `part`, from an index by the
 * first (last) L characters, L = the part's length up to LIKE_KEY_LENGTH (one index per L, built
 * when first needed). A value shorter than L is filed under all of it, a key no part of length L
 * equals: it cannot match either.
 */
function keyed(store: Store, object: ObjectDef, f: FieldDef, side: 'start' | 'end', part: string): ReadonlySet<string> {
  const len = Math.min(part.length, LIKE_KEY_LENGTH)
  const index = store.keyIndex(object.name, `like-${side}-${len}:${f.name}`, f.name, (v) =>
    typeof v === 'string' ? likeFold(side === 'start' ? v.slice(0, len) : v.slice(-len)) : undefined,
  )
  return index.get(side === 'start' ? part.slice(0, len) : part.slice(-len)) ?? NONE
}
