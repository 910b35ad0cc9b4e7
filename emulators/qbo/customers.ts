/**
 * @module emulators/qbo/customers
 * Customer create / full update / sparse update against the store, with QBO's defaults and
 * business rules. Sources per behaviour:
 * - create and update are both `POST /customer`, HTTP 200 (I-CUST; qbo_api create/customer.yml);
 * - defaults of a new customer: Taxable true + DefaultTaxCodeRef "2" (US sandbox), Job false,
 *   BillWithParent false, Balance 0, CurrencyRef USD, PreferredDeliveryMethod "Print",
 *   IsProject false, domain "QBO", sparse false, SyncToken "0" (qbo_api create/customer.yml,
 *   Nango create-customer recording);
 * - PrintOnCheckName default: CompanyName, else "Given Family", else DisplayName (Addendum §8);
 * - full update re-derives omitted fields as on create (qbo_api update/customer.yml: a full
 *   update without PrintOnCheckName got it re-defaulted); sparse update merges (I-CUST);
 * - stale SyncToken → 5010; a no-op update keeps SyncToken and LastUpdatedTime
 *   (qbo_api deactivate/employee.yml);
 * - Active false appends " (deleted)" to DisplayName and FullyQualifiedName
 *   (quickbooks-ruby deleted_customer.xml, qbo_api deactivate/employee.yml);
 * - sub-customers: Job + ParentRef, Level = parent + 1 up to 4, FQN `Parent:Child` (I-CUST).
 */
import {
  businessValidation, duplicateName, objectNotFound, requiredMissing, staleObject,
} from './errors.js'
import { checkCustomerBody, NAME_PARTS, requireName } from './customer-rules.js'
import { normalizeName, parentId, type QboStore, type StoredRecord, type Wire } from './store.js'
import { v4IdPseudonym } from './pseudonym.js'
import { formatMetaTime } from './time.js'

export const DELETED_SUFFIX = ' (deleted)'
export const MAX_LEVEL = 4

/** Writable fields carried over from the request (read-only ones are QBO's to set). */
const WRITABLE = [
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'CompanyName',
  'PrintOnCheckName', 'PrimaryEmailAddr', 'PrimaryPhone', 'Mobile', 'Fax', 'AlternatePhone',
  'WebAddr', 'BillAddr', 'ShipAddr', 'OtherAddr', 'Notes', 'Job', 'ParentRef', 'BillWithParent',
  'PreferredDeliveryMethod', 'Taxable', 'DefaultTaxCodeRef', 'Active', 'ResaleNum', 'SalesTermRef',
  'PaymentMethodRef', 'CustomerTypeRef', 'ARAccountRef', 'PrimaryTaxIdentifier',
  'SecondaryTaxIdentifier', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'TaxExemptionReasonId',
  'Source', 'ContactName', 'AltContactName', 'CreditLimit', 'JobInfo', 'OpenBalanceDate', 'AcctNum',
]

/** Key order as QBO serialises a Customer (qbo_api all/customers.yml, Nango get-customer). */
const KEY_ORDER = [
  'Taxable', 'BillAddr', 'ShipAddr', 'OtherAddr', 'Notes', 'Job', 'BillWithParent', 'ParentRef',
  'Level', 'Balance', 'BalanceWithJobs', 'CurrencyRef', 'PreferredDeliveryMethod', 'IsProject',
  'ClientEntityId', 'domain', 'sparse', 'Id', 'SyncToken', 'MetaData', 'Title', 'GivenName',
  'MiddleName', 'FamilyName', 'Suffix', 'FullyQualifiedName', 'CompanyName', 'DisplayName',
  'PrintOnCheckName', 'Active', 'V4IDPseudonym', 'PrimaryPhone', 'Mobile', 'Fax', 'AlternatePhone',
  'PrimaryEmailAddr', 'WebAddr', 'DefaultTaxCodeRef',
]

export type ChangeKind = 'created' | 'updated' | 'deleted'
export interface Change {
  kind: ChangeKind
  record: StoredRecord
}

