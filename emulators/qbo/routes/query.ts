/**
 * @module emulators/qbo/routes/query
 * `GET /v3/company/{realm}/query?query=…` and `POST …/query` with the query as a text body
 * (`application/text` — QIME, IDR gist; `text/plain` — Nango list-customers recording).
 * Response `{"QueryResponse":{"Customer":[…],"startPosition":1,"maxResults":<rows returned>},"time"}`,
 * `{"QueryResponse":{},"time"}` when nothing matches, `{"QueryResponse":{"totalCount":N}}` for
 * COUNT (qbo_api all/customers.yml, alt_select.yml; api-facts A.2 + Addendum §1).
 */
import type { Hono } from 'hono'
import type { QboContext } from '../context.js'
import { queryParseError } from '../errors.js'
import { customerAs } from '../customers.js'
import { envelope } from '../http.js'
import { evaluateQuery, parseQuery, resolveEntity } from '../query-lang/index.js'
import type { EntityName } from '../store.js'

export function queryRoutes(app: Hono, ctx: QboContext): void {
  const run = (text: string | undefined) => {
    ctx.stats.count('query')
    if (!text || text.trim() === '') throw queryParseError('Encountered " <EOF> "" "" at line 1, column 1.')
    const query = parseQuery(text)
    const entity = resolveEntity(query.entity)
    const result = evaluateQuery(query, (e) => ctx.store.list(e as EntityName))
    if ('count' in result) return { QueryResponse: { totalCount: result.count } }
    if (result.rows.length === 0) return { QueryResponse: {} }
    const rows = entity === 'Customer' ? result.rows.map((r) => customerAs('query', r)) : result.rows
    return {
      QueryResponse: { [entity]: rows, startPosition: result.startPosition, maxResults: result.rows.length },
    }
  }
  app.get('/v3/company/:realmId/query', (c) => envelope(c, ctx.nowMs(), run(c.req.query('query'))))
  app.post('/v3/company/:realmId/query', async (c) => {
    const type = c.req.header('content-type') ?? ''
    // A form-encoded body (query=…) is what some clients send; plain text is the documented way.
    const text = type.includes('application/x-www-form-urlencoded')
      ? new URLSearchParams(await c.req.text()).get('query') ?? undefined
      : await c.req.text()
    return envelope(c, ctx.nowMs(), run(text || c.req.query('query')))
  })
}
