/**
 * Automatic sync over real HTTP (contract §11), against `tally start` in demo mode (the sandbox
 * in-process, its QuickBooks posting webhooks to the Hub): with the webhooks off, the sweep alone
 * brings a change made through the QBO API to Salesforce, no button pressed; a company switched off
 * is not synced until it is switched on again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutoSyncView } from '../../src/hub/api-types.js'
import { hubApi, startSystem, type E2eSystem, type HubApi, type SfRecord } from '../helpers/e2e-system.js'

let sys: E2eSystem
let hub: HubApi
beforeAll(async () => {
  sys = await startSystem({ env: { TALLY_SYNC_INTERVAL: '1' }, autoSync: true })
  hub = await hubApi(sys)
  const run = await hub.runImport()
  expect(run.status).toBe('succeeded')
})
afterAll(async () => {
  await sys?.stop()
})

const notes = async (qboId: string) =>
  (await sys.sf.query<SfRecord & { Notes__c: string | null }>(`SELECT Id, Notes__c FROM QBO_Customer__c WHERE QBO_Key__c = '${sys.realmId}-${qboId}'`))[0]?.Notes__c
/** The sandbox's QuickBooks stops posting webhooks (its `POST /__sandbox/webhook` with null). */
const webhooksOff = async () => {
  const res = await fetch(`${sys.qboUrl}/__sandbox/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' })
  expect(res.status).toBe(200)
}

describe('automatic sync under tally start', () => {
  it('with webhooks off, the sweep alone brings a QuickBooks change to Salesforce', async () => {
    const status = (await hub.call<AutoSyncView>('GET', '/api/auto-sync')).body
    expect(status).toMatchObject({ running: true, intervalSeconds: 1, webhooks: true })
    await webhooksOff()
    const [c] = await sys.qbo.customers()
    await sys.qbo.update(c!.Id, { Notes: 'Found by the sweep.' })
    await expect.poll(() => notes(c!.Id), { timeout: 20_000 }).toBe('Found by the sweep.')
    // The record is in Salesforce before the run has finished; the sweep's state is recorded
    // after it (jobs/auto-sync), so it is awaited too.
    const company = async () => (await hub.call<AutoSyncView>('GET', '/api/auto-sync')).body.companies[0]
    await expect.poll(async () => {
      const state = await company()
      return { swept: Boolean(state?.lastSweepAt), changed: Boolean(state?.lastChangeAt) }
    }, { timeout: 20_000 }).toEqual({ swept: true, changed: true })
  })

  it('a company switched off is not synced, and is again once switched on', async () => {
    const r = await hub.call('PUT', `/api/auto-sync/${sys.realmId}`, { enabled: false })
    expect(r.status).toBe(200)
    const c = (await sys.qbo.customers())[1]!
    await sys.qbo.update(c.Id, { Notes: 'Waits while off.' })
    // Several sweeps' time: nothing arrives.
    await new Promise((res) => setTimeout(res, 3_500))
    expect(await notes(c.Id)).not.toBe('Waits while off.')
    expect((await hub.call('PUT', `/api/auto-sync/${sys.realmId}`, { enabled: true })).status).toBe(200)
    await expect.poll(() => notes(c.Id), { timeout: 20_000 }).toBe('Waits while off.')
  })
})