/** Options for loading seed data: keep given Ids, SyncTokens, MetaData and read-only fields. */
interface BuildContext {
  nowMs: number
  seed?: boolean
  previous?: StoredRecord
}

/** Builds the stored wire object of a customer from a request body (create or full update). */
function buildCustomer(store: QboStore, body: Wire, ctx: BuildContext): Wire {
  const prev = ctx.previous?.wire
  const c: Wire = {}
  for (const key of WRITABLE) {
    const v = body[key]
    if (v !== undefined && v !== null && v !== '') c[key] = typeof v === 'string' ? v.trim() : clone(v)
  }
  for (const key of NAME_PARTS) if (c[key] === '') delete c[key]
  if (c.DisplayName === undefined) {
    // I-CUST: when DisplayName is omitted QBO builds it from the name parts.
    c.DisplayName = NAME_PARTS.map((k) => c[k]).filter(Boolean).join(' ')
  }
  if (c.PrintOnCheckName === undefined) {
    const person = [c.GivenName, c.FamilyName].filter(Boolean).join(' ')
    c.PrintOnCheckName = String(c.CompanyName ?? (person || c.DisplayName)).slice(0, 110)
  }
  if (c.Taxable === undefined) c.Taxable = ctx.seed ? (body.Taxable ?? false) : true
  // Seeds too: a sandbox company's taxable customers are read with it, listed without it (customerAs).
  if (c.Taxable === true && c.DefaultTaxCodeRef === undefined) c.DefaultTaxCodeRef = { value: '2' }
  c.Job = c.ParentRef !== undefined
  if (c.Job === false && body.Job === true) {
    throw requiredMissing('ParentRef', 'Required parameter ParentRef is missing in the request (Job is true)')
  }
  if (c.ParentRef) c.ParentRef = { value: String((c.ParentRef as Wire).value) }
  c.BillWithParent = c.Job === true && c.BillWithParent === true
  c.PreferredDeliveryMethod ??= 'Print'
  c.Active = c.Active !== false
  for (const addr of ['BillAddr', 'ShipAddr', 'OtherAddr']) {
    const a = c[addr] as Wire | undefined
    if (!a) continue
    const prevId = (prev?.[addr] as Wire | undefined)?.Id
    if (a.Id === undefined) a.Id = prevId ?? store.allocateAddressId()
    else store.noteAddressId(a.Id)
    const { Id, ...rest } = a
    c[addr] = { Id: String(Id), ...rest }
  }
  // Read-only fields: QBO's own (kept from the previous version, or taken from seed data).
  const src = ctx.seed ? body : (prev ?? {})
  c.Balance = num(src.Balance, 0)
  c.BalanceWithJobs = num(src.BalanceWithJobs, c.Balance as number)
  c.CurrencyRef = clone(src.CurrencyRef ?? { value: 'USD', name: 'United States Dollar' })
  c.IsProject = src.IsProject === true
  if (src.V4IDPseudonym !== undefined) c.V4IDPseudonym = src.V4IDPseudonym
  // A sandbox company's customers carry ClientEntityId "0" in query results (shape learned from recorded traffic).
  c.ClientEntityId = src.ClientEntityId ?? '0'
  c.domain = 'QBO'
  c.sparse = false
  return c
}

const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : v === undefined ? dflt : Number(v))
const clone = <T>(v: T): T => (v && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as T) : v)

/** Derives Level, FullyQualifiedName and the " (deleted)" suffix; checks the hierarchy. */
function placeInHierarchy(store: QboStore, c: Wire, id: string | undefined, wasActive: boolean): void {
  const base = stripDeleted(String(c.DisplayName))
  if (c.Active === false) c.DisplayName = `${base}${DELETED_SUFFIX}`
  else if (!wasActive) c.DisplayName = base
  const pid = parentId(c)
  if (!pid) {
    delete c.Level
    c.FullyQualifiedName = c.DisplayName
    return
  }
  const parent = store.get('Customer', pid)
  if (!parent || parent.wire.Active === false) throw objectNotFound('Customer', pid)
  if (id !== undefined && (pid === id || store.descendants(id).includes(pid))) {
    throw businessValidation('A customer cannot be its own parent or the parent of its parent.', 'ParentRef')
  }
  const level = Number(parent.wire.Level ?? 0) + 1
  const depthBelow = id === undefined ? 0 : subtreeDepth(store, id)
  if (level + depthBelow > MAX_LEVEL) {
    throw businessValidation(`Sub-customers can be nested at most ${MAX_LEVEL} levels below a top-level customer.`, 'ParentRef')
  }
  c.Level = level
  c.FullyQualifiedName = `${String(parent.wire.FullyQualifiedName)}:${String(c.DisplayName)}`
}

