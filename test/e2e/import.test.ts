/**
 * @module test/e2e/import
 * End to end in Chromium against `tally start` (demo mode): "Create Accounts" → "Start Import"
 * with live progress and the run's summary, checked record by record in the Salesforce sandbox
 * (contract §5 rules 3–5); then Sync Settings switches "Website" off, QBO changes the website
 * and the notes, and the next import writes only the notes (rule 6).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, openHub, runHistoryRows, screenshot, startImportAndWait, summaryStat } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem, type QboCustomer, type SfRecord } from '../helpers/e2e-system.js'

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

/** How Salesforce compares names (contract §5.3): case-insensitive, trimmed, spaces collapsed. */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase()

describe('Sync Customers → Start Import with Create Accounts on', () => {
  let qboCustomers: QboCustomer[]
  let accountsBefore: SfRecord[]

  it('shows live progress, then the summary; Salesforce holds one linked record per QBO customer', async () => {
    qboCustomers = await sys.qbo.customers()
    accountsBefore = await sys.sf.query('SELECT Id, Name FROM Account')
    expect(qboCustomers.length).toBeGreaterThan(25)

    const create = page.getByRole('switch', { name: 'Create Accounts' })
    expect(await create.isChecked()).toBe(false)
    await create.check()
    // The switch is a saved setting: a reload still shows it on.
    await expect.poll(() => page.evaluate(async () => ((await (await fetch('/api/settings')).json()) as { createAccounts: boolean }).createAccounts)).toBe(true)
    await page.reload()
    expect(await page.getByRole('switch', { name: 'Create Accounts' }).isChecked()).toBe(true)

    // Slow QuickBooks down so that the run lasts long enough to watch.
    await sys.qbo.setLatency(700)
    await page.getByRole('button', { name: 'Start Import' }).click()
    const bar = page.getByRole('progressbar', { name: 'Import progress' })
    await bar.waitFor()
    await expect.poll(() => page.locator('.hub-progress').innerText()).toMatch(/Starting…|Reading QuickBooks Online and Salesforce|Planning changes|Writing to Salesforce/)
    expect(await page.getByRole('button', { name: 'Start Import' }).isDisabled()).toBe(true)
    await screenshot(page, 'import-progress')
    await sys.qbo.setLatency(0)
    await bar.waitFor({ state: 'detached', timeout: 30_000 })
    await page.getByRole('heading', { name: /^Last run: Import of / }).waitFor()
    expect(await page.getByRole('region', { name: /^Last run/ }).getByText('Succeeded').count()).toBe(1)

    // The summary counts what QuickBooks has.
    expect(await summaryStat(page, 'Customers seen')).toBe(qboCustomers.length)
    expect(await summaryStat(page, 'Created')).toBe(qboCustomers.length)
    expect(await summaryStat(page, 'Failed')).toBe(0)

    // One QBO_Customer__c per QBO customer, keyed <realm>-<Id>.
    const records = await sys.sf.query<SfRecord & { QBO_Key__c: string; Link_Status__c: string; Account__c: string | null; Name: string }>(
      'SELECT Id, Name, QBO_Key__c, Account__c, Link_Status__c FROM QBO_Customer__c',
    )
    expect(records.map((r) => r.QBO_Key__c).sort()).toEqual(qboCustomers.map((c) => `${sys.realmId}-${c.Id}`).sort())

    // Each record's link follows the mapping rules, worked out here from the data alone.
    const byName = new Map<string, SfRecord[]>()
    for (const a of accountsBefore) byName.set(norm(String(a['Name'])), [...(byName.get(norm(String(a['Name']))) ?? []), a])
    const expected = (c: QboCustomer) => (c['Job'] === true ? 'Inherited' : ({ 0: 'Created', 1: 'Matched' } as Record<number, string>)[byName.get(norm(c.DisplayName))?.length ?? 0] ?? 'Ambiguous')
    const statusOf = new Map(records.map((r) => [r.QBO_Key__c, r.Link_Status__c]))
    for (const c of qboCustomers) expect({ name: c.DisplayName, status: statusOf.get(`${sys.realmId}-${c.Id}`) }).toEqual({ name: c.DisplayName, status: expected(c) })

    // Accounts were created, with QBO_Source_Key__c, exactly for the unmatched names.
    const unmatched = qboCustomers.filter((c) => expected(c) === 'Created')
    expect(unmatched.length).toBeGreaterThan(0)
    const created = await sys.sf.query<SfRecord & { Name: string; QBO_Source_Key__c: string }>('SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE QBO_Source_Key__c != null')
    expect(created.map((a) => a.Name).sort()).toEqual(unmatched.map((c) => c.DisplayName).sort())
    for (const c of unmatched) {
      const rec = records.find((r) => r.QBO_Key__c === `${sys.realmId}-${c.Id}`)
      expect(created.find((a) => a.Id === rec?.Account__c)?.Name).toBe(c.DisplayName)
    }
    expect(await summaryStat(page, 'Accounts created')).toBe(unmatched.length)

    // The summary's link counts are what Salesforce holds.
    const count = (s: string) => records.filter((r) => r.Link_Status__c === s).length
    expect(await summaryStat(page, 'Matched to Accounts')).toBe(count('Matched'))
    expect(await summaryStat(page, 'Inherited from parent')).toBe(count('Inherited'))
    expect(await summaryStat(page, 'Unmapped')).toBe(0)
    expect(await summaryStat(page, 'Ambiguous')).toBe(count('Ambiguous'))
    expect(count('Ambiguous')).toBe(1)
    expect(records.filter((r) => r.Link_Status__c !== 'Ambiguous').every((r) => r.Account__c)).toBe(true)

    // The run is in the history; the ambiguous customer waits to be linked.
    const rows = runHistoryRows(page)
    expect(await rows.count()).toBe(1)
    expect(await rows.first().innerText()).toMatch(new RegExp(`Import\\s+Succeeded\\s+${qboCustomers.length}\\s+${qboCustomers.length} / 0 / 0 / 0`))
    const queue = page.getByRole('table', { name: /Unmapped and ambiguous customers/ })
    await expect.poll(() => queue.getByRole('row', { name: /Gevelber Photography/ }).count()).toBe(1)
    await screenshot(page, 'sync-customers', true)
  })

  it('a switched-off field keeps its value in Salesforce while the others still sync', async () => {
    const section = page.getByRole('region', { name: 'Sync Settings' })
    await section.getByRole('button', { name: 'Update' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sync Settings' })
    await dialog.waitFor()
    for (const group of ['Names', 'Company', 'Contact information', 'Website', 'Print on check name', 'Billing address', 'Shipping address', 'Additional information']) {
      expect(await dialog.getByRole('group', { name: group, exact: true }).count()).toBe(1)
    }
    const website = dialog.getByRole('checkbox', { name: 'Website', exact: true })
    expect(await website.isChecked()).toBe(true)
    await website.uncheck()
    await screenshot(page, 'sync-settings')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByText('Sync settings saved.', { exact: false }).waitFor()
    expect(await section.innerText()).toMatch(/\d+ of \d+ optional\s+fields sync/)

    // Reopening shows the saved choice, also after a reload.
    await page.reload()
    await section.getByRole('button', { name: 'Update' }).click()
    expect(await dialog.getByRole('checkbox', { name: 'Website', exact: true }).isChecked()).toBe(false)
    expect(await dialog.getByRole('checkbox', { name: 'Notes', exact: true }).isChecked()).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // QuickBooks changes Dukes Basketball Camp's website and notes.
    const dukes = qboCustomers.find((c) => c.DisplayName === 'Dukes Basketball Camp')
    if (!dukes) throw new Error('sample company without Dukes Basketball Camp')
    const key = `${sys.realmId}-${dukes.Id}`
    const soql = `SELECT Id, Website__c, Notes__c, Email__c FROM QBO_Customer__c WHERE QBO_Key__c = '${key}'`
    const [before] = await sys.sf.query<SfRecord & { Website__c: string; Notes__c: string | null }>(soql)
    expect(before?.Website__c).toBe('http://dukesbasketball.example.com')
    await sys.qbo.update(dukes.Id, { WebAddr: { URI: 'http://dukes-new.example.com' }, Notes: 'Summer camp moved to July.' })

    await startImportAndWait(page)
    expect(await summaryStat(page, 'Updated')).toBe(1)
    const [after] = await sys.sf.query<SfRecord & { Website__c: string; Notes__c: string }>(soql)
    expect(after?.Website__c).toBe('http://dukesbasketball.example.com')
    expect(after?.Notes__c).toBe('Summer camp moved to July.')
    expect(await runHistoryRows(page).count()).toBe(2)
    expect(errors).toEqual([])
  })
})
