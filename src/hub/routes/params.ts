/**
 * @module hub/routes/params
 * The parameters several routes share, validated one way: a QuickBooks company's realm id, a
 * Salesforce record id, a record's QBO key.
 */
import { z } from 'zod'

/** A QuickBooks company's realm id: digits. */
export const RealmId = z.string().regex(/^\d+$/).max(32)
/** Salesforce record ids are 15 or 18 alphanumeric characters. */
export const SalesforceId = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/)
/** `:key` of /api/customers/:key/… (`<realmId>-<Id>`, contract §4). */
export const KeyParams = z.strictObject({ key: z.string().min(1).max(100) })
