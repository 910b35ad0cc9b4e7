/**
 * @module jobs/queue
 * The scale-out queue: sync jobs on pg-boss in the shared Postgres database, taken by any number of
 * `tally worker` processes. One job per QuickBooks company (contract §9, §11): the job's
 * `singletonKey` is the company's realm id, and the queue's "stately" policy keeps at most one job
 * waiting and one running per key (pg-boss 10 docs, "Queue policies": stately, singletonKey; a
 * unique index on name, state and key). The run service also refuses a second concurrent run of
 * one company (its run lock), so one company never has two syncs at once, while different
 * companies run side by side on different workers.
 */
import type PgBoss from 'pg-boss'
import type { RunRequest } from './runs.js'

export const SYNC_QUEUE = 'tally-sync'
/** The automatic sync's sweep (contract §11): a pg-boss schedule whose job queues one automatic
 * sync job per enabled company. */
export const SWEEP_QUEUE = 'tally-sweep'

/** pg-boss schedules are cron, by the minute: the interval rounded up to whole minutes (at least
 * one). https://github.com/timgit/pg-boss/blob/10.1.6/docs/readme.md#scheduling */
export function sweepCron(intervalSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(intervalSeconds / 60))
  return minutes === 1 ? '* * * * *' : `*/${Math.min(minutes, 59)} * * * *`
}

/** The sweep's schedule, kept once in the shared database whoever sets it (every Hub sets the same):
 * pg-boss sends its job once per tick across all instances. */
export async function scheduleSweeps(boss: PgBoss, intervalSeconds: number): Promise<void> {
  // One sweep at a time; a tick that finds one waiting adds nothing.
  await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'singleton', retryLimit: 0 })
  await boss.schedule(SWEEP_QUEUE, sweepCron(intervalSeconds))
}

/** pg-boss keeps its tables in a schema of its own (`pgboss`). A DATABASE_URL that puts Tally in a
 * schema of its own (`?options=-c search_path=S`) gets its queue beside it (`S_pgboss`), so two
 * Tallies on one server never take each other's jobs or schedules. */
export function queueSchema(databaseUrl: string): string {
  let options: string
  try {
    options = new URL(databaseUrl).searchParams.get('options') ?? ''
  } catch {
    return 'pgboss'
  }
  const m = /search_path\s*=\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(options)
  return m ? `${m[1]}_pgboss` : 'pgboss'
}

export async function openQueue(databaseUrl: string, onError: (e: Error) => void = () => {}): Promise<PgBoss> {
  // Loaded when a queue is opened: a run without DATABASE_URL does not carry pg-boss.
  const { default: Boss } = await import('pg-boss')
  const boss = new Boss({ connectionString: databaseUrl, schema: queueSchema(databaseUrl) })
  boss.on('error', onError)
  await boss.start()
  // A job that finds another run going on fails and is retried later, with backoff.
  await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 30, retryBackoff: true })
  return boss
}

/** Queues one run of one company (keyed by its realm); null when one is already waiting. */
export async function enqueueRun(databaseUrl: string, req: RunRequest): Promise<string | null> {
  return (await enqueueRuns(databaseUrl, [req]))[0] ?? null
}

/** Queues one run per company, each keyed by its realm; null for a company whose run is
 * already waiting. */
export async function enqueueRuns(databaseUrl: string, reqs: readonly RunRequest[]): Promise<(string | null)[]> {
  const boss = await openQueue(databaseUrl)
  try {
    const ids: (string | null)[] = []
    for (const req of reqs) ids.push(await boss.send(SYNC_QUEUE, req, req.realmId ? { singletonKey: req.realmId } : {}))
    return ids
  } finally {
    await boss.stop({ graceful: false })
  }
}
