/**
 * @module test/e2e/run-errors
 * End to end in Chromium against `tally start` (demo mode): a Salesforce validation rule rejects
 * one record; the run ends "partial" with one failure, the other records are written, and the
 * run history expands to the customer, field, code and message (contract §4, §6).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, openHub, runHistoryRows, screenshot, startImportAndWait, summaryStat } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem, type SfRecord } from '../helpers/e2e-system.js'

let sys: E2eSystem
let browser: Browser

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

describe('per-record errors in the run history', () => {
  it('a record Salesforce rejects is reported with its customer, field, code and message', async () => {
    await sys.sf.setValidationRules([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern: '^Cool Cars$', message: 'Company Name: this company is on hold' }])
    const { page, errors } = await openHub(browser, sys)
    await logIn(page, sys)
    await startImportAndWait(page)

    const customers = await sys.qbo.customers()
    const coolCars = customers.find((c) => c.DisplayName === 'Cool Cars')
    expect(await page.getByRole('region', { name: /^Last run/ }).getByText('Some records failed').count()).toBe(1)
    expect(await summaryStat(page, 'Failed')).toBe(1)
    expect(await summaryStat(page, 'Customers seen')).toBe(customers.length)
    // Every other record is in Salesforce; Cool Cars is not.
    const records = await sys.sf.query<SfRecord & { Name: string }>('SELECT Id, Name FROM QBO_Customer__c')
    expect(records).toHaveLength(customers.length - 1)
    expect(records.some((r) => r.Name === 'Cool Cars')).toBe(false)

    const row = runHistoryRows(page).first()
    expect(await row.innerText()).toMatch(/Some records failed/)
    const toggle = row.getByRole('button', { name: /^Errors and warnings of the Import of / })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    const messages = page.getByRole('table', { name: 'Errors and warnings' })
    await messages.waitFor()
    const cells = await messages.locator('tbody > tr').filter({ hasText: 'Cool Cars' }).first().locator('td').allInnerTexts()
    expect(cells).toEqual([
      'Error',
      `Cool Cars (QBO ${coolCars?.Id})`,
      'Company Name (Company_Name__c)',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      expect.stringContaining('Company Name: this company is on hold'),
    ])
    await screenshot(page, 'run-errors', true)
    expect(errors).toEqual([])
  })
})
