/**
 * @module jobs/alerts/problem
 * What an alert reports (contract §11). A problem is keyed by its kind and company, so it is
 * alerted once when it starts and once more when it ends ("recovered"), never once per sweep.
 */

export type ProblemKind =
  /** A run could not complete. */
  | 'run-failed'
  /** A run finished, but some records failed. */
  | 'records-failed'
  /** QBO refused the refresh token (`invalid_grant`): the company must be reconnected. */
  | 'reconnect-qbo'
  /** Salesforce refused the refresh token or the client credentials: reconnect Salesforce. */
  | 'reconnect-salesforce'
  /** Automatic syncs are paused: the org's API usage reached TALLY_SF_API_BUDGET. */
  | 'budget-paused'

export interface Problem {
  kind: ProblemKind
  /** The QuickBooks company it is about, or null for the org as a whole. */
  realmId: string | null
  companyName?: string | null
  /** One sentence a person can act on. */
  text: string
}

/** Where problems are reported. Implementations decide delivery (webhook, e-mail) and remember
 * which problems are open, so that raising an open problem again sends nothing. */
export interface AlertSink {
  /** The problem is happening: alerted the first time, silent while it stays open. */
  raise(problem: Problem): Promise<void>
  /** The problem of this kind and company ended: one "recovered" alert if it was open. */
  resolve(kind: ProblemKind, realmId: string | null, text: string): Promise<void>
}
