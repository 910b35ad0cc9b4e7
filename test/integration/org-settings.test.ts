/**
 * Settings in the org (contract §12): the company's Tally_Settings__c is read at every run with one
 * query, and a change made in the org (Create_Accounts__c, Synced_Field_Groups__c) is honoured by
 * the next run; the Hub reads and writes the same record; the store keeps the last copy, which is
 * what the Hub shows when Salesforce cannot be reached. Against the sandbox over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { createHubServices } from '../../src/jobs/hub-services.js'
import { groupsOfFields, fieldsOfGroups } from '../../src/jobs/org-settings.js'
import { createRunService } from '../../src/jobs/runs.js'
import { openTally } from '../../src/jobs/tally.js'
import { getCompanySettings } from '../../src/store/index.js'
import { SWITCHABLE_FIELDS } from '../../src/sync/fields.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

interface Summary { links: { created: number; unmapped: number }; accountsCreated: number; apiCalls: { salesforce: number } }
const settingsRecords = () => h.sandbox.salesforce.emulator.list('Tally_Settings__c')
const patchInOrg = async (id: string, body: Record<string, unknown>) => {
  const token = h.sandbox.salesforce.emulator.issueAccessToken()
  const res = await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/sobjects/Tally_Settings__c/${id}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(204)
}

describe('Tally_Settings__c', () => {
  it('maps field groups both ways (empty = every field)', () => {
    expect(groupsOfFields(null)).toBe('')
    expect(groupsOfFields([...SWITCHABLE_FIELDS])).toBe('')
    expect(fieldsOfGroups('')).toBeNull()
    const noContact = fieldsOfGroups('names;company;website;printOnCheck;billing;shipping;additional;balance')
    expect(noContact).not.toContain('Email__c')
    expect(noContact).toContain('Parent_Customer__c')
    expect(groupsOfFields(noContact)).toBe('names;company;website;printOnCheck;billing;shipping;additional;balance')
  })

  it('is created from Tally\'s settings at the first run, and a Create Accounts set in the org is honoured by the next run', async () => {
    const first = await h.tally('import', '--json')
    expect(first.code).toBe(0)
    expect(first.json<Summary>().accountsCreated).toBe(0)
    expect(first.json<Summary>().links.unmapped).toBeGreaterThan(0)
    const [rec] = settingsRecords()
    expect(settingsRecords()).toHaveLength(1)
    expect(rec).toMatchObject({ QBO_Realm_Id__c: h.sandbox.qbo.emulator.realmId, Create_Accounts__c: false, Synced_Field_Groups__c: null })

    // An admin switches Create Accounts on in Salesforce; the next run (no flag) creates Accounts.
    await patchInOrg(String(rec?.['Id']), { Create_Accounts__c: true })
    const second = await h.tally('import', '--json')
    expect(second.code).toBe(0)
    expect(second.json<Summary>().accountsCreated).toBeGreaterThan(0)
    // The store keeps the copy it read, as the company's (settings are per company, contract §9).
    const t = await openTally(parseConfig(h.env, h.dir))
    try {
      expect((await getCompanySettings(t.store.db, h.sandbox.qbo.emulator.realmId)).createAccounts).toBe(true)
    } finally {
      await t.close()
    }
  })

  it('the Hub reads and writes the same record, and shows the stored copy when Salesforce cannot be reached', async () => {
    const t = await openTally(parseConfig(h.env, h.dir))
    try {
      const hub = createHubServices(t, createRunService(t))
      expect((await hub.settings.get()).createAccounts).toBe(true)
      const [rec] = settingsRecords()
      await patchInOrg(String(rec?.['Id']), { Synced_Field_Groups__c: 'names;company' })
      const view = await hub.settings.get()
      expect(view.enabledFields).toEqual(fieldsOfGroups('names;company'))
      expect(view.enabledFields).not.toContain('Email__c')
      await hub.settings.save({ createAccounts: false, enabledFields: [...SWITCHABLE_FIELDS] })
      expect(settingsRecords()).toEqual([expect.objectContaining({ Create_Accounts__c: false, Synced_Field_Groups__c: null })])

    } finally {
      await t.close()
    }
    // Salesforce unreachable (nothing listens at its address): the Hub shows Tally's last copy.
    const offline = await openTally(parseConfig({ ...h.env, SF_LOGIN_URL: 'http://127.0.0.1:9' }, h.dir))
    try {
      const hub = createHubServices(offline, createRunService(offline))
      expect(await hub.settings.get()).toEqual({ createAccounts: false, enabledFields: [...SWITCHABLE_FIELDS] })
    } finally {
      await t.close()
    }
  })
})
