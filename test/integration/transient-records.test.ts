/**
 * A transient refusal of one record inside a Collection (UNABLE_TO_LOCK_ROW, api-facts B.5) is
 * tried again, for Accounts as for records, and a run that leaves a customer without the Account
 * it should have is never reported as succeeded (issue 8).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { qboClient, salesforceClient } from '../../src/jobs/connections.js'
import { qboCustomerSource } from '../../src/jobs/qbo-source.js'
import { salesforceTarget } from '../../src/jobs/salesforce-target.js'
import { openTally, type Tally } from '../../src/jobs/tally.js'
import { syncStateStore } from '../../src/store/index.js'
import { SWITCHABLE_FIELDS } from '../../src/sync/fields.js'
import type { SalesforceTarget } from '../../src/sync/ports.js'
import { runSync } from '../../src/sync/run.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
let t: Tally
beforeEach(async () => {
  h = await startHarness()
  t = await openTally(parseConfig(h.env, h.dir))
})
afterEach(async () => {
  await t.close()
  await h.close()
})

/** The real target over HTTP, with the Salesforce sandbox told to answer the next request of
 * `kind` with a row lock on one record of the Collection, as Salesforce does under contention. */
async function lockedOnce(kind: 'accounts' | 'records', times: number): Promise<SalesforceTarget> {
  const sf = await salesforceClient(t)
  await sf.connect()
  const target = salesforceTarget(sf)
  let left = times
  const arm = () => {
    if (left-- > 0) h.sandbox.salesforce.emulator.setFaults({ next: ['lock'] })
  }
  return {
    ...target,
    upsertAccounts: (a) => {
      if (kind === 'accounts') arm()
      return target.upsertAccounts(a)
    },
    upsertRecords: (w) => {
      if (kind === 'records') arm()
      return target.upsertRecords(w)
    },
  }
}

async function importWith(target: SalesforceTarget) {
  const qbo = await qboClient(t)
  return runSync(
    { source: qboCustomerSource(qbo, qbo.realmId), target, state: syncStateStore(t.store) },
    { runId: 'transient', mode: 'import', dryRun: false, settings: { createAccounts: true, enabledFields: new Set(SWITCHABLE_FIELDS) } },
  )
}

describe('transient refusals of one record', () => {
  it('an Account refused with UNABLE_TO_LOCK_ROW is created on another try, and its customer linked', async () => {
    const r = await importWith(await lockedOnce('accounts', 1))
    expect(r.summary.errors.filter((e) => e.level === 'error')).toEqual([])
    expect(r.summary.status).toBe('succeeded')
    expect(r.summary.accountsCreated).toBe(r.plan.accountsToCreate.length)
    expect(r.plan.accountsToCreate.length).toBeGreaterThan(0)
    for (const a of r.plan.accountsToCreate) {
      expect(h.records().find((x) => x['QBO_Key__c'] === a.sourceKey)).toMatchObject({ Link_Status__c: 'Created', Account__c: expect.any(String) })
    }
  })

  it('an Account still refused after the tries leaves the run partial, never succeeded', async () => {
    const r = await importWith(await lockedOnce('accounts', 10))
    expect(r.summary.status).toBe('partial')
    expect(r.summary.errors).toContainEqual(expect.objectContaining({ field: 'Account__c', code: 'UNABLE_TO_LOCK_ROW', level: 'error' }))
  })

  it('a record refused with UNABLE_TO_LOCK_ROW is written on another try', async () => {
    const r = await importWith(await lockedOnce('records', 1))
    expect(r.summary.status).toBe('succeeded')
    expect(r.summary.customers.failed).toBe(0)
    expect(h.records()).toHaveLength(h.sandbox.qbo.emulator.customers().length)
  })
})
