/**
 * @module jobs/runs
 * Runs the engine for a command or the Hub: one run at a time per Tally database, recorded in
 * the store (status, progress as heartbeat, summary, per-record messages), with progress events
 * for the Hub's live view and the CLI's bar.
 */
import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { AppError, describeError, RunAlreadyRunningError } from '../lib/errors.js'
import { QboError } from '../qbo/index.js'
import { SalesforceError } from '../salesforce/index.js'
import {
  addRunMessages,
  claimRun,
  finishRun,
  getCheckpoint,
  markStaleRunsInterrupted,
  recordFailure,
  recordSuccess,
  saveCheckpoint,
  syncStateStore,
  updateRunProgress,
  setCustomerViewsInactive,
  upsertCustomerViews,
} from '../store/index.js'
import { SWITCHABLE_FIELDS } from '../sync/fields.js'
import type { Progress } from '../sync/ports.js'
import { runSync, type RunResult } from '../sync/run.js'
import { NotConnectedError, qboClient, salesforceClient } from './connections.js'
import { customerViews } from './customer-view.js'
import { plannedCustomers, PreviewMemory, type PlannedCustomer } from './run-plan.js'
import { qboCustomerSource } from './qbo-source.js'
import { failOrgRun, startOrgRun, type OrgRun } from './org-runs.js'
import { salesforceTarget } from './salesforce-target.js'
import type { Tally } from './tally.js'

export interface RunRequest {
  mode: 'import' | 'sync'
  dryRun?: boolean
  /** The command line's `--create-accounts` / `--no-create-accounts` (contract §2): this run
   * only. Absent, the run uses the saved setting — the one the Hub's switch writes. */
  createAccounts?: boolean
  /** Send again what Salesforce refused in earlier runs (`--retry-refused`). */
  retryRefused?: boolean
  /** The `Tally_Run__c` that asked for this run in the org (Status Requested). */
  orgRunId?: string
}

export interface ProgressEvent extends Progress {
  runId: string
  status: 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted'
}


/** A run whose heartbeat is older than this was killed; the next run resumes its work. */
const STALE_AFTER_MS = 60_000
const HEARTBEAT_MS = 10_000
const OWNER = `${hostname()}:${process.pid}`

