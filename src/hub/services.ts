/**
 * @module hub/services
 * The only seam between the Hub and the rest of Tally. The Hub's routes call these interfaces and
 * nothing else; `src/main.ts` builds the real implementations from the engine, the jobs layer and
 * the store, and tests pass small in-memory ones.
 */

import type { ProgressEvent } from '../jobs/runs.js'
import type { Provider } from '../lib/provider.js'
import type { AlertChannel, AlertKind, AlertState, CustomerView, LinkHistoryEntry, RunStatus, Session } from '../store/index.js'
import type { RunSummary as EngineRunSummary } from '../sync/run.js'
import type { PackageDeployService } from './routes/salesforce-package.js'

export type { Provider }

/** One connection (QuickBooks company or Salesforce org) as the Connections page shows it. */
export interface ConnectionView {
  provider: Provider
  /** The QuickBooks company's realm id (every company is a connection of its own, contract §9);
   * null for Salesforce, and for the "not connected yet" QuickBooks card. */
  realmId?: string | null
  connected: boolean
  /** Company name (QBO) or org name / instance (Salesforce). */
  label: string | null
  accessTokenExpiresAt: string | null
  lastSuccessAt: string | null
  lastError: string | null
  lastErrorAt: string | null
  connectedAt: string | null
}

export interface SyncSettingsView {
  createAccounts: boolean
  /** API names of the switchable fields that are written (see `SWITCHABLE_FIELDS`). */
  enabledFields: string[]
}

export type { ProgressEvent, RunStatus }

/** What the Hub shows of a run's summary: the engine's counts (one type, src/sync/run.ts). */
export type RunCounts = Pick<EngineRunSummary, 'customers' | 'links' | 'accountsCreated' | 'apiCalls' | 'salesforceApiUsage' | 'durationMs'>

/** One run as the Hub lists it: the store's row, and the engine's counts once it is done. */
export interface RunView {
  runId: string
  /** The QuickBooks company the run was for. */
  realmId?: string | null
  mode: 'import' | 'sync'
  dryRun: boolean
  status: RunStatus
  phase: string | null
  done: number
  total: number
  startedAt: string
  finishedAt: string | null
  error: string | null
  summary: RunCounts | null
}

/** A per-record error or warning of a run (contract §4: customer, field, reason). */
export interface RunMessage {
  level: 'error' | 'warning'
  qboId: string | null
  displayName: string | null
  field: string | null
  /** The field's label in Salesforce, when Tally knows it. */
  fieldLabel?: string | null
  code: string
  message: string
}

/** How a preview's customers are filtered: by action, or those it would link, or leave unmapped
 * (Unmapped and Ambiguous). */
export type PlanFilter = 'all' | 'create' | 'update' | 'unchanged' | 'link' | 'unmapped'
export const PLAN_FILTERS: readonly PlanFilter[] = ['all', 'create', 'update', 'unchanged', 'link', 'unmapped']

/** One customer of a preview (a dry run): what the run would do with its record, and why. */
export interface PlanItemView {
  key: string
  qboId: string
  displayName: string
  action: 'create' | 'update' | 'unchanged'
  /** The fields that would be written, as `{ name, label }` (none when unchanged). */
  changedFields: { name: string; label: string | null }[]
  linkStatus: string
  accountId: string | null
  /** For an Account the run would create, the name it would get. */
  accountName: string | null
  /** The run would set or change the record's Account. */
  links: boolean
  /** The engine's reason for the link. */
  reason: string
  /** No longer in QuickBooks: the record would only be marked inactive. */
  gone: boolean
  /** Values that would not fit their field (written cut or left out). */
  issues: { field: string | null; code: string; message: string }[]
}

/** A page of a preview's customers, with the count of every filter. */
export interface PlanPage {
  counts: Record<PlanFilter, number>
  filter: PlanFilter
  total: number
  page: number
  pageSize: number
  items: PlanItemView[]
}

/** One `QBO_Customer__c` record as the Hub lists it: the store's copy (one type, the store's), and
 * the name Accounts are matched by — the display name without the " (deleted)" QBO appends to an
 * inactive customer's (the engine's rule, src/sync/link.ts; pages show it, never re-derive it). */
export type CustomerRow = CustomerView & { matchName: string }

export type CustomerFilter = 'all' | 'mapped' | 'unmapped' | 'ambiguous' | 'inactive'

/** One suggested Account of a record (contract §10; the engine's type, src/sync/suggest.ts). */
export type { Suggestion as SuggestionView } from '../sync/suggest.js'

/** One link change (contract §10; the store's type). `who`: the Hub user, `salesforce:<user>` for
 * an edit in the org, or `tally` for a run. */
