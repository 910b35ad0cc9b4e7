/**
 * @module jobs/run-start
 * A run's first Salesforce call (after signing in): one Composite request with
 *  - the describes of Tally's package check, when this session has not checked it yet (a shared
 *    session of automatic runs checks once);
 *  - every company's Tally_Settings__c (the settings query);
 *  - the write that opens the run's Tally_Run__c (created, or the requested one set Running),
 *    unless the run may write nothing.
 * One call instead of four to five. Each part keeps its owner: the check is package-check's (run
 * on the describes fetched here, before the run goes on), the settings org-settings' (its fallback
 * to the store's copy when the org cannot answer, the creation of a missing record), the record
 * org-runs'. An org without the package answers the record's create with an error of its own, so
 * nothing is written there; in an org where the package's objects exist but a field is missing or
 * not visible, the record is created and then marked Failed with the check's sentence.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 */
import { AppError, describeError } from '../lib/errors.js'
import { CHECKED_OBJECTS, describePart, sendParts, type CompositePart, type DescribeResult, type SalesforceClient } from '../salesforce/index.js'
import type { Db } from '../store/index.js'
import { failOrgRun, mayWriteRunRecord, openOrgRun, runRecordPart, type OrgRun, type OrgRunStart } from './org-runs.js'
import { resolveSettings, settingsQueryPart, type SettingsRecord } from './org-settings.js'

/** The package check of a Salesforce session (jobs/runs `salesforceSession`). */
export interface PackageCheck {
  /** True once the package was found deployed on this session: its runs describe nothing more. */
  readonly passed: boolean
  /** Checks with these describes; remembered when it passes. Throws PackageNotDeployedError. */
  check(describe: (sobject: string) => Promise<DescribeResult>): Promise<void>
}

/** The run's start in the org (see the module): throws only for the package check (or what kept it
 * from being made); the settings and the record are as forgiving as they ever were. */
export async function startOrgRun(sf: SalesforceClient, db: Db, packageCheck: PackageCheck, o: OrgRunStart): Promise<OrgRun> {
  const describeParts = packageCheck.passed ? [] : CHECKED_OBJECTS.map((name) => describePart(sf, `describe_${name}`, name))
  const recordPart = mayWriteRunRecord(o) ? runRecordPart(o) : null
  const parts: CompositePart<unknown>[] = [...describeParts, settingsQueryPart(sf), ...(recordPart ? [recordPart] : [])]
  const values = await sendParts(sf, parts)
  const described = new Map(describeParts.map((_part, i) => [CHECKED_OBJECTS[i], values[i] as Promise<DescribeResult>]))
  const settingsRows = values[describeParts.length] as Promise<SettingsRecord[]>
  const recordId = recordPart ? (values[describeParts.length + 1] as Promise<string>) : null
  if (!packageCheck.passed) {
    try {
      await packageCheck.check((name) => described.get(name) ?? sf.describe(name))
    } catch (e) {
      // The run goes no further; a record it opened says why (a requested one is marked Failed by
      // the run's own failure path, jobs/runs).
      if (recordId && !o.requestedId) {
        const message = e instanceof AppError ? e.toText() : describeError(e)
        await recordId.then((id) => failOrgRun(sf, id, message, o.now())).catch(() => {})
      }
      throw e
    }
  }
  const resolved = await resolveSettings(sf, db, o.realmId, { logger: o.logger, mayWrite: recordPart !== null, records: settingsRows })
  return openOrgRun(sf, o, resolved, recordId)
}
