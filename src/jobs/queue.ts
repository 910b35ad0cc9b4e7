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
import PgBoss from 'pg-boss'
import type { RunRequest } from './runs.js'

export const SYNC_QUEUE = 'tally-sync'

export async function openQueue(databaseUrl: string, onError: (e: Error) => void = () => {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl })
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
