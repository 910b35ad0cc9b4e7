/**
 * @module test/e2e/auto-sync
 * End to end in Chromium against `tally start` (demo mode): the "Automatic sync" panel of Sync
 * Customers (contract §8, §11). The company's switch is on; switched off it stays off across a
 * reload and in the Hub's API, and on again. A change made through the QuickBooks API reaches
 * Salesforce with no button pressed, and the panel says how long after it was made. An org near
 * its daily API limit (the Salesforce sandbox's `POST /__sandbox/limits`) pauses automatic syncs,
 * which the panel says in words; they resume by themselves once the usage allows, and the change
 * made meanwhile arrives.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutoSyncView } from '../../src/hub/api-types.js'
import { launchBrowser, logIn, openHub, screenshot, scratchScreenshot } from '../helpers/e2e-browser.js'
import { hubApi, startSystem, type E2eSystem, type HubApi, type QboCustomer, type SfRecord } from '../helpers/e2e-system.js'

let sys: E2eSystem
let browser: Browser
let page: Page
let errors: string[]
let hub: HubApi
let customers: QboCustomer[]
const COMPANY = "Craig's Design and Landscaping Services"

beforeAll(async () => {
  // A short sweep interval, so that a pause ends (and is noticed) within the test's patience.
  ;[sys, browser] = await Promise.all([startSystem({ env: { TALLY_SYNC_INTERVAL: '2' }, autoSync: true }), launchBrowser()])
  ;({ page, errors } = await openHub(browser, sys))
  hub = await hubApi(sys)
  customers = await sys.qbo.customers()
  // The records exist in Salesforce (an import through the Hub's API; the page's own Start Import
  // is other tests' subject): automatic sync keeps them up to date from here on.
  const run = await hub.runImport()
  if (run.status === 'failed') throw new Error(`the first import failed: ${run.error ?? ''}`)
  await logIn(page, sys)
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

const panel = () => page.getByRole('region', { name: 'Automatic sync' })
const company = () => panel().getByRole('article', { name: COMPANY })
const toggle = () => panel().getByRole('switch', { name: `Automatic sync for ${COMPANY}` })
/** The text under one of a company's labels ("Last sweep", "Last change"…). */
const fact = (label: string) => company().locator('.hub-fact').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd')
const status = async () => {
  const r = await hub.call<AutoSyncView>('GET', '/api/auto-sync')
  expect(r.status).toBe(200)
  return r.body
}
const mine = async () => (await status()).companies.find((c) => c.realmId === sys.realmId)
const record = async (qboId: string) =>
  (await sys.sf.query<SfRecord & { Notes__c: string | null }>(`SELECT Id, Notes__c FROM QBO_Customer__c WHERE QBO_Key__c = '${sys.realmId}-${qboId}'`))[0]
const customer = (name: string) => {
  const c = customers.find((x) => x.DisplayName === name)
  if (!c) throw new Error(`sample company without ${name}`)
  return c
}
const setDailyApiUse = async (max: number, remaining: number) => {
  const r = await fetch(`${sys.sfUrl}/__sandbox/limits`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ DailyApiRequests: { Max: max, Remaining: remaining } }),
  })
  expect(r.status).toBe(200)
}

