/**
 * @module cli
 * The `tally` command (contract §2): commander wiring only; each command lives in commands/.
 */
import { Command, InvalidArgumentError } from 'commander'
import type { LinksAction, LinksFlags } from './commands/links.js'
import type * as Run from './commands/run.js'
import type * as Sandbox from './commands/sandbox.js'
import type * as Links from './commands/links.js'
import type * as Salesforce from './commands/salesforce.js'
import type * as Start from './commands/start.js'
import type * as Watch from './commands/watch.js'
import type * as Worker from './commands/worker.js'
import type { CliIo } from './io.js'

const int = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} takes a whole number`)
  return Number(v)
}
const realm = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--company takes a QuickBooks realm id (digits only)')
  return v
}
const rate = (v: string) => {
  const n = Number(v)
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('--fault-rate takes a fraction from 0 to 1')
  return n
}

// Each command's module is loaded when it runs: `tally import` then does not load the sandbox's
// emulators, the Hub or pg-boss (tens of MB of a process that must stay small; README, "Memory").
const runOnce: typeof Run.runOnce = async (...a) => (await import('./commands/run.js')).runOnce(...a)
const sandboxCommand: typeof Sandbox.sandboxCommand = async (...a) => (await import('./commands/sandbox.js')).sandboxCommand(...a)
const linksCommand: typeof Links.linksCommand = async (...a) => (await import('./commands/links.js')).linksCommand(...a)
const salesforceDeployCommand: typeof Salesforce.salesforceDeployCommand = async (...a) => (await import('./commands/salesforce.js')).salesforceDeployCommand(...a)
const startCommand: typeof Start.startCommand = async (...a) => (await import('./commands/start.js')).startCommand(...a)
const watchCommand: typeof Watch.watchCommand = async (...a) => (await import('./commands/watch.js')).watchCommand(...a)
const workerCommand: typeof Worker.workerCommand = async (...a) => (await import('./commands/worker.js')).workerCommand(...a)

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = 0
  const program = new Command('tally')
    .description('Keeps QuickBooks Online customers in sync with Salesforce.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })

  const runFlags = (c: Command) =>
    c
      .option('--create-accounts', 'create an Account for a customer no Account matches')
      .option('--no-create-accounts', 'leave unmatched customers Unmapped')
      .option('--dry-run', 'plan only: write nothing to Salesforce')
      .option('--no-suggestions', 'compute no suggested Accounts in this run (they may cost a few Salesforce calls)')
      .option('--retry-refused', 'send again the writes Salesforce refused in earlier runs (once their cause is fixed)')
      .option('--json', 'print the summary as JSON on stdout and nothing else there')
      .option('--env-file <file>', 'a dotenv file of Tally\'s variables')
      .option('--verbose', 'log what Tally does on stderr')
      .option('--enqueue', 'queue the run for `tally worker` processes (needs DATABASE_URL)')
      .option('--company <realmId>', 'only this QuickBooks company (default: every connected company)', realm)

  // commander sets createAccounts=true by default when a --no- flag exists; only an explicit flag
  // overrides the saved setting.
  const explicitCreate = (cmd: Command): boolean | undefined =>
    cmd.getOptionValueSource('createAccounts') === 'cli' ? (cmd.opts().createAccounts as boolean) : undefined

  runFlags(program.command('import').description('one full import, then exit')).action(async (opts, cmd: Command) => {
    code = await runOnce('import', { ...opts, createAccounts: explicitCreate(cmd) }, io)
  })
  runFlags(program.command('sync').description('one incremental sync (what changed in QBO since the last run)'))
    .option('--watch', 'keep syncing: on QBO webhooks and a periodic change-data-capture sweep')
    .option('--interval <s>', 'with --watch: seconds between sweeps', int('--interval'), 300)
    .option('--webhook-port <port>', 'with --watch: port for QBO webhooks (POST /webhooks/qbo)', int('--webhook-port'), 3001)
    .action(async (opts, cmd: Command) => {
      const flags = { ...opts, createAccounts: explicitCreate(cmd) }
      code = opts.watch ? await watchCommand(flags, io) : await runOnce('sync', flags, io)
    })
  program
    .command('sandbox')
    .description('run the QuickBooks and Salesforce emulators until killed')
    .option('--qbo-port <port>', 'QBO emulator port', int('--qbo-port'), 4101)
    .option('--sf-port <port>', 'Salesforce emulator port', int('--sf-port'), 4102)
    .option('--data <file>', 'sandbox data file (JSON)')
    .option('--generate <n>', 'N synthetic customers (per company) and ~0.8·N Accounts', int('--generate'))
    .option('--companies <k>', 'K QuickBooks companies in the one QBO sandbox, each with its own realm and grant', int('--companies'))
    .option('--random-seed <n>', 'seed for --generate and fault injection', int('--random-seed'))
    .option('--latency-ms <n>', 'added to every API request', int('--latency-ms'))
    .option('--fault-rate <p>', 'fraction of API requests answered with a transient failure', rate)
    .option('--throttle', 'enforce QBO\'s rate limits (500/min, 10 concurrent per realm)')
    .option('--token-ttl <s>', 'access-token lifetime in seconds', int('--token-ttl'))
    .option('--env-out <file>', 'write a dotenv file that points Tally at this sandbox')
    .option('--no-package', 'start the Salesforce org without Tally\'s package (install it with `tally salesforce deploy`)')
    .option('--webhook-url <url>', 'deliver QBO webhooks for every change made through the sandbox to URL (signed with QBO_WEBHOOK_VERIFIER, written by --env-out)')
    .action(async (opts) => {
      code = await sandboxCommand(opts, io)
    })
  program
    .command('start', { isDefault: false })
    .description('run the Tally Hub (demo mode against the built-in sandbox when nothing is configured)')
    .option('--port <port>', 'port (env PORT; default 3000)', int('--port'))
    .option('--env-file <file>', 'a dotenv file of Tally\'s variables')
    .option('--no-auto-sync', 'do not sync by itself (no webhooks, no sweep): only Start Import')
    .option('--demo-companies <k>', 'demo mode: K QuickBooks companies in the sandbox, the first connected (add the others in the Hub)', int('--demo-companies'))
    .action(async (opts) => {
      code = await startCommand(opts, io)
    })
  program
    .command('salesforce')
    .description('Tally\'s package in the connected Salesforce org')
    .command('deploy')
    .description('deploy the package (salesforce/) through the Metadata API and assign Tally_Sync to the integration user')
    .option('--check-only', 'validate without saving anything')
    .option('--json', 'print the deploy result as JSON on stdout')
    .option('--env-file <file>', 'a dotenv file of Tally\'s variables')
    .option('--verbose', 'log what Tally does on stderr')
    .action(async (opts) => {
      code = await salesforceDeployCommand(opts, io)
    })
  // `tally links …` (contract §10): each subcommand takes --env-file, --company and --json.
  const links = program.command('links').description('the link queue: suggestions, accept, ignore, history, undo')
  const linkFlags = (c: Command) =>
    c
      .option('--env-file <file>', 'a dotenv file of Tally\'s variables')
      .option('--company <realmId>', 'only this QuickBooks company', realm)
      .option('--json', 'print JSON on stdout and nothing else there')
  const runLinks = async (action: LinksAction, opts: LinksFlags) => {
    code = await linksCommand(action, opts, io)
  }
  linkFlags(links.command('list').description('the records of a status (default: Unmapped and Ambiguous) with their suggestions'))
    .option('--status <status>', 'one link status')
    .action((opts) => runLinks({ kind: 'list' }, opts))
  linkFlags(links.command('suggest').description('recompute suggestions now')).action((opts) => runLinks({ kind: 'suggest' }, opts))
  linkFlags(links.command('set <qboKey> <accountId>').description('link one record by hand (Manual)')).action((key: string, accountId: string, opts) =>
    runLinks({ kind: 'set', key, accountId }, opts),
  )
  linkFlags(links.command('accept').description('accept every best suggestion scoring at least N'))
    .option('--min-score <n>', 'the lowest score accepted (default 90)', int('--min-score'))
    .option('--dry-run', 'only print what would be linked')
    .action((opts) => runLinks({ kind: 'accept' }, opts))
  linkFlags(links.command('ignore <qboKey>').description('mark a record Ignored')).action((key: string, opts) => runLinks({ kind: 'ignore', key }, opts))
  linkFlags(links.command('unignore <qboKey>').description('clear Ignored')).action((key: string, opts) => runLinks({ kind: 'unignore', key }, opts))
  linkFlags(links.command('history').description('the link changes, newest first'))
    .option('--limit <n>', 'how many (default 50)', int('--limit'))
    .action((opts) => runLinks({ kind: 'history' }, opts))
  linkFlags(links.command('undo <id>').description('undo one history entry (the old link comes back as Manual)')).action((id: string, opts) => runLinks({ kind: 'undo', id }, opts))
  program
    .command('worker')
    .description('(scale-out) take sync jobs from the shared Postgres queue')
    .option('--env-file <file>', 'a dotenv file of Tally\'s variables')
    .action(async (opts) => {
      code = await workerCommand(opts, io)
    })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (e) {
    const c = e as { code?: string; exitCode?: number }
    if (c.code === 'commander.helpDisplayed' || c.code === 'commander.version') return 0
    return c.exitCode && c.exitCode !== 0 ? 1 : 1
  }
  return code
}
