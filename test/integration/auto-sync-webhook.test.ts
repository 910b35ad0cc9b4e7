/**
 * Automatic sync by webhook (contract §11): `tally start` in demo mode, whose QuickBooks posts its
 * webhooks to the Hub's `POST /webhooks/qbo`, with a sweep an hour apart — so a change made through
 * the QBO API that reaches Salesforce within seconds came by its webhook, with no button pressed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutoSyncView } from '../../src/hub/api-types.js'
import { hubApi, startSystem, type E2eSystem, type HubApi, type SfRecord } from '../helpers/e2e-system.js'

let sys: E2eSystem
let hub: HubApi
beforeAll(async () => {
  sys = await startSystem({ env: { TALLY_SYNC_INTERVAL: '3600' }, autoSync: true })
  hub = await hubApi(sys)
  expect((await hub.runImport()).status).toBe('succeeded')
})
afterAll(async () => {
  await sys?.stop()
})

describe('automatic sync by webhook', () => {
  it('a QuickBooks change reaches Salesforce by its webhook, long before the next sweep', async () => {
    const before = (await hub.call<AutoSyncView>('GET', '/api/auto-sync')).body
    expect(before).toMatchObject({ running: true, webhooks: true, intervalSeconds: 3600 })
    const [c] = await sys.qbo.customers()
    await sys.qbo.update(c!.Id, { Notes: 'Came by webhook.' })
    const notes = async () =>
      (await sys.sf.query<SfRecord & { Notes__c: string | null }>(`SELECT Id, Notes__c FROM QBO_Customer__c WHERE QBO_Key__c = '${sys.realmId}-${c!.Id}'`))[0]?.Notes__c
    await expect.poll(notes, { timeout: 15_000 }).toBe('Came by webhook.')
    // The record is in Salesforce before the run has finished (its close in the org, the store's
    // views), and the lag is recorded after that: it is awaited too.
    const status = async () => (await hub.call<AutoSyncView>('GET', '/api/auto-sync')).body.companies[0]
    await expect.poll(async () => (await status())?.lastLagMs ?? null, { timeout: 15_000 }).not.toBeNull()
    // No sweep ran since the one at start.
    expect((await status())?.lastSweepAt).toBe(before.companies[0]?.lastSweepAt)
  })
})
