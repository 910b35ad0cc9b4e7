/**
 * @module emulators/salesforce/writes
 * Create, update, upsert and delete with Salesforce's semantics: system fields set on every write
 * (CreatedDate, LastModifiedDate, SystemModstamp), required and unique fields checked after the
 * values parse, the Name of a custom-object record defaulting to its Id, lookups with
 * `deleteConstraint SetNull` cleared when their target is deleted. Results are SaveResults
 * (`{id, success, errors}`); the HTTP layers decide status codes and envelopes.
 */
import { errors, sfError } from './errors.js'
import type { SfError } from './errors.js'
import type { IdFactory } from './ids.js'
import { COMPOSITE_UNIQUE } from './setup-objects.js'
import type { FieldDef, ObjectDef } from './schema.js'
import type { Rec } from './store.js'
import { parseFields } from './values.js'
import { checkValidationRules, type ValidationRule } from './validation-rules.js'
import type { ValueContext } from './values.js'

export interface WriteContext extends ValueContext {
  ids: IdFactory
  now: () => Date
  userId: string
  /** Length of the Id quoted in DUPLICATE_VALUE messages (Addendum §3: 15 by default). */
  idLength: number
  validationRules: readonly ValidationRule[]
}

export interface SaveResult {
  id?: string
  success: boolean
  errors: SfError[]
  created?: boolean
}

const fail = (errs: SfError[], id?: string): SaveResult => ({ ...(id ? { id } : {}), success: false, errors: errs })

function checkRequiredAndUnique(
  ctx: WriteContext,
  obj: ObjectDef,
  rec: Rec,
  touched: string[],
  isCreate: boolean,
): SfError[] {
  const missing = obj.fields
    .filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && f.type !== 'boolean')
    .filter((f) => isCreate || touched.includes(f.name))
    .filter((f) => rec[f.name] === null || rec[f.name] === undefined)
    .map((f) => f.name)
  if (missing.length > 0) return [errors.requiredMissing(missing)]
  for (const f of obj.fields) {
    if (!f.unique || f.name === 'Id' || rec[f.name] === null || rec[f.name] === undefined) continue
    const other = ctx.store.findBy(obj.name, f, rec[f.name]).find((r) => r.Id !== rec.Id)
    if (other) return [errors.duplicateValue(f, other.Id.slice(0, ctx.idLength))]
  }
  const combo = COMPOSITE_UNIQUE[obj.name]
  if (isCreate && combo && ctx.store.all(obj.name).some((r) => !r.IsDeleted && r.Id !== rec.Id && combo.every((n) => r[n] === rec[n]))) {
    // What the API answers for a second assignment of one permission set to one user.
    return [sfError('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>')]
  }
  return []
}

/** Address component → the key it has inside the compound value (BillingPostalCode → postalCode). */
const ADDRESS_KEYS: Record<string, string> = {
  City: 'city',
  Country: 'country',
  CountryCode: 'countryCode',
  GeocodeAccuracy: 'geocodeAccuracy',
  Latitude: 'latitude',
  Longitude: 'longitude',
  PostalCode: 'postalCode',
  State: 'state',
  StateCode: 'stateCode',
  Street: 'street',
}

/**
 * A compound address as the REST API returns it: one key per component, in alphabetical order,
 * stateCode/countryCode included (the org has state and country/territory picklists), or null
 * when every component is empty ("Address Compound Fields", Object Reference).
 */
function compoundAddress(obj: ObjectDef, compound: FieldDef, rec: Rec): Record<string, unknown> | null {
  const prefix = compound.name.replace(/Address$/, '')
  const value: Record<string, unknown> = {}
  for (const [suffix, key] of Object.entries(ADDRESS_KEYS)) {
    const part = obj.fields.find((f) => f.name === `${prefix}${suffix}` && f.compoundFieldName === compound.name)
    value[key] = part ? (rec[part.name] ?? null) : null
  }
  return Object.values(value).some((v) => v !== null) ? value : null
}

function derived(obj: ObjectDef, rec: Rec): void {
  // Contact/User Name is a compound of first and last name.
  if ((obj.name === 'Contact' || obj.name === 'User') && ('LastName' in rec || 'FirstName' in rec)) {
    rec.Name = [rec.FirstName, rec.LastName].filter((x) => x).join(' ')
  }
  for (const f of obj.fields) if (f.type === 'address') rec[f.name] = compoundAddress(obj, f, rec)
}

