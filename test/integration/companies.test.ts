/**
 * @module test/integration/companies.test
 * Several QuickBooks companies in one Salesforce org (contract §5.10, §9), through the `tally`
 * CLI against the sandbox over real HTTP: three companies with overlapping customer names are
 * imported into one org — records per realm, shared Accounts, one created Account per name (also
 * when two companies' runs overlap in time), `--company`, the §9 summary and exit codes, and a
 * single-company install that gains a second company.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { normalizeName } from '../../src/lib/names.js'
import { accountSourceKey } from '../../src/sync/plan.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

interface Part {
  realmId: string
  companyName: string | null
  status: string
  customers: Record<string, number>
  links: Record<string, number>
  accountsCreated: number
  apiCalls: { qbo: number; salesforce: number }
  errors: unknown[]
  error?: string
}
interface Summary extends Omit<Part, 'realmId' | 'companyName'> {
  companies?: Part[]
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const norm = (s: unknown) => normalizeName(String(s).replace(/\s*\(deleted\)\s*$/i, ''))

/** Active top-level customers of each company, by normalised name. */
function topLevelNames(h: Harness): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>()
  for (const co of h.sandbox.companies) {
    for (const c of h.sandbox.qbo.emulator.customers(co.realmId)) {
      if (c['ParentRef'] || c['Active'] === false) continue
      const n = norm(c['DisplayName'])
      byName.set(n, (byName.get(n) ?? new Set()).add(co.realmId))
    }
  }
  return byName
}

