/** @module store/tables/alerts — the open problems and the alerts sent (contract §11). */
import type { Insertable, Selectable } from 'kysely'

/** One row per problem that is happening now: present means "alerted, not recovered yet". */
export interface AlertProblemsTable {
  /** `run-failed` | `records-failed` | `reconnect-qbo` | `reconnect-salesforce` | `budget-paused` */
  kind: string
  /** The QuickBooks company's realm id, or '' for the org as a whole. */
  subject: string
  opened_at: string
  /** The alert that raised it. */
  alert_id: string
  text: string
}

export interface AlertsTable {
  /** UUID. */
  id: string
  at: string
  kind: string
  subject: string
  company_name: string | null
  /** `raised` | `recovered` */
  state: string
  text: string
  /** JSON: `[{ channel, ok, error?, at }]`, one entry per channel tried. */
  deliveries: string
}

export type AlertProblemRow = Selectable<AlertProblemsTable>
export type AlertRow = Selectable<AlertsTable>
export type NewAlertRow = Insertable<AlertsTable>
