/** @module store/tables/checkpoints — per realm, the instant the last incremental sync covered. */
import type { Selectable } from 'kysely'

export interface CheckpointsTable {
  realm_id: string
  last_sync_at: string
  updated_at: string
}

export type CheckpointRow = Selectable<CheckpointsTable>
