/**
 * @module cli/commands/watch
 * `tally sync --watch`: keeps syncing. A change-data-capture sweep runs every `--interval`
 * seconds over every connected company (Intuit recommends one as the backstop of webhooks,
 * api-facts A.4), and a signed QBO webhook starts one at once for the company it names (contract
 * §9: routed by realmId; an unknown realm is answered and ignored). Notifications only say "look
 * again": the sync reads what changed through CDC, so duplicates and reordering are harmless.
 */
import { Hono } from 'hono'
import { listen } from '../../lib/http-server.js'
import { parseConfig } from '../../config/env.js'
import { runCompanies } from '../../jobs/company-runs.js'
import { isRunnable, qboCompanies } from '../../jobs/connections.js'
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
    const t = tally
    const runs = createRunService(tally)
    let wake: (() => void) | null = null
    let pending = true // the first sweep (every company) runs at once
    const notified = new Set<string>() // companies a webhook asked to sync
    const runFlags = { mode: 'sync' as const, dryRun: flags.dryRun ?? false, ...(flags.createAccounts !== undefined ? { createAccounts: flags.createAccounts } : {}) }
    const report = (s: { status: string; customers: Record<string, number> }, realmId: string | null, many: boolean) =>
      io.stdout(flags.json ? `${JSON.stringify(s)}\n` : `${new Date().toISOString()} sync ${s.status}${many && realmId ? ` (company ${realmId})` : ''}: ${s.customers['seen']} changed, ${s.customers['created']} created, ${s.customers['updated']} updated, ${s.customers['failed']} failed\n`)

    const verifier = config.qbo.webhookVerifier
    if (verifier) {
      const app = new Hono()
      app.route(
        '/webhooks/qbo',
        qboWebhookEndpoint({
          verifierToken: verifier,
          // Routed by realm below; this callback is for a single-company filter only.
          onCustomerChange: () => {},
          // Each notification goes to its company's sync (contract §9); one for a realm no
          // connected company has is answered (already, by the endpoint) and ignored, said.
          onCompanyChange: (realm) => {
            void (async () => {
              const connected = (await qboCompanies(t)).some((c) => c.company === realm && isRunnable(c) && (flags.company === undefined || c.company === flags.company))
              if (!connected) {
                io.stderr(`Ignored a QuickBooks webhook for realm ${realm}: no such company is connected${flags.company ? ' (this watch syncs only --company)' : ''}.\n`)
                return
              }
              notified.add(realm)
              wake?.()
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

    while (!io.stopSignal.aborted) {
      if (pending) {
        pending = false
        notified.clear() // the sweep covers them
        try {
          const outcome = await runCompanies(t, runs, runFlags, flags.company !== undefined ? { realmId: flags.company } : {})
          if (outcome.kind === 'single') report(outcome.result.summary, outcome.result.realmId, false)
          else for (const c of outcome.summary.companies) report(c, c.realmId, true)
          for (const f of outcome.kind === 'multi' ? outcome.failures : []) io.stderr(`company ${f.realmId}: ${failureText(f.error)}\n`)
        } catch (e) {
          if (!(e instanceof RunAlreadyRunningError)) io.stderr(`${failureText(e, tally?.config)}\n`)
        }
        continue
      }
      if (notified.size > 0) {
        const realms = [...notified]
        notified.clear()
        for (const realmId of realms) {
          try {
            const r = await runs.execute({ ...runFlags, realmId })
            report(r.summary, realmId, true)
          } catch (e) {
            // A run of that company already going on will read this change too (CDC overlaps).
            if (!(e instanceof RunAlreadyRunningError)) io.stderr(`company ${realmId}: ${failureText(e)}\n`)
          }
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
