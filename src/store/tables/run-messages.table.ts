/** @module store/tables/run-messages — per-record errors and warnings of a run. */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface RunMessagesTable {
  /** Auto-increment: keeps messages in the order they were added. */
  id: Generated<number>
  run_id: string
  /** `error` | `warning` */
  level: string
  qbo_id: string | null
  display_name: string | null
  field: string | null
  code: string
  message: string
}

export type RunMessageRow = Selectable<RunMessagesTable>
export type NewRunMessageRow = Insertable<RunMessagesTable>
