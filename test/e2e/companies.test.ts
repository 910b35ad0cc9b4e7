/**
 * @module test/e2e/companies
 * End to end in Chromium against `tally start --demo-companies 2` (demo mode; the sandbox holds two
 * QuickBooks companies, the first connected): "Add a QuickBooks company" through the sandbox's
 * consent page with its company picker; the wrong-company guard on Reconnect; Start Import for
 * all companies; and the Company filter on QBO Customers — each checked in the Salesforce sandbox
 * and Tally's store (contract §8, §9).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, nav, openHub, screenshot } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem } from '../helpers/e2e-system.js'

let sys: E2eSystem
let browser: Browser
let page: Page
let companies: { realmId: string; companyName: string }[]

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem({ companies: 2 }), launchBrowser()])
  ;({ page } = await openHub(browser, sys))
  await logIn(page, sys)
  companies = ((await (await fetch(`${sys.qboUrl}/__sandbox/companies`)).json()) as { companies: typeof companies }).companies
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

const qboCards = () => page.locator('section.hub-card').filter({ hasText: 'QuickBooks Online' })
const stored = () => sys.storeQuery<{ company_key: string; external_id: string; status: string }>("SELECT company_key, external_id, status FROM connections WHERE provider = 'qbo' ORDER BY connected_at")

describe('several QuickBooks companies in the Hub', () => {
  it('adds a second company through Intuit\'s consent page, picking it there', async () => {
    const [first, second] = companies as [{ realmId: string; companyName: string }, { realmId: string; companyName: string }]
    await nav(page, 'Connections').click()
    await expect.poll(() => qboCards().count()).toBe(1)
    await page.getByRole('button', { name: 'Add a QuickBooks company' }).click()
    await page.getByRole('heading', { name: 'Connect your QuickBooks company' }).waitFor()
    await page.getByRole('combobox', { name: 'Company', exact: true }).selectOption(second.realmId)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByText('QuickBooks Online is connected.').waitFor()
    await expect.poll(() => qboCards().count()).toBe(2)
    const second_ = page.getByRole('region', { name: `QuickBooks Online: ${second.companyName}`, exact: true })
    await expect.poll(async () => (await second_.locator('.slds-badge').innerText()).trim()).toBe('Connected')
    expect(await page.getByRole('region', { name: `QuickBooks Online: ${first.companyName}`, exact: true }).innerText()).toContain(`realm ${first.realmId}`)
    expect(stored().map((r) => r.company_key)).toEqual([first.realmId, second.realmId])
    await screenshot(page, 'connections-companies')
  })

  it('refuses a Reconnect that comes back for another company, and changes nothing', async () => {
    const [first, second] = companies as [{ realmId: string; companyName: string }, { realmId: string; companyName: string }]
    const before = stored()
    await page.getByRole('region', { name: `QuickBooks Online: ${first.companyName}`, exact: true }).getByRole('button', { name: 'Reconnect' }).click()
    await page.getByRole('heading', { name: 'Connect your QuickBooks company' }).waitFor()
    await page.getByRole('combobox', { name: 'Company', exact: true }).selectOption(second.realmId)
    await page.getByRole('button', { name: 'Connect' }).click()
    const alert = page.getByText(`You reconnected "${first.companyName}" (${first.realmId}) but picked "${second.companyName}" (${second.realmId}) on Intuit's page; nothing was changed.`, { exact: false })
    await alert.waitFor()
    expect(stored()).toEqual(before)
    await screenshot(page, 'wrong-company')
  })

  it('Start Import runs every company; QBO Customers filters by company', async () => {
    const [, second] = companies as [{ realmId: string; companyName: string }, { realmId: string; companyName: string }]
    await nav(page, 'Sync Customers').click()
    const select = page.getByRole('combobox', { name: 'Company', exact: true })
    await select.waitFor()
    expect(await select.inputValue()).toBe('')
    await page.getByText('Create Accounts and Sync Settings are per company').waitFor()
    await page.getByRole('button', { name: 'Start Import' }).click()
    await expect.poll(async () => {
      const runs = (await page.evaluate(async () => ((await (await fetch('/api/runs?limit=100')).json()) as { runs: { status: string; realmId: string }[] }).runs))
      return runs.length === 2 && runs.every((r) => r.status === 'succeeded') ? runs.map((r) => r.realmId).sort() : null
    }, { timeout: 60_000 }).toEqual(companies.map((c) => c.realmId).sort())
    const inSalesforce = await sys.sf.query(`SELECT QBO_Realm_Id__c FROM QBO_Customer__c WHERE QBO_Realm_Id__c = '${second.realmId}'`)
    expect(inSalesforce.length).toBeGreaterThan(0)

    // Settings are the chosen company's.
    await select.selectOption(second.realmId)
    await page.getByRole('switch', { name: 'Create Accounts' }).waitFor()
    await screenshot(page, 'sync-customers-company')

    await nav(page, 'QBO Customers').click()
    const filter = page.getByRole('combobox', { name: 'Company', exact: true })
    await filter.waitFor()
    const total = (text: string) => Number(/of (\d+) customers/.exec(text)?.[1] ?? NaN)
    const counter = page.getByText(/of \d+ customers/)
    await expect.poll(async () => total(await counter.innerText())).toBe((await sys.sf.query('SELECT Id FROM QBO_Customer__c')).length)
    await filter.selectOption(second.realmId)
    await expect.poll(async () => total(await counter.innerText())).toBe(inSalesforce.length)
    await screenshot(page, 'qbo-customers-company')
  })
})
