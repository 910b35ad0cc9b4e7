/**
 * `tally import` against the sandbox (sample company): every mapping rule of contract §5, the dry
 * run, idempotency, and links people own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { normalizeName } from '../../src/lib/names.js'
import { accountSourceKey } from '../../src/sync/plan.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

interface Summary {
  status: string
  customers: Record<string, number>
  links: Record<string, number>
  accountsCreated: number
  apiCalls: { qbo: number; salesforce: number }
  errors: { qboId: string; field: string | null; code: string; level: string }[]
  plan?: { items: { qboId: string; action: string; link: { status: string; reason: string } }[]; accountsToCreate: unknown[] }
}

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

const byName = (rows: Record<string, unknown>[], name: string) => rows.filter((r) => String(r['Name']).toLowerCase().replace(/\s+/g, ' ').trim() === name.toLowerCase())
const record = (h: Harness, displayName: string) => {
  const r = h.records().find((x) => x['Display_Name__c'] === displayName)
  if (!r) throw new Error(`no QBO_Customer__c for ${displayName}`)
  return r
}
async function sfPatch(h: Harness, type: string, id: string, fields: Record<string, unknown>) {
  const res = await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/sobjects/${type}/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${h.sandbox.salesforce.emulator.issueAccessToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  })
  expect(res.status).toBe(204)
}

describe('tally import on the sample company', () => {
  it('links every customer by the mapping rules and never changes existing Accounts', async () => {
    const accountsBefore = h.accounts().map((a) => JSON.stringify(a))
    const customers = h.sandbox.qbo.emulator.customers()
    const r = await h.tally('import', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.customers.seen).toBe(customers.length)
    expect(s.customers.created).toBe(customers.length)

    const records = h.records()
    expect(records).toHaveLength(customers.length)
    const accounts = h.accounts()
    for (const c of customers) {
      const rec = records.find((x) => x['QBO_Key__c'] === `${h.sandbox.qbo.emulator.realmId}-${c['Id']}`)
      expect(rec, `record for ${String(c['DisplayName'])}`).toBeDefined()
      if (!rec) continue
      expect(rec['Active__c']).toBe(c['Active'] !== false)
      if (c['Job'] === true) {
        // Rule 2: the top-level parent's Account.
        let top = c
        while (top['Job'] === true) top = customers.find((p) => p['Id'] === (top['ParentRef'] as { value: string }).value)!
        const parentRec = records.find((x) => x['QBO_Id__c'] === top['Id'])!
        expect(rec['Link_Status__c']).toBe('Inherited')
        expect(rec['Account__c']).toBe(parentRec['Account__c'])
        expect(rec['Parent_Customer__c']).toBe(records.find((x) => x['QBO_Id__c'] === (c['ParentRef'] as { value: string }).value)!['Id'])
        continue
      }
      const same = byName(accounts, String(c['DisplayName']).replace(/\s+\(deleted\)$/, ''))
      if (same.length === 1) {
        expect(rec['Link_Status__c']).toBe('Matched') // rule 3, case and spacing ignored
        expect(rec['Account__c']).toBe(same[0]!['Id'])
      } else if (same.length > 1) {
        expect(rec['Link_Status__c']).toBe('Ambiguous') // rule 4
        expect(rec['Account__c']).toBeNull()
      } else {
        expect(rec['Link_Status__c']).toBe('Unmapped') // rule 5, Create Accounts off
        expect(rec['Account__c']).toBeNull()
      }
    }
    expect(s.links.matched).toBeGreaterThan(0)
    expect(s.links.ambiguous).toBeGreaterThan(0)
    expect(s.links.unmapped).toBeGreaterThan(0)
    expect(s.links.inherited).toBeGreaterThan(0)
    // Existing Accounts are never modified, and none was created.
    expect(h.accounts().map((a) => JSON.stringify(a))).toEqual(accountsBefore)
  })

  it('creates one Account per unmatched name with Create Accounts on, idempotently', async () => {
    const before = h.accounts().length
    const r = await h.tally('import', '--json', '--create-accounts')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.links.created).toBeGreaterThan(0)
    expect(s.accountsCreated).toBe(h.accounts().length - before)
    for (const rec of h.records().filter((x) => x['Link_Status__c'] === 'Created')) {
      const acc = h.accounts().find((a) => a['Id'] === rec['Account__c'])!
      // Keyed by the normalised name, so every company's run would create this same Account.
      expect(acc['QBO_Source_Key__c']).toBe(accountSourceKey(normalizeName(String(rec['Display_Name__c']))))
      expect(String(acc['Name']).toLowerCase()).toBe(String(rec['Display_Name__c']).toLowerCase())
    }
    // Again, with nothing changed: no Salesforce writes at all, no new Account.
    const writes = h.sfWrites()
    const again = await h.tally('import', '--json', '--create-accounts')
    expect(again.code).toBe(0)
    expect(again.json<Summary>().customers).toMatchObject({ created: 0, updated: 0, unchanged: s.customers.seen })
    expect(h.sfWrites()).toBe(writes)
    expect(h.accounts().length).toBe(before + s.accountsCreated)
  })

  it('--dry-run computes the same plan and writes nothing', async () => {
    const dry = await h.tally('import', '--json', '--dry-run', '--create-accounts')
    expect(dry.code).toBe(0)
    const plan = dry.json<Summary>()
    expect(h.sfWrites()).toBe(0)
    expect(h.records()).toHaveLength(0)
    expect(plan.plan?.items.every((i) => i.action === 'create' && i.link.reason.length > 0)).toBe(true)
    const real = (await h.tally('import', '--json', '--create-accounts')).json<Summary>()
    expect(real.links).toEqual(plan.links)
    expect(real.customers).toEqual(plan.customers)
    expect(real.accountsCreated).toBe(plan.accountsCreated)
    const human = await h.tally('import', '--dry-run')
    expect(human.stdout).toContain('Dry run — nothing was written to Salesforce.')
    // The org's daily allocation as Salesforce reports it on every response (Sforce-Limit-Info).
    const { used, max } = h.sandbox.salesforce.emulator.apiUsage()
    expect(human.stdout).toContain(`Salesforce API usage of the org (last 24 h): ${used.toLocaleString('en-US')} of ${max.toLocaleString('en-US')}.`)
  })

  it('a link a person changes in Salesforce becomes Manual and sticks; clearing one too', async () => {
    await h.tally('import', '--json')
    const matched = record(h, "Amy's Bird Sanctuary")
    const other = h.accounts().find((a) => a['Id'] !== matched['Account__c'])!
    await sfPatch(h, 'QBO_Customer__c', String(matched['Id']), { Account__c: other['Id'] })
    const cleared = h.records().find((x) => x['Link_Status__c'] === 'Matched' && x['Id'] !== matched['Id'])!
    await sfPatch(h, 'QBO_Customer__c', String(cleared['Id']), { Account__c: null })

    const s = (await h.tally('import', '--json')).json<Summary>()
    expect(s.links.manual).toBe(2)
    expect(record(h, "Amy's Bird Sanctuary")).toMatchObject({ Account__c: other['Id'], Link_Status__c: 'Manual' })
    expect(h.records().find((x) => x['Id'] === cleared['Id'])).toMatchObject({ Account__c: null, Link_Status__c: 'Manual' })
    const writes = h.sfWrites()
    await h.tally('import', '--json', '--create-accounts')
    expect(record(h, "Amy's Bird Sanctuary")['Account__c']).toBe(other['Id'])
    expect(h.records().find((x) => x['Id'] === cleared['Id'])!['Account__c']).toBeNull()
    expect(h.sfWrites()).toBeGreaterThan(writes) // Create Accounts linked the unmapped ones…
  })

  it('sub-customers follow their top-level parent when its link changes', async () => {
    await h.tally('import', '--json')
    const parent = record(h, 'Freeman Sporting Goods')
    const target = h.accounts().find((a) => a['Id'] !== parent['Account__c'])!
    await sfPatch(h, 'QBO_Customer__c', String(parent['Id']), { Account__c: target['Id'] })
    await h.tally('import', '--json')
    for (const child of h.records().filter((x) => String(x['Fully_Qualified_Name__c'] ?? '').startsWith('Freeman Sporting Goods:'))) {
      expect(child).toMatchObject({ Account__c: target['Id'], Link_Status__c: 'Inherited' })
    }
  })

  it('a switched-off field is no longer written and keeps its last value', async () => {
    await h.tally('import', '--json')
    const before = record(h, "Amy's Bird Sanctuary")
    expect(before['Email__c']).toBeTruthy()
    // Turn e-mail off, then change the customer's e-mail in QBO.
    const { openTally } = await import('../../src/jobs/tally.js')
    const { parseConfig } = await import('../../src/config/env.js')
    const { createHubServices } = await import('../../src/jobs/hub-services.js')
    const { createRunService } = await import('../../src/jobs/runs.js')
    const { SWITCHABLE_FIELDS } = await import('../../src/sync/fields.js')
    const t = await openTally(parseConfig(h.env, h.dir))
    // As the Hub's Sync Settings save it: Tally's store and the org's Tally_Settings__c.
    await createHubServices(t, createRunService(t)).settings.save({ enabledFields: SWITCHABLE_FIELDS.filter((f) => f !== 'Email__c') })
    await t.close()
    const amy = h.sandbox.qbo.emulator.customers().find((c) => c['DisplayName'] === "Amy's Bird Sanctuary")!
    const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: amy['Id'], SyncToken: amy['SyncToken'], sparse: true, PrimaryEmailAddr: { Address: 'new@example.com' }, Notes: 'changed' }),
    })
    expect(res.status).toBe(200)
    const s = (await h.tally('import', '--json')).json<Summary>()
    expect(s.customers.updated).toBe(1)
    const after = record(h, "Amy's Bird Sanctuary")
    expect(after['Email__c']).toBe(before['Email__c'])
    expect(after['Notes__c']).toBe('changed')
  })
})
