/**
 * @module emulators/salesforce/limits
 * The org's limits as `GET /limits` reports them: the limit names the REST API Developer Guide's
 * "Limits" resource documents (`{Max, Remaining}` each; `PermissionSets` with a nested
 * `CreateCustom`), with Max values this sandbox chooses for an Enterprise Edition org with 10
 * user licences (LIMIT_TABLE; none taken from recorded traffic). Nothing the
 * sandbox does consumes them, so Remaining starts at Max — except `DailyApiRequests`, which is
 * the emulator's own API accounting (the request that reads `/limits` is already counted, as
 * Salesforce counts it). `POST /__sandbox/limits` (contract §7) sets any of them; for
 * `DailyApiRequests` that sets the allocation and the usage.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/
 */

export interface Limit {
  Max: number
  Remaining: number
  [nested: string]: number | Limit
}
export type LimitTable = Record<string, Limit>

/**
 * Limit name → Max: the sandbox's choice for each documented name, of the order the Developer
 * Limits quick reference and the Limits resource's example response give (e.g. 250,000 daily
 * async Apex executions, 10,000 daily Bulk API 2.0 query jobs, 200 concurrent async report
 * instances). DailyApiRequests' Max comes from the `dailyApiLimit` option instead.
 */
const LIMIT_TABLE: Record<string, number> = {
  AnalyticsExternalDataSizeMB: 40_960,
  CdpAiInferenceApiMonthlyLimit: 100_000_000,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentEinsteinDataInsightsStoryCreation: 5,
  ConcurrentEinsteinDiscoveryStoryCreation: 2,
  ConcurrentSyncReportRuns: 20,
  ContentDistBandwidthLimitMB: 10_240,
  ContentDistViewLimit: 20_000,
  ContentPublicationLimit: 1_000,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyAnalyticsUploadedFilesSizeMB: 51_200,
  DailyApexCursorLimit: 10_000,
  DailyApexCursorRowsLimit: 100_000_000,
  DailyApexPCursorLimit: 10_000,
  DailyApiRequests: 110_000,
  DailyAsyncApexExecutions: 250_000,
  DailyAsyncApexTests: 500,
  DailyBulkApiBatches: 15_000,
  DailyBulkV2QueryFileStorageMB: 1_000_000,
  DailyBulkV2QueryJobs: 10_000,
  DailyDeliveredPlatformEvents: 50_000,
  DailyDurableGenericStreamingApiEvents: 200_000,
  DailyDurableStreamingApiEvents: 200_000,
  DailyEinsteinDataInsightsStoryCreation: 1_000,
  DailyEinsteinDiscoveryOptimizationJobRuns: 25,
  DailyEinsteinDiscoveryPredictAPICalls: 50_000,
  DailyEinsteinDiscoveryPredictionsByCDC: 500_000,
  DailyEinsteinDiscoveryStoryCreation: 100,
  DailyFunctionsApiCallLimit: 235_000,
  DailyGenericStreamingApiEvents: 100_000,
  DailyMetadataRetrievesWithDependencies: 50,
  DailyServiceEmailAgentforceCalls: 1_000,
  DailyStandardVolumePlatformEvents: 100_000,
  DailyStreamingApiEvents: 200_000,
  DailyWorkflowEmails: 10_000,
  DataStorageMB: 10_240,
  DurableStreamingApiConcurrentClients: 1_000,
  ExternalServicesActiveObjects: 3_000,
  ExternalServicesActiveOperations: 3_000,
  ExternalServicesObjectProperties: 400_000,
  ExternalServicesObjects: 10_000,
  ExternalServicesOperations: 10_000,
  ExternalServicesRegistrations: 700,
  FileStorageMB: 10_240,
  HourlyAsyncReportRuns: 1_200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5_000,
  HourlyDashboardStatuses: 999_999_999,
  HourlyElevateAsyncReportRuns: 1_200,
  HourlyElevateSyncReportRuns: 500,
  HourlyLongTermIdMapping: 100_000,
  HourlyManagedContentPublicRequests: 50_000,
  HourlyODataCallout: 20_000,
  HourlyPublishedPlatformEvents: 250_000,
  HourlyPublishedStandardVolumePlatformEvents: 100_000,
  HourlyShortTermIdMapping: 100_000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 1_000,
  MassEmail: 5_000,
  MaxContentDocumentsLimit: 30_000_000,
  MonthlyEinsteinDiscoveryStoryCreation: 500,
  Package2VersionCreates: 6,
  Package2VersionCreatesWithoutValidation: 500,
  PermissionSets: 1_500,
  PlatformEventTriggersWithParallelProcessing: 5,
  PrivateConnectOutboundCalloutHourlyLimitMB: 0,
  PublishCallbackUsageInApex: 5_242_880,
  ScheduledFlowRunLimit: 250_000,
  ScheduledPathRunLimit: 250_000,
  SingleEmail: 5_000,
  StreamingApiConcurrentClients: 1_000,
}

/** PermissionSets.CreateCustom: how many of the permission sets may be custom ones (our choice). */
const CUSTOM_PERMISSION_SETS = 1_000

/** A fresh table, every limit at its Max (callers may change it). */
export function defaultLimits(): LimitTable {
  const table: LimitTable = {}
  for (const [name, max] of Object.entries(LIMIT_TABLE)) table[name] = { Max: max, Remaining: max }
  const sets = LIMIT_TABLE.PermissionSets ?? 0
  table.PermissionSets = { Max: sets, Remaining: sets, CreateCustom: { Max: CUSTOM_PERMISSION_SETS, Remaining: CUSTOM_PERMISSION_SETS } }
  return table
}

/** The API allocation: how many requests the org may make today and how many it has made. */
export interface ApiAccount {
  max: number
  used: number
}

export function limitsBody(table: LimitTable, api: ApiAccount): LimitTable {
  return { ...table, DailyApiRequests: { Max: api.max, Remaining: Math.max(api.max - api.used, 0) } }
}

/**
 * Applies a `POST /__sandbox/limits` body (`{"DailyApiRequests": {"Max": N, "Remaining": M}}`, or
 * any other limit name) to the table and the API account, all or nothing.
 */
export function applyLimits(table: LimitTable, api: ApiAccount, body: unknown): { error: string } | { applied: LimitTable } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'expected {"DailyApiRequests": {"Max": N, "Remaining": M}} (any limit name of GET /limits)' }
  }
  const entries = Object.entries(body as Record<string, unknown>)
  for (const [name, value] of entries) {
    if (!(name in table)) return { error: `unknown limit ${name}; GET /services/data/vNN.0/limits lists the names` }
    const { Max, Remaining } = (value ?? {}) as { Max?: unknown; Remaining?: unknown }
    if (!Number.isInteger(Max) || (Max as number) < 0) return { error: `${name}.Max must be a whole number ≥ 0, got ${JSON.stringify(Max)}` }
    if (!Number.isInteger(Remaining) || (Remaining as number) < 0 || (Remaining as number) > (Max as number)) {
      return { error: `${name}.Remaining must be a whole number between 0 and Max (${String(Max)}), got ${JSON.stringify(Remaining)}` }
    }
  }
  const applied: LimitTable = {}
  for (const [name, value] of entries) {
    const { Max, Remaining } = value as { Max: number; Remaining: number }
    if (name === 'DailyApiRequests') {
      api.max = Max
      api.used = Max - Remaining
    } else {
      table[name] = { ...(table[name] as Limit), Max, Remaining }
    }
    applied[name] = { Max, Remaining }
  }
  return { applied }
}
