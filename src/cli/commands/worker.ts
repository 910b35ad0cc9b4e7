/**
 * @module cli/commands/worker
 * `tally worker`: takes sync jobs from the shared Postgres queue (pg-boss) and runs them, so any
 * number of processes can serve one Tally database. A job is one QuickBooks company's run; one run
 * at a time per company is enforced by the queue (stately, keyed by realm) and by the run service;
 * a job that finds its company's run going on is retried later by pg-boss.
 */
import { parseConfig } from '../../config/env.js'
import { openQueue, SYNC_QUEUE } from '../../jobs/queue.js'
import { handleSyncJob, sessionKeeper } from '../../jobs/auto-sync.js'
import { createRunService, type RunRequest } from '../../jobs/runs.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import { pinoLogger } from '../../lib/pino-logger.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import { untilStopped, type CliIo } from '../io.js'
import { failureText } from './run.js'

export async function workerCommand(flags: { envFile?: string }, io: CliIo): Promise<number> {
  let tally: Tally | undefined
  try {
    const config = parseConfig(withEnvFile(io.env, io.cwd, flags.envFile), io.cwd)
    if (!config.databaseUrl) {
      io.stderr('tally worker needs DATABASE_URL: set it to the Postgres database the Hub and the other workers share.\n')
      return EXIT.failed
    }
    tally = await openTally(config, pinoLogger('info'))
    const boss = await openQueue(config.databaseUrl, (e) => tally?.logger.error('queue error', { error: e.message }))
    const runs = createRunService(tally)
    const t = tally
    const jobOptions = { intervalSeconds: config.autoSync.intervalSeconds, budget: config.autoSync.apiBudget, sessions: sessionKeeper(t) }
    await boss.work<RunRequest>(SYNC_QUEUE, { pollingIntervalSeconds: 2 }, async ([job]) => {
      if (job) await handleSyncJob(t, runs, job.data, jobOptions)
    })
    io.stdout(`Tally worker waiting for jobs on queue ${SYNC_QUEUE}\n`)
    await untilStopped(io.stopSignal)
    await boss.stop({ graceful: true })
    return EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e, tally?.config)}\n`)
    return EXIT.failed
  } finally {
    await tally?.close()
  }
}
