/**
 * @module emulators/qbo/routes/sandbox
 * The sandbox's own control routes (contract §7 and the brief's conventions): stats, reset,
 * runtime faults, webhook configuration, and a token shortcut for headless use.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { QboContext } from '../context.js'
import { json } from '../http.js'

const faultsSchema = z.object({
  latencyMs: z.number().min(0).optional(),
  faultRate: z.number().min(0).max(1).optional(),
  throttle: z.boolean().optional(),
  cdcWindowEnforced: z.boolean().optional(),
})
const webhookSchema = z
  .object({ url: z.string().url(), verifierToken: z.string().min(1), format: z.enum(['cloudevents', 'legacy']).default('cloudevents') })
  .nullable()

export function sandboxRoutes(app: Hono, ctx: QboContext, reset: () => void, issueTokens: (realmId?: string) => unknown): void {
  app.get('/__sandbox/stats', (c) => json(c, ctx.stats.toJSON()))
  app.post('/__sandbox/reset', (c) => {
    reset()
    return json(c, { ok: true })
  })
  app.get('/__sandbox/faults', (c) => json(c, ctx.settings))
  app.post('/__sandbox/faults', async (c) => {
    const parsed = faultsSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) return json(c, { error: parsed.error.issues[0]?.message ?? 'invalid body' }, 400)
    Object.assign(ctx.settings, Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)))
    return json(c, ctx.settings)
  })
  app.post('/__sandbox/webhook', async (c) => {
    const parsed = webhookSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) return json(c, { error: parsed.error.issues[0]?.message ?? 'invalid body' }, 400)
    ctx.webhooks.config = parsed.data ?? undefined
    return json(c, { webhook: parsed.data })
  })
  // `?realmId=` picks the company (default: the first).
  app.post('/__sandbox/tokens', (c) => {
    const realmId = c.req.query('realmId') ?? ctx.realmId
    if (!ctx.companies.has(realmId)) return json(c, { error: `no company ${realmId} in this sandbox` }, 404)
    return json(c, { realmId, ...(issueTokens(realmId) as object) })
  })
  app.get('/__sandbox/companies', (c) => json(c, { companies: [...ctx.companies.values()].map((co) => ({ realmId: co.realmId, companyName: co.companyName })) }))
}
