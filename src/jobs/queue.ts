/**
 * @module jobs/queue
 * The scale-out queue: sync jobs on pg-boss in the shared Postgres database, taken by any number of
 * `tally worker` processes. The queue's "stately" policy keeps at most one job waiting and one
 * running (pg-boss docs, "Queue policies"), and the run service refuses a second concurrent run of
 * the same database, so one connection never has two syncs at once.
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

/** Queues one run; null when one is already waiting. */
export async function enqueueRun(databaseUrl: string, req: RunRequest): Promise<string | null> {
  const boss = await openQueue(databaseUrl)
  try {
    return await boss.send(SYNC_QUEUE, req)
  } finally {
    await boss.stop({ graceful: false })
  }
}
