/**
 * @module cli/commands/salesforce
 * `tally salesforce deploy [--check-only]` (contract §2): deploys the package of §4 to the
 * connected org through the Metadata API and assigns the Tally_Sync permission set to the
 * integration user. Progress goes to stderr, each failed component on a line of its own; exit 0
 * when deployed (or validated), 1 when the deploy failed or could not run, with one sentence saying
 * what to do.
 */
import { parseConfig } from '../../config/env.js'
import { noopLogger } from '../../lib/logger.js'
import { pinoLogger } from '../../lib/pino-logger.js'
import { deployPackage, PERMISSION_SET } from '../../jobs/package-deploy.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import type { ComponentFailure } from '../../salesforce/metadata-deploy.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import type { CliIo } from '../io.js'
import { failureText } from './run.js'

export interface DeployFlags {
  checkOnly?: boolean
  envFile?: string
  json?: boolean
  verbose?: boolean
}

export function formatFailure(f: ComponentFailure): string {
  const at = f.line !== null ? `:${f.line}${f.column !== null ? `:${f.column}` : ''}` : ''
  return `  ${f.type || 'file'} ${f.fullName} (${f.fileName}${at}): ${f.problem}`
}

export async function salesforceDeployCommand(flags: DeployFlags, io: CliIo): Promise<number> {
  let tally: Tally | undefined
  try {
    const config = parseConfig(withEnvFile(io.env, io.cwd, flags.envFile), io.cwd)
    tally = await openTally(config, flags.verbose ? pinoLogger('debug') : noopLogger)
    let last = ''
    const verb = flags.checkOnly ? 'Validating' : 'Deploying'
    const outcome = await deployPackage(tally, {
      checkOnly: flags.checkOnly ?? false,
      onStart: ({ components, instanceUrl }) => io.stderr(`${verb} Tally's package (${components} components) to ${instanceUrl}…\n`),
      onProgress: (p) => {
        const line = `${p.status}: ${p.deployed}/${p.total} components`
        if (line !== last) io.stderr(`${line}\n`)
        last = line
      },
    })
    const { report } = outcome
    if (flags.json) io.stdout(`${JSON.stringify({ ...report, permissionSet: outcome.permissionSet, salesforceCalls: outcome.salesforceCalls })}\n`)
    if (!report.success) {
      for (const f of report.failures) io.stderr(`${formatFailure(f)}\n`)
      const n = report.failures.length
      const why = n > 0 ? `${n} component${n === 1 ? ' has' : 's have'} errors (listed above)` : (report.errorMessage ?? `it ended ${report.status}`)
      io.stderr(`The deploy failed: ${why}, so nothing was changed in Salesforce. Fix the package in salesforce/force-app and run \`tally salesforce deploy\` again.\n`)
      return EXIT.failed
    }
    if (!flags.json) {
      if (report.checkOnly) {
        io.stdout(`Validated Tally's package: all ${report.total} components would deploy; nothing was changed (--check-only).\n`)
      } else {
        const ps = outcome.permissionSet === 'assigned' ? `assigned the ${PERMISSION_SET} permission set to the integration user` : `the integration user already had the ${PERMISSION_SET} permission set`
        io.stdout(`Deployed Tally's package: ${report.deployed} components; ${ps}. (${outcome.salesforceCalls} Salesforce API calls.)\n`)
      }
    }
    return EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e).replace('Tally could not complete the run', 'Tally could not deploy its package')}\n`)
    return EXIT.failed
  } finally {
    await tally?.close()
  }
}
