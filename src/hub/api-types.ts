/**
 * @module hub/api-types
 * The Hub's endpoint contract, one type per endpoint (Nango style: Method, Path, Params,
 * Querystring, Body, Success). The routes, the SPA's fetch client and the tests all use these
 * types, so a change to an endpoint is a type error in all three places.
 */
import type {
  AcceptedLink,
  AlertView,
  AutoSyncCompanyView,
  AutoSyncView,
  ConnectionView,
  CustomerFilter,
  CustomerRow,
  LinkHistoryEntry,
  LinkHistoryQuery,
  PlanFilter,
  PlanItemView,
  PlanPage,
  Provider,
  RunMessage,
  RunView,
  SuggestionView,
  SyncSettingsView,
} from './services.js'

export type { AcceptedLink, LinkHistoryEntry, SuggestionView }
export type { AlertView, AutoSyncCompanyView, AutoSyncView, ConnectionView, CustomerFilter, CustomerRow, PlanFilter, PlanItemView, PlanPage, Provider, RunMessage, RunView, SyncSettingsView }
export type { ProgressEvent } from './services.js'

/** The closed set of error codes of the one error envelope. */
export type ApiErrorCode =
  | 'invalid_body'
  | 'invalid_query_params'
  | 'invalid_uri_params'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'locked_out'
  | 'csrf_failed'
  | 'not_found'
  | 'run_in_progress'
  | 'action_failed'
  | 'server_error'

/** Every error response: `{ error: { code, message } }`. */
export interface ApiError {
  error: { code: ApiErrorCode; message: string }
}

export interface Endpoint {
  Method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  Path: string
  Params?: Record<string, string>
  Querystring?: Record<string, string | number | undefined>
  Body?: unknown
  Success: unknown
}

export interface SessionInfo {
  authenticated: boolean
  username: string | null
  /** Send back as `X-CSRF-Token` on every state-changing request. */
  csrfToken: string | null
}

export interface GetSession {
  Method: 'GET'
  Path: '/api/session'
  Success: SessionInfo
}
export interface PostSession {
  Method: 'POST'
  Path: '/api/session'
  Body: { username: string; password: string }
  Success: SessionInfo
}
export interface DeleteSession {
  Method: 'DELETE'
  Path: '/api/session'
  Success: { ok: true }
}

export interface GetConnections {
  Method: 'GET'
  Path: '/api/connections'
  Success: { connections: ConnectionView[] }
}
export interface PostAuthorize {
  Method: 'POST'
  Path: '/api/connections/:provider/authorize'
  Params: { provider: Provider }
  /** `realmId`: Reconnect that QuickBooks company (the answer must be for it); without it, add a
   * company (or connect Salesforce). */
  Body: { realmId?: string }
  Success: { url: string }
}
export interface DeleteConnection {
  Method: 'DELETE'
  Path: '/api/connections/:provider'
  Params: { provider: Provider }
  Querystring: { realmId?: string }
  Success: { ok: true }
}

export interface GetSettings {
  Method: 'GET'
  Path: '/api/settings'
  /** The QuickBooks company whose settings (contract §9); default the first. */
  Querystring: { realmId?: string }
  Success: SyncSettingsView
}
export interface PutSettings {
  Method: 'PUT'
  Path: '/api/settings'
  Querystring: { realmId?: string }
  Body: Partial<SyncSettingsView>
  Success: SyncSettingsView
}
export interface FieldChoice {
  /** API name on `QBO_Customer__c`. */
  name: string
  label: string
  qboField: string
}
export interface FieldGroupView {
  id: string
  label: string
  fields: FieldChoice[]
}
export interface GetSettingsFields {
  Method: 'GET'
  Path: '/api/settings/fields'
  Success: { groups: FieldGroupView[] }
}

export interface PostSyncRun {
  Method: 'POST'
  Path: '/api/runs'
  /** Create Accounts is the saved setting (PUT /api/settings), never a per-run copy. */
  Body: { dryRun?: boolean; realmId?: string }
  Success: { runId: string; runIds?: string[] }
}
export interface GetSyncRuns {
  Method: 'GET'
  Path: '/api/runs'
  Querystring: { limit?: number; realmId?: string }
  Success: { runs: RunView[] }
}
export interface GetAlerts {
  Method: 'GET'
  Path: '/api/alerts'
  Querystring: { limit?: number }
  Success: { alerts: AlertView[] }
}
/** Automatic sync (contract §11): per company its switch, state, sweeps, last change and error,
 * and the API budget. 404 when this Hub offers no automatic sync. */
export interface GetAutoSync {
  Method: 'GET'
  Path: '/api/auto-sync'
  Success: AutoSyncView
}
/** A company's "Automatic sync" switch; 404 `not_found` for a company that is not connected. */
export interface PutAutoSync {
  Method: 'PUT'
  Path: '/api/auto-sync/:realmId'
  Params: { realmId: string }
  Body: { enabled: boolean }
  Success: AutoSyncCompanyView
}
export interface GetSyncRun {
  Method: 'GET'
  Path: '/api/runs/:id'
  Params: { id: string }
  Success: RunView
}
export interface GetSyncRunMessages {
  Method: 'GET'
  Path: '/api/runs/:id/messages'
  Params: { id: string }
  Success: { messages: RunMessage[] }
}
/** A preview's (dry run's) customers: what it would create, update, link and leave unmapped, and
 * why. Counts of every filter, and one page of the chosen one (pageSize at most 200). 404 with
 * `not_found` when the run is unknown or its plan is not held (not a dry run, or the Hub restarted). */
