/**
 * @module jobs/package-deploy
 * `tally salesforce deploy` and the Hub's "Deploy the Salesforce package": builds the metadata zip
 * of the package in `salesforce/` in process, deploys it to the connected org through the Metadata
 * API, and — when it is saved, not only validated — assigns the `Tally_Sync` permission set to the
 * user Tally signs in as (the identity of the connection).
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildPackageZip } from '../salesforce/package-source.js'
import { assignPermissionSet, deployZip, type DeployProgress, type DeployReport } from '../salesforce/metadata-deploy.js'
import { recordSuccess } from '../store/index.js'
import { salesforceClient } from './connections.js'
import type { Tally } from './tally.js'

/** The repository's package (the folder of sfdx-project.json), resolved from this file. */
export const DEFAULT_PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../salesforce')
export const PERMISSION_SET = 'Tally_Sync'

export interface PackageDeployOutcome {
  report: DeployReport
  /** Components the zip holds. */
  components: number
  /** null when nothing was assigned (check only, or the deploy failed). */
  permissionSet: 'assigned' | 'already-assigned' | null
  userId: string
  instanceUrl: string
  salesforceCalls: number
}

export interface PackageDeployRequest {
  checkOnly?: boolean
  packageDir?: string
  pollIntervalMs?: number
  onStart?: (o: { components: number; instanceUrl: string }) => void
  onProgress?: (p: DeployProgress) => void
}

export async function deployPackage(t: Tally, req: PackageDeployRequest = {}): Promise<PackageDeployOutcome> {
  // The zip first: a broken package folder is reported before anything is sent.
  const pkg = buildPackageZip(req.packageDir ?? DEFAULT_PACKAGE_DIR)
  const sf = await salesforceClient(t)
  const info = await sf.connect()
  req.onStart?.({ components: pkg.components.length, instanceUrl: info.instanceUrl })
  const report = await deployZip(sf, pkg.zip, {
    checkOnly: req.checkOnly ?? false,
    ...(req.pollIntervalMs !== undefined ? { pollIntervalMs: req.pollIntervalMs } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  })
  const permissionSet = report.success && !report.checkOnly ? await assignPermissionSet(sf, PERMISSION_SET, info.userId) : null
  await recordSuccess(t.store.db, 'salesforce')
  return { report, components: pkg.components.length, permissionSet, userId: info.userId, instanceUrl: info.instanceUrl, salesforceCalls: sf.apiCalls() }
}
