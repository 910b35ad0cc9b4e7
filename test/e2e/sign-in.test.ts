/**
 * @module test/e2e/sign-in
 * End to end in Chromium against `tally start` (demo mode): signing in and out (contract §8),
 * the empty states before the first import, and the Sync Settings dialog driven by the keyboard.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, nav, openHub, screenshot } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem } from '../helpers/e2e-system.js'

let sys: E2eSystem
let browser: Browser

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  expect(await sys?.stop()).toBe(0)
})

describe('tally start (demo mode)', () => {
  it('prints the Hub URL, the sandbox URLs and the admin password', () => {
    expect(sys.stdout).toMatch(/^Tally Hub: http:\/\/127\.0\.0\.1:\d+\n/)
    expect(sys.stdout).toContain(`Demo mode: connected to the built-in sandbox (QuickBooks ${sys.qboUrl}, Salesforce ${sys.sfUrl}).`)
    expect(sys.password.length).toBeGreaterThanOrEqual(12)
  })
})

describe('sign-in', () => {
  it('refuses a wrong password, signs in, logs out, and the API then answers 401', async () => {
    const { page, errors } = await openHub(browser, sys)
    await expect.poll(() => page.title()).toContain('Tally Hub')
    await page.getByRole('textbox', { name: 'Username' }).fill('admin')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Wrong username or password.')
    await screenshot(page, 'login')

    await logIn(page, sys)
    expect(await page.getByRole('navigation', { name: 'Tally Hub' }).getByRole('link').allInnerTexts()).toEqual(['Sync Customers', 'QBO Customers', 'History', 'Connections'])
    expect(await nav(page, 'Sync Customers').getAttribute('aria-current')).toBe('page')
    const before = await page.evaluate(async () => (await fetch('/api/settings')).status)
    expect(before).toBe(200)

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    const after = await page.evaluate(async () => {
      const r = await fetch('/api/settings')
      return { status: r.status, body: (await r.json()) as { error: { code: string } } }
    })
    expect(after).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in to use the Tally Hub.' } } })
    // A reload stays signed out: the session is gone on the server, not only in the page.
    await page.reload()
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    expect(errors.filter((e) => !/401/.test(e))).toEqual([])
    await page.context().close()
  })
})

describe('before the first import', () => {
  it('QBO Customers tells the user to start an import; Sync Customers says none has run', async () => {
    const { page, errors } = await openHub(browser, sys)
    await logIn(page, sys)
    await expect.poll(() => page.getByText('No import has run yet.').count()).toBe(1)
    await expect.poll(() => page.getByRole('region', { name: /Unmapped and ambiguous customers/ }).innerText()).toContain('Nothing to link yet.')
    await nav(page, 'QBO Customers').click()
    await page.getByRole('heading', { name: 'No customers yet — Start Import on Sync Customers.' }).waitFor()
    await page.getByRole('link', { name: 'Go to Sync Customers' }).click()
    await page.getByRole('button', { name: 'Start Import' }).waitFor()
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the Sync Settings dialog closes with Escape and gives focus back to Update', async () => {
    const { page, errors } = await openHub(browser, sys)
    await logIn(page, sys)
    const update = page.getByRole('region', { name: 'Sync Settings' }).getByRole('button', { name: 'Update' })
    await update.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Sync Settings' })
    await dialog.waitFor()
    // Focus moved into the dialog, on its first checkbox.
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => update.evaluate((el) => el === document.activeElement)).toBe(true)

    // Escape cancels: an unchecked box is not saved.
    await update.click()
    await dialog.getByRole('checkbox', { name: 'Website' }).uncheck()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await update.click()
    expect(await dialog.getByRole('checkbox', { name: 'Website' }).isChecked()).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(errors).toEqual([])
    await page.context().close()
  })
})
