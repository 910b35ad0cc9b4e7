/**
 * @module qbo/webhook-endpoint
 * The HTTP endpoint QuickBooks posts its webhook notifications to, as a Hono app to mount at
 * `/webhooks/qbo` (by `tally sync --watch`, and on the Hub's port). It verifies the
 * `intuit-signature`, reads the notification and calls `onCustomerChange` when it announces a
 * customer change of the connected company; the caller decides what to run. It answers at once:
 * Intuit wants a reply within 3 seconds (api-facts A.4).
 * https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks
 */
import { Hono } from 'hono'
import { parseWebhook, verifyWebhookSignature } from './webhooks.js'

export interface WebhookEndpointOptions {
  /** The app's verifier token (QBO_WEBHOOK_VERIFIER). */
  verifierToken: string
  /** Only this company's notifications count; others are acknowledged and ignored. */
  realmId?: string | undefined
  /** A verified notification announced a change to a customer. */
  onCustomerChange(): void
}

export function qboWebhookEndpoint(o: WebhookEndpointOptions): Hono {
  const app = new Hono()
  app.post('/', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    if (!verifyWebhookSignature(raw, c.req.header('intuit-signature'), o.verifierToken)) return c.body(null, 401)
    let body: unknown
    try {
      body = JSON.parse(new TextDecoder().decode(raw))
    } catch {
      return c.body(null, 400)
    }
    if (parseWebhook(body).some((ch) => ch.entity === 'customer' && (!o.realmId || ch.realmId === o.realmId))) {
      o.onCustomerChange()
    }
    // The sync runs after the answer.
    return c.body(null, 200)
  })
  return app
}
