/** @module store/tables/checkpoints — per realm, the instant the last incremental sync covered. */
import type { Selectable } from 'kysely'

export interface CheckpointsTable {
  realm_id: string
  last_sync_at: string
  /** When the last run's writes to Salesforce ended (store/checkpoints), and as which user. */
  own_writes_until: string | null
  own_writes_user_id: string | null
  updated_at: string
}

export type CheckpointRow = Selectable<CheckpointsTable>
