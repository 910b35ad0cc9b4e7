/**
 * @module emulators/qbo/webhooks
 * Webhook delivery (I-WH: developer.intuit.com/app/developer/qbo/docs/develop/webhooks). Each
 * customer change is POSTed to the configured URL, either as CloudEvents (a JSON array of
 * `specversion 1.0` events, `type qbo.customer.<created|updated|deleted>.v1`, `intuitentityid`,
 * `intuitaccountid` = realm — I-WH blog 2025-11-12, SampleApp-Webhooks-Java-Cloudevents) or in the
 * legacy `eventNotifications` shape (I-WH; .NET SDK WebhooksServiceTest). Header
 * `intuit-signature` = Base64(HMAC-SHA256(verifier token, raw body)) (api-facts A.4, test vector
 * verified in webhooks.unit.test.ts). Delivery is asynchronous and best effort: a failed POST is
 * retried twice (Intuit retries for hours; a sandbox retries quickly).
 */
import { createHmac, randomUUID } from 'node:crypto'

export interface WebhookConfig {
  url: string
  verifierToken: string
  format: 'cloudevents' | 'legacy'
}

export type WebhookOperation = 'created' | 'updated' | 'deleted'

export interface WebhookEvent {
  realmId: string
  entity: string
  id: string
  operation: WebhookOperation
  timeMs: number
}

export function signWebhookBody(verifierToken: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', verifierToken).update(rawBody).digest('base64')
}

const LEGACY_OPERATION: Record<WebhookOperation, string> = { created: 'Create', updated: 'Update', deleted: 'Delete' }

export function webhookBody(format: WebhookConfig['format'], events: WebhookEvent[]): string {
  if (format === 'legacy') {
    // One eventNotifications element per realm, many entities per element (I-WH).
    const byRealm = new Map<string, WebhookEvent[]>()
    for (const e of events) byRealm.set(e.realmId, [...(byRealm.get(e.realmId) ?? []), e])
    return JSON.stringify({
      eventNotifications: [...byRealm].map(([realmId, list]) => ({
        realmId,
        dataChangeEvent: {
          entities: list.map((e) => ({
            name: e.entity,
            id: e.id,
            operation: LEGACY_OPERATION[e.operation],
            lastUpdated: new Date(e.timeMs).toISOString(),
          })),
        },
      })),
    })
  }
  return JSON.stringify(
    events.map((e) => ({
      specversion: '1.0',
      id: randomUUID(),
      source: 'intuit.dsnBgbseACLLRZNxYyLbBWc7OGcgKwYfHiVt2s9yCmvLo=',
      type: `qbo.${e.entity.toLowerCase()}.${e.operation}.v1`,
      datacontenttype: 'application/json',
      time: new Date(e.timeMs).toISOString(),
      intuitentityid: e.id,
      intuitaccountid: e.realmId,
      data: {},
    })),
  )
}

/** Sequential, retrying delivery queue; `idle()` resolves when everything queued was attempted. */
export class WebhookSender {
  config: WebhookConfig | undefined
  readonly delivered: { body: string; status: number }[] = []
  private chain: Promise<void> = Promise.resolve()

  constructor(config?: WebhookConfig, private readonly retryDelaysMs = [200, 1000]) {
    this.config = config
  }

  send(events: WebhookEvent[]): void {
    const config = this.config
    if (!config || events.length === 0) return
    const body = webhookBody(config.format, events)
    this.chain = this.chain.then(() => this.deliver(config, body))
  }

  idle(): Promise<void> {
    return this.chain
  }

  private async deliver(config: WebhookConfig, body: string): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'intuit-signature': signWebhookBody(config.verifierToken, body),
      'intuit-t-id': randomUUID(),
      'intuit-created-time': new Date().toISOString(),
      'user-agent': 'intuit_notification_server/0.1',
    }
    if (config.format === 'legacy') headers['intuit-notification-schema-version'] = '0.1'
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt += 1) {
      try {
        const res = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(3000) })
        await res.arrayBuffer().catch(() => undefined)
        this.delivered.push({ body, status: res.status })
        // Intuit retries only 5xx/408 (WH-MIRROR); a 4xx is final.
        if (res.ok || (res.status < 500 && res.status !== 408)) return
      } catch {
        this.delivered.push({ body, status: 0 })
      }
      const delay = this.retryDelaysMs[attempt]
      if (delay !== undefined) await new Promise((r) => setTimeout(r, delay))
    }
  }
}