export function createRecord(ctx: WriteContext, obj: ObjectDef, input: Record<string, unknown>): SaveResult {
  const parsed = parseFields(ctx, obj, input, 'create')
  if ('errors' in parsed) return fail(parsed.errors)
  const id = ctx.ids.next(obj.keyPrefix)
  const now = ctx.now().getTime()
  const rec: Rec = { Id: id, IsDeleted: false }
  for (const f of obj.fields) rec[f.name] = f.type === 'boolean' ? (f.defaultValue ?? false) : null
  Object.assign(rec, parsed.values, {
    Id: id,
    IsDeleted: false,
    CreatedDate: now,
    LastModifiedDate: now,
    SystemModstamp: now,
    CreatedById: ctx.userId,
    LastModifiedById: ctx.userId,
  })
  if (obj.fields.some((f) => f.name === 'OwnerId') && !rec.OwnerId) rec.OwnerId = ctx.userId
  if (obj.custom && (rec.Name === null || rec.Name === undefined)) rec.Name = id
  const problems = checkRequiredAndUnique(ctx, obj, rec, Object.keys(parsed.values), true)
  if (problems.length > 0) return fail(problems)
  const invalid = checkValidationRules(ctx.validationRules, obj.name, rec)
  if (invalid.length > 0) return fail(invalid)
  derived(obj, rec)
  ctx.store.put(obj.name, rec)
  return { id, success: true, errors: [] }
}

export function updateRecord(ctx: WriteContext, obj: ObjectDef, id: string, input: Record<string, unknown>): SaveResult {
  const existing = ctx.store.get(obj.name, id)
  if (!existing) return fail([errors.invalidCrossReference()])
  if (existing.IsDeleted) return fail([errors.entityIsDeleted()], id)
  const parsed = parseFields(ctx, obj, input, 'update')
  if ('errors' in parsed) return fail(parsed.errors, id)
  const rec: Rec = { ...existing, ...parsed.values }
  const problems = checkRequiredAndUnique(ctx, obj, rec, Object.keys(parsed.values), false)
  if (problems.length > 0) return fail(problems, id)
  const invalid = checkValidationRules(ctx.validationRules, obj.name, rec)
  if (invalid.length > 0) return fail(invalid, id)
  const now = ctx.now().getTime()
  Object.assign(rec, { LastModifiedDate: now, SystemModstamp: now, LastModifiedById: ctx.userId })
  derived(obj, rec)
  ctx.store.put(obj.name, rec)
  return { id, success: true, errors: [] }
}

export type UpsertOutcome =
  | { kind: 'saved'; result: SaveResult }
  | { kind: 'multiple'; ids: string[] }

/**
 * Upsert on an external-ID (or idLookup) field: no match → create with the key set, one match →
 * update, several → the caller answers 300 (api-facts B.3).
 */
export function upsertRecord(
  ctx: WriteContext,
  obj: ObjectDef,
  key: FieldDef,
  value: unknown,
  input: Record<string, unknown>,
  updateOnly = false,
): UpsertOutcome {
  const matches = key.name === 'Id' ? [ctx.store.get(obj.name, String(value))].filter((r): r is Rec => !!r && !r.IsDeleted) : ctx.store.findBy(obj.name, key, value)
  if (matches.length > 1) return { kind: 'multiple', ids: matches.map((r) => r.Id) }
  const match = matches[0]
  if (match) {
    const rest = Object.fromEntries(Object.entries(input).filter(([k]) => k.toLowerCase() !== key.name.toLowerCase()))
    return { kind: 'saved', result: { ...updateRecord(ctx, obj, match.Id, rest), created: false } }
  }
  if (updateOnly || key.name === 'Id') {
    return { kind: 'saved', result: { ...fail([sfError('NOT_FOUND', 'The requested resource does not exist')]), created: false } }
  }
  const result = createRecord(ctx, obj, { ...input, [key.name]: value })
  return { kind: 'saved', result: { ...result, created: result.success } }
}

/** An upsert as one row of a batch (sObject Collections, a Bulk API 2.0 job): a key that matches
 * several records fails that row with DUPLICATE_EXTERNAL_ID, where a single-record upsert answers
 * HTTP 300 with the matching ids. */
export function upsertRow(ctx: WriteContext, obj: ObjectDef, key: FieldDef, value: unknown, input: Record<string, unknown>): SaveResult {
  const outcome = upsertRecord(ctx, obj, key, value, input)
  if (outcome.kind === 'saved') return outcome.result
  return {
    success: false,
    created: false,
    errors: [sfError('DUPLICATE_EXTERNAL_ID', `${key.label}: more than one record found for external id field: ${outcome.ids.join(', ')}`, [key.name])],
  }
}

export function deleteRecord(ctx: WriteContext, id: string): SaveResult {
  const obj = ctx.store.objectOfId(id)
  const rec = obj ? ctx.store.get(obj.name, id) : undefined
  if (!obj || !rec) return fail([errors.invalidCrossReference()])
  if (rec.IsDeleted) return fail([errors.entityIsDeleted()], id)
  const now = ctx.now().getTime()
  ctx.store.put(obj.name, { ...rec, IsDeleted: true, SystemModstamp: now })
  // Lookups to the deleted record are cleared (deleteConstraint SetNull in the package).
  for (const other of ctx.store.schema.objects.values()) {
    const refs = other.fields.filter((f) => f.type === 'reference' && f.custom && f.referenceTo.includes(obj.name))
    if (refs.length === 0) continue
    for (const r of ctx.store.all(other.name)) {
      const hit = refs.filter((f) => r[f.name] === id)
      if (hit.length > 0) ctx.store.put(other.name, { ...r, ...Object.fromEntries(hit.map((f) => [f.name, null])) })
    }
  }
  return { id, success: true, errors: [] }
}
