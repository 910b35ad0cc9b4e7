/**
 * @module store/tables/qbo-gate — the shared QBO request gate (qbo/gate, migration 0012).
 */
export interface QboInflightTable {
  id: string
  realm_id: string
  /** ISO instant after which the slot is free even if its process never released it. */
  expires_at: string
}

export interface QboMinutesTable {
  realm_id: string
  /** `YYYY-MM-DDTHH:MM` (UTC). */
  minute: string
  n: number
}
