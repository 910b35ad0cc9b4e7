/**
 * @module emulators/salesforce/metadata-api/routes
 * `POST /services/Soap/m/{version}`: the Metadata API calls a deploy makes — `deploy` (the base64
 * zip and DeployOptions; answers an AsyncResult, `done` false, state `Queued`) and
 * `checkDeployStatus` (`asyncProcessId`, `includeDetails`; answers a DeployResult). A deploy is
 * `Pending` until its first status check, `InProgress` at the first, and done at the second
 * (`Succeeded`, `SucceededPartial` with `rollbackOnError` false, or `Failed`); it is applied to the
 * org when it finishes, unless `checkOnly`. Each call counts against the daily API allocation.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_checkdeploystatus.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deployresult.htm
 */
import type { Context, Hono } from 'hono'
import type { SfState } from '../state.js'
import { planDeploy } from './deploy.js'
import type { DeployOutcome, OrgMetadata } from './deploy.js'
import { readEnvelope, soapFault, soapResponse, textLocal } from './soap.js'
import type { XmlElement } from '../xml.js'

/** Status checks a deploy takes to finish (the first one sees it InProgress). */
export const CHECKS_TO_FINISH = 2

interface DeployJob {
  id: string
  createdDate: string
  startDate?: string
  completedDate?: string
  checkOnly: boolean
  ignoreWarnings: boolean
  rollbackOnError: boolean
  outcome: DeployOutcome
  checks: number
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed'
}

export interface MetadataApiState {
  jobs: Map<string, DeployJob>
  /** Deployed components of types the sandbox keeps no model of, as `Type:fullName`. */
  others: Set<string>
}

export const newMetadataApiState = (): MetadataApiState => ({ jobs: new Map(), others: new Set() })

const xml = (c: Context, body: string, status = 200): Response =>
  c.newResponse(body, status as 200, { 'Content-Type': 'text/xml;charset=UTF-8' })

const bool = (el: XmlElement | undefined, name: string, dflt: boolean): boolean => {
  const v = el && textLocal(el, name)
  return v === undefined ? dflt : v === 'true'
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function registerMetadataApi(app: Hono, s: SfState, md: MetadataApiState): void {
  const org = (): OrgMetadata => ({ schema: s.schema, store: s.store, others: md.others, ids: s.ids, now: s.options.now, userId: s.userId })

  function result(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
    const done = job.status !== 'Pending' && job.status !== 'InProgress'
    const { successes, failures, total } = job.outcome
    const deployed = done ? successes.length - 1 : job.status === 'InProgress' ? Math.floor((successes.length - 1) / 2) : 0
    return {
      checkOnly: job.checkOnly,
      ...(job.completedDate ? { completedDate: job.completedDate } : {}),
      createdBy: s.userId,
      createdByName: 'Integration User',
      createdDate: job.createdDate,
      ...(includeDetails
        ? {
            details: {
              ...(done ? { componentFailures: failures } : {}),
              componentSuccesses: done ? successes : [],
              runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 },
            },
          }
        : {}),
      done,
      id: job.id,
      ignoreWarnings: job.ignoreWarnings,
      lastModifiedDate: job.completedDate ?? job.startDate ?? job.createdDate,
      numberComponentErrors: done ? failures.length : 0,
      numberComponentsDeployed: deployed,
      numberComponentsTotal: total,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError: job.rollbackOnError,
      runTestsEnabled: false,
      ...(job.startDate ? { startDate: job.startDate } : {}),
      ...(job.status === 'InProgress' ? { stateDetail: 'Processing Type: CustomObject' } : {}),
      status: job.status,
      success: job.status === 'Succeeded' || job.status === 'SucceededPartial',
    }
  }

  function advance(job: DeployJob): void {
    job.checks += 1
    const now = s.options.now().toISOString()
    if (job.status === 'Pending') {
      job.status = 'InProgress'
      job.startDate = now
    }
    if (job.checks < CHECKS_TO_FINISH || job.status !== 'InProgress') return
    const failed = job.outcome.failures.length > 0
    job.status = !failed ? 'Succeeded' : job.rollbackOnError ? 'Failed' : 'SucceededPartial'
    job.completedDate = now
    if (!job.checkOnly && job.status !== 'Failed') job.outcome.apply()
  }

  app.post('/services/Soap/m/:version', async (c) => {
    if (s.options.latencyMs > 0) await sleep(s.options.latencyMs)
    let req
    try {
      req = readEnvelope(await c.req.text())
    } catch (e) {
      return xml(c, soapFault('INVALID_XML', `The request is not a SOAP envelope: ${(e as Error).message}`), 500)
    }
    const session = req.sessionId ? s.accessTokens.get(req.sessionId) : undefined
    if (!session || session.expiresAt <= s.options.now().getTime()) {
      return xml(c, soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'), 500)
    }
    s.stats.count(`metadata.${req.operation}`)
    if (s.api.used >= s.api.max) return xml(c, soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 500)
    s.api.used += 1

    if (req.operation === 'deploy') {
      const zipText = textLocal(req.args, 'ZipFile') ?? ''
      const options = req.args.children.find((ch) => ch.name.endsWith('DeployOptions'))
      const zip = Buffer.from(zipText.replace(/\s+/g, ''), 'base64')
      const job: DeployJob = {
        id: s.ids.next('0Af'),
        createdDate: s.options.now().toISOString(),
        checkOnly: bool(options, 'checkOnly', false),
        ignoreWarnings: bool(options, 'ignoreWarnings', false),
        rollbackOnError: bool(options, 'rollbackOnError', true),
        outcome: planDeploy(new Uint8Array(zip), org()),
        checks: 0,
        status: 'Pending',
      }
      md.jobs.set(job.id, job)
      return xml(c, soapResponse('deploy', { done: false, id: job.id, state: 'Queued' }))
    }
    if (req.operation === 'checkDeployStatus') {
      const id = textLocal(req.args, 'asyncProcessId') ?? ''
      const job = md.jobs.get(id)
      if (!job) return xml(c, soapFault('INVALID_ID_FIELD', `Invalid deploy id: ${id}`), 500)
      advance(job)
      return xml(c, soapResponse('checkDeployStatus', result(job, textLocal(req.args, 'includeDetails') === 'true')))
    }
    return xml(c, soapFault('UNKNOWN_EXCEPTION', `The sandbox does not serve the Metadata API call ${req.operation}`), 500)
  })
}
