/**
 * @module emulators/qbo/name-entities
 * Vendors and employees: loaded from sandbox data only, so that they take Ids from the shared
 * counter, occupy DisplayNames (uniqueness spans Customer, Vendor and Employee — I-CUST) and can
 * be queried. Defaults follow the recorded shapes (qbo_api deactivate/employee.yml,
 * get/inactive_vendors.yml). They cannot be written through the API here.
 */
import { duplicateName } from './errors.js'
import { normalizeName, type EntityName, type QboStore, type Wire } from './store.js'
import { formatMetaTime } from './time.js'
import { DELETED_SUFFIX } from './customers.js'

export function seedNamed(store: QboStore, entity: Exclude<EntityName, 'Customer'>, body: Wire, nowMs: number): void {
  const w: Wire = entity === 'Vendor'
    ? { Balance: 0, Vendor1099: false, CurrencyRef: { value: 'USD', name: 'United States Dollar' } }
    : { BillableTime: false }
  Object.assign(w, { domain: 'QBO', sparse: false }, body)
  const id = body.Id !== undefined ? String(body.Id) : store.allocateId()
  store.noteId(id)
  w.Id = id
  w.SyncToken = String(body.SyncToken ?? '0')
  const t = formatMetaTime(nowMs)
  const meta = (body.MetaData ?? {}) as Wire
  w.MetaData = { CreateTime: meta.CreateTime ?? t, LastUpdatedTime: meta.LastUpdatedTime ?? meta.CreateTime ?? t }
  if (w.DisplayName === undefined) {
    w.DisplayName = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'].map((k) => w[k]).filter(Boolean).join(' ')
  }
  w.PrintOnCheckName ??= String(w.CompanyName ?? w.DisplayName).slice(0, 100)
  w.Active = w.Active !== false
  if (w.Active === false && !String(w.DisplayName).endsWith(DELETED_SUFFIX)) w.DisplayName = `${String(w.DisplayName)}${DELETED_SUFFIX}`
  if (w.Active !== false && store.nameOwner(normalizeName(String(w.DisplayName))) !== undefined) {
    throw duplicateName(String(w.DisplayName))
  }
  const updatedMs = Date.parse(String((w.MetaData as Wire).LastUpdatedTime))
  store.put({ entity, wire: w, updatedMs: Number.isNaN(updatedMs) ? nowMs : updatedMs })
}
