/**
 * @module jobs/auto-sync
 * Automatic sync (contract §11): every connected QuickBooks company whose "Automatic sync" switch is
 * on is synced when a verified QBO webhook names its realm, and by a change-data-capture sweep every
 * `TALLY_SYNC_INTERVAL` seconds (the backstop Intuit recommends for missed notifications, api-facts
 * A.4). Notifications only say "look again": a burst for one company while its sync runs becomes one
 * more sync after it, never one per notification. `tally start` and `tally sync --watch` both run
 * this, in one process over SQLite; with DATABASE_URL the sweep is a pg-boss schedule and the syncs
 * are jobs of the stately queue keyed by realm (jobs/queue), taken by any Hub or `tally worker`.
 *
 * The API budget: an automatic sync never starts while the org's daily Salesforce API usage (from
 * Sforce-Limit-Info, after each run) is at or past `TALLY_SF_API_BUDGET` of its limit. Automatic
 * syncs then pause (the Hub and one alert say so); each sweep reads the usage again with one call
 * (`/limits`) and they resume by themselves once it is under. A person's Start Import is not gated.
 */
import type { AutoSyncCompanyView, AutoSyncView } from '../hub/services.js'
import { NotFoundError } from '../hub/services.js'
import { describeError, RunAlreadyRunningError } from '../lib/errors.js'
import {
  getApiBudgetState,
  getCheckpoint,
  listAutoSyncStates,
  saveApiUsage,
  setBudgetPaused,
  updateAutoSyncState,
  type AutoSyncCompanyState,
} from '../store/index.js'
import { budgetPaused } from './alerts/problem.js'
import { isRunnable, qboCompanies, salesforceClient } from './connections.js'
import type PgBoss from 'pg-boss'
import { scheduleSweeps, SWEEP_QUEUE, SYNC_QUEUE } from './queue.js'
import { salesforceSession, type RunRequest, type RunService, type SalesforceSession } from './runs.js'
import type { Tally } from './tally.js'

export interface AutoSyncOptions {
  intervalSeconds: number
  /** The share of the org's daily API limit automatic syncs may use (0–1). */
  budget: number
  /** Webhooks are taken (QBO_WEBHOOK_VERIFIER is set): shown in the Hub. */
  webhooks: boolean
  /** Only this company (`tally sync --watch --company`). */
  realmId?: string
  /** Also companies never imported (`tally sync --watch`: its first sync reads everything). */
  includeNotImported?: boolean
  /** What each automatic run is (`--watch` passes its flags). */
  request?: Omit<RunRequest, 'mode' | 'realmId'>
  /** `tally start --no-auto-sync`: nothing runs by itself; the Hub still shows the switches. */
  off?: boolean
  /** With DATABASE_URL (scale-out): the sweep is a pg-boss schedule and the syncs are jobs of the
   * stately queue keyed by realm, taken by any Hub or `tally worker` (`handleSyncJob`). */
  boss?: PgBoss
  /** Called after every automatic run (the watch prints a line). */
  onRun?: (realmId: string, r: { status: string; customers: Record<string, number> } | { error: unknown }) => void
  now?: () => Date
}

export interface AutoSync {
  /** A verified webhook named this realm; `changedAt`: when QuickBooks says the change was made. */
  notify(realmId: string, changedAt?: Date): void
  /** One sweep of every enabled company now (also the timer's). Resolves when its syncs are done. */
  sweep(): Promise<void>
  status(): Promise<AutoSyncView>
  setEnabled(realmId: string, enabled: boolean): Promise<AutoSyncCompanyView>
  /** Resolves when nothing is running or waiting (tests, shutdown). */
  idle(): Promise<void>
  stop(): Promise<void>
}

interface CompanyRun {
  running: Promise<void> | null
  again: boolean
  /** The earliest change time a notification gave since the last sync started. */
  changedAt: Date | null
  fromSweep: boolean
}

/** The last known usage is at or past the budget. */
const overBudget = (u: { used: number | null; max: number | null }, budget: number): boolean =>
  u.used !== null && u.max !== null && u.max > 0 && u.used >= budget * u.max

/** What an automatic run needs besides the run service. `sessions`: one signed-in Salesforce client
 * (package checked) shared by a process's automatic runs. */
