/**
 * @module emulators/qbo/routes/customer
 * `POST /v3/company/{realm}/customer` (create, or update when the body has an Id or the URL says
 * `?operation=update` as node-quickbooks sends) and `GET …/customer/{id}` (I-CUST; qbo_api
 * create/customer.yml, update/customer.yml, get/id.yml). Ids must be numeric (2030, qbo_api
 * error/500.yml); unknown ones give 610. Customers cannot be deleted (api-facts A.0): `operation=delete`
 * is an Unsupported Operation. Vendors and employees can be read.
 */
import type { Hono } from 'hono'
import type { QboContext } from '../context.js'
import { createCustomer, customerAs, updateCustomer } from '../customers.js'
import { invalidId, objectNotFound, unknownProperty, unsupportedOperation } from '../errors.js'
import { envelope } from '../http.js'
import type { EntityName, Wire } from '../store.js'

export function customerRoutes(app: Hono, ctx: QboContext): void {
  app.post('/v3/company/:realmId/customer', async (c) => {
    ctx.stats.count('customer.write')
    const op = c.req.query('operation')
    if (op !== undefined && op !== 'update' && op !== 'create') throw unsupportedOperation(new URL(c.req.url).pathname)
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      throw unknownProperty('(malformed JSON)', 'Customer')
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw unknownProperty('(not an object)', 'Customer')
    const wire = body as Wire
    const now = ctx.nowMs()
    const isUpdate = op === 'update' || wire.Id !== undefined
    if (isUpdate) {
      const changes = updateCustomer(ctx.store, wire, now)
      ctx.publish(changes)
      const current = ctx.store.get('Customer', String(wire.Id))
      return envelope(c, now, { Customer: current && customerAs('write', current.wire) })
    }
    const change = createCustomer(ctx.store, wire, now)
    ctx.publish([change])
    return envelope(c, now, { Customer: customerAs('write', change.record.wire) })
  })

  const read = (entity: EntityName, path: string) =>
    app.get(`/v3/company/:realmId/${path}/:id`, (c) => {
      ctx.stats.count(`${path}.read`)
      const id = c.req.param('id')
      if (!/^\d+$/.test(id)) throw invalidId(id)
      const rec = ctx.store.get(entity, id)
      if (!rec) throw objectNotFound(entity, id)
      return envelope(c, ctx.nowMs(), { [entity]: entity === 'Customer' ? customerAs('read', rec.wire) : rec.wire })
    })
  read('Customer', 'customer')
  read('Vendor', 'vendor')
  read('Employee', 'employee')
}
