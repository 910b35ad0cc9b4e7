/** @module store/tables/auto-sync — automatic sync per company, and the org's API budget (contract §11). */
import type { Selectable } from 'kysely'

export interface AutoSyncCompaniesTable {
  realm_id: string
  /** The company's "Automatic sync" switch, 0/1 (a company with no row is on). */
  enabled: number
  last_sweep_at: string | null
  next_sweep_at: string | null
  /** When the last change reached Salesforce, and how long after it was made in QuickBooks. */
  last_change_at: string | null
  last_lag_ms: number | null
  last_error: string | null
  last_error_at: string | null
  updated_at: string
}

export interface ApiBudgetTable {
  /** `org` */
  id: string
  /** The org's daily API requests used and allowed, as last seen (Sforce-Limit-Info or /limits). */
  used: number | null
  max: number | null
  seen_at: string | null
  /** Set while automatic syncs are paused at TALLY_SF_API_BUDGET. */
  paused_since: string | null
}

export type AutoSyncCompanyRow = Selectable<AutoSyncCompaniesTable>
export type ApiBudgetRow = Selectable<ApiBudgetTable>
