/**
 * @module sync/map
 * A SourceCustomer and the enabled fields → the values Tally writes to `QBO_Customer__c`, each
 * fitted to its Salesforce field. A value that does not fit never fails the record: it is
 * shortened (text) or left out (email, URL), and the problem is reported (contract §4). Pure.
 */
import { SYNCED_FIELDS, type SyncedField } from './fields.js'
import type { FieldValue, SourceCustomer, TargetFields } from './model.js'

export interface FieldIssue {
  field: string
  code: 'STRING_TOO_LONG' | 'INVALID_EMAIL_ADDRESS' | 'INVALID_URL' | 'INVALID_VALUE'
  message: string
}

// Salesforce's Email type accepts local@domain with a dotted domain; it rejects spaces, two @s
// and most punctuation outside the local part (Salesforce Help, "Custom Field Types": Email).
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

function fit(field: SyncedField, raw: FieldValue): { value: FieldValue; issue?: FieldIssue } {
  if (raw === null) return { value: null }
  if (typeof raw === 'string') {
    const v = raw.trim()
    if (v === '') return { value: null }
    if (field.type === 'datetime') {
      const t = Date.parse(v)
      if (Number.isNaN(t)) return { value: null, issue: { field: field.name, code: 'INVALID_VALUE', message: `${field.label}: "${v}" is not a date and time; left empty.` } }
      return { value: new Date(t).toISOString() }
    }
    if (field.type === 'email' && (!EMAIL.test(v) || (field.length !== undefined && v.length > field.length))) {
      const why = EMAIL.test(v) ? `is ${v.length} characters; Salesforce holds ${field.length}` : 'is not an address Salesforce accepts'
      return { value: null, issue: { field: field.name, code: 'INVALID_EMAIL_ADDRESS', message: `${field.label}: "${v}" ${why}; left empty.` } }
    }
    const max = field.length
    // Lengths are in characters (code points); a string of no more UTF-16 units than that fits, and
    // only a longer one is counted (a plan maps 48 fields of every customer: spreading each value
    // into its characters was most of the garbage a big plan made).
    if (max !== undefined && v.length > max && [...v].length > max) {
      if (field.type === 'url') {
        return { value: null, issue: { field: field.name, code: 'INVALID_URL', message: `${field.label}: the address is ${v.length} characters; Salesforce holds ${max}; left empty.` } }
      }
      const cut = [...v].slice(0, max).join('').trimEnd()
      return { value: cut, issue: { field: field.name, code: 'STRING_TOO_LONG', message: `${field.label}: ${[...v].length} characters; Salesforce holds ${max}; stored shortened.` } }
    }
    return { value: v }
  }
  return { value: raw }
}

/** Values for every field that is always written or switched on. */
export function mapCustomer(
  customer: SourceCustomer,
  enabled: ReadonlySet<string>,
): { fields: TargetFields; issues: FieldIssue[] } {
  const fields: TargetFields = {}
  const issues: FieldIssue[] = []
  for (const f of SYNCED_FIELDS) {
    if (f.group !== 'always' && !enabled.has(f.name)) continue
    const { value, issue } = fit(f, f.value(customer))
    fields[f.name] = value
    // The standard Name holds 80 characters; the whole DisplayName is kept in Display_Name__c,
    // so shortening Name is expected and not worth a message unless Display_Name__c is cut too.
    if (issue && f.name !== 'Name') issues.push(issue)
  }
  return { fields, issues }
}

/** Two field values are the same as Salesforce would store them. */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const na = a === undefined || a === '' ? null : a
  const nb = b === undefined || b === '' ? null : b
  if (na === null || nb === null) return na === nb
  if (typeof na === 'number' || typeof nb === 'number') return Number(na) === Number(nb)
  if (typeof na === 'string' && typeof nb === 'string') {
    if (na === nb) return true
    // Datetimes come back as 2015-08-26T09:21:07.000+0000; compare instants.
    const ta = Date.parse(na)
    const tb = Date.parse(nb)
    if (/^\d{4}-\d\d-\d\dT/.test(na) && /^\d{4}-\d\d-\d\dT/.test(nb) && !Number.isNaN(ta)) return ta === tb
    return na.replace(/\r\n/g, '\n') === nb.replace(/\r\n/g, '\n')
  }
  return na === nb
}
