/**
 * @module hub/routes/salesforce-package
 * "Deploy the Salesforce package" on the Connections page (contract §8): starts a deploy of Tally's
 * package to the connected org (the same job as `tally salesforce deploy`) and reports it while it
 * runs — status, components deployed of the total, and each failed component with its problem.
 * `POST /api/salesforce/package/deploy` `{checkOnly?}` → `{deployId}`;
 * `GET /api/salesforce/package/deploy/:deployId` → the deploy as it stands.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { HubError, parseOr400 } from '../errors.js'

export interface PackageDeployView {
  deployId: string
  checkOnly: boolean
  /** `Starting` until Salesforce has the zip; then the Metadata API's status; `Error` when the
   * deploy could not run at all (see `message`). */
  status: 'Starting' | 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceled' | 'Error'
  done: boolean
  deployed: number
  total: number
  failures: { type: string; fullName: string; fileName: string; problem: string; line: number | null }[]
  /** Whether Tally_Sync was assigned to the integration user (null: not attempted). */
  permissionSet: 'assigned' | 'already-assigned' | null
  /** One sentence for the person: the outcome, or what to do. */
  message: string | null
}

export interface PackageDeployService {
  start(o: { checkOnly: boolean }): Promise<{ deployId: string }>
  get(deployId: string): PackageDeployView | null
}

export interface PostPackageDeploy {
  Method: 'POST'
  Path: '/api/salesforce/package/deploy'
  Body: { checkOnly?: boolean }
  Success: { deployId: string }
}
export interface GetPackageDeploy {
  Method: 'GET'
  Path: '/api/salesforce/package/deploy/:deployId'
  Params: { deployId: string }
  Success: PackageDeployView
}

const Body = z.strictObject({ checkOnly: z.boolean().optional() })
const Params = z.strictObject({ deployId: z.string().min(1).max(64) })

export function registerSalesforcePackageRoutes(app: Hono<HubEnv>, deps: ResolvedDeps, service: PackageDeployService): void {
  app.post('/api/salesforce/package/deploy', async (c) => {
    const body = parseOr400(Body, await c.req.json().catch(() => ({})), 'invalid_body')
    return c.json<PostPackageDeploy['Success']>(await service.start({ checkOnly: body.checkOnly ?? false }), 202)
  })
  app.get('/api/salesforce/package/deploy/:deployId', (c) => {
    const { deployId } = parseOr400(Params, c.req.param(), 'invalid_uri_params')
    const view = service.get(deployId)
    if (!view) throw new HubError(404, 'not_found', 'No such deploy: it may be from before the Hub restarted. Deploy again.')
    return c.json<GetPackageDeploy['Success']>(view)
  })
  void deps
}
