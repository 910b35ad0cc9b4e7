/**
 * @module salesforce/metadata-deploy
 * Deploys a metadata zip through jsforce's Metadata API client (SOAP `deploy`, then
 * `checkDeployStatus` with `includeDetails` until `done`), reporting progress on the way and every
 * component failure as data; and assigns a permission set to a user (one SOQL for the set's Id, one
 * PermissionSetAssignment insert; DUPLICATE_VALUE means it was assigned already).
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_checkdeploystatus.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
 */
import type { DeployResult } from 'jsforce/lib/api/metadata.js'
import type { SalesforceClient } from './client.js'
import { SalesforceError, toSalesforceError } from './errors.js'
import { soql } from './soql.js'

export interface DeployProgress {
  status: string
  deployed: number
  total: number
}

export interface ComponentFailure {
  type: string
  fullName: string
  fileName: string
  problem: string
  line: number | null
  column: number | null
}

export interface DeployReport {
  id: string
  /** Succeeded, SucceededPartial, Failed, Canceled. */
  status: string
  success: boolean
  checkOnly: boolean
  deployed: number
  total: number
  failures: ComponentFailure[]
  /** A failure of the whole deploy (no component to blame). */
  errorMessage: string | null
}

export interface DeployOptions {
  checkOnly?: boolean
  /** Between status checks; jsforce's default is 1 s. */
  pollIntervalMs?: number
  /** jsforce gives up after 10 s by default, too short for a real org's deploy. */
  timeoutMs?: number
  onProgress?: (p: DeployProgress) => void
}

const asArray = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v])

function report(r: DeployResult): DeployReport {
  const failures = asArray(r.details?.componentFailures)
    .filter((m) => !m.success)
    .map((m) => ({
      type: m.componentType ?? '',
      fullName: m.fullName,
      fileName: m.fileName,
      problem: m.problem ?? '',
      line: m.lineNumber ?? null,
      column: m.columnNumber ?? null,
    }))
  return {
    id: r.id,
    status: r.status,
    success: r.success,
    checkOnly: r.checkOnly,
    deployed: r.numberComponentsDeployed,
    total: r.numberComponentsTotal,
    failures,
    errorMessage: r.errorMessage ?? null,
  }
}

/** Deploys `zip` (metadata format, package.xml at its root) and waits for the outcome. A deploy
 * that fails is a report with `success` false, not an exception; a call that fails throws. */
export async function deployZip(sf: SalesforceClient, zip: Uint8Array, o: DeployOptions = {}): Promise<DeployReport> {
  const conn = await sf.jsforce()
  conn.metadata.pollInterval = o.pollIntervalMs ?? 1000
  conn.metadata.pollTimeout = o.timeoutMs ?? 10 * 60_000
  try {
    const locator = conn.metadata.deploy(Buffer.from(zip), {
      // Files sit at the zip's root, not in a package folder.
      singlePackage: true,
      checkOnly: o.checkOnly ?? false,
      // Production orgs refuse false; all or nothing is what an admin expects anyway.
      rollbackOnError: true,
      ignoreWarnings: false,
    })
    locator.on('progress', (r: DeployResult) => {
      o.onProgress?.({ status: r.status, deployed: Number(r.numberComponentsDeployed) || 0, total: Number(r.numberComponentsTotal) || 0 })
    })
    const result = await locator.complete(true)
    return report(result)
  } catch (e) {
    throw toSalesforceError(e)
  }
}

/** Assigns the permission set called `name` to `userId`. */
export async function assignPermissionSet(sf: SalesforceClient, name: string, userId: string): Promise<'assigned' | 'already-assigned'> {
  const rows = await sf.query<{ Id: string }>(soql`SELECT Id FROM PermissionSet WHERE Name = ${name}`)
  const ps = rows[0]
  if (!ps) {
    throw new SalesforceError({ status: 404, errorCode: 'NOT_FOUND', message: `Salesforce has no permission set ${name}: deploy the package first (\`tally salesforce deploy\`).` })
  }
  try {
    await sf.create('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps.Id })
    return 'assigned'
  } catch (e) {
    if (e instanceof SalesforceError && e.errorCode === 'DUPLICATE_VALUE') return 'already-assigned'
    throw e
  }
}
