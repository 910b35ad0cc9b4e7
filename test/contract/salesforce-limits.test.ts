/**
 * Contract: API accounting and transient faults (api-facts B.5/B.6): `Sforce-Limit-Info` read by
 * jsforce into `conn.limitInfo`, `/limits`, 403 REQUEST_LIMIT_EXCEEDED when the allocation is
 * spent, and injected faults (503 retried by jsforce on GET, UNABLE_TO_LOCK_ROW on writes).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

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
