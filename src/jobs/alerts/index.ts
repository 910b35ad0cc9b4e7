/**
 * @module jobs/alerts
 * Alerts (contract §11): the problems Tally reports (problem.ts), the channels that carry them
 * (webhook.ts, email.ts) and the service that alerts each problem once while it lasts (service.ts).
 * `alertsFromConfig` builds the service from TALLY_ALERT_WEBHOOK / TALLY_SMTP_URL /
 * TALLY_ALERT_EMAIL; the alerts are recorded (and listed in the Hub) even with no channel set.
 */
import type { Config } from '../../config/env.js'
import type { Logger } from '../../lib/logger.js'
import type { Db } from '../../store/index.js'
import type { AlertChannel } from './channel.js'
import { emailChannel } from './email.js'
import { createAlertService, type AlertService } from './service.js'
import { webhookChannel } from './webhook.js'

export * from './problem.js'
export type { AlertService } from './service.js'
export { createAlertService } from './service.js'
export { reportConnection, reportRunFailed, reportRunFinished } from './report.js'
export type { AlertChannel, AlertMessage } from './channel.js'

export function alertChannels(config: Pick<Config, 'alerts'>): AlertChannel[] {
  const { webhookUrl, email } = config.alerts
  return [...(webhookUrl ? [webhookChannel({ url: webhookUrl })] : []), ...(email ? [emailChannel(email)] : [])]
}

export function alertsFromConfig(config: Pick<Config, 'alerts' | 'publicUrl'>, db: Db, logger: Logger, hubUrl = config.publicUrl): AlertService {
  return createAlertService({ db, channels: alertChannels(config), logger, ...(hubUrl ? { hubUrl } : {}) })
}
