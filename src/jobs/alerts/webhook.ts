/**
 * @module jobs/alerts/webhook
 * Alerts to an incoming webhook: one JSON POST `{"text": "…"}`, the body Slack's incoming webhooks
 * take (https://api.slack.com/messaging/webhooks) and so do Microsoft Teams' (Office 365 connector
 * "incoming webhook", https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook).
 * Each attempt has a timeout; a 5xx, a 429 or no answer at all is tried again a couple of times,
 * any other refusal is final (a 4xx will not change by sending again).
 */
import { retry } from '../../lib/retry.js'
import type { AlertChannel, AlertMessage } from './channel.js'

export interface WebhookOptions {
  url: string
  /** Per attempt (default 10 s). */
  timeoutMs?: number
  /** Tries after the first (default 2). */
  retries?: number
  baseDelayMs?: number
}

class WebhookStatusError extends Error {
  constructor(readonly status: number, body: string) {
    super(`the webhook answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`)
  }
}

const retryable = (e: unknown): boolean => !(e instanceof WebhookStatusError) || e.status >= 500 || e.status === 429

/** The URL without its path: a webhook URL's path is its secret. */
const origin = (url: string): string => new URL(url).origin

export function webhookChannel(o: WebhookOptions): AlertChannel {
  const timeoutMs = o.timeoutMs ?? 10_000
  return {
    name: 'webhook',
    async send(message: AlertMessage) {
      await retry(
        async () => {
          let res: Response
          try {
            res = await fetch(o.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: message.text }),
              signal: AbortSignal.timeout(timeoutMs),
            })
          } catch (e) {
            const why = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)
            throw new Error(`the webhook at ${origin(o.url)} could not be reached: ${why}`, { cause: e })
          }
          const body = await res.text().catch(() => '')
          if (!res.ok) throw new WebhookStatusError(res.status, body)
        },
        { retries: o.retries ?? 2, baseDelayMs: o.baseDelayMs ?? 500, maxDelayMs: 5_000, shouldRetry: retryable },
      )
    },
  }
}
