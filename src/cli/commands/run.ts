/**
 * @module cli/commands/run
 * `tally import` and `tally sync`: one run per QuickBooks company (every connected one, or the one
 * `--company` names), a progress bar on stderr when it is a terminal, then the summary (contract §6
 * with --json; §9 for several companies) and the exit code of contract §2.
 */
import { parseConfig } from '../../config/env.js'
import { noopLogger } from '../../lib/logger.js'
import { pinoLogger } from '../../lib/pino-logger.js'
import { companiesToRun, runCompanies, type CompaniesOutcome } from '../../jobs/company-runs.js'
import { enqueueRuns } from '../../jobs/queue.js'
import { createRunService, type RunRequest } from '../../jobs/runs.js'
import { openTally } from '../../jobs/tally.js'
import { withEnvFile } from '../env-file.js'
import { failureText } from '../failure.js'
import { EXIT } from '../exit-codes.js'
import type { CliIo } from '../io.js'
import { progressBar } from '../progress.js'
import type { Plan } from '../../sync/plan.js'
import { formatPlan, formatSummary } from '../summary.js'

export interface RunFlags {
  createAccounts?: boolean
  dryRun?: boolean
  retryRefused?: boolean
  suggestions?: boolean
  json?: boolean
  envFile?: string
  verbose?: boolean
  /** Queue the run for a `tally worker` instead of running it here. */
  enqueue?: boolean
  /** Only this QuickBooks company (realm id); by default every connected company. */
  company?: string
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
    ...(flags.suggestions === false ? { suggest: false } : {}),
    ...(flags.createAccounts !== undefined ? { createAccounts: flags.createAccounts } : {}),
  }
  try {
    if (flags.enqueue) {
      if (!tally.config.databaseUrl) {
        io.stderr('--enqueue needs DATABASE_URL: the Postgres database the workers share.\n')
        return EXIT.failed
      }
      // One job per company, so that workers run different companies side by side.
      const companies = await companiesToRun(tally, flags.company)
      const reqs: RunRequest[] = companies.length > 0 ? companies.map((c) => ({ ...req, realmId: c.realmId })) : [req]
      const ids = await enqueueRuns(tally.config.databaseUrl, reqs)
      reqs.forEach((r, i) => {
        const which = r.realmId ? ` of company ${r.realmId}` : ''
        io.stdout(ids[i] ? `Queued ${mode} job ${ids[i]}${which}; a \`tally worker\` will run it.\n` : `A ${mode}${which} is already waiting in the queue; nothing added.\n`)
      })
      return EXIT.ok
    }
    const bar = progressBar(io.stderr, io.stderrIsTty && !flags.json)
    const outcome = await runCompanies(tally, createRunService(tally), req, { ...(flags.company !== undefined ? { realmId: flags.company } : {}), onProgress: (e) => bar.update(e) })
    bar.end()
    if (outcome.kind === 'multi') return printMulti(outcome, flags, io)
    const { summary, plan } = outcome.result
    if (flags.json) {
      io.stdout(`${JSON.stringify({ ...summary, ...(summary.dryRun ? { plan: planJson(plan) } : {}) })}\n`)
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

function planJson(plan: Plan) {
  return {
    accountsToCreate: plan.accountsToCreate,
    items: plan.items.map((i) => ({
      qboId: i.qboId,
      displayName: i.displayName,
      action: i.action,
      changedFields: i.changedFields,
      link: { status: i.link.status, accountId: i.link.accountId, reason: i.link.reason, ...(i.link.candidates ? { candidates: i.link.candidates } : {}) },
    })),
  }
}

/**
 * Several companies (contract §9): the totals and each company's part; exit 1 when a company's
 * run could not complete (each named on stderr, the others' results still printed), else 2 when
 * records failed, else 0.
 */
function printMulti(outcome: Extract<CompaniesOutcome, { kind: 'multi' }>, flags: RunFlags, io: CliIo): number {
  const { summary } = outcome
  if (flags.json) {
    const companies = summary.companies.map((c) => {
      const r = outcome.results.get(c.realmId)
      return summary.dryRun && r ? { ...c, plan: planJson(r.plan) } : c
    })
    io.stdout(`${JSON.stringify({ ...summary, companies })}\n`)
  } else {
    for (const c of summary.companies) {
      io.stdout(`QuickBooks company ${c.companyName ? `"${c.companyName}" ` : ''}(realm ${c.realmId}):\n`)
      const r = outcome.results.get(c.realmId)
      if (!r) {
        io.stdout(`  Could not run: ${c.error ?? 'unknown error'}\n\n`)
        continue
      }
      if (r.summary.dryRun) {
        const listing = formatPlan(r.plan)
        if (listing) io.stdout(`${indent(listing)}\n\n`)
      }
      io.stdout(`${indent(formatSummary(r.summary))}\n\n`)
    }
    io.stdout(`All ${summary.companies.length} companies:\n${indent(formatSummary({ ...summary, errors: [] }))}\n`)
  }
  for (const f of outcome.failures) {
    io.stderr(`QuickBooks company ${f.companyName ? `"${f.companyName}" ` : ''}(realm ${f.realmId}): ${failureText(f.error)}\n`)
  }
  if (outcome.failures.length > 0) return EXIT.failed
  return summary.status === 'partial' ? EXIT.partial : EXIT.ok
}

const indent = (text: string) => text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')
