/**
 * @module test/e2e/long-values
 * Hostile data in Chromium against `tally start` (demo mode): 300-character names without a space,
 * long e-mails, URLs and addresses, a name with markup, right-to-left text and emoji. No page of
 * the Hub may be wider than a 1280 px window (issue 8: a long name made Sync Customers 2,800 px
 * wide and pushed the Account lookup off screen), the lookup's list must be on screen, and markup
 * in a name is shown as text, never run.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, nav, openHub, runHistoryRows, scratchScreenshot, startImportAndWait } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem } from '../helpers/e2e-system.js'

const WIDTH = 1280
const LONG_NAME = 'Hyperlongcompanyname'.repeat(15) // 300 characters, no space to break at
const LONG_ACCOUNT = 'Accountnamewithoutspaces'.repeat(10).slice(0, 255) // Account.Name holds 255
const MARKUP = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> & Sons'
const RTL = 'شركة الاختبار للتجارة العامة والمقاولات المحدودة '.repeat(4).trim()
const EMOJI = `🍣🍱 Sushi & Ramen Bar 🎉${'🎉'.repeat(40)}`
const LONG_EMAIL = `${'averylongmailbox'.repeat(4)}@${'subdomain'.repeat(2)}.example.com` // 95 characters (QBO holds 100)
const LONG_URL = `https://www.example.com/${'a-very-long-path-segment/'.repeat(38)}`
const ON_HOLD = `On hold ${'Longnamewithoutspaces'.repeat(14)}`
const LONG_LINE = `Building ${'Z'.repeat(150)}, ${'Industrial Estate Road '.repeat(14)}`

let sys: E2eSystem
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
  const addr = { Line1: LONG_LINE, City: 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch', PostalCode: '12345' }
  await sys.qbo.create({ DisplayName: LONG_NAME, CompanyName: LONG_NAME.slice(0, 100), PrimaryEmailAddr: { Address: LONG_EMAIL }, WebAddr: { URI: LONG_URL }, BillAddr: addr, ShipAddr: addr })
  await sys.qbo.create({ DisplayName: MARKUP, PrimaryEmailAddr: { Address: 'markup@example.com' } })
  await sys.qbo.create({ DisplayName: RTL, PrimaryEmailAddr: { Address: LONG_EMAIL.replace('averylong', 'rtl') } })
  await sys.qbo.create({ DisplayName: EMOJI })
  await sys.qbo.create({ DisplayName: ON_HOLD, CompanyName: `OnHold${'x'.repeat(94)}` })
  await sys.sf.create('Account', { Name: LONG_ACCOUNT })
  await sys.sf.create('Account', { Name: `${LONG_ACCOUNT.slice(0, 200)} ${RTL}`.slice(0, 255) })
  // One hostile record is refused by Salesforce, so a run has errors to show; its message is long too.
  await sys.sf.setValidationRules([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern: '^OnHold', message: `This company is on hold: ${LONG_NAME}` }])
  ;({ page, errors } = await openHub(browser, sys))
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

/** The page is no wider than the window (a horizontal scroll bar would say otherwise). */
async function expectFits(what: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `${what} is ${width} px wide`).toBeLessThanOrEqual(WIDTH)
}

/** The element is inside the window horizontally. */
async function expectOnScreen(l: Locator, what: string): Promise<void> {
  const box = await l.boundingBox()
  expect(box, `${what} has no box`).not.toBeNull()
  expect({ what, left: Math.round(box?.x ?? -1) >= 0, right: Math.round((box?.x ?? 0) + (box?.width ?? 0)) <= WIDTH }).toEqual({ what, left: true, right: true })
}

/** Opens the Account lookup in `scope` and searches for the long Account. */
async function openLookup(scope: Locator): Promise<Locator> {
  const lookup = scope.getByRole('combobox', { name: 'Account' })
  await lookup.fill('Accountnamewithout')
  const list = page.getByRole('listbox', { name: 'Accounts' })
  await expect.poll(() => list.getByRole('option').count()).toBe(2)
  return list
}

