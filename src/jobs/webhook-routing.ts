/**
 * @module jobs/webhook-routing
 * QBO webhooks name the company each change belongs to (`realmId` of a legacy
 * `eventNotifications` element, `intuitaccountid` of a CloudEvent — api-facts A.4; one delivery
 * may mix realms). Each notification goes to its company's sync (contract §9); one for a realm
 * Tally has not connected is answered like the others and ignored, so Intuit does not retry it.
 */
import { parseWebhook } from '../qbo/index.js'

export interface RoutedWebhook {
  /** Connected companies with a customer change to sync. */
  realms: Set<string>
  /** Realms no connected company has (to log). */
  unknown: Set<string>
}

export function routeWebhook(body: unknown, connected: ReadonlySet<string>): RoutedWebhook {
  const realms = new Set<string>()
  const unknown = new Set<string>()
  for (const ch of parseWebhook(body)) {
    if (ch.entity !== 'customer') continue
    if (connected.has(ch.realmId)) realms.add(ch.realmId)
    else unknown.add(ch.realmId)
  }
  return { realms, unknown }
}
