/**
 * @module cli/commands/watch
 * `tally sync --watch`: keeps syncing, on the automatic sync of `tally start` (jobs/auto-sync): a
 * change-data-capture sweep every `--interval` seconds over every connected company (Intuit
 * recommends one as the backstop of webhooks, api-facts A.4), and a signed QBO webhook starts one
 * at once for the company it names (contract §9: routed by realmId; an unknown realm is answered
 * and ignored). Notifications only say "look again": the sync reads what changed through CDC, so
 * duplicates and reordering are harmless. Unlike `tally start`, the first sweep also syncs a
 * company never imported (a first sync reads everything).
 */
import { Hono } from 'hono'
import { listen } from '../../lib/http-server.js'
import { parseConfig } from '../../config/env.js'
import { startAutoSync } from '../../jobs/auto-sync.js'
import { isRunnable, qboCompanies } from '../../jobs/connections.js'
import { createRunService } from '../../jobs/runs.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import { noopLogger } from '../../lib/logger.js'
import { qboWebhookEndpoint } from '../../qbo/index.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import { untilStopped, type CliIo } from '../io.js'
import { failureText, type RunFlags } from './run.js'

export interface WatchFlags extends RunFlags {
  interval: number
  webhookPort: number
}

export async function watchCommand(flags: WatchFlags, io: CliIo): Promise<number> {
  let tally: Tally | undefined
  let server: Awaited<ReturnType<typeof listen>> | undefined
  try {
    const config = parseConfig(withEnvFile(io.env, io.cwd, flags.envFile), io.cwd)
    tally = await openTally(config, noopLogger)
    const t = tally
    const runs = createRunService(tally)
    const many = (await qboCompanies(t)).filter(isRunnable).length > 1
    const verifier = config.qbo.webhookVerifier
    const auto = await startAutoSync(t, runs, {
      intervalSeconds: flags.interval,
      budget: config.autoSync.apiBudget,
      webhooks: verifier !== undefined,
      includeNotImported: true,
      ...(flags.company !== undefined ? { realmId: flags.company } : {}),
      request: { dryRun: flags.dryRun ?? false, ...(flags.createAccounts !== undefined ? { createAccounts: flags.createAccounts } : {}) },
      onRun: (realmId, r) => {
        if ('error' in r) {
          io.stderr(`company ${realmId}: ${failureText(r.error)}\n`)
          return
        }
        io.stdout(flags.json ? `${JSON.stringify(r)}\n` : `${new Date().toISOString()} sync ${r.status}${many ? ` (company ${realmId})` : ''}: ${r.customers['seen']} changed, ${r.customers['created']} created, ${r.customers['updated']} updated, ${r.customers['failed']} failed\n`)
      },
    })
    if (verifier) {
      const app = new Hono()
      app.route(
        '/webhooks/qbo',
        qboWebhookEndpoint({
          verifierToken: verifier,
          onCustomerChange: () => {},
          // Each notification goes to its company's sync (contract §9); one for a realm no
          // connected company has is answered (already, by the endpoint) and ignored, said.
          onCompanyChange: (realm, changedAt) => {
            void (async () => {
              const connected = (await qboCompanies(t)).some((c) => c.company === realm && isRunnable(c) && (flags.company === undefined || c.company === flags.company))
              if (!connected) {
                io.stderr(`Ignored a QuickBooks webhook for realm ${realm}: no such company is connected${flags.company ? ' (this watch syncs only --company)' : ''}.\n`)
                return
              }
              auto.notify(realm, changedAt)
            })().catch((e: unknown) => io.stderr(`${failureText(e)}\n`))
          },
        }),
      )
      server = await listen(app, flags.webhookPort)
      io.stdout(`Listening for QuickBooks webhooks on ${server.url}/webhooks/qbo\n`)
    } else {
      io.stdout('QBO_WEBHOOK_VERIFIER is not set: no webhooks; syncing on the interval only.\n')
    }
    io.stdout(`Syncing every ${flags.interval} s until stopped.\n`)
    await untilStopped(io.stopSignal)
    await auto.stop()
    return EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e, tally?.config)}\n`)
    return EXIT.failed
  } finally {
    await server?.close()
    await tally?.close()
  }
}