function subtreeDepth(store: QboStore, id: string): number {
  let max = 0
  for (const child of store.children.get(id) ?? []) max = Math.max(max, 1 + subtreeDepth(store, child))
  return max
}

export const stripDeleted = (name: string): string =>
  name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name

function checkUniqueName(store: QboStore, c: Wire, id: string | undefined): void {
  if (c.Active === false) return
  const owner = store.nameOwner(normalizeName(String(c.FullyQualifiedName)), id)
  if (owner !== undefined) throw duplicateName(String(c.DisplayName))
}

function ordered(c: Wire): Wire {
  const out: Wire = {}
  for (const k of KEY_ORDER) if (c[k] !== undefined) out[k] = c[k]
  for (const k of Object.keys(c)) if (out[k] === undefined && c[k] !== undefined) out[k] = c[k]
  return out
}

/**
 * What an endpoint shows of a stored customer. Learned from recorded traffic of a 2026 sandbox
 * company (shapes only): a query (`SELECT * FROM Customer`) returns `V4IDPseudonym` and
 * `ClientEntityId` but no `DefaultTaxCodeRef` (not even for taxable customers, whose create and
 * read responses have it); a read (`GET /customer/1`) has `V4IDPseudonym` and
 * `DefaultTaxCodeRef`; a create or update response `DefaultTaxCodeRef` only. CDC is served like a
 * query (no recording settles it).
 */
export function customerAs(view: 'query' | 'read' | 'write', wire: Wire): Wire {
  if (view === 'query') {
    const { DefaultTaxCodeRef: _tax, ...listed } = wire
    return listed
  }
  const { ClientEntityId: _client, V4IDPseudonym: pseudonym, ...rest } = wire
  return view === 'read' && pseudonym !== undefined ? ordered({ ...rest, V4IDPseudonym: pseudonym }) : rest
}

/** Loads one customer from seed data (Ids, SyncToken and MetaData may be given). */
export function seedCustomer(store: QboStore, body: Wire, nowMs: number): void {
  const c = buildCustomer(store, body, { nowMs, seed: true })
  const id = body.Id !== undefined ? String(body.Id) : store.allocateId()
  store.noteId(id)
  placeInHierarchy(store, c, undefined, true)
  checkUniqueName(store, c, id)
  const meta = (body.MetaData ?? {}) as Wire
  c.Id = id
  c.V4IDPseudonym ??= v4IdPseudonym(store.realmId, id)
  c.SyncToken = String(body.SyncToken ?? '0')
  const created = typeof meta.CreateTime === 'string' ? meta.CreateTime : formatMetaTime(nowMs)
  const updated = typeof meta.LastUpdatedTime === 'string' ? meta.LastUpdatedTime : created
  c.MetaData = { CreateTime: created, LastUpdatedTime: updated }
  const updatedMs = Date.parse(updated)
  store.put({ entity: 'Customer', wire: ordered(c), updatedMs: Number.isNaN(updatedMs) ? nowMs : updatedMs })
}

export function createCustomer(store: QboStore, body: Wire, nowMs: number): Change {
  checkCustomerBody(body)
  const missing = requireName(body)
  if (missing) throw missing
  const c = buildCustomer(store, body, { nowMs })
  placeInHierarchy(store, c, undefined, true)
  checkUniqueName(store, c, undefined)
  c.Id = store.allocateId()
  c.V4IDPseudonym = v4IdPseudonym(store.realmId, c.Id as string)
  c.SyncToken = '0'
  const t = formatMetaTime(nowMs)
  c.MetaData = { CreateTime: t, LastUpdatedTime: t }
  const record: StoredRecord = { entity: 'Customer', wire: ordered(c), updatedMs: nowMs }
  store.put(record)
  return { kind: 'created', record }
}

