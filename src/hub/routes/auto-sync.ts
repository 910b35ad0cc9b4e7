/**
 * @module hub/routes/auto-sync
 * The "Automatic sync" panel (contract §8, §11): `GET /api/auto-sync` → the state of automatic sync
 * per company (on or off, last and next sweep, the last change's lag, the last error) and the API
 * budget; `PUT /api/auto-sync/:realmId` `{enabled}` → that company's switch, as it now stands.
 * Registered only when the services provide automatic sync.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { GetAutoSync, PutAutoSync } from '../api-types.js'
import type { HubEnv } from '../context.js'
import { parseOr400 } from '../errors.js'
import type { HubServices } from '../services.js'

// QuickBooks realm ids are decimal digits (as the other routes take them).
const Params = z.strictObject({ realmId: z.string().regex(/^\d+$/, 'a QuickBooks realm id is digits').max(32) })
const Body = z.strictObject({ enabled: z.boolean() })

export function registerAutoSyncRoutes(app: Hono<HubEnv>, autoSync: NonNullable<HubServices['autoSync']>): void {
  app.get('/api/auto-sync', async (c) => c.json<GetAutoSync['Success']>(await autoSync.status()))

  app.put('/api/auto-sync/:realmId', async (c) => {
    const { realmId } = parseOr400(Params, c.req.param(), 'invalid_uri_params')
    const { enabled } = parseOr400(Body, await c.req.json().catch(() => null), 'invalid_body')
    // An unknown company is the service's NotFoundError: the one error handler answers 404.
    return c.json<PutAutoSync['Success']>(await autoSync.setEnabled(realmId, enabled))
  })
}