export type { LinkHistoryEntry } from '../store/index.js'

/** Which link changes the History page lists. `by`: `tally` (runs), `hub` (people in the Hub, also
 * acceptances and undos), `salesforce` (edits in the org). */
export interface LinkHistoryQuery {
  realmId?: string
  by?: 'tally' | 'hub' | 'salesforce'
  /** Case-insensitive substring of the customer's display name or an Account's name. */
  search?: string
  /** 1-based. */
  page: number
  pageSize: number
}

/** A best suggestion that `accept` linked (or, with `dryRun`, would link). */
export interface AcceptedLink {
  key: string
  qboId: string
  displayName: string
  accountId: string
  accountName: string
  score: number
}

export type { AlertChannel, AlertKind, AlertState }

/** One alert sent (contract §11): a problem raised, or its recovery, and what each channel said. */
export interface AlertView {
  id: string
  at: string
  kind: AlertKind
  /** The QuickBooks company it is about; null for the org as a whole. */
  realmId: string | null
  companyName: string | null
  state: AlertState
  text: string
  /** One entry per channel tried; none when no channel is configured. */
  deliveries: { channel: AlertChannel; ok: boolean; error?: string; at: string }[]
}

/** Automatic sync of one QuickBooks company, as the Hub's panel shows it (contract §11). */
export interface AutoSyncCompanyView {
  realmId: string
  companyName: string | null
  /** The company's "Automatic sync" switch. */
  enabled: boolean
  /** `off`: switched off (or the process runs with --no-auto-sync); `paused`: the API budget is spent. */
  state: 'off' | 'idle' | 'syncing' | 'paused'
  lastSweepAt: string | null
  nextSweepAt: string | null
  /** When the last change reached Salesforce, and how long after it was made in QuickBooks. */
  lastChangeAt: string | null
  lastLagMs: number | null
  lastError: string | null
  lastErrorAt: string | null
}

export interface AutoSyncView {
  /** This Hub runs automatic syncs (false with `tally start --no-auto-sync`). */
  running: boolean
  /** Seconds between change-data-capture sweeps (`TALLY_SYNC_INTERVAL`). */
  intervalSeconds: number
  /** Webhooks are verified and taken (`QBO_WEBHOOK_VERIFIER` is set). */
  webhooks: boolean
  /** The org's daily Salesforce API use as last seen, and the share automatic syncs may use. */
  budget: { share: number; used: number | null; max: number | null; paused: boolean; pausedSince: string | null }
  companies: AutoSyncCompanyView[]
}

