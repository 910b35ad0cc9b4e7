/**
 * @module jobs/package-deploy
 * `tally salesforce deploy` and the Hub's "Deploy the Salesforce package": builds the metadata zip
 * of the package in `salesforce/` in process, deploys it to the connected org through the Metadata
 * API, and — when it is saved, not only validated — assigns the `Tally_Sync` permission set to the
 * user Tally signs in as (the identity of the connection).
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { buildPackageZip } from '../salesforce/package-source.js'
import { assignPermissionSet, deployZip, type DeployProgress, type DeployReport } from '../salesforce/metadata-deploy.js'
import type { PackageDeployService, PackageDeployView } from '../hub/routes/salesforce-package.js'
import { AppError, describeError } from '../lib/errors.js'
import { packageRoot } from '../lib/package-root.js'
import { recordSuccess } from '../store/index.js'
import { salesforceClient } from './connections.js'
import type { Tally } from './tally.js'

/** The repository's package (the folder of sfdx-project.json). */
export const DEFAULT_PACKAGE_DIR = join(packageRoot(), 'salesforce')
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
  const pkg = buildPackageZip(req.packageDir ?? t.config.salesforce.packageDir ?? DEFAULT_PACKAGE_DIR)
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

/** The Hub's deploys: each runs in the background and is kept (in memory) for its page to poll. */
export function createPackageDeployService(t: Tally, o: { packageDir?: string; pollIntervalMs?: number } = {}): PackageDeployService {
  const deploys = new Map<string, PackageDeployView>()
  return {
    async start({ checkOnly }) {
      const running = [...deploys.values()].find((d) => !d.done)
      if (running) return { deployId: running.deployId }
      const view: PackageDeployView = { deployId: randomUUID(), checkOnly, status: 'Starting', done: false, deployed: 0, total: 0, failures: [], permissionSet: null, message: null }
      deploys.set(view.deployId, view)
      void deployPackage(t, {
        checkOnly,
        ...(o.packageDir ? { packageDir: o.packageDir } : {}),
        ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
        onStart: ({ components }) => Object.assign(view, { status: 'Pending', total: components }),
        onProgress: (p) => Object.assign(view, { status: p.status, deployed: p.deployed, total: p.total }),
      }).then(
        ({ report, permissionSet }) => {
          Object.assign(view, {
            status: report.status,
            done: true,
            deployed: report.deployed,
            total: report.total,
            failures: report.failures.map((f) => ({ type: f.type, fullName: f.fullName, fileName: f.fileName, problem: f.problem, line: f.line })),
            permissionSet,
            message: !report.success
              ? `The deploy failed: ${report.failures.length > 0 ? `${report.failures.length} component${report.failures.length === 1 ? ' has' : 's have'} errors` : (report.errorMessage ?? report.status)}, so nothing was changed in Salesforce.`
              : report.checkOnly
                ? `All ${report.total} components would deploy; nothing was changed.`
                : `Tally's package is deployed (${report.deployed} components) and ${PERMISSION_SET} is assigned to the integration user.`,
          })
        },
        (e: unknown) => Object.assign(view, { status: 'Error', done: true, message: e instanceof AppError ? e.toText() : `The deploy could not run: ${describeError(e)}` }),
      )
      return { deployId: view.deployId }
    },
    get: (id) => {
      const v = deploys.get(id)
      return v ? { ...v, failures: [...v.failures] } : null
    },
  }
}
