/**
 * @module emulators/salesforce/routes/sobjects
 * Single-record REST: describeGlobal, describe, create (201), retrieve, update (204), delete (204),
 * and get/upsert/delete by external ID (api-facts B.3: 201 created / 200 `created:false` from
 * v46.0, 204 before / 300 with the matching record URLs / 404 for an unknown external-ID field),
 * `/limits`, and the version list. Errors are the top-level array with `errorCode`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
import type { Context, Hono } from 'hono'
import { describeGlobal, describeObject } from '../describe.js'
import { normalizeId } from '../ids.js'
import { limitsBody } from '../limits.js'
import { findField, findObject } from '../schema.js'
import type { ObjectDef } from '../schema.js'
import { recordUrl } from '../soql/query.js'
import type { SfState } from '../state.js'
import type { Rec } from '../store.js'
import { toWire } from '../values.js'
import { createRecord, deleteRecord, updateRecord, upsertRecord } from '../writes.js'
import type { SaveResult } from '../writes.js'
import { lockFault, MAX_VERSION, MIN_VERSION, sfErrorResponse, sfJson, userOf, versionOf } from './guard.js'

const RELEASES: Record<number, string> = { 62: "Winter '25", 63: "Spring '25", 64: "Summer '25", 65: "Winter '26", 66: "Spring '26", 67: "Summer '26" }

export function serializeRecord(obj: ObjectDef, rec: Rec, version: string, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: obj.name, url: recordUrl(version, obj.name, rec.Id) } }
  const fields = only ? only.map((n) => findField(obj, n)).filter((f) => f !== undefined) : obj.fields
  for (const f of fields) out[f.name] = toWire(f, rec[f.name])
  return out
}

export async function jsonBody(c: Context): Promise<{ ok: true; body: unknown } | { ok: false; res: Response }> {
  try {
    return { ok: true, body: await c.req.json() }
  } catch (e) {
    return { ok: false, res: sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`) }
  }
}

/** A failed SaveResult as the single-record error array (statusCode → errorCode). */
export const saveErrors = (c: Context, r: SaveResult): Response => {
  const first = r.errors[0]
  const status = first && ['ENTITY_IS_DELETED', 'NOT_FOUND'].includes(first.statusCode) ? 404 : 400
  return sfJson(c, r.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })), status)
}

const notFound = (c: Context) => sfErrorResponse(c, 404, 'NOT_FOUND', 'The requested resource does not exist')

