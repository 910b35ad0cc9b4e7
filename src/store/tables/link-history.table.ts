/**
 * @module store/tables/link-history — every change of a record's link (contract §10).
 */
import type { Insertable, Selectable } from 'kysely'

export interface LinkHistoryTable {
  /** Time-ordered: `<at as ISO>-<random>`, so newest first is `order by id desc` as well. */
  id: string
  at: string
  /** The Hub user, `salesforce:<user>` for an edit in the org, or `tally` for a run. */
  who: string
  realm_id: string
  qbo_key: string
  qbo_id: string
  display_name: string
  from_account_id: string | null
  from_account_name: string | null
  to_account_id: string | null
  to_account_name: string | null
  from_status: string | null
  to_status: string | null
  reason: string
  /** This entry undid that one. */
  undo_of: string | null
  /** The entry that undid this one. */
  undone_by: string | null
}

export type LinkHistoryRow = Selectable<LinkHistoryTable>
export type NewLinkHistoryRow = Insertable<LinkHistoryTable>