export interface GetSyncRunPlan {
  Method: 'GET'
  Path: '/api/runs/:id/plan'
  Params: { id: string }
  Querystring: { filter?: PlanFilter; page?: number; pageSize?: number }
  Success: PlanPage
}
/** Server-sent events: each `data:` is a `ProgressEvent` (event name `progress`), until done. */
export interface GetSyncRunEvents {
  Method: 'GET'
  Path: '/api/runs/:id/events'
  Params: { id: string }
  Success: never
}

export interface GetCustomers {
  Method: 'GET'
  Path: '/api/customers'
  Querystring: { search?: string; filter?: CustomerFilter; page?: number; pageSize?: number; realmId?: string }
  Success: { total: number; page: number; pageSize: number; items: CustomerRow[] }
}
export interface GetLinkQueue {
  Method: 'GET'
  Path: '/api/link-queue'
  Querystring: { realmId?: string }
  Success: { items: CustomerRow[] }
}
export interface GetAccounts {
  Method: 'GET'
  Path: '/api/accounts'
  Querystring: { search?: string }
  Success: { accounts: { id: string; name: string }[] }
}
export interface PutCustomerAccount {
  Method: 'PUT'
  Path: '/api/customers/:key/account'
  Params: { key: string }
  /** `accountName` is the name the lookup showed (for Tally's own list; spares a Salesforce query). */
  Body: { accountId: string | null; accountName?: string }
  Success: CustomerRow
}

/** Links one record to one of its suggested Accounts (`Manual`, contract §10); 404 when the key is
 * unknown or the Account is not among the record's suggestions. */
export interface PostAcceptSuggestion {
  Method: 'POST'
  Path: '/api/customers/:key/accept'
  Params: { key: string }
  Body: { accountId: string }
  Success: CustomerRow
}
/** "Accept all ≥ N": every queued record whose best suggestion scores at least `minScore`. With
 * `dryRun`, only which (the count the Hub asks to confirm); without it, those it linked. */
export interface PostAcceptAll {
  Method: 'POST'
  Path: '/api/links/accept-all'
  Body: { minScore: number; dryRun: boolean; realmId?: string }
  Success: { accepted: AcceptedLink[] }
}
/** "Refresh suggestions": recomputes the suggestions of the queue now (of one company, or all). */
export interface PostRefreshSuggestions {
  Method: 'POST'
  Path: '/api/links/suggest'
  Body: { realmId?: string }
  Success: { records: number; suggested: number; salesforceCalls: number }
}
/** `Ignored` (contract §5.11): never linked, suggested or given an Account until a person links it. */
export interface PostIgnoreCustomer {
  Method: 'POST'
  Path: '/api/customers/:key/ignore'
  Params: { key: string }
  Success: CustomerRow
}
/** Back to `Unmapped`: the next run links it by the rules again. */
export interface PostUnignoreCustomer {
  Method: 'POST'
  Path: '/api/customers/:key/unignore'
  Params: { key: string }
  Success: CustomerRow
}
/** The link changes, newest first, filtered and paged (pageSize at most 200). */
export interface GetLinkHistory {
  Method: 'GET'
  Path: '/api/link-history'
  Querystring: { realmId?: string; by?: NonNullable<LinkHistoryQuery['by']>; search?: string; page?: number; pageSize?: number }
  Success: { total: number; page: number; pageSize: number; items: LinkHistoryEntry[] }
}
/** Restores the entry's old link as `Manual`; answers the new entry (the undo itself). */
export interface PostUndoLinkChange {
  Method: 'POST'
  Path: '/api/link-history/:id/undo'
  Params: { id: string }
  Success: LinkHistoryEntry
}

/** Every endpoint, for clients that want to check exhaustiveness. */
export type HubEndpoint =
  | GetSession
  | PostSession
  | DeleteSession
  | GetConnections
  | PostAuthorize
  | DeleteConnection
  | GetSettings
  | PutSettings
  | GetSettingsFields
  | PostSyncRun
  | GetSyncRuns
  | GetSyncRun
  | GetAlerts
  | GetAutoSync
  | PutAutoSync
  | GetSyncRunMessages
  | GetSyncRunPlan
  | GetSyncRunEvents
  | GetCustomers
  | GetLinkQueue
  | GetAccounts
  | PutCustomerAccount
  | PostAcceptSuggestion
  | PostAcceptAll
  | PostRefreshSuggestions
  | PostIgnoreCustomer
  | PostUnignoreCustomer
  | GetLinkHistory
  | PostUndoLinkChange

/** The name of the session cookie (HttpOnly; the SPA never reads it). */
export const SESSION_COOKIE = 'tally_session'
/** The header carrying the CSRF token. */
export const CSRF_HEADER = 'X-CSRF-Token'