/** The process that owned a run is gone (same machine only; elsewhere the heartbeat tells). */
function ownerIsGone(owner: string | null): boolean {
  const m = owner ? /^(.*):(\d+)$/.exec(owner) : null
  if (!m || m[1] !== hostname()) return false
  if (Number(m[2]) === process.pid) return false
  try {
    process.kill(Number(m[2]), 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
/** QBO's change data capture looks back 30 days (api-facts A.3); keep a day's margin. */
const CDC_WINDOW_MS = 29 * 24 * 3600_000
const PROGRESS_WRITE_MS = 500
const CLOCK_SKEW_MS = 60_000

export interface RunService {
  /** Runs to the end and returns the result (CLI, worker). */
  execute(req: RunRequest, onProgress?: (e: ProgressEvent) => void): Promise<RunResult & { runId: string }>
  /** Starts a run in the background and returns its id (Hub). */
  start(req: RunRequest): Promise<{ runId: string }>
  subscribe(runId: string, onEvent: (e: ProgressEvent) => void): () => void
  /** What a dry run of this process would have done, per customer (the last few dry runs only). */
  preview(runId: string): PlannedCustomer[] | null
}

export function createRunService(t: Tally, now: () => Date = () => new Date()): RunService {
  const events = new EventEmitter()
  events.setMaxListeners(100)
  const previews = new PreviewMemory()
  const { db } = t.store

  async function claim(req: RunRequest): Promise<string> {
    const staleBefore = new Date(now().getTime() - STALE_AFTER_MS)
    await markStaleRunsInterrupted(db, staleBefore)
    // One atomic insert (a unique index on running runs): two processes claiming at once cannot
    // both win. A holder that is dead (stale heartbeat, or its process gone) is taken over.
    const claim = await claimRun(
      db,
      { mode: req.mode, dryRun: req.dryRun ?? false, id: randomUUID(), owner: OWNER },
      (holder) => holder.heartbeatAt < staleBefore || ownerIsGone(holder.owner),
    )
    if ('heldBy' in claim) throw new RunAlreadyRunningError(claim.heldBy.id)
    return claim.claimed.id
  }

  async function execute(runId: string, req: RunRequest, onProgress?: (e: ProgressEvent) => void) {
    let lastWrite = 0
    const emit = (p: Progress, status: ProgressEvent['status'] = 'running') => {
      latest = p
      const e: ProgressEvent = { ...p, runId, status }
      onProgress?.(e)
      events.emit(runId, e)
      const at = now().getTime()
      if (at - lastWrite >= PROGRESS_WRITE_MS || p.phase === 'done') {
        lastWrite = at
        void updateRunProgress(db, runId, { phase: p.phase, done: p.done, total: p.total }).catch(() => {})
      }
    }
    let latest: Progress = { phase: 'reading', done: 0, total: 0 }
    const heartbeat = setInterval(() => {
      void updateRunProgress(db, runId, { phase: latest.phase, done: latest.done, total: latest.total }).catch(() => {})
    }, HEARTBEAT_MS)
    heartbeat.unref()
    let provider: 'qbo' | 'salesforce' = 'salesforce'
    const blame = (e: unknown): 'qbo' | 'salesforce' => (e instanceof QboError ? 'qbo' : e instanceof SalesforceError ? 'salesforce' : provider)
    let sf: Awaited<ReturnType<typeof salesforceClient>> | undefined
    let org: OrgRun | undefined
    try {
      sf = await salesforceClient(t)
      await sf.connect()
      await sf.checkPackage()
      await recordSuccess(db, 'salesforce')
      provider = 'qbo'
      const qbo = await qboClient(t)
      provider = 'salesforce'
      // Settings from the org's Tally_Settings__c (the store's copy when it cannot answer), and
      // the run's Tally_Run__c (contract §12).
      org = await startOrgRun(sf, db, { realmId: qbo.realmId, mode: req.mode, dryRun: req.dryRun ?? false, now, logger: t.logger, ...(req.orgRunId ? { requestedId: req.orgRunId } : {}) })
      const { settings } = org
      const enabled = new Set(settings.enabledFields ?? SWITCHABLE_FIELDS)
      let since: Date | undefined
      if (req.mode === 'sync') {
        const cp = await getCheckpoint(db, qbo.realmId)
        // No checkpoint, or one older than CDC can reach: no `since`, so the run reads everything.
        if (cp && now().getTime() - cp.getTime() < CDC_WINDOW_MS) since = cp
      }
      const result = await runSync(
        { source: qboCustomerSource(qbo, qbo.realmId), target: salesforceTarget(sf), state: syncStateStore(t.store) },
        {
          runId,
          mode: req.mode,
          dryRun: req.dryRun ?? false,
          settings: { createAccounts: req.createAccounts ?? settings.createAccounts, enabledFields: enabled },
          ...(since ? { since } : {}),
          ...(req.retryRefused ? { retryRefused: true } : {}),
          now,
          // The engine's 'done' is not the run's: its record in the org and the store are still
          // to be written, and a 'done' seen now would end the Hub's live view on "running".
          onProgress: (p) => emit(p.phase === 'done' ? { ...p, phase: 'writing' } : p),
        },
      )
      // The org's record of the run: its status, counts and calls (its own writes included).
      await org.finish(result.summary)
      await recordSuccess(db, 'qbo')
      await recordSuccess(db, 'salesforce')
      if (!result.summary.dryRun) {
        // Our clock and Intuit's may differ: windows overlap by a minute. Records read twice are
        // unchanged, so the overlap costs no writes (and CDC is one call whatever the window).
        await saveCheckpoint(db, qbo.realmId, new Date(result.readAt.getTime() - CLOCK_SKEW_MS))
        await upsertCustomerViews(db, customerViews(result, qbo.realmId))
        const gone = (result.outcomes ?? []).filter((o) => o.item.gone && o.status === 'updated').map((o) => o.item.key)
        if (gone.length > 0) await setCustomerViewsInactive(db, gone)
      }
      await addRunMessages(
        db,
        runId,
        result.summary.errors.map((e) => ({ level: e.level, qboId: e.qboId, displayName: e.displayName, field: e.field, code: e.code, message: e.message })),
      )
      // Kept before the run is marked finished: whoever sees it finished can read its plan.
      if (result.summary.dryRun) previews.keep(runId, plannedCustomers(result))
      await finishRun(db, runId, { status: result.summary.status, summary: result.summary })
      emit({ phase: 'done', done: result.plan.items.length, total: result.plan.items.length }, result.summary.status)
      return { ...result, runId }
    } catch (e) {
      const message = e instanceof AppError ? e.toText() : describeError(e)
      // A connection a person disconnected stays disconnected; anything else is its last error.
      if (!(e instanceof NotConnectedError)) await recordFailure(db, blame(e), message).catch(() => {})
      if (org) await org.fail(message)
      else if (req.orgRunId && sf) await failOrgRun(sf, req.orgRunId, message, now()).catch(() => {})
      await finishRun(db, runId, { status: 'failed', error: message }).catch(() => {})
      emit({ phase: 'done', done: 0, total: 0 }, 'failed')
      throw e
    } finally {
      clearInterval(heartbeat)
    }
  }

  return {
    async execute(req, onProgress) {
      const runId = await claim(req)
      return execute(runId, req, onProgress)
    },
    async start(req) {
      const runId = await claim(req)
      void execute(runId, req).catch((e) => t.logger.error('run failed', { runId, error: describeError(e) }))
      return { runId }
    },
    subscribe(runId, onEvent) {
      events.on(runId, onEvent)
      return () => events.off(runId, onEvent)
    },
    preview: (runId) => previews.get(runId),
  }
}
