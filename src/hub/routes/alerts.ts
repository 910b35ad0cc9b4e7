/**
 * @module hub/routes/alerts
 * The alerts Tally sent (contract §11), newest first: `GET /api/alerts?limit=N` →
 * `{ alerts: [...] }`. Registered only when the services provide them.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { GetAlerts } from '../api-types.js'
import type { HubEnv } from '../context.js'
import { parseOr400 } from '../errors.js'
import type { HubServices } from '../services.js'

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) })

export function registerAlertRoutes(app: Hono<HubEnv>, alerts: NonNullable<HubServices['alerts']>): void {
  app.get('/api/alerts', async (c) => {
    const { limit } = parseOr400(ListQuery, c.req.query(), 'invalid_query_params')
    return c.json<GetAlerts['Success']>({ alerts: await alerts.recent(limit) })
  })
}
