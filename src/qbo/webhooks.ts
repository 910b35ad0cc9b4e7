/**
 * @module qbo/webhooks
 * Verifying and reading QBO webhook notifications
 * (https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks): the `intuit-signature`
 * header is Base64(HMAC-SHA256(verifier token, raw body)); the body is either the CloudEvents
 * array (`specversion` 1.0, `type` qbo.<entity>.<operation>.v1) or the legacy
 * `eventNotifications` object (api-facts A.4). Notifications may arrive late, twice or out of
 * order, so they only say "look again"; the data is read with change data capture.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export interface WebhookChange {
  realmId: string
  entity: string
  id: string
  operation: string
  /** Which notification announced it, the same for every delivery of it: a CloudEvent's `id`;
   * for the legacy format (no id) a hash of its realm, entities, operations and times. */
  notificationId: string
  /** When QuickBooks says the change was made (a CloudEvent's `time`, an entity's `lastUpdated`),
   * when it says so. */
  changedAt?: Date
}

const instant = (v: unknown): { changedAt?: Date } => {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN
  return Number.isFinite(ms) ? { changedAt: new Date(ms) } : {}
}

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex')

/** True when `signature` is the body's HMAC under `verifierToken` (constant-time compare). */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signature: string | undefined, verifierToken: string): boolean {
  if (!signature) return false
  const expected = createHmac('sha256', verifierToken).update(rawBody).digest()
  let given: Buffer
  try {
    given = Buffer.from(signature.trim(), 'base64')
  } catch {
    return false
  }
  return given.length === expected.length && timingSafeEqual(given, expected)
}

type Json = Record<string, unknown>
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))

/** The changes a notification announces, in either format; unknown shapes give none. */
export function parseWebhook(body: unknown): WebhookChange[] {
  if (Array.isArray(body)) {
    return body.flatMap((e: Json) => {
      const m = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(str(e['type']))
      if (!m) return []
      const notificationId = str(e['id']) || `sha256:${sha256(e)}`
      return [{ realmId: str(e['intuitaccountid']), entity: m[1] ?? '', id: str(e['intuitentityid']), operation: m[2] ?? '', notificationId, ...instant(e['time']) }]
    })
  }
  const notes = (body as { eventNotifications?: unknown })?.eventNotifications
  if (!Array.isArray(notes)) return []
  return notes.flatMap((n: Json) => {
    const entities = (n['dataChangeEvent'] as { entities?: Json[] } | undefined)?.entities ?? []
    const notificationId = `sha256:${sha256([str(n['realmId']), entities.map((e) => [str(e['name']), str(e['id']), str(e['operation']), str(e['lastUpdated']), str(e['deletedId'])])])}`
    return entities.map((e) => ({ realmId: str(n['realmId']), entity: str(e['name']).toLowerCase(), id: str(e['id']), operation: str(e['operation']).toLowerCase(), notificationId, ...instant(e['lastUpdated']) }))
  })
}
