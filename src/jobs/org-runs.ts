/**
 * @module jobs/org-runs
 * Every run is a `Tally_Run__c` in the org (contract §12), so the org and the Hub show the same
 * runs: a run asked for in the org (Status `Requested`) is set `Running` when it starts; any other
 * run gets a record of its own then. At the end Tally writes the status (Succeeded / Partial /
 * Failed), Started/Finished, the counts, the API calls and the §6 summary as JSON, and the failed
 * records and values that did not fit as `Tally_Run_Error__c` children (one Collection call per
 * 200). What a run costs in Salesforce calls beyond the sync itself: its first call (the open of its
 * record travels with the settings query in one Composite call, jobs/run-start), the close of its
 * record, and one Collection per 200 errors (none when nothing failed).
 * When the org has no Tally objects (an older package), runs still go on, without records.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 */
import { describeError } from '../lib/errors.js'
import type { Logger } from '../lib/logger.js'
import { COLLECTION_CHUNK, createPart, patchPart, SalesforceError, soql, type CompositePart, type SalesforceClient } from '../salesforce/index.js'
import type { Settings } from '../store/index.js'
import type { RunSummary } from '../sync/run.js'
import type { ResolvedSettings } from './org-settings.js'

export const RUN_OBJECT = 'Tally_Run__c'
export const RUN_ERROR_OBJECT = 'Tally_Run_Error__c'
/** `Summary__c` is a Long Text Area of 131,072 characters (the package). */
const SUMMARY_MAX = 131_072
/** Text fields of Tally_Run_Error__c: Field__c and Code__c 80, Message__c 4,000 (the package). */
const FIELD_MAX = 80
const MESSAGE_MAX = 4000

export type OrgRunStatus = 'Requested' | 'Running' | 'Succeeded' | 'Partial' | 'Failed'

/** A run asked for in the org. */
export interface RequestedRun {
  Id: string
  Mode__c: string | null
  Dry_Run__c: boolean | null
  QBO_Realm_Id__c: string | null
}

export interface OrgRun {
  /** The run's Tally_Run__c, or null when the org has none (objects not deployed, or unreachable). */
  recordId: string | null
  settings: Settings
  settingsSource: ResolvedSettings['source']
  /** Writes the outcome; adds its own calls to `summary.apiCalls.salesforce` first, so that the
   * record's Salesforce_Calls__c counts every call of the run, its own writes included. */
  finish(summary: RunSummary): Promise<void>
  fail(message: string): Promise<void>
}

