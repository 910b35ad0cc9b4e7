/**
 * @module jobs/runs
 * Runs the engine for a command or the Hub: one run at a time per QuickBooks company, recorded in
 * the store (status, progress as heartbeat, summary, per-record messages), with progress events
 * for the Hub's live view and the CLI's bar.
 */
import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { AppError, describeError, RunAlreadyRunningError } from '../lib/errors.js'
import { collectGarbage } from '../lib/heap.js'
import { QboError } from '../qbo/index.js'
import { checkPackageDeployed, SalesforceError, type SalesforceClient } from '../salesforce/index.js'
import {
  addRunMessages,
  claimRun,
  countRefusedRecords,
  finishRun,
  getCheckpointDetail,
  type OwnWrites,
  getConnection,
  markStaleRunsInterrupted,
  recordFailure,
  recordSuccess,
  saveCheckpoint,
  syncStateStore,
  updateRunProgress,
  setCustomerViewsInactive,
  upsertCustomerViews,
  listCustomerViewsByStatus,
  recordLinkHistory,
  type CustomerView,
  type NewLinkHistoryEntry,
  qboCompany,
  type ConnectionRef,
} from '../store/index.js'
import { SWITCHABLE_FIELDS } from '../sync/fields.js'
import type { Progress } from '../sync/ports.js'
import { runSync, type LinkChangeRecord, type RunResult } from '../sync/run.js'
import { reportRunFailed, reportRunFinished } from './alerts/index.js'
import { NotConnectedError, defaultRealm, qboClient, salesforceClient } from './connections.js'
import { customerViews, keepSuggestions } from './customer-view.js'
import { plannedCustomers, PreviewMemory, type PlannedCustomer } from './run-plan.js'
import { qboCustomerSource } from './qbo-source.js'
import { failOrgRun, type OrgRun } from './org-runs.js'
import { startOrgRun, type PackageCheck } from './run-start.js'
import { salesforceTarget } from './salesforce-target.js'
import { fileSpool } from './spool.js'
import type { Tally } from './tally.js'

