/**
 * @module test/e2e/linking
 * End to end in Chromium against `tally start` (demo mode), Create Accounts off: the QBO Customers
 * list (search, filter, paging), linking by hand from the unmapped/ambiguous list and with the
 * pencil on QBO Customers (written to Salesforce at once, `Manual`), and a link changed directly in
 * Salesforce, which the next import shows and never overwrites (contract §5.1).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, nav, openHub, screenshot, startImportAndWait } from '../helpers/e2e-browser.js'
import { hubApi, startSystem, type E2eSystem, type SfRecord } from '../helpers/e2e-system.js'

type QboRecord = SfRecord & { QBO_Key__c: string; Name: string; Account__c: string | null; Link_Status__c: string; Active__c: boolean }

let sys: E2eSystem
let browser: Browser
let page: Page
let errors: string[]
let accounts: Map<string, string[]>

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
  ;({ page, errors } = await openHub(browser, sys))
  await logIn(page, sys)
  accounts = new Map()
  for (const a of await sys.sf.query<SfRecord & { Name: string }>('SELECT Id, Name FROM Account')) accounts.set(a.Name, [...(accounts.get(a.Name) ?? []), a.Id])
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

const records = () => sys.sf.query<QboRecord>('SELECT Id, Name, QBO_Key__c, Account__c, Link_Status__c, Active__c FROM QBO_Customer__c')
const record = async (name: string) => {
  const found = (await records()).filter((r) => r.Name === name)
  expect(found).toHaveLength(1)
  return found[0] as QboRecord
}
const accountId = (name: string) => {
  const ids = accounts.get(name)
  if (ids?.length !== 1) throw new Error(`expected one Account named ${name}`)
  return ids[0] as string
}
const table = () => page.getByRole('table', { name: 'QBO Customer records' })
const bodyRows = () => table().locator('tbody > tr')
const footer = () => page.getByRole('region', { name: 'QBO Customers' }).locator('footer')

describe('linking QBO customers to Accounts', () => {
  it('imports with Create Accounts off: unmatched customers wait, unlinked', async () => {
    // One customer is made inactive in QuickBooks first, to be found by the Inactive filter.
    const kate = (await sys.qbo.customers()).find((c) => c.DisplayName === 'Kate Whelan')
    await sys.qbo.update(kate?.Id ?? '', { Active: false })
    expect(await page.getByRole('switch', { name: 'Create Accounts' }).isChecked()).toBe(false)
    await startImportAndWait(page)
    const all = await records()
    expect(all).toHaveLength((await sys.qbo.customers()).length)
    expect(all.filter((r) => r.Link_Status__c === 'Unmapped').every((r) => r.Account__c === null)).toBe(true)
    expect((await sys.sf.query('SELECT Id FROM Account WHERE QBO_Source_Key__c != null')).length).toBe(0)
    // QuickBooks renames a customer it makes inactive ("Kate Whelan (deleted)").
    const inactive = all.filter((r) => r.QBO_Key__c === `${sys.realmId}-${kate?.Id}`)
    expect(inactive).toMatchObject([{ Active__c: false, Name: expect.stringMatching(/^Kate Whelan/) }])
    // The queue says why by the name Accounts are matched by, which the API gives: the rule
    // that drops QBO's " (deleted)" lives in the engine (src/sync/link.ts), not in the page.
    const hub = await hubApi(sys)
    const queued = (await hub.call<{ items: { key: string; displayName: string; matchName: string }[] }>('GET', '/api/link-queue')).body.items
    expect(queued.find((r) => r.key === `${sys.realmId}-${kate?.Id}`)).toMatchObject({ displayName: expect.stringMatching(/^Kate Whelan/), matchName: 'Kate Whelan' })
    const queueRow = page.getByRole('table', { name: /Unmapped and ambiguous customers/ }).getByRole('row', { name: /Kate Whelan/ })
    expect(await queueRow.innerText()).toContain('Inactive in QuickBooks; no Account is named “Kate Whelan”.')
  })

  it('QBO Customers: paging, search and the Filter select', async () => {
    const all = await records()
    await nav(page, 'QBO Customers').click()
    await table().waitFor()
    expect(await bodyRows().count()).toBe(25)
    expect(await footer().innerText()).toContain(`1–25 of ${all.length} customers`)
    await screenshot(page, 'qbo-customers', true)
    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => footer().innerText()).toContain(`26–${all.length} of ${all.length} customers`)
    // The footer follows the page number at once; the rows when the page has loaded.
    await expect.poll(() => bodyRows().count()).toBe(all.length - 25)
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Previous' }).click()
    await expect.poll(() => footer().innerText()).toContain('Page 1 of 2')

    const search = page.getByRole('searchbox', { name: 'Search customers' })
    await search.fill('cool')
    await expect.poll(() => bodyRows().count()).toBe(1)
    expect(await bodyRows().first().innerText()).toContain('Cool Cars')
    await search.fill('zzz-no-such-customer')
    await page.getByRole('heading', { name: 'No customers match.' }).waitFor()
    await search.fill('')
    await expect.poll(() => bodyRows().count()).toBe(25)

    const filter = page.getByRole('combobox', { name: 'Filter' })
    const statuses = async () => (await table().locator('tbody > tr > td:nth-child(3)').allInnerTexts()).sort()
    const expectStatuses = (want: (r: QboRecord) => boolean) => all.filter(want).map((r) => r.Link_Status__c).sort()
    await filter.selectOption({ label: 'Unmapped' })
    await expect.poll(statuses).toEqual(expectStatuses((r) => r.Link_Status__c === 'Unmapped'))
    await filter.selectOption({ label: 'Ambiguous' })
    await expect.poll(statuses).toEqual(['Ambiguous'])
    expect(await bodyRows().first().innerText()).toContain('Gevelber Photography')
    await filter.selectOption({ label: 'Mapped' })
    await expect.poll(statuses).toEqual(expectStatuses((r) => r.Account__c !== null))
    await filter.selectOption({ label: 'Inactive' })
    await expect.poll(() => bodyRows().allInnerTexts()).toEqual([expect.stringMatching(/Kate Whelan[\s\S]*\bNo$/)])
    await filter.selectOption({ label: 'All' })
    await expect.poll(() => bodyRows().count()).toBe(25)
    expect(errors).toEqual([])
  })

  it('Link Account on the ambiguous customer: candidates first, search, Update writes Manual at once', async () => {
    await nav(page, 'Sync Customers').click()
    const queue = page.getByRole('table', { name: /Unmapped and ambiguous customers/ })
    const row = queue.getByRole('row', { name: /Gevelber Photography/ })
    expect(await row.innerText()).toContain('2 Accounts are named “Gevelber Photography”')
    await row.getByRole('button', { name: 'Link Account' }).click()
    const lookup = page.getByRole('combobox', { name: 'Account' })
    await expect.poll(() => lookup.evaluate((el) => el === document.activeElement)).toBe(true)
    const options = page.getByRole('listbox', { name: 'Accounts' }).getByRole('option')
    await expect.poll(() => options.count()).toBeGreaterThan(2)
    const texts = await options.allInnerTexts()
    // Both Accounts named like the customer come first, told apart by their Ids.
    const candidateIds = accounts.get('Gevelber Photography') ?? []
    expect(candidateIds).toHaveLength(2)
    expect(texts.slice(0, 2).sort()).toEqual([...candidateIds].sort().map((id) => expect.stringMatching(new RegExp(`^Gevelber Photography\\s+Candidate.*${id}$`))))
    expect(texts.slice(2).some((t) => /Candidate/.test(t))).toBe(false)
    await screenshot(page, 'link-account', true)

    await lookup.fill('Northwind')
    await expect.poll(() => options.allInnerTexts()).toEqual([expect.stringMatching(/^Northwind Traders/)])
    await options.first().click()
    expect(await lookup.inputValue()).toBe('Northwind Traders')
    const northwind = accountId('Northwind Traders')
    const sfWritesBefore = await sfWrites()
    await queue.getByRole('button', { name: 'Update' }).click()
    await page.getByText('Gevelber Photography is linked to Northwind Traders.').waitFor()
    await expect.poll(() => queue.getByRole('row', { name: /Gevelber Photography/ }).count()).toBe(0)
    // Written to Salesforce at once, without an import.
    expect(await sfWrites()).toBeGreaterThan(sfWritesBefore)
    expect(await record('Gevelber Photography')).toMatchObject({ Account__c: northwind, Link_Status__c: 'Manual' })

    // The next import keeps the link.
    await startImportAndWait(page)
    expect(await record('Gevelber Photography')).toMatchObject({ Account__c: northwind, Link_Status__c: 'Manual' })
    expect(await queue.getByRole('row', { name: /Gevelber Photography/ }).count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('the pencil "Edit Account" on QBO Customers changes a link in place, in Salesforce at once', async () => {
    await nav(page, 'QBO Customers').click()
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Jalopies')
    const row = table().getByRole('row', { name: /Jeff's Jalopies/ })
    await expect.poll(() => bodyRows().count()).toBe(1)
    expect(await row.innerText()).toMatch(/No Account\s+Unmapped/)
    // The toast of the previous test's link went with its page.
    expect(await page.locator('.slds-notify_toast').count()).toBe(0)
    await row.getByRole('button', { name: 'Edit Account' }).click()
    const lookup = row.getByRole('combobox', { name: 'Account' })
    await lookup.fill('Jalop')
    const option = page.getByRole('option', { name: /Jalopies Unlimited/ })
    await option.waitFor()
    await screenshot(page, 'edit-account')
    await option.click()
    await row.getByRole('button', { name: 'Update' }).click()
    await expect.poll(() => row.innerText()).toMatch(/Jalopies Unlimited\s+Manual/)
    expect(await record("Jeff's Jalopies")).toMatchObject({ Account__c: accountId('Jalopies Unlimited'), Link_Status__c: 'Manual' })

    // A toast belongs to its page: it does not follow the user to the next one (issue 8).
    const toast = page.locator('.slds-notify_toast', { hasText: "Jeff's Jalopies is linked to Jalopies Unlimited." })
    await toast.waitFor()
    await nav(page, 'Connections').click()
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor()
    expect(await page.locator('.slds-notify_toast').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('a link changed directly in Salesforce shows after the next import and is never overwritten', async () => {
    const diego = await record('Diego Rodriguez')
    expect(diego).toMatchObject({ Account__c: accountId('Diego Rodriguez'), Link_Status__c: 'Matched' })
    const bayview = accountId('Bayview Nurseries')
    await sys.sf.patch('QBO_Customer__c', diego.Id, { Account__c: bayview })

    await nav(page, 'Sync Customers').click()
    await startImportAndWait(page)
    expect(await record('Diego Rodriguez')).toMatchObject({ Account__c: bayview })
    await nav(page, 'QBO Customers').click()
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Diego')
    await expect.poll(() => bodyRows().allInnerTexts()).toEqual([expect.stringMatching(/Diego Rodriguez[\s\S]*Bayview Nurseries\s+Manual/)])

    // And again: a further import leaves it as the person set it.
    await nav(page, 'Sync Customers').click()
    await startImportAndWait(page)
    expect(await record('Diego Rodriguez')).toMatchObject({ Account__c: bayview, Link_Status__c: 'Manual' })
    expect(errors).toEqual([])
  })
})

/** Write requests the Salesforce sandbox received (its own `/__sandbox/stats`). */
async function sfWrites(): Promise<number> {
  const stats = (await (await fetch(`${sys.sfUrl}/__sandbox/stats`)).json()) as { byOperation: Record<string, number> }
  // A Composite request is a write when one of its subrequests wrote (the sandbox's write log).
  const log = (await (await fetch(`${sys.sfUrl}/__sandbox/writes`)).json()) as { writes: { operation: string }[] }
  const composites = log.writes.filter((w) => w.operation === 'composite').length
  return composites + Object.entries(stats.byOperation)
    .filter(([op]) => /patch|update|upsert|create|insert/i.test(op))
    .reduce((n, [, v]) => n + v, 0)
}
