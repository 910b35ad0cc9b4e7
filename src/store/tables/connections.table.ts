/**
 * @module store/tables/connections
 * One row per provider. Tokens exist only as ciphertext (`*_enc`); instants are ISO 8601 text
 * (the store's portable time convention, see store/codec).
 */
import type { Insertable, Selectable, Updateable } from 'kysely'

export interface ConnectionsTable {
  /** `qbo` | `salesforce` */
  provider: string
  /** QBO realmId / Salesforce orgId. */
  external_id: string | null
  /** Company name / org name. */
  label: string | null
  api_base_url: string | null
  instance_url: string | null
  login_url: string | null
  access_token_enc: string | null
  refresh_token_enc: string | null
  access_token_expires_at: string | null
  /** When the access token was issued (its lifetime sets the refresh margin). */
  access_token_issued_at: string | null
  refresh_token_expires_at: string | null
  /** SHA-256 of the environment's refresh token this row was last imported from (contract §3). */
  env_refresh_token_hash: string | null
  /** `connected` | `error` | `reauth_required` */
  status: string
  last_success_at: string | null
  last_error: string | null
  last_error_at: string | null
  /** Who holds the refresh lease (`host:pid:uuid`), and until when (store/lock). */
  refresh_lease_owner: string | null
  refresh_lease_expires_at: string | null
  connected_at: string
  updated_at: string
}

export type ConnectionRow = Selectable<ConnectionsTable>
export type NewConnectionRow = Insertable<ConnectionsTable>
export type ConnectionRowUpdate = Updateable<ConnectionsTable>
