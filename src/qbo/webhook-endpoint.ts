/**
 * @module qbo/webhook-endpoint
 * The HTTP endpoint QuickBooks posts its webhook notifications to, as a Hono app to mount at
 * `/webhooks/qbo` (by `tally sync --watch`, and on the Hub's port). It verifies the
 * `intuit-signature`, reads the notification and calls `onCustomerChange` when it announces a
 * customer change of the connected company; the caller decides what to run. It answers at once:
 * Intuit wants a reply within 3 seconds (api-facts A.4).
 * https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks
 *
 * Two defences, because the URL is public:
 * - The body is limited before it is read (Hono's bodyLimit: a declared Content-Length over the
 *   limit is refused unread, a streamed body is cut off as it passes the limit) with 413 and
 *   `Connection: close`, so a huge body is never buffered.
 * - A notification already seen is acknowledged and dropped, so a replayed signed notification
 *   (or Intuit delivering one twice) starts no second sync. Notifications are known by their
 *   CloudEvents `id`, or for the legacy format by a hash of realm, entities and times; they are
 *   remembered in memory for `replayWindowMs` (at most `maxRemembered` of them). Only verified
 *   notifications are remembered, so a forger cannot make a real one look seen.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { parseWebhook, verifyWebhookSignature } from './webhooks.js'

/** Intuit sends at most 100 events, about 1 MB, per notification (api-facts A.4, webinar Q&A);
 * twice that leaves room for a real one while bounding what a stranger can make us read. */
export const WEBHOOK_MAX_BODY_BYTES = 2 * 1024 * 1024
/** Intuit retries a failed delivery at about 20, 30 and 50 minutes (api-facts A.4); a day covers
 * those and any replay soon after. Older replays only cost a sync that finds nothing new. */
export const WEBHOOK_REPLAY_WINDOW_MS = 24 * 3600_000

export interface WebhookEndpointOptions {
  /** The app's verifier token (QBO_WEBHOOK_VERIFIER). */
  verifierToken: string
  /** Only this company's notifications count; others are acknowledged and ignored. */
  realmId?: string | undefined
  /** A new, verified notification announced a change to a customer. */
  onCustomerChange(): void
  /** The same, per company: called once for each realm whose customers the notification says
   * changed (one notification may mix realms, api-facts A.4), whatever `realmId` is — the caller
   * routes it to that company's sync (contract §9). */
  onCompanyChange?(realmId: string, changedAt?: Date): void
  maxBodyBytes?: number
  replayWindowMs?: number
  maxRemembered?: number
  now?: () => number
}

export function qboWebhookEndpoint(o: WebhookEndpointOptions): Hono {
  const seen = seenNotifications(o.replayWindowMs ?? WEBHOOK_REPLAY_WINDOW_MS, o.maxRemembered ?? 100_000, o.now ?? Date.now)
  const app = new Hono()
  app.post(
    '/',
    bodyLimit({
      maxSize: o.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES,
      onError: (c) => {
        // Close rather than drain the rest of a huge body.
        c.header('Connection', 'close')
        return c.body(null, 413)
      },
    }),
    async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer())
      if (!verifyWebhookSignature(raw, c.req.header('intuit-signature'), o.verifierToken)) return c.body(null, 401)
      let body: unknown
      try {
        body = JSON.parse(new TextDecoder().decode(raw))
      } catch {
        return c.body(null, 400)
      }
      const changes = parseWebhook(body)
      const fresh = new Set(changes.map((ch) => ch.notificationId).filter((id) => seen.add(id)))
      const changed = changes.filter((ch) => fresh.has(ch.notificationId) && ch.entity === 'customer')
      if (changed.some((ch) => !o.realmId || ch.realmId === o.realmId)) o.onCustomerChange()
      for (const realm of new Set(changed.map((ch) => ch.realmId))) {
        // The earliest change the notification names for the company: what its lag is counted from.
        const times = changed.filter((ch) => ch.realmId === realm && ch.changedAt).map((ch) => (ch.changedAt as Date).getTime())
        o.onCompanyChange?.(realm, times.length > 0 ? new Date(Math.min(...times)) : undefined)
      }
      // Acknowledged even when already seen: Intuit retries what is not answered 200.
      return c.body(null, 200)
    },
  )
  return app
}

/** Ids seen within the window, oldest first (a Map keeps insertion order). */
function seenNotifications(windowMs: number, max: number, now: () => number) {
  const until = new Map<string, number>()
  return {
    /** True when `id` was not seen within the window (and remembers it). */
    add(id: string): boolean {
      const at = now()
      for (const [old, expires] of until) {
        if (expires > at && until.size <= max) break
        until.delete(old)
      }
      const known = (until.get(id) ?? 0) > at
      if (!known) until.set(id, at + windowMs)
      return !known
    },
  }
}
