/** @module store/tables/record-states — what Tally last wrote for each QBO customer. */
import type { Insertable, Selectable } from 'kysely'

export interface RecordStatesTable {
  realm_id: string
  /** `<realmId>-<Id>` (contract §4), the primary key. */
  key: string
  salesforce_id: string | null
  account_written: string | null
  link_status: string | null
  /** JSON of `RecordRefusal`, or null. */
  refused: string | null
  updated_at: string
}

export type RecordStateRow = Selectable<RecordStatesTable>
export type NewRecordStateRow = Insertable<RecordStatesTable>
