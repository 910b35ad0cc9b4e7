/** @module store/tables/sessions — Hub sessions; only a SHA-256 of the session id is stored. */
import type { Selectable } from 'kysely'

export interface SessionsTable {
  id_hash: string
  csrf_token: string
  created_at: string
  expires_at: string
  last_seen_at: string
}

export type SessionRow = Selectable<SessionsTable>