export interface HubServices {
  connections: {
    list(): Promise<ConnectionView[]>
    /** Returns the vendor's authorization URL for the authorization-code flow. */
    beginAuthorize(provider: Provider, redirectUri: string, state: string): Promise<string>
    /** Exchanges the code in `params` (the callback's query string, state already checked).
     * `expectRealmId`: a Reconnect of that company; an authorization for another company is
     * refused (the wrong-company guard, contract §9) with `WrongCompanyError`. */
    completeAuthorize(provider: Provider, params: Record<string, string>, redirectUri: string, expectRealmId?: string): Promise<void>
    /** `realmId`: which QuickBooks company (default: the first). */
    disconnect(provider: Provider, realmId?: string): Promise<void>
  }
  /** Per QuickBooks company (`realmId`, default the first); contract §9. */
  settings: {
    get(realmId?: string): Promise<SyncSettingsView>
    save(s: Partial<SyncSettingsView>, realmId?: string): Promise<SyncSettingsView>
  }
  runs: {
    /** Throws `RunAlreadyRunningError` (src/lib/errors) if a run is going on. `realmId`: that
     * company only; without it, every connected company (their runs side by side); `runIds`
     * lists them all, `runId` is the first. */
    start(o: { dryRun?: boolean; realmId?: string }): Promise<{ runId: string; runIds?: string[] }>
    /** Calls `onEvent` for each progress event of the run; returns the unsubscribe function. */
    subscribe(runId: string, onEvent: (e: ProgressEvent) => void): () => void
    list(limit: number, realmId?: string): Promise<RunView[]>
    get(runId: string): Promise<RunView | null>
    messages(runId: string): Promise<RunMessage[]>
    /** A dry run's plan, filtered and paged; null when this Hub does not hold it (not a dry run,
     * or the Hub restarted since: previews are kept in memory, the last few only). */
    plan(runId: string, q: { filter: PlanFilter; page: number; pageSize: number }): Promise<PlanPage | null>
  }
  customers: {
    list(q: {
      search?: string
      filter?: CustomerFilter
      page: number
      pageSize: number
      /** One QuickBooks company's records only. */
      realmId?: string
    }): Promise<{ total: number; items: CustomerRow[] }>
    /** Unmapped and Ambiguous records, ambiguous ones with their candidates. */
    linkQueue(realmId?: string): Promise<CustomerRow[]>
    searchAccounts(term: string): Promise<{ id: string; name: string }[]>
    /** Writes `Account__c` and `Link_Status__c = Manual` in Salesforce immediately.
     * Throws `NotFoundError` for an unknown key. */
    link(key: string, accountId: string | null, accountName?: string, who?: string): Promise<CustomerRow>
  }
  /** Suggestions, Ignore, the link history and Undo (contract §10). `who` is the Hub user. */
  links: {
    /** Links one record to one of its suggested Accounts (a `Manual` link, contract §10).
     * Throws `NotFoundError` for an unknown key, or an Account that is not among its suggestions. */
    acceptSuggestion(key: string, accountId: string, who: string): Promise<CustomerRow>
    /** Links every record of the queue whose best suggestion scores at least `minScore`; with
     * `dryRun`, only says which (the count the Hub shows before it acts). */
    acceptAll(o: { minScore: number; dryRun: boolean; realmId?: string; who: string }): Promise<{ accepted: AcceptedLink[] }>
    /** `Ignored` (contract §5.11): never linked, suggested or given an Account until a person links it. */
    ignore(key: string, who: string): Promise<CustomerRow>
    /** Back to the queue (`Unmapped`); the next run links it by the rules again. */
    unignore(key: string, who: string): Promise<CustomerRow>
    /** "Refresh suggestions": recomputes the suggestions of every Unmapped and Ambiguous record
     * now (`tally links suggest`), e.g. after Accounts were added in Salesforce or a customer was
     * unignored; a run suggests only for the records it writes. Counts the records and those with a
     * suggestion. */
    refreshSuggestions(realmId?: string): Promise<{ records: number; suggested: number; salesforceCalls: number }>
    history(q: LinkHistoryQuery): Promise<{ total: number; items: LinkHistoryEntry[] }>
    /** Restores the entry's old link as `Manual` (itself a new entry). Throws `NotFoundError`. */
    undo(id: string, who: string): Promise<LinkHistoryEntry>
  }
  /** Automatic sync (contract §11; absent: the Hub shows no panel). */
  autoSync?: {
    status(): Promise<AutoSyncView>
    /** The company's "Automatic sync" switch; throws `NotFoundError` for a company not connected. */
    setEnabled(realmId: string, enabled: boolean): Promise<AutoSyncCompanyView>
  }
  /** "Deploy the Salesforce package" (absent: the Hub offers no deploy). */
  salesforcePackage?: PackageDeployService
  /** The alerts sent, newest first (absent: the Hub lists none). */
  alerts?: {
    recent(limit: number): Promise<AlertView[]>
  }
}

/** A Reconnect came back authorized for another QuickBooks company than the one chosen. */
export class WrongCompanyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WrongCompanyError'
  }
}

/** A signed-in session (the store's type: the id itself is never stored, only its SHA-256 hash;
 * `oauthState` is `<provider>:<state>` of an OAuth authorization in progress, else null). */
export type SessionRecord = Session

/** Session persistence (the store's `sessions` repository implements it). */
export interface SessionStore {
  create(s: SessionRecord): Promise<void>
  /** Returns the session whatever its expiry; the Hub checks `expiresAt`. */
  get(idHash: string): Promise<SessionRecord | null>
  /** Slides the expiry of an active session. */
  touch(idHash: string, expiresAt: Date): Promise<void>
  setOAuthState(idHash: string, oauthState: string | null): Promise<void>
  delete(idHash: string): Promise<void>
}

/**
 * Sign-in attempts per key (`user:<name>` and `ip:<address>`); the Hub owns the policy. Attempts
 * are counted before the password is checked, atomically, so a burst cannot outrun the limit.
 */
export interface LoginAttemptStore {
  /** Counts one attempt; returns its number in the key's series (parallel attempts get distinct
   * numbers) and the key's lock, if one is on. */
  count(key: string, at: Date): Promise<{ attempt: number; lockedUntil: Date | null }>
  /** Locks the key until `until`; once it expires the count starts afresh. */
  lock(key: string, until: Date): Promise<void>
  /** The sign-in that was attempt number `attempt` succeeded: forget the attempts up to it. */
  succeeded(key: string, attempt: number): Promise<void>
}

export interface HubAuth {
  verifyAdminPassword(password: string): Promise<boolean>
  sessions: SessionStore
  loginAttempts: LoginAttemptStore
}

/** Thrown by services for an unknown record or account (the Hub answers 404). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotFoundError'
  }
}
