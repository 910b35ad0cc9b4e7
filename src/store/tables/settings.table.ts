/** @module store/tables/settings — runtime settings edited in the Hub, one JSON value per key. */
import type { Selectable } from 'kysely'

export interface SettingsTable {
  key: string
  /** JSON text. */
  value: string
  updated_at: string
}

export type SettingRow = Selectable<SettingsTable>

/** A QuickBooks company's own settings (contract §9: settings are per company). */
export interface CompanySettingsTable {
  realm_id: string
  key: string
  /** JSON text. */
  value: string
  updated_at: string
}
