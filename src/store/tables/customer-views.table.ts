/**
 * @module store/tables/customer-views — the Hub's local copy of each synced QBO customer, as
 * last written to Salesforce (no Salesforce call is needed to browse it).
 */
import type { Insertable, Selectable } from 'kysely'

export interface CustomerViewsTable {
  /** `<realmId>-<qboId>` (contract §4), the primary key. */
  key: string
  realm_id: string
  /** `QBO_Customer__c` id, once written. */
  salesforce_id: string | null
  qbo_id: string
  display_name: string
  account_id: string | null
  account_name: string | null
  /** `Matched` | `Created` | `Manual` | `Inherited` | `Unmapped` | `Ambiguous` (contract §5). */
  link_status: string | null
  /** 0 | 1 */
  active: number
  /** 0 | 1 — QBO `Job` = true (a sub-customer or project). */
  is_sub_customer: number
  parent_name: string | null
  email: string | null
  /** JSON array of `{ id, name }`: the Accounts an `Ambiguous` customer could link to. */
  candidates: string | null
  /** JSON array of `{ accountId, accountName, score, reasons }`, best first (contract §10). */
  suggestions: string | null
  updated_at: string
}

export type CustomerViewRow = Selectable<CustomerViewsTable>
export type NewCustomerViewRow = Insertable<CustomerViewsTable>