describe('The Automatic sync panel', () => {
  it('shows the company with its switch on, and its sweeps', async () => {
    await panel().waitFor()
    expect(await company().getByRole('heading', { name: COMPANY }).isVisible()).toBe(true)
    expect(await toggle().isChecked()).toBe(true)
    const api = await status()
    expect(api.running).toBe(true)
    expect(await mine()).toMatchObject({ realmId: sys.realmId, companyName: COMPANY, enabled: true })
    // The badge names the state the API gives.
    await expect.poll(async () => /^(Idle|Syncing)$/.test(await company().locator('.slds-badge').innerText()), { timeout: 15_000 }).toBe(true)
    // A sweep has run and the next one is coming; the full time is in the tooltip.
    await expect.poll(async () => fact('Last sweep').innerText(), { timeout: 15_000 }).not.toBe('None yet')
    expect(await fact('Last sweep').locator('time').getAttribute('title')).toMatch(/\d{4}/)
    expect(await fact('Next sweep').innerText()).toMatch(/^(in \d+ seconds?|now|Due now|in \d+ minutes?)$/)
    expect(await fact('Last error').innerText()).toBe('None')
    // The demo's QuickBooks posts its webhooks to the Hub (the sweep is the backstop).
    expect(api.webhooks).toBe(true)
    await screenshot(page, 'auto-sync')
  })

  it('switching it off lasts across a reload and in the API; on again, likewise', async () => {
    await toggle().click()
    await expect.poll(() => toggle().isChecked()).toBe(false)
    await expect.poll(async () => (await mine())?.enabled).toBe(false)
    expect((await mine())?.state).toBe('off')

    await page.reload()
    await toggle().waitFor()
    expect(await toggle().isChecked()).toBe(false)
    expect(await company().locator('.slds-badge').innerText()).toBe('Off')
    expect(await fact('Next sweep').innerText()).toBe('None while off')
    await scratchScreenshot(page, 'auto-sync-off')

    await toggle().click()
    await expect.poll(() => toggle().isChecked()).toBe(true)
    await expect.poll(async () => (await mine())?.enabled).toBe(true)
    await page.reload()
    await toggle().waitFor()
    expect(await toggle().isChecked()).toBe(true)
    await expect.poll(async () => company().locator('.slds-badge').innerText()).not.toBe('Off')
  })

  it('a change made in QuickBooks reaches Salesforce by itself, and the panel gives its lag', async () => {
    const dukes = customer('Dukes Basketball Camp')
    const before = await mine()
    await sys.qbo.update(dukes.Id, { Notes: 'Summer camp moved to July.' })
    // No button pressed: the record changes in Salesforce.
    await expect.poll(async () => (await record(dukes.Id))?.Notes__c, { timeout: 30_000 }).toBe('Summer camp moved to July.')

    await expect.poll(async () => (await mine())?.lastChangeAt !== (before?.lastChangeAt ?? null), { timeout: 15_000 }).toBe(true)
    const after = await mine()
    expect(after?.lastLagMs).toBeGreaterThan(0)
    // The page shows the same, in words (it polls every few seconds).
    await expect.poll(async () => fact('Last change').innerText(), { timeout: 15_000 }).toMatch(/^Reached Salesforce [\d.]+ (ms|s) after it was made\n/)
    expect(await fact('Last change').locator('time').getAttribute('datetime')).toBe(after?.lastChangeAt)
    await scratchScreenshot(page, 'auto-sync-change')
    expect(errors).toEqual([])
  })

  it('pauses when the org nears its daily API limit, says so, and resumes by itself', async () => {
    const notice = panel().getByRole('status').filter({ hasText: 'Automatic syncs are paused' })
    // 81% of the day's requests spent; automatic syncs may use 80% (TALLY_SF_API_BUDGET's default).
    await setDailyApiUse(100_000, 19_000)
    const amy = customer("Amy's Bird Sanctuary")
    await sys.qbo.update(amy.Id, { Notes: 'Feeds on Tuesdays.' })
    await expect.poll(async () => (await status()).budget.paused, { timeout: 30_000 }).toBe(true)
    await notice.waitFor({ timeout: 15_000 })
    expect(await notice.innerText()).toMatch(
      /^Automatic syncs are paused: the org has used 81% of its daily API requests; the limit is 80%\. They resume by themselves; Start Import still works\./,
    )
    await expect.poll(async () => company().locator('.slds-badge').innerText(), { timeout: 15_000 }).toBe('Paused — API budget')
    await screenshot(page, 'auto-sync-paused')
    // A person's Start Import is not held back by the budget.
    expect(await page.getByRole('button', { name: 'Start Import' }).isEnabled()).toBe(true)

    // A new day's allocation: the syncs resume by themselves and the change made meanwhile arrives.
    await setDailyApiUse(100_000, 99_000)
    await expect.poll(async () => (await status()).budget.paused, { timeout: 30_000 }).toBe(false)
    await expect.poll(async () => (await record(amy.Id))?.Notes__c, { timeout: 30_000 }).toBe('Feeds on Tuesdays.')
    await notice.waitFor({ state: 'detached', timeout: 15_000 })
    await expect.poll(async () => company().locator('.slds-badge').innerText()).not.toBe('Paused — API budget')
    expect(errors).toEqual([])
  })
})