/** Full or sparse update. Returns the changes (the customer, then any renamed descendants). */
export function updateCustomer(store: QboStore, body: Wire, nowMs: number): Change[] {
  checkCustomerBody(body)
  if (body.Id === undefined) throw requiredMissing('Id', 'Required parameter Id is missing in the request')
  if (body.SyncToken === undefined) throw requiredMissing('SyncToken', 'Required parameter SyncToken is missing in the request')
  const id = String(body.Id)
  const prev = store.get('Customer', id)
  if (!prev) throw objectNotFound('Customer', id)
  if (String(body.SyncToken) !== String(prev.wire.SyncToken)) throw staleObject()

  let source: Wire
  if (body.sparse === true) {
    source = { ...prev.wire }
    for (const [k, v] of Object.entries(body)) {
      // A sparse update cannot remove DisplayName or PrintOnCheckName (I-CUST).
      if ((v === null || v === '') && (k === 'DisplayName' || k === 'PrintOnCheckName')) continue
      source[k] = v
    }
    if (body.ParentRef === null) source.Job = false
  } else {
    source = body
    if (requireName(body)) source = { ...body, DisplayName: prev.wire.DisplayName }
  }
  const wasActive = prev.wire.Active !== false
  if (!wasActive && typeof source.DisplayName === 'string' && source.Active !== false) {
    source = { ...source, DisplayName: stripDeleted(source.DisplayName) }
  }
  const c = buildCustomer(store, source, { nowMs, previous: prev })
  placeInHierarchy(store, c, id, wasActive)
  checkUniqueName(store, c, id)
  c.Id = id
  const same = JSON.stringify(ordered({ ...c, Id: id })) === JSON.stringify(ordered(withoutVersion(prev.wire)))
  if (same) return []
  c.SyncToken = String(Number(prev.wire.SyncToken) + 1)
  c.MetaData = { CreateTime: (prev.wire.MetaData as Wire).CreateTime, LastUpdatedTime: formatMetaTime(nowMs) }
  const record: StoredRecord = { entity: 'Customer', wire: ordered(c), updatedMs: nowMs }
  store.put(record)
  const changes: Change[] = [{ kind: wasActive && c.Active === false ? 'deleted' : 'updated', record }]
  if (prev.wire.FullyQualifiedName !== c.FullyQualifiedName) changes.push(...renameDescendants(store, id, nowMs))
  return changes
}

function withoutVersion(w: Wire): Wire {
  const { SyncToken: _s, MetaData: _m, ...rest } = w
  return rest
}

/**
 * A renamed or moved customer changes its descendants' FullyQualifiedName and Level. QBO's docs
 * do not say whether that bumps their SyncToken; we bump it so CDC reports the new FQN.
 */
function renameDescendants(store: QboStore, id: string, nowMs: number): Change[] {
  const changes: Change[] = []
  const walk = (pid: string) => {
    const parent = store.get('Customer', pid) as StoredRecord
    for (const cid of [...(store.children.get(pid) ?? [])]) {
      const child = store.get('Customer', cid)
      if (!child) continue
      const wire: Wire = { ...child.wire }
      wire.Level = Number(parent.wire.Level ?? 0) + 1
      wire.FullyQualifiedName = `${String(parent.wire.FullyQualifiedName)}:${String(wire.DisplayName)}`
      wire.SyncToken = String(Number(wire.SyncToken) + 1)
      wire.MetaData = { ...(wire.MetaData as Wire), LastUpdatedTime: formatMetaTime(nowMs) }
      const record: StoredRecord = { entity: 'Customer', wire: ordered(wire), updatedMs: nowMs }
      store.put(record)
      changes.push({ kind: 'updated', record })
      walk(cid)
    }
  }
  walk(id)
  return changes
}