const iso = (d: Date) => d.toISOString()
const clip = (s: string | null | undefined, n: number): string | null => (s == null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** The §6 JSON within the field's length: errors are dropped from the end (and counted) until it fits. */
export function summaryJson(summary: RunSummary): string {
  let json = JSON.stringify(summary)
  let keep = summary.errors.length
  while (json.length > SUMMARY_MAX && keep > 0) {
    keep = Math.floor(keep / 2)
    json = JSON.stringify({ ...summary, errors: summary.errors.slice(0, keep), errorsOmitted: summary.errors.length - keep })
  }
  return json
}

const STATUS: Record<RunSummary['status'], OrgRunStatus> = { succeeded: 'Succeeded', partial: 'Partial', failed: 'Failed' }

export interface OrgRunStart {
  realmId: string
  mode: 'import' | 'sync'
  dryRun: boolean
  /** The Tally_Run__c that asked for this run (Status Requested). */
  requestedId?: string
  now: () => Date
  logger?: Logger
}

/** A dry run writes nothing to Salesforce (contract §2) but the record of a run the org asked for. */
export const mayWriteRunRecord = (o: Pick<OrgRunStart, 'dryRun' | 'requestedId'>): boolean => !o.dryRun || o.requestedId !== undefined

/**
 * The write that opens the run's record, as a part of the run's first call (jobs/run-start): the
 * requested record set Running (the request may have left the company empty, every company: the
 * record names the company whose run it holds), or a new one. Its value is the record's Id.
 */
export function runRecordPart(o: OrgRunStart): CompositePart<string> {
  const started = { Status__c: 'Running', Started__c: iso(o.now()) }
  if (o.requestedId) {
    const id = o.requestedId
    const patch = patchPart('run', RUN_OBJECT, id, { ...started, QBO_Realm_Id__c: o.realmId })
    return { subrequest: patch.subrequest, read: async (r) => (await patch.read(r), id) }
  }
  return createPart('run', RUN_OBJECT, { ...started, Mode__c: o.mode, Dry_Run__c: o.dryRun, QBO_Realm_Id__c: o.realmId })
}

const isMissingObject = (e: unknown): boolean => e instanceof SalesforceError && (e.errorCode === 'INVALID_TYPE' || e.errorCode === 'NOT_FOUND')

/**
 * The org's side of a run, once its settings are resolved and its record's write was sent
 * (`record`: the part's value, or null when nothing may be written). Never throws for the org's
 * sake: a run must not fail because its bookkeeping in the org could not be written.
 */
export async function openOrgRun(
  sf: SalesforceClient,
  o: OrgRunStart,
  resolved: ResolvedSettings,
  record: Promise<string> | null,
): Promise<OrgRun> {
  let recordId: string | null = null
  const warn = (what: string, e: unknown) => o.logger?.warn(`org run: ${what}`, { error: describeError(e) })
  if (record) {
    try {
      recordId = await record
    } catch (e) {
      // An org without the package's Tally objects (an older package) has no run records.
      if (resolved.orgObjects && !isMissingObject(e)) warn('could not write the run record', e)
    }
  }
  return {
    recordId,
    settings: resolved.settings,
    settingsSource: resolved.source,
    async finish(summary) {
      if (!recordId) return
      const errorRecords = summary.errors.map((e) => ({
        Tally_Run__c: recordId,
        // Only a record that was written can be looked up; a failed one may not exist.
        ...(e.level === 'warning' ? { QBO_Customer__r: { QBO_Key__c: `${o.realmId}-${e.qboId}` } } : {}),
        Field__c: clip(e.field, FIELD_MAX),
        Code__c: clip(e.code, FIELD_MAX),
        Message__c: clip(`${e.displayName} (QBO ${e.qboId}): ${e.message}`, MESSAGE_MAX),
        Level__c: e.level,
      }))
      summary.apiCalls.salesforce += 1 + Math.ceil(errorRecords.length / COLLECTION_CHUNK)
      try {
        // The errors first, the status last: whoever sees the run end (a person refreshing the
        // record, a Streaming client, a test) finds its errors already there.
        if (errorRecords.length > 0) {
          const results = await sf.insert(RUN_ERROR_OBJECT, errorRecords)
          const refused = results.filter((r) => !r.ok).length
          if (refused > 0) o.logger?.warn('org run: some run errors were not written', { refused })
        }
        await sf.patchRecord(RUN_OBJECT, recordId, {
          Status__c: STATUS[summary.status],
          Finished__c: iso(o.now()),
          Customers_Seen__c: summary.customers.seen,
          Customers_Failed__c: summary.customers.failed,
          Accounts_Created__c: summary.accountsCreated,
          Salesforce_Calls__c: summary.apiCalls.salesforce,
          QBO_Calls__c: summary.apiCalls.qbo,
          Summary__c: summaryJson(summary),
        })
      } catch (e) {
        warn('could not write the outcome', e)
      }
    },
    async fail(message) {
      if (recordId) await failOrgRun(sf, recordId, message, o.now()).catch((e: unknown) => warn('could not write the failure', e))
    },
  }
}

/** Marks a run record Failed with the reason (for a requested run that could not start). */
export async function failOrgRun(sf: SalesforceClient, id: string, message: string, at: Date): Promise<void> {
  await sf.patchRecord(RUN_OBJECT, id, { Status__c: 'Failed', Finished__c: iso(at), Summary__c: JSON.stringify({ status: 'failed', error: message }) })
}

/** Runs asked for in the org and not started yet, oldest first (one query). */
export async function listRequestedRuns(sf: SalesforceClient): Promise<RequestedRun[]> {
  return sf.query<RequestedRun>(
    soql`SELECT Id, Mode__c, Dry_Run__c, QBO_Realm_Id__c FROM Tally_Run__c WHERE Status__c = 'Requested' ORDER BY CreatedDate LIMIT 50`,
  )
}
