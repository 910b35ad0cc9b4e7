/**
 * @module store/runs.repository
 * Import and sync runs: created `running`, progress and heartbeat while they go, finished with
 * the contract §6 summary. A run whose process died stops heart-beating and is later marked
 * `interrupted` (`markStaleRunsInterrupted`).
 */
import { randomUUID } from 'node:crypto'
import { fromBit, fromIso, fromIsoOrNull, toBit, toIso } from './codec.js'
import type { Db } from './database.js'
import { STORE_RUN_LOCK_KEY } from './migrations/0007_run_lock.js'
import type { RunRow } from './tables/runs.table.js'

export { STORE_RUN_LOCK_KEY }

export type RunMode = 'import' | 'sync'
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted'

export interface Run {
  id: string
  mode: RunMode
  dryRun: boolean
  status: RunStatus
  phase: string | null
  done: number
  total: number
  startedAt: Date
  finishedAt: Date | null
  heartbeatAt: Date
  /** The contract §6 summary (parsed JSON), once finished. */
  summary: unknown
  error: string | null
  owner: string | null
  /** Runs sharing a key never run at once (today: the store's one key). */
  lockKey: string | null
}

function rowToRun(r: RunRow): Run {
  return {
    id: r.id,
    mode: r.mode as RunMode,
    dryRun: fromBit(r.dry_run),
    status: r.status as RunStatus,
    phase: r.phase,
    done: Number(r.done),
    total: Number(r.total),
    startedAt: fromIso(r.started_at),
    finishedAt: fromIsoOrNull(r.finished_at),
    heartbeatAt: fromIso(r.heartbeat_at),
    summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown),
    error: r.error,
    owner: r.owner,
    lockKey: r.lock_key,
  }
}

export interface NewRun {
  mode: RunMode
  dryRun: boolean
  id?: string
  now?: Date
  owner?: string
  /** Default: the store's one key (`STORE_RUN_LOCK_KEY`). */
  lockKey?: string
}

/** Inserts a `running` run, or returns null when one of its lock key is already running. */
async function insertRunning(db: Db, input: NewRun): Promise<Run | null> {
  const at = toIso(input.now ?? new Date())
  const row = await db
    .insertInto('runs')
    .values({
      id: input.id ?? randomUUID(),
      mode: input.mode,
      dry_run: toBit(input.dryRun),
      status: 'running',
      phase: null,
      done: 0,
      total: 0,
      started_at: at,
      heartbeat_at: at,
      owner: input.owner ?? null,
      lock_key: input.lockKey ?? STORE_RUN_LOCK_KEY,
    })
    // The partial unique index on running runs' lock_key makes this the claim: of two inserts
    // at once, one wins and the other inserts nothing (no error, so no aborted transaction).
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()
  return row ? rowToRun(row) : null
}

/** Creates a `running` run; throws if one of its lock key is running (use `claimRun`). */
export async function createRun(db: Db, input: NewRun): Promise<Run> {
  const run = await insertRunning(db, input)
  if (!run) throw new Error(`A run with lock key ${input.lockKey ?? STORE_RUN_LOCK_KEY} is already running.`)
  return run
}

export type RunClaim = { claimed: Run } | { heldBy: Run }

/**
 * Claims the right to run in one atomic step: inserts the run unless one of the same lock key
 * is running. A holder that `isAbandoned` says is dead (stale heartbeat, process gone) is marked
 * `interrupted` and the claim tried again; of two claimers taking over the same holder, one
 * wins and the other sees the winner as the holder.
 */
export async function claimRun(db: Db, input: NewRun, isAbandoned: (holder: Run) => boolean): Promise<RunClaim> {
  const key = input.lockKey ?? STORE_RUN_LOCK_KEY
  for (let attempt = 1; attempt <= 5; attempt++) {
    const run = await insertRunning(db, input)
    if (run) return { claimed: run }
    const row = await db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'running')
      .where('lock_key', '=', key)
      .executeTakeFirst()
    // The holder finished between the insert and the read: try again.
    if (!row) continue
    const holder = rowToRun(row)
    if (attempt >= 3 || !isAbandoned(holder)) return { heldBy: holder }
    await db
      .updateTable('runs')
      .set({ status: 'interrupted', finished_at: toIso(input.now ?? new Date()), error: 'The process running it stopped; the next run picks up what is left.' })
      .where('id', '=', holder.id)
      .where('status', '=', 'running')
      .execute()
  }
  throw new Error(`Could not claim a run (lock key ${key}): runs kept starting and stopping; try again.`)
}

/** Records progress; also the run's heartbeat. */
export async function updateRunProgress(
  db: Db,
  id: string,
  p: { phase: string; done: number; total: number; now?: Date },
): Promise<void> {
  await db
    .updateTable('runs')
    .set({ phase: p.phase, done: p.done, total: p.total, heartbeat_at: toIso(p.now ?? new Date()) })
    .where('id', '=', id)
    .execute()
}

export async function finishRun(
  db: Db,
  id: string,
  r: { status: Exclude<RunStatus, 'running'>; summary?: unknown; error?: string | null; now?: Date },
): Promise<void> {
  const at = toIso(r.now ?? new Date())
  await db
    .updateTable('runs')
    .set({
      status: r.status,
      summary: r.summary === undefined ? null : JSON.stringify(r.summary),
      error: r.error ?? null,
      finished_at: at,
      heartbeat_at: at,
    })
    .where('id', '=', id)
    .execute()
}

export async function getRun(db: Db, id: string): Promise<Run | null> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? rowToRun(row) : null
}

/** The latest runs first. */
export async function listRuns(db: Db, limit = 20): Promise<Run[]> {
  const rows = await db
    .selectFrom('runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(rowToRun)
}

/** The run in progress, if any (the most recent one). */
export async function getRunningRun(db: Db): Promise<Run | null> {
  const row = await db
    .selectFrom('runs')
    .selectAll()
    .where('status', '=', 'running')
    .orderBy('started_at', 'desc')
    .executeTakeFirst()
  return row ? rowToRun(row) : null
}

/** Marks `running` runs whose last heartbeat is before `olderThan` as `interrupted`; returns
 * how many. */
export async function markStaleRunsInterrupted(
  db: Db,
  olderThan: Date,
  now: Date = new Date(),
): Promise<number> {
  const res = await db
    .updateTable('runs')
    .set({ status: 'interrupted', finished_at: toIso(now), error: 'The process running this run stopped.' })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', toIso(olderThan))
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}