describe('three QuickBooks companies in one org', () => {
  it('imports every company: records per realm, shared Accounts, one created Account per name', async () => {
    h = await startHarness({ companies: 3, generate: 80, randomSeed: 3 })
    const run = await h.tally('import', '--create-accounts', '--json')
    expect(run.code).toBe(0)
    const s = run.json<Summary>()
    expect(s.status).toBe('succeeded')
    expect(s.companies?.map((c) => c.realmId)).toEqual(h.sandbox.companies.map((c) => c.realmId))
    expect(s.companies?.map((c) => c.companyName)).toEqual(h.sandbox.companies.map((c) => c.companyName))
    // Top-level counts are the companies' totals.
    for (const k of ['seen', 'created', 'failed'] as const) {
      expect(s.customers[k]).toBe((s.companies ?? []).reduce((n, c) => n + (c.customers[k] ?? 0), 0))
    }
    expect(s.accountsCreated).toBe((s.companies ?? []).reduce((n, c) => n + c.accountsCreated, 0))
    expect(s.apiCalls.salesforce).toBe((s.companies ?? []).reduce((n, c) => n + c.apiCalls.salesforce, 0))

    // Records per realm, keyed <realmId>-<Id>: the same Id in two companies never collides.
    const records = h.records()
    for (const co of h.sandbox.companies) {
      const mine = records.filter((r) => r['QBO_Realm_Id__c'] === co.realmId)
      expect(mine).toHaveLength(h.sandbox.qbo.emulator.customers(co.realmId).length)
      for (const r of mine) expect(r['QBO_Key__c']).toBe(`${co.realmId}-${String(r['QBO_Id__c'])}`)
      // The company's name is on every record, so the org's list views and reports tell them apart.
      for (const r of mine) expect(r['QBO_Company__c']).toBe(co.companyName)
    }

    // Customers of one name in several companies link to one Account.
    const shared = [...topLevelNames(h)].filter(([, realms]) => realms.size > 1)
    expect(shared.length).toBeGreaterThan(5)
    for (const [name] of shared) {
      const linked = records.filter((r) => !r['Is_Sub_Customer__c'] && norm(r['Display_Name__c']) === name && r['Active__c'] !== false)
      const accounts = new Set(linked.map((r) => r['Account__c']))
      if (linked.some((r) => r['Link_Status__c'] === 'Ambiguous')) continue // several Accounts bear that name in the org
      expect(accounts.size, `"${name}" links to one Account`).toBe(1)
      expect(accounts.has(null)).toBe(false)
    }
    // Create Accounts made one Account per name, never one per company.
    const created = h.accounts().filter((a) => typeof a['QBO_Source_Key__c'] === 'string')
    const createdNames = created.map((a) => norm(a['Name']))
    expect(new Set(createdNames).size).toBe(created.length)
    expect(created.length).toBe(s.accountsCreated)
    for (const a of created) expect(a['QBO_Source_Key__c']).toBe(accountSourceKey(norm(a['Name'])))
    const sharedCreated = created.filter((a) => (topLevelNames(h as Harness).get(norm(a['Name']))?.size ?? 0) > 1)
    expect(sharedCreated.length).toBeGreaterThan(0)
    for (const a of sharedCreated) {
      const statuses = records.filter((r) => r['Account__c'] === a['Id'] && !r['Is_Sub_Customer__c']).map((r) => r['Link_Status__c'])
      // Whichever company's run created it, every company's customer of that name is Created.
      expect(new Set(statuses)).toEqual(new Set(['Created']))
    }

    // Again: nothing to write in any company.
    const writes = h.sfWrites()
    const again = (await h.tally('import', '--json')).json<Summary>()
    expect(again.customers.unchanged).toBe(again.customers.seen)
    expect(again.accountsCreated).toBe(0)
    expect(h.sfWrites()).toBe(writes)

    // --company limits the run to one company, and prints the single-company summary.
    const second = h.sandbox.companies[1]?.realmId as string
    const one = await h.tally('import', '--company', second, '--json')
    expect(one.code).toBe(0)
    const os = one.json<Summary>()
    expect(os.companies).toBeUndefined()
    expect(os.customers.seen).toBe(h.sandbox.qbo.emulator.customers(second).length)
    const unknown = await h.tally('import', '--company', '123', '--json')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/No QuickBooks company with realm id 123 is connected \(connected: \d+, \d+, \d+\)/)
  })

  it('two companies\' runs at the same time create one Account for a name both have', async () => {
    h = await startHarness({
      data: {
        qbo: { customers: [], vendors: [], employees: [] },
        qboCompanies: [
          { realmId: '4620816365000000001', companyName: 'North Ltd', customers: Array.from({ length: 300 }, (_, i) => ({ Id: String(i + 1), DisplayName: `Client ${i + 1}` })), vendors: [], employees: [] },
          { realmId: '4620816365000000002', companyName: 'South Inc', customers: Array.from({ length: 300 }, (_, i) => ({ Id: String(i + 1), DisplayName: `CLIENT  ${i + 1}` })), vendors: [], employees: [] },
        ],
        salesforce: { accounts: [], qboCustomers: [] },
      },
      latencyMs: 5,
    })
    // Two runs of two companies at once, in one process as the Hub's "Start Import" for all
    // would run them if they ran in parallel (each company has its own run lock).
    const { openTally } = await import('../../src/jobs/tally.js')
    const { parseConfig } = await import('../../src/config/env.js')
    const { createRunService } = await import('../../src/jobs/runs.js')
    const t = await openTally(parseConfig(h.env, h.dir))
    const runs = createRunService(t)
    const [a, b] = await Promise.all(['4620816365000000001', '4620816365000000002'].map((realmId) => runs.execute({ mode: 'import', createAccounts: true, realmId }))) as [Awaited<ReturnType<typeof runs.execute>>, Awaited<ReturnType<typeof runs.execute>>]
    await t.close()
    expect([a.summary.status, b.summary.status]).toEqual(['succeeded', 'succeeded'])
    // Both planned to create all 300 (neither saw the other's Accounts when it read)…
    expect(a.plan.accountsToCreate).toHaveLength(300)
    expect(b.plan.accountsToCreate).toHaveLength(300)
    const accounts = h.accounts()
    expect(accounts).toHaveLength(300)
    // …and between them created each once.
    expect(a.summary.accountsCreated + b.summary.accountsCreated).toBe(300)
    const records = h.records()
    for (let i = 1; i <= 300; i++) {
      const pair = records.filter((r) => r['QBO_Id__c'] === String(i))
      expect(pair).toHaveLength(2)
      expect(pair[0]?.['Account__c']).toBe(pair[1]?.['Account__c'])
      expect(pair.map((r) => r['Link_Status__c'])).toEqual(['Created', 'Created'])
    }
  })

  it('a company that cannot run is reported and exits 1; the others are imported', async () => {
    h = await startHarness({ companies: 2, generate: 20 })
    const [first, second] = h.sandbox.companies as unknown as [{ realmId: string }, { realmId: string }]
    // The second company's grant is refused by Intuit (revoked, say): invalid_grant at refresh.
    h.env['QBO_CONNECTIONS'] = `${first.realmId}:${h.sandbox.qbo.emulator.issueTokens(first.realmId).refresh_token},${second.realmId}:not-a-valid-token`
    const run = await h.tally('import', '--json')
    expect(run.code).toBe(1)
    const s = run.json<Summary>()
    expect(s.status).toBe('partial')
    expect(s.companies?.find((c) => c.realmId === first.realmId)?.status).toBe('succeeded')
    expect(s.companies?.find((c) => c.realmId === second.realmId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/Reconnect QuickBooks|refresh token/i) })
    expect(run.stderr).toMatch(new RegExp(`realm ${second.realmId}\\): `))
    expect(h.records().filter((r) => r['QBO_Realm_Id__c'] === first.realmId)).toHaveLength(20)
    expect(h.records().filter((r) => r['QBO_Realm_Id__c'] === second.realmId)).toHaveLength(0)
  })

  it('a single-company install that gains a second company keeps the first company\'s state', async () => {
    h = await startHarness({ companies: 2, generate: 30, randomSeed: 5 })
    const [first, second] = h.sandbox.companies as unknown as [{ realmId: string }, { realmId: string }]
    const multi = h.env['QBO_CONNECTIONS'] as string
    // First only the first company, configured the single-company way.
    delete h.env['QBO_CONNECTIONS']
    h.env['QBO_REALM_ID'] = first.realmId
    h.env['QBO_REFRESH_TOKEN'] = h.sandbox.qbo.emulator.issueTokens(first.realmId).refresh_token
    const single = await h.tally('import', '--json')
    expect(single.code).toBe(0)
    expect(single.json<Summary>().companies).toBeUndefined()
    // The first company's settings: Create Accounts on.
    const { openTally } = await import('../../src/jobs/tally.js')
    const { parseConfig } = await import('../../src/config/env.js')
    const { saveCompanySettings } = await import('../../src/store/index.js')
    const t = await openTally(parseConfig(h.env, h.dir))
    await saveCompanySettings(t.store.db, first.realmId, { createAccounts: true })
    await t.close()
    // Then both: the first company's records are unchanged, the second's are created.
    h.env['QBO_CONNECTIONS'] = multi.split(',').filter((p) => p.startsWith(`${second.realmId}:`)).join(',')
    const both = (await h.tally('import', '--json')).json<Summary>()
    const [p1, p2] = both.companies ?? []
    expect(p1).toMatchObject({ realmId: first.realmId })
    // None is created again; they are only updated (the company's name, now known, goes onto
    // QBO_Company__c, and Create Accounts links the unmatched ones).
    expect(p1?.customers).toMatchObject({ seen: 30, created: 0, failed: 0 })
    expect(h.records().filter((r) => r['QBO_Realm_Id__c'] === first.realmId).every((r) => typeof r['QBO_Company__c'] === 'string')).toBe(true)
    expect(p2).toMatchObject({ realmId: second.realmId })
    expect(p2?.customers.created).toBe(30)
    // The second company started with the first company's settings (Create Accounts on).
    expect(p2?.links.unmapped).toBe(0)
  })
})