export interface RunRequest {
  mode: 'import' | 'sync'
  dryRun?: boolean
  /** The command line's `--create-accounts` / `--no-create-accounts` (contract §2): this run
   * only. Absent, the run uses the saved setting — the one the Hub's switch writes. */
  createAccounts?: boolean
  /** The QuickBooks company to run (its realm id); by default the first connected one. */
  realmId?: string
  /** Send again what Salesforce refused in earlier runs (`--retry-refused`). */
  retryRefused?: boolean
  /** False: compute no suggestions in this run (contract §10; they cost calls when the run would
   * not read every Account anyway). */
  suggest?: boolean
  /** The `Tally_Run__c` that asked for this run in the org (Status Requested). */
  orgRunId?: string
  /** An automatic sync (contract §11): the worker that takes it applies the API budget and records
   * the company's automatic-sync status. `changedAt`: the change time a webhook gave (ISO). */
  automatic?: { changedAt?: string; sweep?: boolean }
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

/**
 * One Salesforce client shared by the runs of several companies (contract §9): the org is one,
 * so signing in and checking the package once serves every company's run. The check itself is made
 * in a run's first call (jobs/run-start), with the describes that call fetched.
 */
export interface SalesforceSession {
  /** The client, signed in. */
  client(): Promise<SalesforceClient>
  readonly packageCheck: PackageCheck
}

export function salesforceSession(t: Tally): SalesforceSession {
  let ready: Promise<SalesforceClient> | null = null
  let passed = false
  return {
    client() {
      ready ??= (async () => {
        const sf = await salesforceClient(t)
        await sf.connect()
        return sf
      })()
      ready.catch(() => (ready = null))
      return ready
    },
    packageCheck: {
      get passed() {
        return passed
      },
      async check(describe) {
        await checkPackageDeployed(describe)
        passed = true
      },
    },
  }
}

export interface RunService {
  /** Runs to the end and returns the result (CLI, worker). `session` shares one Salesforce
   * client between the runs of several companies. */
  execute(req: RunRequest, onProgress?: (e: ProgressEvent) => void, session?: SalesforceSession): Promise<RunResult & { runId: string; realmId: string | null }>
  /** Starts a run in the background and returns its id (Hub). */
  start(req: RunRequest, session?: SalesforceSession): Promise<{ runId: string; done: Promise<unknown> }>
  subscribe(runId: string, onEvent: (e: ProgressEvent) => void): () => void
  /** What a dry run of this process would have done, per customer (the last few dry runs only). */
  preview(runId: string): PlannedCustomer[] | null
}

export function createRunService(t: Tally, now: () => Date = () => new Date()): RunService {
  const events = new EventEmitter()
  events.setMaxListeners(100)
  const previews = new PreviewMemory()
  const { db } = t.store

  /** Each company has its own run lock (contract §9): a run is refused only while another run of
   * the same company is going on. Returns the run and the company it is for (null when no company
   * is connected: the run then fails saying so). */
  async function claim(req: RunRequest): Promise<{ runId: string; realmId: string | null }> {
    const staleBefore = new Date(now().getTime() - STALE_AFTER_MS)
    // First, as the first write of a run: a store file another process holds says so at once.
    await markStaleRunsInterrupted(db, staleBefore)
    const realmId = req.realmId ?? (await defaultRealm(t).catch(() => null))
    // One atomic insert (a unique index on running runs' lock key, the company's realm): two
    // processes claiming at once cannot both win. A holder that is dead (stale heartbeat, or its
    // process gone) is taken over.
    const claim = await claimRun(
      db,
      { mode: req.mode, dryRun: req.dryRun ?? false, id: randomUUID(), owner: OWNER, ...(realmId ? { realmId } : {}) },
      (holder) => holder.heartbeatAt < staleBefore || ownerIsGone(holder.owner),
    )
    if ('heldBy' in claim) throw new RunAlreadyRunningError(claim.heldBy.id, realmId)
    return { runId: claim.claimed.id, realmId }
  }

  async function execute(runId: string, realmId: string | null, req: RunRequest, onProgress?: (e: ProgressEvent) => void, session?: SalesforceSession) {
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
    const qboRef: ConnectionRef = realmId ? qboCompany(realmId) : 'qbo'
    let provider: ConnectionRef = 'salesforce'
    const blame = (e: unknown): ConnectionRef => (e instanceof QboError ? qboRef : e instanceof SalesforceError ? 'salesforce' : provider)
    let sf: Awaited<ReturnType<typeof salesforceClient>> | undefined
    let org: OrgRun | undefined
    const sfSession = session ?? salesforceSession(t)
    try {
      sf = await sfSession.client()
      // A shared client has counted the calls of earlier companies' runs: count from here.
      const sfBefore = session ? sf.apiCalls() + sf.oauthCalls() : 0
      await recordSuccess(db, 'salesforce')
      provider = qboRef
      const qbo = await qboClient(t, realmId ?? undefined)
      provider = 'salesforce'
      // In one call: the package check (once per session), the settings from the org's
      // Tally_Settings__c (the store's copy when it cannot answer), and the run's Tally_Run__c
      // (contract §12).
      org = await startOrgRun(sf, db, sfSession.packageCheck, { realmId: qbo.realmId, mode: req.mode, dryRun: req.dryRun ?? false, now, logger: t.logger, ...(req.orgRunId ? { requestedId: req.orgRunId } : {}) })
      const { settings } = org
      const enabled = new Set(settings.enabledFields ?? SWITCHABLE_FIELDS)
      let since: Date | undefined
      let ownWrites: OwnWrites | null = null
      // Who Tally is signed in as (the token's identity URL: no call).
      const { userId } = await sf.connect()
      if (req.mode === 'sync') {
        const cp = await getCheckpointDetail(db, qbo.realmId)
        // No checkpoint, or one older than CDC can reach: no `since`, so the run reads everything.
        if (cp && now().getTime() - cp.lastSyncAt.getTime() < CDC_WINDOW_MS) {
          since = cp.lastSyncAt
          // Only when the last run wrote as the user connected now: another user's writes are a person's.
          if (cp.ownWrites && cp.ownWrites.userId === userId) ownWrites = cp.ownWrites
        }
      }
      const companyName = (await getConnection(db, t.cipher, qboRef))?.label ?? null
      const result = await runSync(
        { source: qboCustomerSource(qbo, qbo.realmId, companyName ?? undefined), target: salesforceTarget(sf), state: syncStateStore(t.store), spool: fileSpool },
        {
          runId,
          mode: req.mode,
          dryRun: req.dryRun ?? false,
          settings: { createAccounts: req.createAccounts ?? settings.createAccounts, enabledFields: enabled },
          ...(since ? { since } : {}),
          ...(ownWrites ? { ownWrites } : {}),
          ...(req.retryRefused ? { retryRefused: true } : {}),
          ...(req.suggest === false ? { suggest: false } : {}),
          now,
          releaseMemory: collectGarbage,
          // The engine's 'done' is not the run's: its record in the org and the store are still
          // to be written, and a 'done' seen now would end the Hub's live view on "running".
          onProgress: (p) => emit(p.phase === 'done' ? { ...p, phase: 'writing' } : p),
        },
      )
      // The org's record of the run: its status, counts and calls (its own writes included).
      await org.finish(result.summary)
      // A shared Salesforce client has counted earlier companies' calls: this run's are the rest.
      result.summary.apiCalls.salesforce -= sfBefore
      await recordSuccess(db, qboRef)
      await recordSuccess(db, 'salesforce')
      if (!result.summary.dryRun) {
        // Our clock and Intuit's may differ: windows overlap by a minute. Records read twice are
        // unchanged, so the overlap costs no writes (and CDC is one call whatever the window).
        // The run's own writes have ended: the next sync does not read them back as changes, only a
        // later edit or another user's. Until now by Tally's clock, but never past the second of
        // Salesforce's last answer (its Date header), so a clock running ahead of the org's cannot
        // hide an edit made after the run; with no header, Tally's clock less the margin.
        const ownWritesUntil = ownWritesEnd(now(), sf.serverTime(), CLOCK_SKEW_MS)
        await saveCheckpoint(db, qbo.realmId, new Date(result.readAt.getTime() - CLOCK_SKEW_MS), now(), userId ? { until: ownWritesUntil, userId } : null)
        const keep = keepSuggestions(result)
        const held = new Map<string, CustomerView['suggestions']>()
        if (keep.size > 0) for (const v of await listCustomerViewsByStatus(db, ['Unmapped', 'Ambiguous'], qbo.realmId)) if (keep.has(v.key)) held.set(v.key, v.suggestions)
        await upsertCustomerViews(db, customerViews(result, qbo.realmId, held))
        await recordLinkHistory(db, withRealm(result.linkChanges(), qbo.realmId))
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
      // After the run is recorded and announced: an alert's delivery never holds the Hub's view.
      await reportRunFinished(t.alerts, { realmId: qbo.realmId, companyName }, result.summary, () => countRefusedRecords(db, qbo.realmId)).catch((e) => t.logger.warn('alerts not reported', { runId, error: describeError(e) }))
      return { ...result, runId, realmId: qbo.realmId }
    } catch (e) {
      const message = e instanceof AppError ? e.toText() : describeError(e)
      // A connection a person disconnected stays disconnected; anything else is its last error.
      if (!(e instanceof NotConnectedError)) await recordFailure(db, blame(e), message).catch(() => {})
      if (org) await org.fail(message)
      else if (req.orgRunId && sf) await failOrgRun(sf, req.orgRunId, message, now()).catch(() => {})
      await finishRun(db, runId, { status: 'failed', error: message }).catch(() => {})
      emit({ phase: 'done', done: 0, total: 0 }, 'failed')
      if (realmId) {
        const companyName = (await getConnection(db, t.cipher, qboRef).catch(() => null))?.label ?? null
        await reportRunFailed(t.alerts, { realmId, companyName }, e, { dryRun: req.dryRun ?? false, notConnected: e instanceof NotConnectedError })
          .catch((err) => t.logger.warn('alerts not reported', { runId, error: describeError(err) }))
      }
      throw e
    } finally {
      clearInterval(heartbeat)
    }
  }

  return {
    async execute(req, onProgress, session) {
      const { runId, realmId } = await claim(req)
      return execute(runId, realmId, req, onProgress, session)
    },
    async start(req, session) {
      const { runId, realmId } = await claim(req)
      const done = execute(runId, realmId, req, undefined, session).catch((e) => t.logger.error('run failed', { runId, error: describeError(e) }))
      return { runId, done }
    },
    subscribe(runId, onEvent) {
      events.on(runId, onEvent)
      return () => events.off(runId, onEvent)
    },
    preview: (runId) => previews.get(runId),
  }
}

/** When a run's own writes ended, as the next sync's read of Salesforce's changes compares it with
 * `SystemModstamp`: Tally's clock, bounded by the end of the second of the org's last answer (its
 * `Date` header is to the second); without a header, Tally's clock less the margin. */
export function ownWritesEnd(now: Date, lastAnswer: Date | null, marginMs: number): Date {
  if (!lastAnswer) return new Date(now.getTime() - marginMs)
  return new Date(Math.min(now.getTime(), lastAnswer.getTime() + 999))
}

/** A run's link changes as the history stores them, each made as it is written. */
function* withRealm(changes: Iterable<LinkChangeRecord>, realmId: string): Generator<NewLinkHistoryEntry> {
  for (const c of changes) yield { ...c, realmId }
}
