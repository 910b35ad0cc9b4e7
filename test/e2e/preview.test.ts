/**
 * @module test/e2e/preview
 * End to end in Chromium against `tally start` (demo mode): "Preview" beside "Start Import" runs a
 * dry run and shows in the page what the import would create, update, link and leave unmapped,
 * per customer with the reason from the plan, while the Salesforce sandbox receives no write
 * (its own `/__sandbox/stats`). The import that follows does what the preview said.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, openHub, screenshot, startImportAndWait } from '../helpers/e2e-browser.js'
import { hubApi, startSystem, type E2eSystem, type SfRecord } from '../helpers/e2e-system.js'

let sys: E2eSystem
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
  ;({ page, errors } = await openHub(browser, sys))
  await logIn(page, sys)
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

const region = () => page.getByRole('region', { name: /^Preview of / })
const planned = () => region().getByRole('table', { name: 'Planned changes' })
const count = async (label: string) => {
  const stat = region().locator('.hub-stat').filter({ has: page.locator('.hub-stat-label', { hasText: new RegExp(`^${label}$`) }) })
  return Number(await stat.locator('.hub-stat-value').innerText())
}
/** Every row of the table as { name: [action, link status, account, why] }. */
const rows = async () => {
  const out = new Map<string, string[]>()
  for (const tr of await planned().locator('tbody > tr').all()) {
    const name = (await tr.locator('th .slds-truncate').first().innerText()).trim()
    out.set(name, (await tr.locator('td').allInnerTexts()).map((t) => t.trim()))
  }
  return out
}

async function preview(): Promise<void> {
  const runsBefore = await page.evaluate(async () => ((await (await fetch('/api/runs?limit=100')).json()) as { runs: unknown[] }).runs.length)
  await page.getByRole('button', { name: 'Preview', exact: true }).click()
  await expect.poll(async () => {
    const runs = await page.evaluate(async () => ((await (await fetch('/api/runs?limit=100')).json()) as { runs: { status: string }[] }).runs)
    return runs.length > runsBefore && runs[0]?.status !== 'running'
  }, { timeout: 30_000 }).toBe(true)
  await planned().waitFor()
}

describe('Preview (a dry run shown in the page)', () => {
  it('shows per customer what an import would do and why, and writes nothing to Salesforce', async () => {
    const customers = await sys.qbo.customers()
    const writesBefore = await sys.sf.writes()
    await preview()

    // Nothing written: no write request reached Salesforce, and it holds no QBO Customer record.
    expect(await sys.sf.writes()).toBe(writesBefore)
    expect(await sys.sf.query('SELECT Id FROM QBO_Customer__c')).toHaveLength(0)

    // A first import creates every customer's record.
    expect(await count('Would be created')).toBe(customers.length)
    expect(await count('Would be updated')).toBe(0)
    expect(await count('Unchanged')).toBe(0)
    const plan = await rows()
    expect(plan.size).toBe(customers.length)
    expect(new Set([...plan.values()].map((r) => r[0]))).toEqual(new Set(['Create']))
    // The plan's reasons, in the page: a match by name, two Accounts of one name, none.
    expect(plan.get('Cool Cars')).toEqual(['Create', 'Matched', 'Cool Cars', 'The Account "Cool Cars" has this name'])
    expect(plan.get('Gevelber Photography')).toEqual(['Create', 'Ambiguous', '—', '2 Accounts are named "Gevelber Photography"; link one by hand'])
    expect(plan.get("Jeff's Jalopies")).toEqual(['Create', 'Unmapped', '—', 'No Account has this name and Create Accounts is off'])
    const unmapped = [...plan.values()].filter((r) => r[1] === 'Unmapped' || r[1] === 'Ambiguous').length
    expect(await count('Would stay unmapped')).toBe(unmapped)
    expect(await count('Would be linked')).toBe([...plan.values()].filter((r) => r[2] !== '—').length)
    await screenshot(page, 'preview', true)

    // The filter shows only what it names.
    await region().getByRole('combobox', { name: 'Show' }).selectOption('unmapped')
    await expect.poll(async () => (await rows()).size).toBe(unmapped)
    expect([...(await rows()).values()].every((r) => r[1] === 'Unmapped' || r[1] === 'Ambiguous')).toBe(true)

    // Paged for big companies: counts of every kind, one page of the chosen kind.
    const run = (await (await hubApi(sys)).call<{ runs: { runId: string; dryRun: boolean }[] }>('GET', '/api/runs')).body.runs[0]
    expect(run?.dryRun).toBe(true)
    const hub = await hubApi(sys)
    const paged = await hub.call<{ total: number; items: unknown[]; counts: Record<string, number> }>('GET', `/api/runs/${run?.runId}/plan?filter=create&page=2&pageSize=10`)
    expect(paged.status).toBe(200)
    expect(paged.body.total).toBe(customers.length)
    expect(paged.body.items).toHaveLength(Math.min(10, customers.length - 10))
    expect((await hub.call('GET', `/api/runs/${run?.runId}/plan?pageSize=500`)).status).toBe(400)

    // The import then does what the preview said, customer by customer.
    await startImportAndWait(page)
    const records = await sys.sf.query<SfRecord & { Name: string; Link_Status__c: string }>('SELECT Id, Name, Link_Status__c FROM QBO_Customer__c')
    expect(records).toHaveLength(customers.length)
    const byName = new Map(records.map((r) => [r.Name, r.Link_Status__c]))
    for (const [name, r] of plan) expect(`${name}: ${byName.get(name)}`).toBe(`${name}: ${r[1]}`)
    expect(errors).toEqual([])
  })

  it('after an import, a changed customer is the one update, with its field', async () => {
    const cool = (await sys.qbo.customers()).find((c) => c.DisplayName === 'Cool Cars')
    await sys.qbo.update(cool?.Id ?? '', { PrimaryEmailAddr: { Address: 'fleet@coolcars.example.com' } })
    const writesBefore = await sys.sf.writes()
    await preview()
    expect(await sys.sf.writes()).toBe(writesBefore)
    expect(await count('Would be updated')).toBe(1)
    expect(await count('Would be created')).toBe(0)
    await region().getByRole('combobox', { name: 'Show' }).selectOption('update')
    await expect.poll(async () => [...(await rows()).entries()]).toEqual([['Cool Cars', [expect.stringMatching(/^Update: .*Email/), 'Matched', 'Cool Cars', expect.any(String)]]])
    // Salesforce still has the old value.
    const [rec] = await sys.sf.query<SfRecord & { Email__c: string | null }>(`SELECT Id, Email__c FROM QBO_Customer__c WHERE Name = 'Cool Cars'`)
    expect(rec?.Email__c).not.toBe('fleet@coolcars.example.com')
    expect(errors).toEqual([])
  })
})