export function registerSObjects(app: Hono, s: SfState): void {
  const base = '/services/data/:version'
  const objectOr404 = (c: Context): ObjectDef | undefined => findObject(s.schema, c.req.param('type') ?? '')

  app.get('/services/data', (c) => {
    s.stats.count('versions')
    const versions = []
    for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
      versions.push({ label: RELEASES[v] ?? `v${v}`, url: `/services/data/v${v}.0`, version: `${v}.0` })
    }
    return sfJson(c, versions)
  })

  app.get(base, (c) => {
    const v = `/services/data/v${versionOf(c)}`
    return sfJson(c, { limits: `${v}/limits`, sobjects: `${v}/sobjects`, query: `${v}/query`, queryAll: `${v}/queryAll`, composite: `${v}/composite` })
  })

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_limits.htm
  app.get(`${base}/limits`, (c) => sfJson(c, limitsBody(s.limits, s.api)))

  app.get(`${base}/sobjects`, (c) => sfJson(c, describeGlobal(s.schema, versionOf(c))))

  app.get(`${base}/sobjects/:type`, (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const { urls, name, label, keyPrefix, custom } = describeObject(s.schema, versionOf(c), obj)
    return sfJson(c, { objectDescribe: { name, label, keyPrefix, custom, urls }, recentItems: [] })
  })

  app.get(`${base}/sobjects/:type/describe`, (c) => {
    const obj = objectOr404(c)
    return obj ? sfJson(c, describeObject(s.schema, versionOf(c), obj, new URL(c.req.url).origin)) : notFound(c)
  })

  app.post(`${base}/sobjects/:type`, async (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    // A create can wait on a lock of a related record (its owner here).
    if (lockFault(c)) return unableToLock(c, s.userId)
    const result = createRecord(s.writeContext(userOf(c)), obj, parsed.body as Record<string, unknown>)
    return result.success ? located(sfJson(c, result, 201), versionOf(c), obj, result.id as string) : saveErrors(c, result)
  })

  const findRecord = (c: Context, obj: ObjectDef): Rec | Response => {
    const id = normalizeId(c.req.param('id'))
    const rec = id ? s.store.get(obj.name, id) : undefined
    if (!rec) return notFound(c)
    // Addendum §3: a deleted record answers 404 ENTITY_IS_DELETED.
    if (rec.IsDeleted) return sfErrorResponse(c, 404, 'ENTITY_IS_DELETED', 'entity is deleted', [])
    return rec
  }

  app.get(`${base}/sobjects/:type/:id`, (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const rec = findRecord(c, obj)
    if (rec instanceof Response) return rec
    const fields = c.req.query('fields')?.split(',').map((f) => f.trim())
    return sfJson(c, serializeRecord(obj, rec, versionOf(c), fields))
  })

  app.patch(`${base}/sobjects/:type/:id`, async (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const rec = findRecord(c, obj)
    if (rec instanceof Response) return rec
    if (lockFault(c)) return unableToLock(c, rec.Id)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const result = updateRecord(s.writeContext(userOf(c)), obj, rec.Id, parsed.body as Record<string, unknown>)
    return result.success ? c.body(null, 204) : saveErrors(c, result)
  })

  app.delete(`${base}/sobjects/:type/:id`, (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const rec = findRecord(c, obj)
    if (rec instanceof Response) return rec
    if (lockFault(c)) return unableToLock(c, rec.Id)
    const result = deleteRecord(s.writeContext(userOf(c)), rec.Id)
    return result.success ? c.body(null, 204) : saveErrors(c, result)
  })

  const externalField = (c: Context, obj: ObjectDef) => {
    const f = findField(obj, c.req.param('field') ?? '')
    return f && (f.externalId || f.idLookup) ? f : undefined
  }
  const badExternalField = (c: Context) =>
    sfErrorResponse(c, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${c.req.param('field')}`)
  const multipleChoices = (c: Context, obj: ObjectDef, ids: string[]) =>
    sfJson(c, ids.map((id) => recordUrl(versionOf(c), obj.name, id)), 300)

  app.get(`${base}/sobjects/:type/:field/:value`, (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const f = externalField(c, obj)
    if (!f) return badExternalField(c)
    const value = c.req.param('value')
    const id = f.name === 'Id' ? normalizeId(value) : undefined
    const recs = f.name === 'Id' ? [id ? s.store.get(obj.name, id) : undefined].filter((r): r is Rec => !!r && !r.IsDeleted) : s.store.findBy(obj.name, f, value)
    if (recs.length > 1) return multipleChoices(c, obj, recs.map((r) => r.Id))
    const rec = recs[0]
    return rec ? sfJson(c, serializeRecord(obj, rec, versionOf(c))) : notFound(c)
  })

  app.patch(`${base}/sobjects/:type/:field/:value`, async (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const f = externalField(c, obj)
    if (!f) return badExternalField(c)
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const value = f.name === 'Id' ? (normalizeId(c.req.param('value')) ?? c.req.param('value')) : c.req.param('value')
    if (lockFault(c)) return unableToLock(c, s.ids.next(obj.keyPrefix))
    const outcome = upsertRecord(s.writeContext(userOf(c)), obj, f, value, parsed.body as Record<string, unknown>, c.req.query('updateOnly') === 'true')
    if (outcome.kind === 'multiple') return multipleChoices(c, obj, outcome.ids)
    const r = outcome.result
    if (!r.success) return saveErrors(c, r)
    const at = (res: Response) => located(res, versionOf(c), obj, r.id as string)
    if (r.created) return at(sfJson(c, { id: r.id, success: true, errors: [], created: true }, 201))
    // Addendum §2: 200 with `created:false` from API 46.0, 204 with no body before.
    if (Number(versionOf(c).split('.')[0]) < 46) return c.body(null, 204)
    return at(sfJson(c, { id: r.id, success: true, errors: [], created: false }, 200))
  })

  app.delete(`${base}/sobjects/:type/:field/:value`, (c) => {
    const obj = objectOr404(c)
    if (!obj) return notFound(c)
    const f = externalField(c, obj)
    if (!f) return badExternalField(c)
    const recs = s.store.findBy(obj.name, f, c.req.param('value'))
    if (recs.length > 1) return multipleChoices(c, obj, recs.map((r) => r.Id))
    const rec = recs[0]
    if (!rec) return notFound(c)
    deleteRecord(s.writeContext(userOf(c)), rec.Id)
    return c.body(null, 204)
  })
}

/**
 * The saved record's URL in `Location` on a create (201), an upsert that created (201) and one
 * that updated (200): "the Location header contains the URL of the new record" (HTTP 201 Created,
 * REST API Developer Guide "Status Codes and Error Responses"); on a 200 upsert as observed in
 * recorded traffic.
 */
function located(res: Response, version: string, obj: ObjectDef, id: string): Response {
  res.headers.set('Location', recordUrl(version, obj.name, id))
  return res
}

/** A transient lock error on a single-record write (api-facts B.5). */
export const unableToLock = (c: Context, id: string): Response =>
  sfErrorResponse(c, 400, 'UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`, [])
