/**
 * @module emulators/salesforce/values
 * Turns the JSON a client writes into stored field values, with Salesforce's checks and messages:
 * lengths (STRING_TOO_LONG, label first), email format, restricted picklists, numbers within
 * precision, datetimes, lookups (MALFORMED_ID / INVALID_CROSS_REFERENCE_KEY) and relationship
 * references by external ID (`"Account__r": {"QBO_Source_Key__c": "…"}`), plus the reverse:
 * stored values → JSON as the API returns them (datetimes `2015-08-26T09:21:07.000+0000`).
 */
import { errors } from './errors.js'
import type { SfError } from './errors.js'
import { normalizeId } from './ids.js'
import { findField, findRelationship, isTextType } from './schema.js'
import type { FieldDef, ObjectDef } from './schema.js'
import type { Store } from './store.js'

export interface ValueContext {
  store: Store
  /** Trim leading/trailing white space from single-line text values (see README "Whitespace"). */
  trimText: boolean
}

/** `2015-08-26T09:21:07.000+0000`: milliseconds and an offset without a colon (api-facts B.1, Addendum §10). */
export const formatDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000')

/** Stored value → the JSON value the API returns. */
export function toWire(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (f.type === 'datetime') return formatDateTime(v as number)
  return v
}

// Salesforce accepts the usual addr-spec characters and needs a dotted domain (Addendum §3:
// "not an email" is rejected with INVALID_EMAIL_ADDRESS).
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

const SOAP_TYPE: Record<string, string> = {
  boolean: 'boolean',
  double: 'double',
  currency: 'double',
  int: 'int',
  datetime: 'datetime',
  date: 'date',
}

/** Parses one value for `f`; returns the stored value or an error. */
export function coerce(ctx: ValueContext, f: FieldDef, raw: unknown): { value: unknown } | { error: SfError } {
  if (raw === null || raw === undefined || raw === '') {
    return { value: f.type === 'boolean' ? false : null }
  }
  if (isTextType(f.type)) {
    if (typeof raw === 'object') return { error: errors.wrongType(f, JSON.stringify(raw), 'string') }
    let s = String(raw)
    if (ctx.trimText && f.type !== 'textarea') s = s.trim()
    if (s === '') return { value: null }
    if (s.length > f.length) return { error: errors.stringTooLong(f, s) }
    if (f.type === 'email' && !EMAIL.test(s)) return { error: errors.invalidEmail(f, s) }
    if (f.type === 'picklist' && f.restrictedPicklist && !f.picklistValues.includes(s)) {
      return { error: errors.restrictedPicklist(f, s) }
    }
    return { value: s }
  }
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw }
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' }
      return { error: errors.wrongType(f, raw, 'boolean') }
    case 'double':
    case 'currency':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
      if (!Number.isFinite(n)) return { error: errors.wrongType(f, raw, SOAP_TYPE[f.type] ?? 'double') }
      const scale = f.type === 'int' ? 0 : f.scale
      const rounded = Math.round(n * 10 ** scale) / 10 ** scale
      const intDigits = Math.trunc(Math.abs(rounded)).toString().length
      if (f.precision > 0 && intDigits > f.precision - scale) return { error: errors.numberOutOfRange(f, n) }
      return { value: rounded }
    }
    case 'datetime': {
      const ms = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN
      if (Number.isNaN(ms)) return { error: errors.wrongType(f, raw, 'datetime') }
      return { value: ms }
    }
    case 'date':
      if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return { value: raw }
      return { error: errors.wrongType(f, raw, 'date') }
    case 'reference': {
      const id = normalizeId(raw)
      const target = id ? ctx.store.objectOfId(id) : undefined
      if (!id || !target || !f.referenceTo.includes(target.name)) return { error: errors.malformedId(f, String(raw)) }
      const rec = ctx.store.get(target.name, id)
      if (!rec || rec.IsDeleted) return { error: errors.badReference(f, String(raw)) }
      return { value: id }
    }
    default:
      return { error: errors.wrongType(f, raw, f.type) }
  }
}

/**
 * A relationship reference by external ID, e.g. `"Parent_Customer__r": {"QBO_Key__c": "123-8"}`:
 * the lookup is set to the one record whose external ID matches.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
export function resolveReference(
  ctx: ValueContext,
  ref: FieldDef,
  raw: unknown,
): { value: unknown } | { error: SfError } {
  if (raw === null) return { value: null }
  const target = ctx.store.object(ref.referenceTo[0] ?? '')
  if (!target || typeof raw !== 'object' || Array.isArray(raw)) {
    return { error: errors.wrongType(ref, JSON.stringify(raw), 'sObject') }
  }
  const entries = Object.entries(raw as Record<string, unknown>).filter(([k]) => k !== 'attributes')
  const [key, value] = entries[0] ?? []
  const f = key ? findField(target, key) : undefined
  if (!key || !f || entries.length !== 1) {
    return { error: errors.noSuchColumn(target.name, key ?? '') }
  }
  if (f.name === 'Id') {
    const id = normalizeId(value)
    const rec = id ? ctx.store.get(target.name, id) : undefined
    return rec && !rec.IsDeleted ? { value: rec.Id } : { error: errors.foreignKeyNotFound(String(value), f, target.name) }
  }
  const matches = ctx.store.findBy(target.name, f, value)
  if (matches.length !== 1) return { error: errors.foreignKeyNotFound(String(value), f, target.name) }
  return { value: (matches[0] as { Id: string }).Id }
}

/**
 * Validates the fields of one write. `op` decides which fields may be written (createable vs
 * updateable). Returns canonical values, or every field error found.
 */
export function parseFields(
  ctx: ValueContext,
  obj: ObjectDef,
  input: Record<string, unknown>,
  op: 'create' | 'update',
): { values: Record<string, unknown> } | { errors: SfError[] } {
  const values: Record<string, unknown> = {}
  const found: SfError[] = []
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes') continue
    const rel = typeof raw === 'object' && raw !== null ? findRelationship(obj, key) : undefined
    const f = rel ?? findField(obj, key)
    if (!f) {
      found.push(errors.noSuchColumn(obj.name, key))
      continue
    }
    if (op === 'create' ? !f.createable : !f.updateable) {
      found.push(errors.notWritable(f, op))
      continue
    }
    const result = rel ? resolveReference(ctx, rel, raw) : coerce(ctx, f, raw)
    if ('error' in result) found.push(result.error)
    else values[f.name] = result.value
  }
  return found.length > 0 ? { errors: found } : { values }
}
