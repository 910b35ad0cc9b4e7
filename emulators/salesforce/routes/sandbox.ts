/**
 * @module emulators/salesforce/routes/sandbox
 * The sandbox's own control routes (contract §7): `GET /__sandbox/stats`, `GET /__sandbox/writes`
 * (the requests that changed records, with the objects each changed: a Composite request is a
 * write only when one of its subrequests wrote),
 * `POST /__sandbox/reset`, and `POST /__sandbox/faults` (`{"faultRate": 0.1}` and/or
 * `{"next": ["503", "500", "reset", "lock"]}` to fail the next requests in that order), and
 * `POST /__sandbox/limits` (`{"DailyApiRequests": {"Max": N, "Remaining": M}}`: the org's daily
 * API limit and usage, as `/limits` and `Sforce-Limit-Info` then report them).
 */
import type { Hono } from 'hono'
import { applyLimits } from '../limits.js'
import type { FaultKind, SfState } from '../state.js'
import type { ValidationRule } from '../validation-rules.js'

const KINDS: FaultKind[] = ['503', '500', 'reset', 'lock']

export function registerSandbox(app: Hono, s: SfState, reset: () => void, setRules?: (rules: ValidationRule[]) => void): void {
  // `POST /__sandbox/validation-rules` `[{object, field, pattern, message}]`: an admin's rules.
  app.post('/__sandbox/validation-rules', async (c) => {
    const body = (await c.req.json().catch(() => null)) as unknown
    const ok = Array.isArray(body) && body.every((r) => r && typeof r.object === 'string' && typeof r.field === 'string' && typeof r.pattern === 'string' && typeof r.message === 'string')
    if (!ok || !setRules) return c.json({ error: 'expected [{object, field, pattern, message}]' }, 400)
    setRules(body as ValidationRule[])
    return c.json({ rules: (body as ValidationRule[]).length })
  })
  app.get('/__sandbox/stats', (c) => c.json(s.stats.toJSON()))
  app.get('/__sandbox/writes', (c) => c.json({ writes: s.stats.writes }))
  app.post('/__sandbox/reset', (c) => {
    reset()
    return c.json({ ok: true })
  })
  app.post('/__sandbox/limits', async (c) => {
    const outcome = applyLimits(s.limits, s.api, await c.req.json().catch(() => null))
    return 'error' in outcome ? c.json(outcome, 400) : c.json(outcome.applied)
  })
  app.post('/__sandbox/faults', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { faultRate?: unknown; next?: unknown }
    if (body.faultRate !== undefined) {
      const rate = Number(body.faultRate)
      if (!(rate >= 0 && rate <= 1)) return c.json({ error: 'faultRate must be between 0 and 1' }, 400)
      s.options.faultRate = rate
    }
    if (Array.isArray(body.next)) {
      const bad = body.next.find((k) => !KINDS.includes(k as FaultKind))
      if (bad !== undefined) return c.json({ error: `unknown fault ${String(bad)}; use ${KINDS.join(', ')}` }, 400)
      s.faultQueue.push(...(body.next as FaultKind[]))
    }
    return c.json({ faultRate: s.options.faultRate, queued: s.faultQueue.length })
  })
}
