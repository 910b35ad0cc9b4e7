/** @module store/tables/runs — one row per import or sync run (the Hub's run history). */
import type { Insertable, Selectable } from 'kysely'

export interface RunsTable {
  /** UUID. */
  id: string
  /** `import` | `sync` */
  mode: string
  /** 0 | 1 */
  dry_run: number
  /** `running` | `succeeded` | `partial` | `failed` | `interrupted` */
  status: string
  phase: string | null
  done: number
  total: number
  started_at: string
  finished_at: string | null
  heartbeat_at: string
  /** JSON text of the contract §6 summary. */
  summary: string | null
  error: string | null
  /** `<host>:<pid>` of the process running it. */
  owner: string | null
  /** At most one `running` run per key (a partial unique index): today the store's one key. */
  lock_key: string | null
}

export type RunRow = Selectable<RunsTable>
export type NewRunRow = Insertable<RunsTable>