export type AutomaticRunOptions = Pick<AutoSyncOptions, 'intervalSeconds' | 'budget' | 'request' | 'onRun' | 'now'> & { sessions?: SessionKeeper }

/**
 * The Salesforce session automatic runs share, so that a sync of one change does not sign in and
 * check the package again each time (three calls). It is renewed after a failed run (the grant may
 * have changed, the package been removed) and every ten minutes.
 */
export interface SessionKeeper {
  get(): SalesforceSession
  drop(): void
}

export function sessionKeeper(t: Tally, maxAgeMs = 600_000, now: () => number = Date.now): SessionKeeper {
  let current: { session: SalesforceSession; at: number } | null = null
  return {
    get() {
      if (!current || now() - current.at > maxAgeMs) current = { session: salesforceSession(t), at: now() }
      return current.session
    },
    drop() {
      current = null
    },
  }
}

/**
 * One automatic sync of one company, wherever it runs (this process's timer or webhook, or a
 * worker's queued job): the API budget first, then the sync, then the company's status in the
 * store. Never throws: a failure is the company's last error.
 */
export async function runAutomaticSync(t: Tally, runs: RunService, realmId: string, o: AutomaticRunOptions, why: { changedAt: Date | null; fromSweep: boolean }): Promise<void> {
  const now = o.now ?? (() => new Date())
  const { db } = t.store
  /** May an automatic run start now? Reads the usage again (one call) only while paused. */
  async function withinBudget(): Promise<boolean> {
    const b = await getApiBudgetState(db)
    if (b.pausedSince === null && !overBudget(b, o.budget)) return true
    let usage = { used: b.used, max: b.max }
    if (b.pausedSince !== null) {
      try {
        // The shared session's client when there is one: no sign-in of its own each sweep.
        const sf = o.sessions ? await o.sessions.get().client() : await salesforceClient(t)
        const fresh = await sf.readApiUsage()
        await saveApiUsage(db, fresh, now())
        usage = fresh
      } catch (e) {
        t.logger.warn('auto-sync: could not read the API usage', { error: describeError(e) })
        return false
      }
    }
    if (overBudget(usage, o.budget)) {
      if (await setBudgetPaused(db, now())) {
        await t.alerts?.raise(budgetPaused({ used: usage.used ?? 0, max: usage.max ?? 0, budget: o.budget }))
      }
      return false
    }
    if (await setBudgetPaused(db, null)) await t.alerts?.resolve('budget-paused', { realmId: null })
    return true
  }

  async function runOnce(realmId: string, why: { changedAt: Date | null; fromSweep: boolean }): Promise<void> {
    const { changedAt, fromSweep } = why
    const started = now()
    if (!(await withinBudget())) {
      if (fromSweep) await updateAutoSyncState(db, realmId, { lastSweepAt: started, nextSweepAt: new Date(started.getTime() + o.intervalSeconds * 1000) }, started)
      return
    }
    try {
      const r = await runs.execute({ ...o.request, mode: 'sync', realmId }, undefined, o.sessions?.get())
      const s = r.summary
      if (s.status === 'failed') o.sessions?.drop()
      if (s.salesforceApiUsage) await saveApiUsage(db, s.salesforceApiUsage, now())
      const end = now()
      const wrote = s.customers.created + s.customers.updated > 0
      // The lag of the change: from when QuickBooks says it was made (the webhook's time, or the
      // latest LastUpdatedTime of what CDC returned) to now, when it is in Salesforce.
      const madeAt = changedAt?.getTime() ?? r.lastUpdatedAt
      await updateAutoSyncState(
        db,
        realmId,
        {
          ...(fromSweep ? { lastSweepAt: started, nextSweepAt: new Date(started.getTime() + o.intervalSeconds * 1000) } : {}),
          ...(wrote ? { lastChangeAt: end, lastLagMs: madeAt !== null ? Math.max(0, end.getTime() - madeAt) : null } : {}),
          ...(s.status === 'failed' ? { lastError: 'the sync failed', lastErrorAt: end } : { lastError: null, lastErrorAt: null }),
        },
        end,
      )
      o.onRun?.(realmId, s)
    } catch (e) {
      if (!(e instanceof RunAlreadyRunningError)) o.sessions?.drop()
      if (e instanceof RunAlreadyRunningError) {
        // Someone's run of this company is going on (a person's import, another process): it
        // reads this change too, or the next sweep does.
        return
      }
      const end = now()
      await updateAutoSyncState(db, realmId, {
        lastError: describeError(e),
        lastErrorAt: end,
        ...(fromSweep ? { lastSweepAt: started, nextSweepAt: new Date(started.getTime() + o.intervalSeconds * 1000) } : {}),
      }, end)
      o.onRun?.(realmId, { error: e })
    }
  }
  await runOnce(realmId, why)
}

