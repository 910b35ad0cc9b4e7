/**
 * @module emulators/salesforce/routes/composite
 * sObject Collections (api-facts B.2): create (POST), update (PATCH), upsert on an external ID
 * (PATCH /{type}/{field}), delete (DELETE ?ids=) and retrieve (POST or GET /{type}). At most 200
 * records (EXCEEDED_ID_LIMIT, Addendum §4); one result per input in input order; per-record errors
 * use `statusCode`; with `allOrNone` every change is rolled back and otherwise-good records report
 * ALL_OR_NONE_OPERATION_ROLLED_BACK. The whole call counts as one API request.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
import type { Context, Hono } from 'hono'
import { errors, sfError } from '../errors.js'
import { normalizeId } from '../ids.js'
import { findField, findObject } from '../schema.js'
import type { SfState } from '../state.js'
import { createRecord, deleteRecord, updateRecord, upsertRow } from '../writes.js'
import type { SaveResult } from '../writes.js'
import { lockFault, sfErrorResponse, sfJson, userOf, versionOf } from './guard.js'
import { jsonBody, serializeRecord } from './sobjects.js'

const MAX_RECORDS = 200

type Item = Record<string, unknown>

function tooMany(c: Context) {
  return sfErrorResponse(c, 400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call')
}

const typeOf = (r: Item): string | undefined => (r.attributes as { type?: string } | undefined)?.type

/**
 * Runs one operation per record; with allOrNone, restores the store if any failed. A lock fault
 * (injected) fails one record with UNABLE_TO_LOCK_ROW.
 */
function runAll(
  s: SfState,
  c: Context,
  count: number,
  allOrNone: boolean,
  op: (i: number) => SaveResult,
  idOf: (i: number) => string | undefined,
): SaveResult[] {
  const snapshot = allOrNone ? s.store.snapshot() : undefined
  const locked = lockFault(c) ? Math.floor(s.random() * count) : -1
  const results: SaveResult[] = []
  for (let i = 0; i < count; i++) {
    if (i === locked) {
      const id = idOf(i) ?? s.ids.next('001')
      results.push({ success: false, errors: [errors.unableToLock(id)] })
    } else results.push(op(i))
  }
  if (snapshot && results.some((r) => !r.success)) {
    s.store.restore(snapshot)
    return results.map((r, i) =>
      r.success
        ? { ...(idOf(i) ? { id: idOf(i) } : {}), success: false, errors: [errors.rolledBack()], ...('created' in r ? { created: false } : {}) }
        : r,
    )
  }
  return results
}

/** Result objects in the key order Salesforce uses (`id`, `success`, `errors`, then `created`). */
const shape = (r: SaveResult) => ({ ...(r.id ? { id: r.id } : {}), success: r.success, errors: r.errors, ...('created' in r ? { created: r.created } : {}) })

