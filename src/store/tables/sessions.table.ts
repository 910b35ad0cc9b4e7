/** @module store/tables/sessions — Hub sessions; only a SHA-256 of the session id is stored. */
import type { Selectable } from 'kysely'

export interface SessionsTable {
  id_hash: string
  csrf_token: string
  created_at: string
  expires_at: string
  last_seen_at: string
  /** Who signed in (the Hub has one user, `admin`). */
  username: string | null
  /** `<provider>:<state>` of an OAuth authorization in progress. */
  oauth_state: string | null
}

export type SessionRow = Selectable<SessionsTable>
