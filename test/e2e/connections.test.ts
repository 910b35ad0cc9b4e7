/**
 * @module test/e2e/connections
 * End to end in Chromium against `tally start` (demo mode): the Connections page. Both systems
 * start connected; "Disconnect" (confirmed) forgets a connection and Sync Customers says what to
 * do; "Connect" runs the vendor's OAuth authorization-code flow through the sandbox's own consent
 * pages (QuickBooks: Connect; Salesforce: Username, Password, Log In, Allow) back to the Hub, and
 * an import works again.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, nav, openHub, runHistoryRows, screenshot, startImportAndWait } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem } from '../helpers/e2e-system.js'

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

const card = (name: 'QuickBooks Online' | 'Salesforce') => page.getByRole('region', { name })
const badge = async (name: 'QuickBooks Online' | 'Salesforce') => (await card(name).locator('.slds-badge').innerText()).trim()
interface ConnectionRow { provider: string; external_id: string | null; has_refresh: number; status: string }
const stored = (provider: string) =>
  sys.storeQuery<ConnectionRow>('SELECT provider, external_id, refresh_token_enc IS NOT NULL AS has_refresh, status FROM connections WHERE provider = ?', provider)[0]

async function disconnect(name: 'QuickBooks Online' | 'Salesforce'): Promise<void> {
  await card(name).getByRole('button', { name: 'Disconnect' }).click()
  const dialog = page.getByRole('dialog', { name: `Disconnect ${name}?` })
  await dialog.getByRole('button', { name: 'Disconnect' }).click()
  await dialog.waitFor({ state: 'detached' })
  await expect.poll(() => badge(name)).toBe('Not connected')
  await page.getByText(`${name} is disconnected.`).waitFor()
}

async function expectSyncCustomersSaysConnect(): Promise<void> {
  await nav(page, 'Sync Customers').click()
  const note = page.getByRole('note')
  await expect.poll(() => note.innerText()).toContain('Connect QuickBooks Online and Salesforce on the Connections page to start.')
  expect(await page.getByRole('button', { name: 'Start Import' }).isDisabled()).toBe(true)
  await note.getByRole('link', { name: 'Connections' }).click()
  await card('QuickBooks Online').waitFor()
}

describe('Connections', () => {
  it('shows both systems connected at start', async () => {
    await nav(page, 'Connections').click()
    await expect.poll(() => badge('QuickBooks Online')).toBe('Connected')
    await expect.poll(() => badge('Salesforce')).toBe('Connected')
    // Named after the company (QBO CompanyInfo), and the user Tally signs in as (Salesforce identity).
    expect(await card('QuickBooks Online').innerText()).toContain("Craig's Design and Landscaping Services")
    expect(await card('Salesforce').innerText()).toContain(`integration@tally.sandbox · ${new URL(sys.sfUrl).host}`)
    await screenshot(page, 'connections', true)
  })

  it('Salesforce: Disconnect, then Connect through the login and consent pages; the Hub holds a refresh token', async () => {
    await nav(page, 'Connections').click()
    expect(stored('salesforce')).toMatchObject({ has_refresh: 0 })
    await disconnect('Salesforce')
    // The tokens are gone; the row stays as `disconnected` so nothing reconnects behind the user.
    expect(stored('salesforce')).toMatchObject({ has_refresh: 0, status: 'disconnected' })
    await expectSyncCustomersSaysConnect()

    await card('Salesforce').getByRole('button', { name: 'Connect' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.sfUrl}/services/oauth2/authorize`))
    await page.getByRole('textbox', { name: 'Username' }).fill('admin@tally-demo.example.com')
    await page.getByLabel('Password').fill('sandbox password')
    await page.getByRole('button', { name: 'Log In' }).click()
    await page.getByText('Tally is asking to access your Salesforce data').waitFor()
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.hubUrl}/#/connections`))
    await page.getByText('Salesforce is connected.').waitFor()
    await expect.poll(() => badge('Salesforce')).toBe('Connected')
    expect(stored('salesforce')).toMatchObject({ has_refresh: 1, status: 'connected' })

    await nav(page, 'Sync Customers').click()
    await startImportAndWait(page)
    expect(await runHistoryRows(page).first().innerText()).toContain('Succeeded')
    expect((await sys.sf.query('SELECT Id FROM QBO_Customer__c')).length).toBe((await sys.qbo.customers()).length)
    expect(errors).toEqual([])
  })

  it('Salesforce: "Deny" on the consent page comes back with the reason and stays disconnected', async () => {
    await nav(page, 'Connections').click()
    await disconnect('Salesforce')
    await card('Salesforce').getByRole('button', { name: 'Connect' }).click()
    await page.getByRole('textbox', { name: 'Username' }).fill('admin@tally-demo.example.com')
    await page.getByLabel('Password').fill('sandbox password')
    await page.getByRole('button', { name: 'Log In' }).click()
    await page.getByRole('button', { name: 'Deny' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.hubUrl}/#/connections`))
    await page.getByText(/The connection failed: Authorization was not granted: end-user denied authorization/).waitFor()
    expect(await badge('Salesforce')).toBe('Not connected')

    // Connect again, for the tests after this one.
    await card('Salesforce').getByRole('button', { name: 'Connect' }).click()
    await page.getByRole('textbox', { name: 'Username' }).fill('admin@tally-demo.example.com')
    await page.getByLabel('Password').fill('sandbox password')
    await page.getByRole('button', { name: 'Log In' }).click()
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.hubUrl}/#/connections`))
    await expect.poll(() => badge('Salesforce')).toBe('Connected')
  })

  it('QuickBooks: Disconnect, then Connect through the consent page', async () => {
    await nav(page, 'Connections').click()
    await disconnect('QuickBooks Online')
    expect(stored('qbo')).toMatchObject({ has_refresh: 0, status: 'disconnected' })
    await expect.poll(() => card('QuickBooks Online').getByRole('button', { name: 'Connect' }).count()).toBe(1)
    await expectSyncCustomersSaysConnect()

    await card('QuickBooks Online').getByRole('button', { name: 'Connect' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.qboUrl}/connect/oauth2`))
    await page.getByRole('heading', { name: 'Connect your QuickBooks company' }).waitFor()
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${sys.hubUrl}/#/connections`))
    await page.getByText('QuickBooks Online is connected.').waitFor()
    await expect.poll(() => badge('QuickBooks Online')).toBe('Connected')
    expect(stored('qbo')).toMatchObject({ external_id: sys.realmId, has_refresh: 1, status: 'connected' })
    expect(errors).toEqual([])
  })

  // The fresh grant from Connect must win over QBO_REFRESH_TOKEN in the environment, which the
  // disconnect revoked (it once was overwritten by it: invalid_grant).
  it('an import works after QuickBooks was reconnected in the Hub', async () => {
    await nav(page, 'Sync Customers').click()
    await startImportAndWait(page)
    expect(await runHistoryRows(page).first().innerText()).toContain('Succeeded')
    expect((await sys.sf.query('SELECT Id FROM QBO_Customer__c')).length).toBe((await sys.qbo.customers()).length)
  })
})
