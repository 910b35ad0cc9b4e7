/**
 * @module emulators/qbo/routes/cdc
 * `GET /v3/company/{realm}/cdc?entities=Customer,Vendor&changedSince=<ISO>` (I-CDC:
 * developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture).
 * Shape `{"CDCResponse":[{"QueryResponse":[{"Customer":[…],"startPosition":1,"maxResults":n},…]}],"time"}`
 * (qbo_api cdc/basic.yml), `{}` for an entity without changes (quickbooks-ruby
 * change_data_capture_response.xml; python-quickbooks test_cdc.py), full objects including
 * inactive ones, deleted records as `{"status":"Deleted","Id","domain","MetaData":{"LastUpdatedTime"}}`
 * (quickbooks-ruby customer_changes.xml), at most 1000 objects (I-CDC). changedSince older than
 * 30 days is refused as QBO does ("Operation cdc with changedSince date … which is older than fixed
 * days is not supported." — Wish-Org/QuickBooksSharp #19), switchable because a 2020 sandbox
 * recording accepted 2011 (qbo_api cdc/basic.yml).
 */
import type { Hono } from 'hono'
import type { QboContext } from '../context.js'
import { customerAs } from '../customers.js'
import { QboFault, queryValidation } from '../errors.js'
import { envelope } from '../http.js'
import type { EntityName, Wire } from '../store.js'
import { formatMetaTime, parseQboTime } from '../time.js'

const EMULATED: EntityName[] = ['Customer', 'Vendor', 'Employee']
/** Real CDC entities this sandbox holds none of: always an empty `{}`. */
const OTHER = ['Account', 'Bill', 'BillPayment', 'Class', 'CreditMemo', 'Department', 'Deposit',
  'Estimate', 'Invoice', 'Item', 'JournalEntry', 'Payment', 'PaymentMethod', 'Purchase',
  'PurchaseOrder', 'RefundReceipt', 'SalesReceipt', 'Term', 'Transfer', 'VendorCredit']
const MAX_OBJECTS = 1000
const WINDOW_MS = 30 * 24 * 3600 * 1000

export function cdcRoutes(app: Hono, ctx: QboContext): void {
  app.get('/v3/company/:realmId/cdc', (c) => {
    ctx.stats.count('cdc')
    const now = ctx.nowMs()
    const entitiesParam = c.req.query('entities')
    const since = c.req.query('changedSince')
    if (!entitiesParam) throw queryValidation('entities parameter is required')
    if (!since) throw queryValidation('changedSince parameter is required')
    const sinceMs = parseQboTime(since)
    if (Number.isNaN(sinceMs)) throw queryValidation(`invalid changedSince value: ${since}`)
    if (ctx.settings.cdcWindowEnforced && sinceMs < now - WINDOW_MS) {
      throw new QboFault(400, [{
        Message: 'Unsupported Operation',
        Detail: `Operation cdc with changedSince date ${since} which is older than fixed days is not supported.`,
        code: '500',
      }])
    }
    const names = entitiesParam.split(',').map((e) => e.trim()).filter(Boolean)
    let budget = MAX_OBJECTS
    const responses = names.map((name) => {
      const entity = EMULATED.find((e) => e.toLowerCase() === name.toLowerCase())
      if (!entity) {
        if (OTHER.some((o) => o.toLowerCase() === name.toLowerCase())) return {}
        throw queryValidation(`invalid context declaration: ${name}`)
      }
      const changed: { ms: number; wire: Wire }[] = []
      for (const rec of ctx.store.records.values()) {
        if (rec.entity === entity && rec.updatedMs >= sinceMs) {
          changed.push({ ms: rec.updatedMs, wire: entity === 'Customer' ? customerAs('query', rec.wire) : rec.wire })
        }
      }
      for (const d of ctx.store.deleted) {
        if (d.entity === entity && d.updatedMs >= sinceMs) {
          changed.push({
            ms: d.updatedMs,
            wire: { domain: 'QBO', status: 'Deleted', Id: d.Id, MetaData: { LastUpdatedTime: formatMetaTime(d.updatedMs) } },
          })
        }
      }
      changed.sort((a, b) => a.ms - b.ms)
      const rows = changed.slice(0, Math.max(0, budget)).map((x) => x.wire)
      budget -= rows.length
      if (rows.length === 0) return {}
      return { [entity]: rows, startPosition: 1, maxResults: rows.length }
    })
    return envelope(c, now, { CDCResponse: [{ QueryResponse: responses }] })
  })
}
