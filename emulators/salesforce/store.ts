/**
 * @module emulators/salesforce/store
 * The org's records, in memory: one table per sObject, keyed by 18-character Id, with indexes on
 * the fields that identify records (external IDs, unique fields, idLookup fields) so upserts and
 * relationship references by external ID stay fast at tens of thousands of records.
 * Deleted records stay in the table with `IsDeleted = true` (they go to the Recycle Bin, which is
 * what `queryAll` sees).
 * The SOQL planner (soql/plan.ts) adds indexes of its own (`keyIndex`), built the first time a
 * query needs one and kept in step by `put` from then on.
 */
import { findObject } from './schema.js'
import type { FieldDef, ObjectDef, Schema } from './schema.js'

/** Values by canonical API name. Datetimes are epoch milliseconds; dates `YYYY-MM-DD`. */
export type Rec = Record<string, unknown> & { Id: string; IsDeleted: boolean }

type Index = Map<string, Set<string>>

/** The key a planner index files a field value under; undefined = not in the index. */
export type KeyOf = (value: unknown) => string | undefined

interface KeyIndex {
  field: string
  keyOf: KeyOf
  ids: Index
  /** The key each record is filed under, so a record changed in place still leaves its old key. */
  keyById: Map<string, string>
}

const indexed = (f: FieldDef): boolean => f.name !== 'Id' && (f.externalId || f.unique || f.idLookup)
const keyOf = (f: FieldDef, v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : f.caseSensitive ? String(v) : String(v).toLowerCase()

export class Store {
  private tables = new Map<string, Map<string, Rec>>()
  private indexes = new Map<string, Map<string, Index>>()
  /** Planner indexes: object → index name → index. They hold deleted records too (queryAll). */
  private keyIndexes = new Map<string, Map<string, KeyIndex>>()
  /** Each record's position in its table, the order `all` lists records in. */
  private order = new Map<string, number>()
  private nextOrder = 0

  /** Called after every write that goes through `put` (the Streaming API and the write log listen). */
  readonly listeners: ((objectName: string, before: Rec | undefined, after: Rec) => void)[] = []
  private muted = false

  constructor(readonly schema: Schema) {
    this.clear()
  }

  /** After a deploy: a table for an object new to the schema, and indexes rebuilt for one whose
   * fields changed. Records are kept. */
  syncObject(obj: ObjectDef): void {
    const table = this.tables.get(obj.name) ?? new Map<string, Rec>()
    this.tables.set(obj.name, table)
    const indexes = new Map<string, Index>(obj.fields.filter(indexed).map((f) => [f.name, new Map()]))
    this.indexes.set(obj.name, indexes)
    // A field's definition may have changed (case sensitivity): planner indexes are rebuilt on demand.
    this.keyIndexes.delete(obj.name)
    for (const rec of table.values()) {
      if (rec.IsDeleted) continue
      for (const [name, index] of indexes) {
        const f = obj.fields.find((x) => x.name === name) as FieldDef
        const key = keyOf(f, rec[name])
        if (key === undefined) continue
        const set = index.get(key) ?? new Set<string>()
        set.add(rec.Id)
        index.set(key, set)
      }
    }
  }

  clear(): void {
    this.tables.clear()
    this.indexes.clear()
    this.keyIndexes.clear()
    this.order.clear()
    this.nextOrder = 0
    for (const obj of this.schema.objects.values()) {
      this.tables.set(obj.name, new Map())
      this.indexes.set(obj.name, new Map(obj.fields.filter(indexed).map((f) => [f.name, new Map()])))
    }
  }

  object(name: string): ObjectDef | undefined {
    return findObject(this.schema, name)
  }

  /** Every record of an object, deleted ones included, in insertion order. */
  all(objectName: string): Rec[] {
    return [...(this.tables.get(objectName)?.values() ?? [])]
  }

  /** The records with these Ids (deleted ones included, unknown Ids skipped), in the order `all`
   * lists them: sorted by position when they are few, read from the table when they are many. */
  inTableOrder(objectName: string, ids: ReadonlySet<string>): Rec[] {
    const table = this.tables.get(objectName)
    if (!table) return []
    if (ids.size * 16 > table.size) return [...table.values()].filter((r) => ids.has(r.Id))
    const recs: Rec[] = []
    for (const id of ids) {
      const rec = table.get(id)
      if (rec) recs.push(rec)
    }
    return recs.sort((a, b) => (this.order.get(a.Id) as number) - (this.order.get(b.Id) as number))
  }

  /**
   * Every record of an object, deleted ones included, by `keyOf` of its `field` value: built on
   * the first call for `name` and kept in step by `put` after that. The caller owns what `keyOf`
   * means, and gives the same function each time it asks for `name`.
   */
  keyIndex(objectName: string, name: string, field: string, keyOf: KeyOf): ReadonlyMap<string, ReadonlySet<string>> {
    let byName = this.keyIndexes.get(objectName)
    if (!byName) {
      byName = new Map()
      this.keyIndexes.set(objectName, byName)
    }
    let index = byName.get(name)
    if (!index) {
      index = { field, keyOf, ids: new Map(), keyById: new Map() }
      for (const rec of this.tables.get(objectName)?.values() ?? []) file(index, rec)
      byName.set(name, index)
    }
    return index.ids
  }

  get(objectName: string, id: string): Rec | undefined {
    return this.tables.get(objectName)?.get(id)
  }

  /** The object an Id belongs to, from its key prefix. */
  objectOfId(id: string): ObjectDef | undefined {
    const prefix = id.slice(0, 3)
    for (const o of this.schema.objects.values()) if (o.keyPrefix === prefix) return o
    return undefined
  }

  /** Live records whose `field` equals `value` (case-insensitively unless the field is case-sensitive). */
  findBy(objectName: string, f: FieldDef, value: unknown): Rec[] {
    const key = keyOf(f, value)
    if (key === undefined) return []
    const index = this.indexes.get(objectName)?.get(f.name)
    if (index) {
      return [...(index.get(key) ?? [])]
        .map((id) => this.get(objectName, id))
        .filter((r): r is Rec => r !== undefined && !r.IsDeleted)
    }
    return this.all(objectName).filter((r) => !r.IsDeleted && keyOf(f, r[f.name]) === key)
  }

  /** Inserts or replaces a record, keeping the indexes in step. */
  put(objectName: string, rec: Rec): void {
    const table = this.tables.get(objectName)
    if (!table) throw new Error(`Unknown object ${objectName}`)
    const before = table.get(rec.Id)
    const indexes = this.indexes.get(objectName) as Map<string, Index>
    const obj = this.object(objectName) as ObjectDef
    for (const [name, index] of indexes) {
      const f = obj.fields.find((x) => x.name === name) as FieldDef
      const oldKey = before && !before.IsDeleted ? keyOf(f, before[name]) : undefined
      const newKey = rec.IsDeleted ? undefined : keyOf(f, rec[name])
      if (oldKey === newKey) continue
      if (oldKey !== undefined) index.get(oldKey)?.delete(rec.Id)
      if (newKey !== undefined) {
        const set = index.get(newKey) ?? new Set<string>()
        set.add(rec.Id)
        index.set(newKey, set)
      }
    }
    if (!table.has(rec.Id)) this.order.set(rec.Id, this.nextOrder++)
    for (const index of this.keyIndexes.get(objectName)?.values() ?? []) file(index, rec)
    table.set(rec.Id, rec)
    if (!this.muted) for (const l of this.listeners) l(objectName, before, rec)
  }

  /** A copy to restore when an all-or-none request fails. */
  snapshot(): Map<string, Map<string, Rec>> {
    return new Map([...this.tables].map(([k, t]) => [k, new Map([...t].map(([id, r]) => [id, { ...r }]))]))
  }

  restore(snapshot: Map<string, Map<string, Rec>>): void {
    this.clear()
    this.muted = true
    try {
      for (const [name, table] of snapshot) for (const rec of table.values()) this.put(name, rec)
    } finally {
      this.muted = false
    }
  }
}

/** Files a record under its current key in a planner index, leaving the key it had. */
function file(index: KeyIndex, rec: Rec): void {
  const oldKey = index.keyById.get(rec.Id)
  const newKey = index.keyOf(rec[index.field])
  if (oldKey === newKey) return
  if (oldKey !== undefined) {
    const set = index.ids.get(oldKey)
    set?.delete(rec.Id)
    if (set?.size === 0) index.ids.delete(oldKey)
    index.keyById.delete(rec.Id)
  }
  if (newKey !== undefined) {
    const set = index.ids.get(newKey) ?? new Set<string>()
    set.add(rec.Id)
    index.ids.set(newKey, set)
    index.keyById.set(rec.Id, newKey)
  }
}
