/**
 * @module jobs/alerts/service
 * The alert service (contract §11): `raise` opens a problem in the store and, the first time
 * only, sends it to every channel; `resolve` closes it and sends one "recovered". Whether a
 * problem is open lives in the store, so two processes, or one restarted, do not alert twice.
 * Each channel's answer is kept on the alert; a channel that fails is logged, never thrown: an
 * alert must not break the run that reports it.
 */
import { describeError } from '../../lib/errors.js'
import { noopLogger, type Logger } from '../../lib/logger.js'
import { closeProblem, listAlerts, openProblem, recordAlertDeliveries, type Alert, type AlertDelivery, type AlertKind, type Db } from '../../store/index.js'
import type { AlertChannel } from './channel.js'
import { companyPhrase, hubPage, kindTitle, recoveredText, type AlertSink, type Company, type Problem } from './problem.js'

export interface AlertService extends AlertSink {
  /** The latest alerts first (the Hub's list). */
  recent(limit: number): Promise<Alert[]>
  /** Like `raise`, returning the alert it sent (null: the problem was open already). */
  raiseAlert(problem: Problem): Promise<Alert | null>
  /** Like `resolve`, returning the "recovered" alert it sent (null: nothing was open). */
  resolveAlert(kind: AlertKind, company: Company): Promise<Alert | null>
  close(): Promise<void>
}

export interface AlertServiceOptions {
  db: Db
  channels: readonly AlertChannel[]
  /** The Hub's address, for the link in each alert (none when not known). */
  hubUrl?: string
  logger?: Logger
  now?: () => Date
}

export function createAlertService(o: AlertServiceOptions): AlertService {
  const logger = o.logger ?? noopLogger
  const now = o.now ?? (() => new Date())
  const hub = o.hubUrl?.replace(/\/+$/, '')

  /** Sends to every channel at once and records what each answered. */
  async function deliver(alert: Alert): Promise<Alert> {
    const link = hub ? `\n\nTally Hub: ${hub}/${hubPage(alert.kind)}` : ''
    const who = alert.realmId === null ? '' : `: ${companyPhrase(alert).replace(/^QuickBooks company /, '')}`
    const subject = alert.state === 'recovered' ? `[Tally] Recovered (${kindTitle(alert.kind)})${who}` : `[Tally] ${kindTitle(alert.kind)}${who}`
    const message = { subject, text: `${alert.text}${link}` }
    const deliveries: AlertDelivery[] = await Promise.all(
      o.channels.map(async (ch): Promise<AlertDelivery> => {
        try {
          await ch.send(message)
          return { channel: ch.name, ok: true, at: now().toISOString() }
        } catch (e) {
          const error = describeError(e)
          logger.warn('alert not delivered', { channel: ch.name, kind: alert.kind, realmId: alert.realmId, error })
          return { channel: ch.name, ok: false, error, at: now().toISOString() }
        }
      }),
    )
    await recordAlertDeliveries(o.db, alert.id, deliveries).catch((e: unknown) => logger.warn('alert deliveries not recorded', { alertId: alert.id, error: describeError(e) }))
    return { ...alert, deliveries }
  }

  async function raiseAlert(p: Problem): Promise<Alert | null> {
    try {
      const alert = await openProblem(o.db, { kind: p.kind, realmId: p.realmId, companyName: p.companyName ?? null, text: p.text, now: now() })
      return alert ? await deliver(alert) : null
    } catch (e) {
      logger.error('alert not raised', { kind: p.kind, realmId: p.realmId, error: describeError(e) })
      return null
    }
  }

  async function resolveAlert(kind: AlertKind, c: Company): Promise<Alert | null> {
    try {
      const alert = await closeProblem(o.db, { kind, realmId: c.realmId, companyName: c.companyName ?? null, text: () => recoveredText(kind, c), now: now() })
      return alert ? await deliver(alert) : null
    } catch (e) {
      logger.error('alert not resolved', { kind, realmId: c.realmId, error: describeError(e) })
      return null
    }
  }

  return {
    raiseAlert,
    resolveAlert,
    async raise(p) {
      await raiseAlert(p)
    },
    async resolve(kind, c) {
      await resolveAlert(kind, c)
    },
    recent: (limit) => listAlerts(o.db, limit),
    async close() {
      for (const ch of o.channels) await ch.close?.()
    },
  }
}
