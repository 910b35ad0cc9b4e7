/**
 * @module emulators/salesforce/routes/query
 * `query`, `queryAll` and query-more (api-facts B.1): pages of 2,000 by default,
 * `Sforce-Query-Options: batchSize=N` (200–2,000), `nextRecordsUrl`
 * `/services/data/vNN.0/query/<locator>-<offset>` with no `/` inside the locator (jsforce keeps
 * only the last path segment), `totalSize`, `done`. Errors: MALFORMED_QUERY, INVALID_FIELD,
 * INVALID_TYPE (400), INVALID_QUERY_LOCATOR for an unknown cursor.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
import { randomBytes } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { compileQuery, runQuery } from '../soql/query.js'
import { SoqlError } from '../soql/literals.js'
import type { Cursor, SfState } from '../state.js'
import { sfErrorResponse, sfJson, versionOf } from './guard.js'

const DEFAULT_BATCH = 2000
const MAX_CURSORS = 100

function batchSize(c: Context): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(c.req.header('sforce-query-options') ?? '')
  if (!m) return DEFAULT_BATCH
  return Math.min(Math.max(Number(m[1]), 200), DEFAULT_BATCH)
}

function page(c: Context, s: SfState, locator: string, cursor: Cursor, offset: number): Response {
  const records = cursor.rows.slice(offset, offset + cursor.pageSize)
  const next = offset + records.length
  const done = next >= cursor.rows.length
  if (done) s.cursors.delete(locator)
  return sfJson(c, {
    totalSize: cursor.totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${versionOf(c)}/query/${locator}-${next}` }),
    records,
  })
}

export function registerQuery(app: Hono, s: SfState): void {
  const run = (includeDeleted: boolean) => (c: Context) => {
    const soql = c.req.query('q')
    if (!soql) return sfErrorResponse(c, 400, 'MALFORMED_QUERY', 'A query string has to be specified')
    try {
      const q = compileQuery(s.schema, soql)
      const result = runQuery(s.store, q, { version: versionOf(c), now: s.options.now(), includeDeleted, planning: s.queryPlanning })
      if (q.count) return sfJson(c, { totalSize: result.totalSize, done: true, records: [] })
      const locator = `01g${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`
      const cursor: Cursor = { rows: result.rows, totalSize: result.totalSize, pageSize: batchSize(c) }
      if (result.rows.length > cursor.pageSize) {
        s.cursors.set(locator, cursor)
        if (s.cursors.size > MAX_CURSORS) s.cursors.delete(s.cursors.keys().next().value as string)
      }
      return page(c, s, locator, cursor, 0)
    } catch (e) {
      if (e instanceof SoqlError) return sfErrorResponse(c, 400, e.errorCode, e.message)
      throw e
    }
  }
  const more = (c: Context) => {
    const m = /^(.+)-(\d+)$/.exec(c.req.param('locator') ?? '')
    const cursor = m ? s.cursors.get(m[1] as string) : undefined
    if (!m || !cursor) return sfErrorResponse(c, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
    return page(c, s, m[1] as string, cursor, Number(m[2]))
  }
  app.get('/services/data/:version/query', run(false))
  app.get('/services/data/:version/queryAll', run(true))
  app.get('/services/data/:version/query/:locator', more)
  app.get('/services/data/:version/queryAll/:locator', more)
}
