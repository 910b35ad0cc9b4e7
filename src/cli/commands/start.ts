/**
 * @module cli/commands/start
 * `tally start` (= `npm start`): the Hub. With no connection configured it runs in demo mode: the
 * sandbox in-process with the sample company, Tally connected to it, and a fresh demo state in
 * `data/demo/` each time (the sandbox keeps nothing between starts either).
 */
import { rm } from 'node:fs/promises'
import { Hono } from 'hono'
import { join, resolve } from 'node:path'
import { startSandbox, type Sandbox } from '../../../emulators/sandbox.js'
import { listen } from '../../lib/http-server.js'
import { isDemo, parseConfig } from '../../config/env.js'
import { createHubApp } from '../../hub/app.js'
import { buildWebApp, webAppBuilt } from '../../hub/web-build.js'
import { alertsFromConfig } from '../../jobs/alerts/index.js'
import type PgBoss from 'pg-boss'
import { handleSyncJob, sessionKeeper, startAutoSync, type AutoSync } from '../../jobs/auto-sync.js'
import { openQueue, SYNC_QUEUE } from '../../jobs/queue.js'
import { qboWebhookEndpoint } from '../../qbo/index.js'
import { connectSalesforce, nameQboConnections } from '../../jobs/connections.js'
import { createHubAuth, adminPasswordHash } from '../../jobs/hub-auth.js'
import { createHubServices } from '../../jobs/hub-services.js'
import { startOrgRunRequests } from '../../jobs/org-run-requests.js'
import { createRunService, type RunRequest } from '../../jobs/runs.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import { describeError } from '../../lib/errors.js'
import { pinoLogger } from '../../lib/pino-logger.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import { untilStopped, type CliIo } from '../io.js'
import { failureText } from './run.js'

