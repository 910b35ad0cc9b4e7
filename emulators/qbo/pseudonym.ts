/**
 * @module emulators/qbo/pseudonym
 * `V4IDPseudonym`, the opaque per-customer identifier QBO adds to customers it returns. Its
 * shape, learned from recorded traffic of a sandbox company (not copied): 38 characters,
 * `002098` and 32 lower-case hex digits, one per customer, unchanged across updates. Intuit does
 * not document how it is made, so the sandbox derives it from the realm and the customer Id — it
 * is stable across restarts and resets, distinct per customer and per company.
 */
import { createHash } from 'node:crypto'

export function v4IdPseudonym(realmId: string, customerId: string): string {
  return `002098${createHash('sha256').update(`${realmId}:Customer:${customerId}`).digest('hex').slice(0, 32)}`
}
