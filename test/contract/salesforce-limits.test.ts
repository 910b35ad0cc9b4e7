/**
 * Contract: API accounting and transient faults (api-facts B.5/B.6): `Sforce-Limit-Info` read by
 * jsforce into `conn.limitInfo`, `/limits`, 403 REQUEST_LIMIT_EXCEEDED when the allocation is
 * spent, and injected faults (503 retried by jsforce on GET, UNABLE_TO_LOCK_ROW on writes).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

type Limits = Record<string, { Max: number; Remaining: number } & Record<string, unknown>>
const setLimits = (url: string, body: unknown) =>
  fetch(`${url}/__sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

describe('API allocation', () => {
  it('reports usage in Sforce-Limit-Info and /limits, then refuses with REQUEST_LIMIT_EXCEEDED', async () => {
    sandbox = await startSandbox({ dailyApiLimit: 5, data: { accounts: [{ Name: 'A' }] } })
    const conn = await sandbox.connect() // OAuth does not count
    await conn.query('SELECT Id FROM Account')
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 5 } })
    const limits = (await conn.request(`/services/data/v${VERSION}/limits`)) as Record<string, { Max: number; Remaining: number }>
    expect(Object.keys(limits.DailyApiRequests ?? {})).toEqual(Object.keys(shapes.limits.DailyApiRequests))
    expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 3 })
    await conn.query('SELECT Id FROM Account')
    await conn.query('SELECT Id FROM Account')
    await conn.query('SELECT Id FROM Account')
    const err = await conn.query('SELECT Id FROM Account').then(
      () => undefined,
      (e: Error & { errorCode?: string }) => e,
    )
    expect(err?.errorCode).toBe('REQUEST_LIMIT_EXCEEDED')
    expect(err?.message).toBe('TotalRequests Limit exceeded.')
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } })
    expect(res.status).toBe(403)
    expect(res.headers.get('sforce-limit-info')).toMatch(new RegExp(shapes.formats.sforceLimitInfo))
  })

  it('defaults to Enterprise Edition with 10 licences (110,000) and counts OAuth in stats', async () => {
    sandbox = await startSandbox()
    const conn = await sandbox.connect()
    await conn.query('SELECT Id FROM Account LIMIT 1')
    expect(conn.limitInfo.apiUsage?.limit).toBe(110_000)
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { requests: number; byOperation: Record<string, number> }
    expect(stats.byOperation).toMatchObject({ 'oauth.token': 1, query: 1 })
  })
})

// Some of the limit names the REST API Developer Guide's "Limits" resource documents, by area.
const DOCUMENTED = [
  'ConcurrentAsyncGetReportInstances', 'ConcurrentSyncReportRuns', 'HourlyAsyncReportRuns', 'HourlySyncReportRuns',
  'HourlyDashboardRefreshes', 'HourlyDashboardResults', 'HourlyDashboardStatuses', 'MassEmail', 'SingleEmail',
  'DailyApiRequests', 'DailyAsyncApexExecutions', 'DailyAsyncApexTests', 'DailyBulkApiBatches', 'DailyBulkV2QueryJobs',
  'DailyBulkV2QueryFileStorageMB', 'DailyDurableStreamingApiEvents', 'DurableStreamingApiConcurrentClients',
  'DailyStandardVolumePlatformEvents', 'HourlyPublishedPlatformEvents', 'DailyWorkflowEmails', 'HourlyTimeBasedWorkflow',
  'HourlyODataCallout', 'DataStorageMB', 'FileStorageMB', 'PermissionSets', 'Package2VersionCreates',
]

describe('/limits', () => {
  it('answers the documented limits (71), each {Max, Remaining} with nothing used; DailyApiRequests from the accounting', async () => {
    sandbox = await startSandbox({ dailyApiLimit: 15_000, data: { accounts: [] } })
    const conn = await sandbox.connect()
    const limits = (await conn.limits()) as unknown as Limits
    expect(Object.keys(limits)).toHaveLength(71)
    expect(Object.keys(limits)).toEqual(expect.arrayContaining(DOCUMENTED))
    const { DailyApiRequests, PermissionSets, ...others } = limits
    for (const [name, limit] of Object.entries(others)) {
      expect(Object.keys(limit).sort(), name).toEqual(['Max', 'Remaining'])
      expect(Number.isInteger(limit.Max) && limit.Max >= 0, name).toBe(true)
      expect(limit.Remaining, name).toBe(limit.Max)
    }
    // The one nested limit: how many of the permission sets may be custom ones.
    expect(PermissionSets).toEqual({ Max: 1500, Remaining: 1500, CreateCustom: { Max: 1000, Remaining: 1000 } })
    // The /limits call itself is counted, as Salesforce counts every REST call.
    expect(DailyApiRequests).toEqual({ Max: 15_000, Remaining: 14_999 })
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 15_000 } })
  })
})

describe('POST /__sandbox/limits (contract §7)', () => {
  it('sets the daily API limit and usage, as /limits and Sforce-Limit-Info then report them', async () => {
    sandbox = await startSandbox({ data: { accounts: [{ Name: 'A' }] } })
    const conn = await sandbox.connect()
    const res = await setLimits(sandbox.url, { DailyApiRequests: { Max: 5000, Remaining: 1200 } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ DailyApiRequests: { Max: 5000, Remaining: 1200 } })
    const limits = (await conn.limits()) as unknown as Limits
    expect(limits.DailyApiRequests).toEqual({ Max: 5000, Remaining: 1199 })
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 3801, limit: 5000 } })
    await conn.query('SELECT Id FROM Account')
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 3802, limit: 5000 } })
    expect(sandbox.emulator.apiUsage()).toEqual({ used: 3802, max: 5000 })
  })

  it('refuses with 403 REQUEST_LIMIT_EXCEEDED once Remaining is 0, and reset restores the configured limit', async () => {
    sandbox = await startSandbox({ dailyApiLimit: 20_000, data: { accounts: [{ Name: 'A' }] } })
    const conn = await sandbox.connect()
    await setLimits(sandbox.url, { DailyApiRequests: { Max: 100, Remaining: 1 } })
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(1)
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 100, limit: 100 } })
    const err = await conn.limits().then(
      () => undefined,
      (e: Error & { errorCode?: string }) => e,
    )
    expect(err?.errorCode).toBe('REQUEST_LIMIT_EXCEEDED')
    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })
    const fresh = await sandbox.connect()
    expect(((await fresh.limits()) as unknown as Limits).DailyApiRequests).toEqual({ Max: 20_000, Remaining: 19_999 })
  })

  it('rejects a body it cannot apply, naming what is wrong', async () => {
    sandbox = await startSandbox({ data: { accounts: [] } })
    const bad = await setLimits(sandbox.url, { DailyApiRequests: { Max: 10, Remaining: 11 } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toMatch(/DailyApiRequests.*Remaining/)
    const unknown = await setLimits(sandbox.url, { DailyApiRequestz: { Max: 10, Remaining: 1 } })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: string }).error).toMatch(/DailyApiRequestz/)
  })
})

describe('transient faults', () => {
  it('jsforce retries a GET answered 503, and a write can fail with UNABLE_TO_LOCK_ROW', async () => {
    sandbox = await startSandbox({ data: { accounts: [{ Name: 'A' }] } })
    const conn = await sandbox.connect()
    const control = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ next: ['503'] }),
    })
    expect(await control.json()).toEqual({ faultRate: 0, queued: 1 })
    const r = await conn.query('SELECT Id FROM Account')
    expect(r.totalSize).toBe(1)
    expect(sandbox.emulator.stats.byOperation.query).toBe(2)

    sandbox.emulator.setFaults({ next: ['lock'] })
    const err = await conn.sobject('Account').create({ Name: 'B' }).then(
      () => undefined,
      (e: Error & { errorCode?: string }) => e,
    )
    expect(err?.errorCode).toBe('UNABLE_TO_LOCK_ROW')
    expect(err?.message).toMatch(/^unable to obtain exclusive access to this record or 1 records: \w{18}$/)

    sandbox.emulator.setFaults({ next: ['lock'] })
    const results = await conn.sobject('Account').create([{ Name: 'C' }])
    expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW' }] })
  })

  it('reproduces the same fault sequence for the same seed', async () => {
    const outcomes = async () => {
      const sb = await startSandbox({ faultRate: 0.5, randomSeed: 42, data: { accounts: [] } })
      const token = sb.emulator.issueAccessToken()
      const statuses: number[] = []
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${sb.url}/services/data/v${VERSION}/limits`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
        statuses.push(res?.status ?? 0)
      }
      await sb.close()
      return statuses
    }
    const a = await outcomes()
    expect(a.some((s) => s !== 200)).toBe(true)
    expect(await outcomes()).toEqual(a)
  })
})