describe('long and hostile values', () => {
  it('the sign-in page fits the window', async () => {
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    await expectFits('Sign-in')
    await logIn(page, sys)
  })

  it('Sync Customers, with the link queue and the Account lookup open, fits; the list is on screen', async () => {
    await startImportAndWait(page)
    const queue = page.getByRole('table', { name: /Unmapped and ambiguous customers/ })
    // Every hostile name waits in the queue (no Account of its name), shown in full in its tooltip.
    for (const name of [LONG_NAME, MARKUP, RTL, EMOJI]) {
      const cell = queue.locator(`[title="${name.replace(/"/g, '\\"')}"]`).first()
      expect(await cell.innerText()).toBe(name)
    }
    await expectFits('Sync Customers')
    const row = queue.getByRole('row', { name: new RegExp(LONG_NAME.slice(0, 40)) })
    await row.getByRole('button', { name: 'Link Account' }).click()
    // The lookup opens in a row of its own under the customer's (the queue has one open at a time).
    const list = await openLookup(queue)
    await expectFits('Sync Customers with the Account lookup open')
    await expectOnScreen(list, 'the lookup list')
    for (const option of await list.getByRole('option').all()) await expectOnScreen(option, 'an option')
    await scratchScreenshot(page, 'long-values-link', false)
    // Linked to the long Account: the toast naming both stays inside the window.
    await list.getByRole('option').filter({ hasText: LONG_ACCOUNT.slice(0, 40) }).filter({ hasNotText: 'شركة' }).click()
    await queue.getByRole('button', { name: 'Update' }).click()
    const toast = page.locator('.slds-notify_toast', { hasText: `${LONG_NAME} is linked to ${LONG_ACCOUNT}.` })
    await toast.waitFor()
    await expectOnScreen(toast, 'the toast')
    expect(await toast.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth })).then((w) => w.scroll <= w.client)).toBe(true)
    await expectFits('Sync Customers with a toast')
    // Markup in a name is text: nothing of it ran.
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  })

  it("Sync Settings and a run's errors fit", async () => {
    await page.getByRole('region', { name: 'Sync Settings' }).getByRole('button', { name: 'Update' }).click()
    await page.getByRole('dialog', { name: 'Sync Settings' }).waitFor()
    await expectFits('Sync Settings')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })

    await runHistoryRows(page).first().getByRole('button', { name: /^Errors and warnings of the / }).click()
    const messages = page.getByRole('table', { name: 'Errors and warnings' })
    await messages.waitFor()
    const failed = messages.locator('tbody > tr').filter({ hasText: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' })
    expect(await failed.count()).toBe(1)
    // The whole message is in the tooltip of its cell.
    expect(await failed.locator(`[title*="This company is on hold: ${LONG_NAME}"]`).count()).toBe(1)
    await expectFits("a run's errors")
    await scratchScreenshot(page, 'long-values-errors', true)
  })

  it('Preview fits', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    await page.getByRole('table', { name: 'Planned changes' }).waitFor({ timeout: 30_000 })
    await expectFits('Preview')
  })

  it('QBO Customers, with Edit Account open, fits; the list is on screen', async () => {
    await nav(page, 'QBO Customers').click()
    const table = page.getByRole('table', { name: 'QBO Customer records' })
    await table.waitFor()
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Hyperlong')
    await expect.poll(() => table.locator('tbody > tr').count()).toBe(1)
    await expectFits('QBO Customers')
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('')
    await expect.poll(() => table.locator('tbody > tr').count()).toBeGreaterThan(1)
    await expectFits('QBO Customers, all')
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Sushi & Ramen')
    await expect.poll(() => table.locator('tbody > tr').count()).toBe(1)
    const row = table.locator('tbody > tr').filter({ has: page.locator(`[title="${EMOJI}"]`) })
    await row.getByRole('button', { name: 'Edit Account' }).click()
    const list = await openLookup(row)
    await expectFits('Edit Account')
    await expectOnScreen(list, 'the lookup list')
    await scratchScreenshot(page, 'long-values-customers', false)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await expect.poll(() => row.getByRole('button', { name: 'Edit Account' }).count()).toBe(1)
  })

  it('Connections fits', async () => {
    await nav(page, 'Connections').click()
    await page.getByRole('region', { name: 'Salesforce' }).waitFor()
    await expectFits('Connections')
    expect(errors).toEqual([])
  })
})