export function registerComposite(app: Hono, s: SfState): void {
  const path = '/services/data/:version/composite/sobjects'

  const readBody = async (c: Context): Promise<{ allOrNone: boolean; records: Item[] } | Response> => {
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const body = parsed.body as { allOrNone?: boolean; records?: Item[] }
    if (!Array.isArray(body.records)) return sfErrorResponse(c, 400, 'JSON_PARSER_ERROR', 'records: required')
    if (body.records.length > MAX_RECORDS) return tooMany(c)
    return { allOrNone: body.allOrNone === true, records: body.records }
  }

  app.post(path, async (c) => {
    const body = await readBody(c)
    if (body instanceof Response) return body
    const ctx = s.writeContext(userOf(c))
    const results = runAll(s, c, body.records.length, body.allOrNone, (i) => {
      const rec = body.records[i] as Item
      const obj = findObject(s.schema, typeOf(rec) ?? '')
      if (!obj) return { success: false, errors: [sfError('INVALID_TYPE', 'No SObject Type defined in JSON', [])] }
      if ('Id' in rec || 'id' in rec) {
        return { success: false, errors: [sfError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id'])] }
      }
      return createRecord(ctx, obj, rec)
    }, () => undefined)
    return sfJson(c, results.map(shape))
  })

  app.patch(path, async (c) => {
    const body = await readBody(c)
    if (body instanceof Response) return body
    const ctx = s.writeContext(userOf(c))
    const idOf = (i: number) => {
      const r = body.records[i] as Item
      return normalizeId(r.id ?? r.Id)
    }
    const results = runAll(s, c, body.records.length, body.allOrNone, (i) => {
      const { id: _id, Id: _Id, ...fields } = body.records[i] as Item
      const id = idOf(i)
      const obj = findObject(s.schema, typeOf(body.records[i] as Item) ?? '')
      if (!id) return { success: false, errors: [sfError('MALFORMED_ID', `Id: id value of incorrect type: ${String(_id ?? _Id)}`, ['Id'])] }
      if (!obj || s.store.objectOfId(id)?.name !== obj.name) return { success: false, errors: [errors.invalidCrossReference()] }
      return updateRecord(ctx, obj, id, fields)
    }, idOf)
    return sfJson(c, results.map(shape))
  })

  app.patch(`${path}/:type/:field`, async (c) => {
    const obj = findObject(s.schema, c.req.param('type'))
    const f = obj && findField(obj, c.req.param('field'))
    if (!obj || !f || !(f.externalId || f.idLookup)) {
      return sfErrorResponse(c, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${c.req.param('field')}`)
    }
    const body = await readBody(c)
    if (body instanceof Response) return body
    const ctx = s.writeContext(userOf(c))
    const results = runAll(s, c, body.records.length, body.allOrNone, (i) => {
      const rec = body.records[i] as Item
      // "Each object in the request body must contain an attributes map" (Upsert Records Using
      // sObject Collections); without it, each record fails with a JSON_PARSER_ERROR in an HTTP
      // 200 answer (behaviour learned from recorded traffic).
      if (!typeOf(rec)) return { success: false, errors: [errors.attributesMissing()], created: false }
      const key = Object.entries(rec).find(([k]) => k.toLowerCase() === f.name.toLowerCase())?.[1]
      if (key === undefined || key === null || key === '') {
        return { success: false, errors: [sfError('MISSING_ARGUMENT', `${f.name} not specified`, [])], created: false }
      }
      return upsertRow(ctx, obj, f, key, rec)
    }, () => undefined)
    return sfJson(c, results.map((r) => shape({ ...r, created: r.created ?? false })))
  })

  app.delete(path, (c) => {
    const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean)
    if (ids.length > MAX_RECORDS) return tooMany(c)
    const allOrNone = c.req.query('allOrNone') === 'true'
    const ctx = s.writeContext(userOf(c))
    const results = runAll(s, c, ids.length, allOrNone, (i) => {
      const id = normalizeId(ids[i])
      if (!id) return { success: false, errors: [sfError('MALFORMED_ID', `malformed id ${ids[i]}`, [])] }
      return deleteRecord(ctx, id)
    }, (i) => normalizeId(ids[i]))
    return sfJson(c, results.map(shape))
  })

  const retrieve = (c: Context, type: string, ids: string[], fields: string[]) => {
    const obj = findObject(s.schema, type)
    if (!obj) return sfErrorResponse(c, 404, 'NOT_FOUND', 'The requested resource does not exist')
    if (ids.length > 2000) return tooMany(c)
    for (const name of fields) {
      if (!findField(obj, name)) return sfErrorResponse(c, 400, 'INVALID_FIELD', `No such column '${name}' on entity '${obj.name}'.`)
    }
    return sfJson(
      c,
      ids.map((raw) => {
        const id = normalizeId(raw)
        const rec = id ? s.store.get(obj.name, id) : undefined
        return rec && !rec.IsDeleted ? serializeRecord(obj, rec, versionOf(c), fields) : null
      }),
    )
  }

  app.post(`${path}/:type`, async (c) => {
    const parsed = await jsonBody(c)
    if (!parsed.ok) return parsed.res
    const body = parsed.body as { ids?: string[]; fields?: string[] }
    return retrieve(c, c.req.param('type'), body.ids ?? [], body.fields ?? [])
  })

  app.get(`${path}/:type`, (c) =>
    retrieve(c, c.req.param('type'), (c.req.query('ids') ?? '').split(',').filter(Boolean), (c.req.query('fields') ?? '').split(',').filter(Boolean)),
  )
}
