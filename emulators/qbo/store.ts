/**
 * @module emulators/qbo/store
 * In-memory state of one QBO company: name-list records (customers, vendors, employees) keyed by
 * Id from ONE counter shared by the name-list entities (qbo_api all/customers.yml: customers 58–70,
 * employee 55, vendors 56/71 interleave), the name index behind "Duplicate Name Exists" (6240),
 * the parent→children index of sub-customers, and the stubs of deleted records for CDC.
 */
export type EntityName = 'Customer' | 'Vendor' | 'Employee'
export type Wire = Record<string, unknown>

export interface StoredRecord {
  entity: EntityName
  wire: Wire
  /** Exact change time (ms); the wire's LastUpdatedTime has whole seconds only. */
  updatedMs: number
}

export interface DeletedStub {
  entity: EntityName
  Id: string
  updatedMs: number
}

export class QboStore {
  /** The company's realm, which V4IDPseudonym values are derived from. */
  constructor(readonly realmId = '') {}

  readonly records = new Map<string, StoredRecord>()
  readonly deleted: DeletedStub[] = []
  /** Lower-cased name key → Id, active records only (see `nameKey`). */
  readonly names = new Map<string, string>()
  readonly children = new Map<string, Set<string>>()
  nextId = 1
  nextAddressId = 1

  allocateId(): string {
    const id = String(this.nextId)
    this.nextId += 1
    return id
  }

  allocateAddressId(): string {
    const id = String(this.nextAddressId)
    this.nextAddressId += 1
    return id
  }

  noteId(id: string): void {
    const n = Number(id)
    if (Number.isInteger(n) && n >= this.nextId) this.nextId = n + 1
  }

  noteAddressId(id: unknown): void {
    const n = Number(id)
    if (Number.isInteger(n) && n >= this.nextAddressId) this.nextAddressId = n + 1
  }

  get(entity: EntityName, id: string): StoredRecord | undefined {
    const rec = this.records.get(id)
    return rec && rec.entity === entity ? rec : undefined
  }

  list(entity: EntityName): Wire[] {
    const out: Wire[] = []
    for (const rec of this.records.values()) if (rec.entity === entity) out.push(rec.wire)
    return out
  }

  /** Stores (or replaces) a record and keeps the name and hierarchy indexes current. */
  put(rec: StoredRecord): void {
    const id = String(rec.wire.Id)
    const old = this.records.get(id)
    if (old) this.unindex(old)
    this.records.set(id, rec)
    this.index(rec)
  }

  remove(id: string, nowMs: number): StoredRecord | undefined {
    const rec = this.records.get(id)
    if (!rec) return undefined
    this.unindex(rec)
    this.records.delete(id)
    this.deleted.push({ entity: rec.entity, Id: id, updatedMs: nowMs })
    return rec
  }

  /** Who holds this name key, if anyone (ignoring `exceptId`). */
  nameOwner(key: string, exceptId?: string): string | undefined {
    const owner = this.names.get(key)
    return owner === exceptId ? undefined : owner
  }

  descendants(id: string): string[] {
    const out: string[] = []
    const walk = (p: string) => {
      for (const c of this.children.get(p) ?? []) {
        out.push(c)
        walk(c)
      }
    }
    walk(id)
    return out
  }

  private index(rec: StoredRecord): void {
    const key = nameKey(rec)
    if (key !== undefined) this.names.set(key, String(rec.wire.Id))
    const parent = parentId(rec.wire)
    if (parent) {
      let set = this.children.get(parent)
      if (!set) this.children.set(parent, (set = new Set()))
      set.add(String(rec.wire.Id))
    }
  }

  private unindex(rec: StoredRecord): void {
    const key = nameKey(rec)
    if (key !== undefined && this.names.get(key) === String(rec.wire.Id)) this.names.delete(key)
    const parent = parentId(rec.wire)
    if (parent) this.children.get(parent)?.delete(String(rec.wire.Id))
  }
}

export function parentId(wire: Wire): string | undefined {
  const ref = wire.ParentRef as { value?: unknown } | undefined
  return ref && ref.value !== undefined ? String(ref.value) : undefined
}

/**
 * The name a record occupies. DisplayName must be unique across Customer, Vendor and Employee
 * (I-CUST business rules), but a sub-customer may share a DisplayName with a top-level customer:
 * the recorded sandbox has "Jack Doe" twice, FQNs `Jack Doe` and `Doe, Jack:Jack Doe`
 * (qbo_api all/customers.yml) — so customers are keyed by FullyQualifiedName. Compared
 * case-insensitively and after trimming: QuickBooks name lists treat "ACME" and "Acme" as the
 * same name (the docs do not say; chosen as the stricter behaviour). Inactive records hold
 * "<name> (deleted)" and do not block the name.
 */
export function nameKey(rec: StoredRecord): string | undefined {
  if (rec.wire.Active === false) return undefined
  const name = rec.entity === 'Customer' ? rec.wire.FullyQualifiedName : rec.wire.DisplayName
  return typeof name === 'string' ? normalizeName(name) : undefined
}

export const normalizeName = (name: string): string => name.trim().toLowerCase()
