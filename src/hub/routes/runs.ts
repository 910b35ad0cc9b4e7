/**
 * @module hub/routes/runs
 * Starting an import, the run history, a run's per-record messages, and live progress as
 * server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html), and what a
 * preview (dry run) would do, per customer.
 */
import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { GetSyncRun, GetSyncRunMessages, GetSyncRunPlan, GetSyncRuns, PostSyncRun, ProgressEvent } from '../api-types.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { HubError, parseOr400 } from '../errors.js'
import { RunAlreadyRunningError } from '../../lib/errors.js'
import { PLAN_FILTERS, type RunView } from '../services.js'

const StartBody = z.strictObject({ dryRun: z.boolean().optional() })
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) })
const IdParams = z.strictObject({ id: z.string().min(1).max(100) })
const PlanQuery = z.object({
  filter: z.enum(PLAN_FILTERS as [string, ...string[]]).default('all'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})

const toEvent = (r: RunView): ProgressEvent => ({
  runId: r.runId,
  phase: r.status === 'running' ? ((r.phase as ProgressEvent['phase'] | null) ?? 'reading') : 'done',
  done: r.done,
  total: r.total,
  status: r.status,
})

export function registerRunRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  const { runs } = deps.services
  const mustGet = async (id: string): Promise<RunView> => {
    const run = await runs.get(id)
    if (!run) throw new HubError(404, 'not_found', `There is no run ${id}.`)
    return run
  }

  app.post('/api/runs', async (c) => {
    const text = await c.req.text()
    const body = parseOr400(StartBody, text === '' ? {} : safeJson(text), 'invalid_body')
    try {
      const started = await runs.start(body)
      return c.json<PostSyncRun['Success']>(started, 202)
    } catch (e) {
      if (e instanceof RunAlreadyRunningError) throw new HubError(409, 'run_in_progress', e.message)
      throw e
    }
  })

  app.get('/api/runs', async (c) => {
    const { limit } = parseOr400(ListQuery, c.req.query(), 'invalid_query_params')
    return c.json<GetSyncRuns['Success']>({ runs: await runs.list(limit) })
  })

  app.get('/api/runs/:id', async (c) => {
    const { id } = parseOr400(IdParams, c.req.param(), 'invalid_uri_params')
    return c.json<GetSyncRun['Success']>(await mustGet(id))
  })

  app.get('/api/runs/:id/messages', async (c) => {
    const { id } = parseOr400(IdParams, c.req.param(), 'invalid_uri_params')
    await mustGet(id)
    return c.json<GetSyncRunMessages['Success']>({ messages: await runs.messages(id) })
  })

  app.get('/api/runs/:id/plan', async (c) => {
    const { id } = parseOr400(IdParams, c.req.param(), 'invalid_uri_params')
    const q = parseOr400(PlanQuery, c.req.query(), 'invalid_query_params')
    const run = await mustGet(id)
    const plan = await runs.plan(id, { filter: q.filter as GetSyncRunPlan['Success']['filter'], page: q.page, pageSize: q.pageSize })
    if (!plan) {
      throw new HubError(404, 'not_found', run.dryRun
        ? 'This preview is no longer held (the Hub keeps the last few, in memory). Click Preview again.'
        : `Run ${id} is not a preview; its errors and warnings are under the run history.`)
    }
    return c.json<GetSyncRunPlan['Success']>(plan)
  })

  app.get('/api/runs/:id/events', async (c) => {
    const { id } = parseOr400(IdParams, c.req.param(), 'invalid_uri_params')
    const first = await mustGet(id)
    return streamSSE(c, async (stream) => {
      let n = 0
      const send = (e: ProgressEvent) =>
        stream.writeSSE({ event: 'progress', id: String(n++), data: JSON.stringify(e) })
      if (first.status !== 'running') {
        await send(toEvent(first))
        return
      }
      // Events are queued and written in order; the stream ends with the first 'done' event.
      const queue: ProgressEvent[] = []
      let wake: (() => void) | null = null
      const unsubscribe = runs.subscribe(id, (e) => {
        queue.push(e)
        wake?.()
      })
      stream.onAbort(() => {
        unsubscribe()
        wake?.()
      })
      try {
        // Catch up with a run that advanced (or finished) before the subscription.
        const now = await runs.get(id)
        if (now) queue.unshift(toEvent(now))
        for (;;) {
          while (queue.length > 0) {
            const e = queue.shift() as ProgressEvent
            await send(e)
            if (e.phase === 'done' || e.status !== 'running') return
          }
          if (stream.aborted) return
          await new Promise<void>((resolve) => {
            wake = resolve
            // A comment line every 15 s keeps proxies from closing an idle stream.
            const t = setTimeout(resolve, 15_000)
            t.unref?.()
          })
          wake = null
          if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n')
        }
      } finally {
        unsubscribe()
      }
    })
  })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