export async function startCommand(flags: { port?: number; envFile?: string; host?: string; demoCompanies?: number; autoSync?: boolean }, io: CliIo): Promise<number> {
  let sandbox: Sandbox | undefined
  let tally: Tally | undefined
  let auto: AutoSync | undefined
  let boss: PgBoss | undefined
  try {
    let env = withEnvFile(io.env, io.cwd, flags.envFile)
    let config = parseConfig(env, io.cwd)
    const demo = isDemo(config)
    if (demo) {
      sandbox = await startSandbox(flags.demoCompanies && flags.demoCompanies > 1 ? { companies: flags.demoCompanies } : {})
      const demoDir = resolve(io.cwd, env['TALLY_DB'] ? join(env['TALLY_DB'], '..') : 'data/demo')
      if (!env['TALLY_DB']) await rm(demoDir, { recursive: true, force: true })
      env = { ...env, ...demoEnv(sandbox), TALLY_DB: env['TALLY_DB'] ?? join(demoDir, 'tally.db') }
      config = parseConfig(env, io.cwd)
    }
    // `npx tally start` on a fresh clone has no web/dist yet (only `npm start` had a prestart that
    // built it): build it now, once, rather than serve a page saying it is missing.
    if (!webAppBuilt()) {
      io.stdout('Building the Hub web app (first start only)…\n')
      try {
        await buildWebApp()
      } catch (e) {
        io.stderr(`The Hub web app could not be built: ${describeError(e)}. Run \`npm run build:web\` to see why.\n`)
        return EXIT.failed
      }
    }
    const logger = pinoLogger(io.env['TALLY_LOG_LEVEL'] === 'debug' ? 'debug' : 'warn')
    tally = await openTally(config, logger)
    const t = tally

    // Connect what is configured, so the Connections page shows the truth from the start.
    if (config.qbo.companies.length > 0) await nameQboConnections(t, (realmId, e) => logger.warn('QuickBooks company not connected', { realmId, error: describeError(e) }))
    if (config.salesforce.clientId) await connectSalesforce(t).catch((e) => logger.warn('Salesforce not connected', { error: describeError(e) }))

    const port = flags.port ?? config.port
    const host = flags.host ?? '127.0.0.1'
    // Listen first, then build the Hub: its origin check and OAuth redirect URIs need the real
    // address, which with --port 0 is only known once the port is open.
    const ready: { hub?: ReturnType<typeof createHubApp> } = {}
    const front = new Hono()
    // QuickBooks posts its webhooks here, on the Hub's port but outside its sign-in (their
    // signature is the check), answered at once; the sync runs after the answer (contract §11).
    const verifier = config.qbo.webhookVerifier
    if (verifier) {
      front.route('/webhooks/qbo', qboWebhookEndpoint({ verifierToken: verifier, onCustomerChange: () => {}, onCompanyChange: (realm, changedAt) => auto?.notify(realm, changedAt) }))
    }
    // c.env carries Node's request (the Hub reads the client address from it).
    front.all('*', (c) => (ready.hub ? ready.hub.fetch(c.req.raw, c.env as never) : c.text('Starting…', 503)))
    let server
    try {
      server = await listen(front, port, host)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      io.stderr(code === 'EADDRINUSE' ? `Port ${port} is in use: pass --port or set PORT.\n` : `The Hub could not start: ${describeError(e)}\n`)
      return EXIT.failed
    }
    const hubUrl = config.publicUrl ?? server.url
    // The demo's QuickBooks sends its webhooks to this Hub, as a real app's subscription would.
    if (demo && sandbox && config.qbo.webhookVerifier === sandbox.webhookVerifier) sandbox.setWebhookUrl(`${server.url}/webhooks/qbo`)
    // Alerts link to the Hub: with no TALLY_PUBLIC_URL its address is only known now.
    if (!config.publicUrl) {
      await t.alerts?.close()
      t.alerts = alertsFromConfig(config, t.store.db, logger, hubUrl)
    }
    const { hash, generated } = await adminPasswordHash(t)
    const runs = createRunService(t)
    // Automatic sync (contract §11): webhooks on the Hub's own port, and the sweep.
    // With DATABASE_URL the schedule and the syncs are pg-boss's, shared with every Hub and worker;
    // this Hub takes sync jobs too.
    const autoOptions = { intervalSeconds: config.autoSync.intervalSeconds, budget: config.autoSync.apiBudget }
    if (config.databaseUrl && flags.autoSync !== false) {
      boss = await openQueue(config.databaseUrl, (e) => logger.error('queue error', { error: e.message }))
      const b = boss
      const jobOptions = { ...autoOptions, sessions: sessionKeeper(t) }
      await b.work<RunRequest>(SYNC_QUEUE, { pollingIntervalSeconds: 2 }, async ([job]) => {
        if (job) await handleSyncJob(t, runs, job.data, jobOptions)
      })
    }
    auto = await startAutoSync(t, runs, { ...autoOptions, webhooks: verifier !== undefined, off: flags.autoSync === false, ...(boss ? { boss } : {}) })
    ready.hub = createHubApp({ services: createHubServices(t, runs, auto), auth: createHubAuth(t, hash), publicUrl: hubUrl, logger })
    io.stdout(`Tally Hub: ${hubUrl}\n`)
    if (demo) io.stdout(`Demo mode: connected to the built-in sandbox (QuickBooks ${sandbox?.qbo.url}, Salesforce ${sandbox?.salesforce.url}).\n`)
    if (flags.autoSync === false) io.stdout('Automatic sync is off (--no-auto-sync): sync with Start Import.\n')
    else io.stdout(`Automatic sync: ${verifier ? `QuickBooks webhooks at ${hubUrl}/webhooks/qbo, and ` : ''}a sweep every ${config.autoSync.intervalSeconds} s.\n`)
    if (generated) io.stdout(`Sign in as admin with password: ${generated}\n`)
    else if (config.adminPassword) io.stdout('Sign in as admin with the password in TALLY_ADMIN_PASSWORD.\n')
    else io.stdout(`Sign in as admin with the password printed on first start (delete ${join(config.dataDir, 'admin-password.hash')} to get a new one).\n`)

    // Runs asked for in the org (Tally_Run__c, Status Requested), heard through the Streaming API.
    const requests = config.salesforce.clientId ? startOrgRunRequests(t, runs) : null
    await untilStopped(io.stopSignal)
    await requests?.stop()
    await auto?.stop()
    await boss?.stop({ graceful: true })
    await server.close()
    return EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e, tally?.config)}\n`)
    return EXIT.failed
  } finally {
    await tally?.close()
    await sandbox?.close()
  }
}

/** The demo connects the sandbox's first QuickBooks company; with `--demo-companies K` the others
 * wait in the sandbox for "Add a QuickBooks company" on the Connections page. */
function demoEnv(sandbox: Sandbox): Record<string, string> {
  const env = sandbox.env()
  const first = env['QBO_CONNECTIONS']?.split(',')[0]
  if (!first) return env
  const { QBO_CONNECTIONS: _all, ...rest } = env
  const i = first.indexOf(':')
  return { ...rest, QBO_REALM_ID: first.slice(0, i), QBO_REFRESH_TOKEN: first.slice(i + 1) }
}
