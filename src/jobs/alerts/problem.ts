/**
 * @module jobs/alerts/problem
 * What an alert reports (contract §11), and the sentences it says. A problem is keyed by its
 * kind and company, so it is alerted once when it starts and once more when it ends
 * ("recovered"), never once per sweep or run. Each sentence names the company and what to do.
 */
import type { AlertKind } from '../../store/index.js'

export type { AlertKind }

/** The QuickBooks company a problem is about (null realm: the org as a whole). */
export interface Company {
  realmId: string | null
  companyName?: string | null
}

export interface Problem extends Company {
  kind: AlertKind
  /** One sentence (or two) a person can act on. */
  text: string
}

/** Where problems are reported. Implementations decide delivery (webhook, e-mail) and remember
 * which problems are open, so that raising an open problem again sends nothing. Never throws: a
 * failure to alert is logged and recorded, it does not fail what reported it. */
export interface AlertSink {
  /** The problem is happening: alerted the first time, silent while it stays open. */
  raise(problem: Problem): Promise<void>
  /** The problem of this kind and company ended: one "recovered" alert if it was open. */
  resolve(kind: AlertKind, company: Company): Promise<void>
}

/** `QuickBooks company "North Ltd" (realm 123…)`, or by realm alone when the name is not known. */
export function companyPhrase(c: Company): string {
  if (c.realmId === null) return 'Salesforce'
  const named = c.companyName && !c.companyName.startsWith('QuickBooks company ') ? c.companyName : null
  return named ? `QuickBooks company "${named}" (realm ${c.realmId})` : `QuickBooks company ${c.realmId}`
}

const sentence = (s: string): string => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)

/** A run could not complete. */
export function runFailed(c: Company & { realmId: string }, error: string): Problem {
  return {
    kind: 'run-failed',
    ...c,
    text: `The Tally run of ${companyPhrase(c)} failed: ${sentence(error)} Nothing more of it is synced until a run succeeds; the run's error is in the Tally Hub's run history.`,
  }
}

/** A run finished, but some records failed. `examples`: a few "Customer: field code" items. */
export function recordsFailed(c: Company & { realmId: string }, failed: number, examples: readonly string[]): Problem {
  const which = examples.length > 0 ? ` (${examples.join('; ')}${failed > examples.length ? '; …' : ''})` : ''
  return {
    kind: 'records-failed',
    ...c,
    text: `${failed} ${failed === 1 ? 'customer' : 'customers'} of ${companyPhrase(c)} could not be synced to Salesforce${which}. Fix the data in QuickBooks or the rule in Salesforce; the next run sends them again. Each record's reason is in the Tally Hub's run history.`,
  }
}

/** QBO refused the refresh token (`invalid_grant`): the company must be reconnected. */
export function reconnectQbo(c: Company & { realmId: string }, reason: string): Problem {
  return {
    kind: 'reconnect-qbo',
    ...c,
    text: `Reconnect ${companyPhrase(c)} on the Tally Hub's Connections page: its authorization was revoked or has expired (${reason}). This company is not synced until then.`,
  }
}

/** Salesforce refused the refresh token or the client credentials: reconnect Salesforce. */
export function reconnectSalesforce(reason: string): Problem {
  return {
    kind: 'reconnect-salesforce',
    realmId: null,
    text: `Reconnect Salesforce on the Tally Hub's Connections page (or check SF_CLIENT_ID, SF_CLIENT_SECRET and SF_REFRESH_TOKEN): Salesforce refused Tally's authorization (${reason}). No company is synced until then.`,
  }
}

/** Automatic syncs are paused: the org's API usage reached TALLY_SF_API_BUDGET (contract §11).
 * For the budget's owner to raise; `resolve('budget-paused', { realmId: null })` when syncs resume. */
export function budgetPaused(usage: { used: number; max: number; budget: number }): Problem {
  const pct = Math.round(usage.budget * 100)
  return {
    kind: 'budget-paused',
    realmId: null,
    text: `Automatic syncs are paused: the Salesforce org has used ${usage.used.toLocaleString('en-US')} of its ${usage.max.toLocaleString('en-US')} daily API requests, past Tally's budget of ${pct}% (TALLY_SF_API_BUDGET). They resume by themselves when the usage allows; Start Import in the Tally Hub still runs.`,
  }
}

/** The sentence of the "recovered" alert that ends a problem. */
export function recoveredText(kind: AlertKind, c: Company): string {
  const who = companyPhrase(c)
  switch (kind) {
    case 'run-failed':
      return `Recovered: the runs of ${who} succeed again.`
    case 'records-failed':
      return `Recovered: every customer of ${who} synced to Salesforce in the last run.`
    case 'reconnect-qbo':
      return `Recovered: ${who} is connected again and syncing.`
    case 'reconnect-salesforce':
      return 'Recovered: Salesforce is connected again and syncing.'
    case 'budget-paused':
      return 'Recovered: automatic syncs resumed; the org\'s Salesforce API usage is within the budget again.'
  }
}

/** The Hub page where the problem is dealt with. */
export function hubPage(kind: AlertKind): string {
  return kind === 'reconnect-qbo' || kind === 'reconnect-salesforce' ? '#/connections' : '#/sync'
}

/** A short title, for the e-mail's subject. */
export function kindTitle(kind: AlertKind): string {
  switch (kind) {
    case 'run-failed':
      return 'Run failed'
    case 'records-failed':
      return 'Records failed'
    case 'reconnect-qbo':
      return 'Reconnect QuickBooks'
    case 'reconnect-salesforce':
      return 'Reconnect Salesforce'
    case 'budget-paused':
      return 'Automatic syncs paused'
  }
}
