/**
 * @module cli/commands/run
 * `tally import` and `tally sync`: one run, a progress bar on stderr when it is a terminal, then
 * the summary (contract §6 with --json) and the exit code of contract §2.
 */
import { parseConfig } from '../../config/env.js'
import { noopLogger } from '../../lib/logger.js'
import { pinoLogger } from '../../lib/pino-logger.js'
import { enqueueRun } from '../../jobs/queue.js'
import { createRunService, type RunRequest } from '../../jobs/runs.js'
import { openTally } from '../../jobs/tally.js'
import { withEnvFile } from '../env-file.js'
import { failureText } from '../failure.js'
import { EXIT } from '../exit-codes.js'
import type { CliIo } from '../io.js'
import { progressBar } from '../progress.js'
import { formatPlan, formatSummary } from '../summary.js'

export interface RunFlags {
  createAccounts?: boolean
  dryRun?: boolean
  retryRefused?: boolean
  json?: boolean
  envFile?: string
  verbose?: boolean
  /** Queue the run for a `tally worker` instead of running it here. */
  enqueue?: boolean
}

export { failureText } from '../failure.js'

export async function runOnce(mode: 'import' | 'sync', flags: RunFlags, io: CliIo): Promise<number> {
  let tally
  try {
    const config = parseConfig(withEnvFile(io.env, io.cwd, flags.envFile), io.cwd)
    tally = await openTally(config, flags.verbose ? pinoLogger('debug') : noopLogger)
  } catch (e) {
    io.stderr(`${failureText(e)}\n`)
    return EXIT.failed
  }
  const req: RunRequest = {
    mode,
    dryRun: flags.dryRun ?? false,
    ...(flags.retryRefused ? { retryRefused: true } : {}),
    ...(flags.createAccounts !== undefined ? { createAccounts: flags.createAccounts } : {}),
  }
  try {
    if (flags.enqueue) {
      if (!tally.config.databaseUrl) {
        io.stderr('--enqueue needs DATABASE_URL: the Postgres database the workers share.\n')
        return EXIT.failed
      }
      const id = await enqueueRun(tally.config.databaseUrl, req)
      io.stdout(id ? `Queued ${mode} job ${id}; a \`tally worker\` will run it.\n` : `A ${mode} is already waiting in the queue; nothing added.\n`)
      return EXIT.ok
    }
    const bar = progressBar(io.stderr, io.stderrIsTty && !flags.json)
    const result = await createRunService(tally).execute(req, (e) => bar.update(e))
    bar.end()
    const { summary, plan } = result
    if (flags.json) {
      const planOut = summary.dryRun
        ? {
            plan: {
              accountsToCreate: plan.accountsToCreate,
              items: plan.items.map((i) => ({
                qboId: i.qboId,
                displayName: i.displayName,
                action: i.action,
                changedFields: i.changedFields,
                link: { status: i.link.status, accountId: i.link.accountId, reason: i.link.reason, ...(i.link.candidates ? { candidates: i.link.candidates } : {}) },
              })),
            },
          }
        : {}
      io.stdout(`${JSON.stringify({ ...summary, ...planOut })}\n`)
    } else {
      if (summary.dryRun) {
        const listing = formatPlan(plan)
        if (listing) io.stdout(`${listing}\n\n`)
      }
      io.stdout(`${formatSummary(summary)}\n`)
    }
    return summary.status === 'partial' ? EXIT.partial : EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e, tally.config)}\n`)
    return EXIT.failed
  } finally {
    await tally.close()
  }
}
