/**
 * @module cli/commands/watch
 * `tally sync --watch`: keeps syncing. A change-data-capture sweep runs every `--interval`
 * seconds (Intuit recommends one as the backstop of webhooks, api-facts A.4), and a signed QBO
 * webhook for the connected company starts one at once. Notifications only say "look again":
 * the sync reads what changed through CDC, so duplicates and reordering are harmless.
 */
import { Hono } from 'hono'
import { listen } from '../../lib/http-server.js'
import { parseConfig } from '../../config/env.js'
import { createRunService } from '../../jobs/runs.js'
import { RunAlreadyRunningError } from '../../lib/errors.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import { noopLogger } from '../../lib/logger.js'
import { qboWebhookEndpoint } from '../../qbo/index.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import type { CliIo } from '../io.js'
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
    const runs = createRunService(tally)
    let wake: (() => void) | null = null
    let pending = true // the first sync runs at once

    const verifier = config.qbo.webhookVerifier
    if (verifier) {
      const app = new Hono()
      app.route(
        '/webhooks/qbo',
        qboWebhookEndpoint({
          verifierToken: verifier,
          realmId: config.qbo.realmId,
          onCustomerChange: () => {
            pending = true
            wake?.()
          },
        }),
      )
      server = await listen(app, flags.webhookPort)
      io.stdout(`Listening for QuickBooks webhooks on ${server.url}/webhooks/qbo\n`)
    } else {
      io.stdout('QBO_WEBHOOK_VERIFIER is not set: no webhooks; syncing on the interval only.\n')
    }
    io.stdout(`Syncing every ${flags.interval} s until stopped.\n`)

    while (!io.stopSignal.aborted) {
      if (pending) {
        pending = false
        try {
          const r = await runs.execute({ mode: 'sync', dryRun: flags.dryRun ?? false, ...(flags.createAccounts !== undefined ? { createAccounts: flags.createAccounts } : {}) })
          const s = r.summary
          io.stdout(flags.json ? `${JSON.stringify(s)}\n` : `${new Date().toISOString()} sync ${s.status}: ${s.customers.seen} changed, ${s.customers.created} created, ${s.customers.updated} updated, ${s.customers.failed} failed\n`)
        } catch (e) {
          if (!(e instanceof RunAlreadyRunningError)) io.stderr(`${failureText(e, tally?.config)}\n`)
        }
        continue
      }
      await new Promise<void>((done) => {
        const timer = setTimeout(() => {
          pending = true
          done()
        }, flags.interval * 1000)
        wake = () => {
          clearTimeout(timer)
          done()
        }
        io.stopSignal.addEventListener('abort', () => wake?.(), { once: true })
      })
      wake = null
    }
    return EXIT.ok
  } catch (e) {
    io.stderr(`${failureText(e, tally?.config)}\n`)
    return EXIT.failed
  } finally {
    await server?.close()
    await tally?.close()
  }
}