export async function startAutoSync(t: Tally, runs: RunService, o: AutoSyncOptions): Promise<AutoSync> {
  const now = o.now ?? (() => new Date())
  const { db } = t.store
  const companies = new Map<string, CompanyRun>()
  let stopped = o.off === true
  let sweeping: Promise<void> | null = null
  const of = (realmId: string): CompanyRun => {
    let c = companies.get(realmId)
    if (!c) companies.set(realmId, (c = { running: null, again: false, changedAt: null, fromSweep: false }))
    return c
  }

  /** Connected companies that can run and were imported once (the first import is a person's
   * choice, made with its settings: Create Accounts, the fields), with their switch. */
  async function enabledCompanies(): Promise<{ realmId: string; companyName: string | null; state: AutoSyncCompanyState }[]> {
    const connected = (await qboCompanies(t)).filter((c) => isRunnable(c) && (o.realmId === undefined || c.company === o.realmId))
    const imported = await Promise.all(connected.map(async (c) => o.includeNotImported === true || (await getCheckpoint(db, c.company)) !== null))
    const all = connected.filter((_, i) => imported[i])
    const states = await listAutoSyncStates(db, all.map((c) => c.company))
    return all.map((c, i) => ({ realmId: c.company, companyName: c.label, state: states[i] as AutoSyncCompanyState }))
  }

  /** Syncs the company now, or once more after the sync that is running. */
  function trigger(realmId: string, why: { changedAt?: Date; sweep?: boolean }): Promise<void> {
    const c = of(realmId)
    if (why.changedAt && (c.changedAt === null || why.changedAt < c.changedAt)) c.changedAt = why.changedAt
    if (why.sweep) c.fromSweep = true
    if (c.running) {
      c.again = true
      return c.running
    }
    c.running = (async () => {
      try {
        do {
          c.again = false
          const why = { changedAt: c.changedAt, fromSweep: c.fromSweep }
          c.changedAt = null
          c.fromSweep = false
          await runAutomaticSync(t, runs, realmId, runOptions, why)
        } while (c.again && !stopped)
      } catch (e) {
        t.logger.error('auto-sync failed', { realmId, error: describeError(e) })
      } finally {
        c.running = null
      }
    })()
    return c.running
  }

  async function sweep(): Promise<void> {
    if (stopped) return
    const list = await enabledCompanies()
    await Promise.all(list.filter((x) => x.state.enabled).map((x) => trigger(x.realmId, { sweep: true })))
  }

  const boss = o.boss
  const runOptions: AutomaticRunOptions = { ...o, sessions: sessionKeeper(t) }
  /** Scale-out: one automatic sync job of the company (a second while one waits is not queued). */
  const enqueue = async (realmId: string, automatic: NonNullable<RunRequest['automatic']>) => {
    await boss?.send(SYNC_QUEUE, { ...o.request, mode: 'sync', realmId, automatic } satisfies RunRequest, { singletonKey: realmId })
  }
  if (boss && !stopped) {
    await scheduleSweeps(boss, o.intervalSeconds)
    await boss.work(SWEEP_QUEUE, async () => {
      for (const x of await enabledCompanies()) if (x.state.enabled) await enqueue(x.realmId, { sweep: true })
    })
  }
  const tick = () => {
    if (!sweeping) sweeping = sweep().catch((e: unknown) => t.logger.error('auto-sync sweep failed', { error: describeError(e) })).finally(() => (sweeping = null))
  }
  const timer = stopped || boss ? null : setInterval(tick, o.intervalSeconds * 1000)
  timer?.unref?.()
  // The first sweep runs at once: what changed while Tally was down is synced now.
  if (!stopped && !boss) tick()

  async function status(): Promise<AutoSyncView> {
    const all = (await qboCompanies(t)).filter(isRunnable)
    const states = await listAutoSyncStates(db, all.map((c) => c.company))
    const b = await getApiBudgetState(db)
    return {
      running: !stopped,
      intervalSeconds: o.intervalSeconds,
      webhooks: o.webhooks,
      budget: { share: o.budget, used: b.used, max: b.max, paused: b.pausedSince !== null, pausedSince: b.pausedSince?.toISOString() ?? null },
      companies: all.map((c, i) => view(c.company, c.label, states[i] as AutoSyncCompanyState, b.pausedSince !== null)),
    }
  }

  function view(realmId: string, companyName: string | null, s: AutoSyncCompanyState, paused: boolean): AutoSyncCompanyView {
    const iso = (d: Date | null) => d?.toISOString() ?? null
    return {
      realmId,
      companyName,
      enabled: s.enabled,
      state: stopped || !s.enabled ? 'off' : companies.get(realmId)?.running ? 'syncing' : paused ? 'paused' : 'idle',
      lastSweepAt: iso(s.lastSweepAt),
      // Off: no sweep is coming.
      nextSweepAt: stopped || !s.enabled ? null : iso(s.nextSweepAt),
      lastChangeAt: iso(s.lastChangeAt),
      lastLagMs: s.lastLagMs,
      lastError: s.lastError,
      lastErrorAt: iso(s.lastErrorAt),
    }
  }

  const idle = async (): Promise<void> => {
    for (;;) {
      const busy = [sweeping, ...[...companies.values()].map((c) => c.running)].filter((p): p is Promise<void> => p !== null)
      if (busy.length === 0) return
      await Promise.all(busy)
    }
  }
  return {
    notify(realmId, changedAt) {
      if (stopped) return
      void (async () => {
        const list = await enabledCompanies()
        const co = list.find((x) => x.realmId === realmId)
        if (!co) {
          t.logger.info('auto-sync: a webhook for a company not connected (or not this one) was ignored', { realmId })
          return
        }
        if (!co.state.enabled) return
        if (boss) await enqueue(realmId, changedAt ? { changedAt: changedAt.toISOString() } : {})
        else await trigger(realmId, changedAt ? { changedAt } : {})
      })().catch((e: unknown) => t.logger.error('auto-sync webhook failed', { realmId, error: describeError(e) }))
    },
    sweep: async () => {
      if (boss) await boss.send(SWEEP_QUEUE, {})
      else await sweep()
    },
    status,
    async setEnabled(realmId, enabled) {
      const co = (await qboCompanies(t)).find((c) => c.company === realmId && isRunnable(c))
      if (!co) throw new NotFoundError(`No QuickBooks company with realm id ${realmId} is connected.`)
      await updateAutoSyncState(db, realmId, { enabled }, now())
      const [s] = await listAutoSyncStates(db, [realmId])
      const b = await getApiBudgetState(db)
      if (enabled && !stopped) void (boss ? enqueue(realmId, {}) : trigger(realmId, {}))
      return view(realmId, co.label, s as AutoSyncCompanyState, b.pausedSince !== null)
    },
    idle,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      await idle()
    },
  }
}

/** A job of the sync queue, in a Hub or a `tally worker`: an automatic sync goes through the budget
 * and records the company's status; any other (`tally import --enqueue`) simply runs. */
export async function handleSyncJob(t: Tally, runs: RunService, req: RunRequest, o: AutomaticRunOptions): Promise<void> {
  if (req.automatic && req.realmId) {
    const changedAt = req.automatic.changedAt ? new Date(req.automatic.changedAt) : null
    const { automatic: _a, mode: _m, realmId: _r, ...request } = req
    await runAutomaticSync(t, runs, req.realmId, { ...o, request }, { changedAt, fromSweep: req.automatic.sweep === true })
    return
  }
  const result = await runs.execute(req)
  t.logger.info('run finished', { runId: result.runId, realmId: result.realmId, status: result.summary.status })
}
