/**
 * @module test/e2e/suggestions
 * End to end in Chromium against `tally start` (demo mode), Create Accounts off, with a few Accounts
 * created in the Salesforce sandbox first that nearly match sample customers (contract §10): the
 * link queue shows their suggestions with scores; "Accept" links one (Manual, the suggestion
 * cleared in Salesforce); "Accept all ≥ 90" shows its count before it links exactly those;
 * "Ignore" takes a customer out of the queue and out of every later run's hands, "Unignore" and
 * "Refresh suggestions" bring it back with its suggestion; the History page lists each change with
 * the Hub user, filters it, and "Undo" puts an old link back as Manual.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerRow, LinkHistoryEntry } from '../../src/hub/api-types.js'
import { launchBrowser, logIn, nav, openHub, screenshot, startImportAndWait } from '../helpers/e2e-browser.js'
import { hubApi, startSystem, type E2eSystem, type HubApi, type SfRecord } from '../helpers/e2e-system.js'

type QboRecord = SfRecord & {
  Name: string
  Account__c: string | null
  Link_Status__c: string
  Suggested_Account__c: string | null
  Suggestion_Score__c: number | null
  Suggestion_Reason__c: string | null
}

/** Near-misses of sample customers, created in the org before the first import. The legal suffix
 * and "Last, First" forms are the same name after normalising (score 90 or more, contract §10);
 * the shared words of a longer name are not. */
const CONFIDENT: Record<string, string> = {
  'Sonnenschein Family Store': 'Sonnenschein Family Store, Inc.',
  "Pye's Cakes": "Pye's Cakes LLC",
  'John Melton': 'Melton, John',
  'Travis Waldron': 'Travis Waldron Inc.',
}
const NEAR_MISS = { customer: 'Mark Cho', account: 'Mark Cho Consulting' }
/** Ignored before "Accept all", so that it must not be among those it links. */
const IGNORED = 'Travis Waldron'

let sys: E2eSystem
let browser: Browser
let page: Page
let errors: string[]
let hub: HubApi
const created = new Map<string, string>()

beforeAll(async () => {
  ;[sys, browser] = await Promise.all([startSystem(), launchBrowser()])
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
  for (const name of [...Object.values(CONFIDENT), NEAR_MISS.account]) created.set(name, await sys.sf.create('Account', { Name: name }))
  ;({ page, errors } = await openHub(browser, sys))
  await logIn(page, sys)
  hub = await hubApi(sys)
})
afterAll(async () => {
  await browser?.close()
  await sys?.stop()
})

const records = () =>
  sys.sf.query<QboRecord>('SELECT Id, Name, Account__c, Link_Status__c, Suggested_Account__c, Suggestion_Score__c, Suggestion_Reason__c FROM QBO_Customer__c')
const record = async (name: string) => {
  const found = (await records()).filter((r) => r.Name === name)
  expect(found, name).toHaveLength(1)
  return found[0] as QboRecord
}
const accountOf = (name: string) => {
  const id = created.get(name)
  if (!id) throw new Error(`no Account ${name} was created`)
  return id
}
const queueItems = async () => (await hub.call<{ items: CustomerRow[] }>('GET', '/api/link-queue')).body.items
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const queue = () => page.getByRole('table', { name: /Unmapped and ambiguous customers/ })
/** The queue's row of a customer (its accessible name starts with the customer's name). */
const queueRow = (name: string) => queue().getByRole('row', { name: new RegExp(`^${escape(name)}\\b`) })
const historyTable = () => page.getByRole('table', { name: 'Link changes' })
const historyRows = () => historyTable().locator('tbody > tr')

describe('suggested Accounts, Ignore, the link history and Undo', () => {
  it('an import with Create Accounts off suggests the near-miss Accounts, with scores, in the queue', async () => {
    expect(await page.getByRole('switch', { name: 'Create Accounts' }).isChecked()).toBe(false)
    await startImportAndWait(page)
    // No suggestion is ever linked by itself: the near-misses wait, unlinked, their best suggestion
    // written to the record in Salesforce (contract §4).
    for (const [customer, account] of Object.entries(CONFIDENT)) {
      const r = await record(customer)
      expect(r, customer).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped', Suggested_Account__c: accountOf(account) })
      expect(r.Suggestion_Score__c, customer).toBeGreaterThanOrEqual(90)
      expect(r.Suggestion_Reason__c, customer).toBeTruthy()
    }
    const markRecord = await record(NEAR_MISS.customer)
    expect(markRecord).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped', Suggested_Account__c: accountOf(NEAR_MISS.account) })
    expect(markRecord.Suggestion_Score__c).toBeLessThan(90)

    // The queue shows each suggestion: the Account, its score and the reasons, with "Accept".
    const items = await queueItems()
    for (const [customer, account] of Object.entries(CONFIDENT)) {
      const best = items.find((r) => r.displayName === customer)?.suggestions?.[0]
      expect(best, customer).toMatchObject({ accountId: accountOf(account), accountName: account, score: expect.any(Number), reasons: [expect.any(String)] })
      const shown = queueRow(customer).getByRole('list', { name: `Suggested Accounts for ${customer}` }).getByRole('listitem').first()
      const text = await shown.innerText()
      expect(text).toContain(account)
      expect(text).toContain(String(best?.score))
      expect(text).toContain(best?.reasons.join('; '))
      expect(await shown.getByRole('button', { name: `Accept ${account}` }).isEnabled()).toBe(true)
    }
    const mark = items.find((r) => r.displayName === NEAR_MISS.customer)?.suggestions?.[0]
    expect(mark).toMatchObject({ accountName: NEAR_MISS.account })
    expect(mark?.score).toBeLessThan(90)
    expect(await queueRow(NEAR_MISS.customer).innerText()).toContain(NEAR_MISS.account)
    // The ambiguous customer's two Accounts of one name are told apart by their Ids.
    const gevelber = (await sys.sf.query<SfRecord>("SELECT Id FROM Account WHERE Name = 'Gevelber Photography'")).map((a) => a.Id)
    expect(gevelber).toHaveLength(2)
    for (const id of gevelber) expect(await queueRow('Gevelber Photography').getByRole('button', { name: `Accept Gevelber Photography (${id})` }).count()).toBe(1)
    await queue().scrollIntoViewIfNeeded()
    await screenshot(page, 'link-suggestions', true)
    expect(errors).toEqual([])
  })

  it('Accept links the customer to that Account at once: Manual, the suggestion cleared', async () => {
    const row = queueRow(NEAR_MISS.customer)
    const before = await sys.sf.writes()
    await row.getByRole('button', { name: `Accept ${NEAR_MISS.account}` }).click()
    await page.getByText(`${NEAR_MISS.customer} is linked to ${NEAR_MISS.account}.`).waitFor()
    await expect.poll(() => row.count()).toBe(0)
    expect(await sys.sf.writes()).toBeGreaterThan(before)
    expect(await record(NEAR_MISS.customer)).toMatchObject({
      Account__c: accountOf(NEAR_MISS.account),
      Link_Status__c: 'Manual',
      Suggested_Account__c: null,
      Suggestion_Score__c: null,
      Suggestion_Reason__c: null,
    })
    expect(errors).toEqual([])
  })

  it('Ignore takes a customer out of the queue, as Ignored in Salesforce', async () => {
    await queueRow(IGNORED).getByRole('button', { name: 'Ignore' }).click()
    await page.getByText(new RegExp(`^${escape(IGNORED)} is ignored`)).waitFor()
    await expect.poll(() => queueRow(IGNORED).count()).toBe(0)
    expect(await record(IGNORED)).toMatchObject({ Account__c: null, Link_Status__c: 'Ignored', Suggested_Account__c: null })
    expect((await queueItems()).some((r) => r.displayName === IGNORED)).toBe(false)
    expect(errors).toEqual([])
  })

  it('Accept all ≥ 90 first shows how many it would link, then links exactly those', async () => {
    // Which records the Hub itself says score 90 or more: the three left of the near-misses (the
    // ignored one is not in the queue any more), whatever else the sample company holds.
    const expected = (await queueItems()).filter((r) => (r.suggestions?.[0]?.score ?? 0) >= 90)
    expect(expected.map((r) => r.displayName)).toEqual(expect.arrayContaining(Object.keys(CONFIDENT).filter((c) => c !== IGNORED)))
    expect(expected.map((r) => r.displayName)).not.toContain(IGNORED)
    const others = (await queueItems()).filter((r) => !expected.some((x) => x.key === r.key))

    const score = page.getByRole('spinbutton', { name: 'Minimum score' })
    expect(await score.inputValue()).toBe('90')
    const before = await sys.sf.writes()
    await page.getByRole('button', { name: 'Accept all ≥ 90' }).click()
    const dialog = page.getByRole('dialog', { name: 'Accept all suggestions' })
    await dialog.waitFor()
    const n = expected.length
    expect(await dialog.innerText()).toContain(`Link ${n} customers to their suggested Account?`)
    const listed = await dialog.getByRole('list', { name: 'Customers to link' }).getByRole('listitem').allInnerTexts()
    expect(listed.map((t) => t.replace(/^\D*\d+\s*/, '')).sort()).toEqual(expected.map((r) => `${r.displayName} → ${r.suggestions?.[0]?.accountName}`).sort())
    await screenshot(page, 'accept-all')
    // The count was a dry run: nothing was written yet.
    expect(await sys.sf.writes()).toBe(before)

    await dialog.getByRole('button', { name: `Link ${n} customers` }).click()
    await page.getByText(`${n} customers linked to their suggested Account.`).waitFor()
    await dialog.waitFor({ state: 'detached' })
    for (const r of expected) {
      await expect.poll(() => queueRow(r.displayName).count()).toBe(0)
      expect(await record(r.displayName), r.displayName).toMatchObject({ Account__c: r.suggestions?.[0]?.accountId, Link_Status__c: 'Manual', Suggested_Account__c: null })
    }
    // Everyone else stays as they were.
    for (const r of others) expect(await record(r.displayName), r.displayName).toMatchObject({ Account__c: r.accountId, Link_Status__c: r.linkStatus })
    expect((await record(IGNORED)).Link_Status__c).toBe('Ignored')
    expect(errors).toEqual([])
  })

  it('a following import with Create Accounts on keeps every one of these: the accepted links stay Manual, the ignored customer gets no Account and no suggestion', async () => {
    const before = new Map((await records()).map((r) => [r.Name, r]))
    const create = page.getByRole('switch', { name: 'Create Accounts' })
    await create.check()
    await expect.poll(() => page.evaluate(async () => ((await (await fetch('/api/settings')).json()) as { createAccounts: boolean }).createAccounts)).toBe(true)
    await startImportAndWait(page)
    for (const customer of [...Object.keys(CONFIDENT).filter((c) => c !== IGNORED), NEAR_MISS.customer]) {
      expect(await record(customer), customer).toMatchObject({ Account__c: before.get(customer)?.Account__c, Link_Status__c: 'Manual' })
    }
    expect(await record(IGNORED)).toMatchObject({ Account__c: null, Link_Status__c: 'Ignored', Suggested_Account__c: null, Suggestion_Score__c: null })
    // The others without an Account got one; the ignored customer did not.
    const names = (await sys.sf.query<SfRecord & { Name: string }>('SELECT Id, Name FROM Account')).map((a) => a.Name)
    expect(names).not.toContain(IGNORED)
    expect((await records()).some((r) => r.Link_Status__c === 'Created')).toBe(true)
    expect(await queueRow(IGNORED).count()).toBe(0)
    // Back off, as the tests below expect.
    await create.uncheck()
    await expect.poll(() => page.evaluate(async () => ((await (await fetch('/api/settings')).json()) as { createAccounts: boolean }).createAccounts)).toBe(false)
    expect(errors).toEqual([])
  })

  it('QBO Customers shows the Ignored status, Unignore puts the customer back in the queue, Refresh suggestions suggests again', async () => {
    await nav(page, 'QBO Customers').click()
    await page.getByRole('searchbox', { name: 'Search customers' }).fill(IGNORED)
    const row = page.getByRole('table', { name: 'QBO Customer records' }).getByRole('row', { name: new RegExp(`^${escape(IGNORED)}\\b`) })
    await expect.poll(() => row.innerText()).toMatch(/No Account\s+Ignored/)
    await row.getByRole('button', { name: 'Unignore' }).click()
    await page.getByText(new RegExp(`^${escape(IGNORED)} is no longer ignored`)).waitFor()
    await expect.poll(() => row.innerText()).toMatch(/No Account\s+Unmapped/)
    expect(await row.getByRole('button', { name: 'Unignore' }).count()).toBe(0)
    expect(await record(IGNORED)).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped' })
    // The next run treats it as any unmapped customer again: back in the queue, never linked by itself.
    await nav(page, 'Sync Customers').click()
    await startImportAndWait(page)
    expect(await record(IGNORED)).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped' })
    await queueRow(IGNORED).waitFor()
    // A run suggests for the records it writes; "Refresh suggestions" recomputes the whole queue now.
    await page.getByRole('button', { name: 'Refresh suggestions' }).click()
    await page.getByText(/^Suggestions recomputed for \d+ customers: \d+ with a suggested Account\.$/).waitFor()
    const account = CONFIDENT[IGNORED] ?? ''
    await queueRow(IGNORED).getByRole('button', { name: `Accept ${account}` }).waitFor()
    expect(await record(IGNORED)).toMatchObject({ Account__c: null, Link_Status__c: 'Unmapped', Suggested_Account__c: accountOf(account) })
    expect(errors).toEqual([])
  })

  it('History lists every change with the Hub user, filters it, and Undo puts the old link back as Manual', async () => {
    // A Matched link changed by hand, to undo below.
    const diego = await record('Diego Rodriguez')
    expect(diego.Link_Status__c).toBe('Matched')
    const bayview = (await sys.sf.query<SfRecord>("SELECT Id FROM Account WHERE Name = 'Bayview Nurseries'"))[0]?.Id ?? ''
    const key = (await hub.call<{ items: CustomerRow[] }>('GET', '/api/customers?search=Diego%20Rodriguez')).body.items[0]?.key ?? ''
    const put = await hub.call('PUT', `/api/customers/${encodeURIComponent(key)}/account`, { accountId: bayview, accountName: 'Bayview Nurseries' })
    expect(put.status).toBe(200)
    expect(await record('Diego Rodriguez')).toMatchObject({ Account__c: bayview, Link_Status__c: 'Manual' })

    await nav(page, 'History').click()
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor()
    await historyTable().waitFor()
    const search = page.getByRole('searchbox', { name: 'Search history' })
    const who = async () => historyTable().locator('tbody > tr > td:nth-child(2)').allInnerTexts()
    // Each change of this test is there, made by the Hub user.
    const rowOf = (customer: string) => historyRows().filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(customer)}\\b`) }) })
    for (const [customer, reason] of [
      [NEAR_MISS.customer, /accepted the suggestion/],
      ["Pye's Cakes", /accepted the suggestion/],
      ['Diego Rodriguez', /by hand/],
    ] as const) {
      await search.fill(customer)
      await expect.poll(() => rowOf(customer).count()).toBeGreaterThan(0)
      // Newest first: the person's change is the first of this customer's entries.
      const text = await rowOf(customer).first().innerText()
      expect(text, customer).toMatch(reason)
      expect(text, customer).toContain('admin')
    }
    const ignored = rowOf(IGNORED)
    await search.fill(IGNORED)
    await expect.poll(() => ignored.count()).toBeGreaterThanOrEqual(2)
    // Unignore, then Ignore, newest first (runs in between may have recorded their own).
    const ignoredTexts = (await ignored.allInnerTexts()).filter((t) => /\badmin\b/.test(t))
    expect(ignoredTexts[0]).toMatch(/Ignored[\s\S]*Unmapped/)
    expect(ignoredTexts[1]).toMatch(/Unmapped[\s\S]*Ignored/)

    // Filters: by who, then a search, narrow the list (the API's totals, as the page shows them).
    await search.fill('')
    const by = page.getByRole('combobox', { name: 'Changed by' })
    await by.selectOption({ label: 'Hub users' })
    const hubTotal = (await hub.call<{ total: number }>('GET', '/api/link-history?by=hub')).body.total
    const all = (await hub.call<{ total: number }>('GET', '/api/link-history')).body.total
    // Accept, Ignore, the three of Accept all, Unignore and the hand link.
    expect(hubTotal).toBe(7)
    await expect.poll(() => historyRows().count()).toBe(Math.min(hubTotal, 25))
    expect(new Set(await who())).toEqual(new Set(['admin']))
    await by.selectOption({ label: 'Tally (runs)' })
    const tallyTotal = (await hub.call<{ total: number }>('GET', '/api/link-history?by=tally')).body.total
    if (tallyTotal === 0) await page.getByRole('heading', { name: 'No changes match.' }).waitFor()
    else {
      await expect.poll(() => historyRows().count()).toBe(Math.min(tallyTotal, 25))
      expect(new Set(await who())).toEqual(new Set(['Tally (run)']))
    }
    await by.selectOption({ label: 'All' })
    await search.fill('Sonnenschein')
    await expect.poll(async () => (await historyRows().allInnerTexts()).every((t) => t.includes('Sonnenschein'))).toBe(true)
    const narrowed = await historyRows().count()
    expect(narrowed).toBeGreaterThan(0)
    expect(narrowed).toBeLessThan(all)
    await search.fill('')
    await expect.poll(() => historyRows().count()).toBe(Math.min(all, 25))
    await screenshot(page, 'link-history', true)

    // Undo the hand link of Diego Rodriguez: after a confirmation, his Matched Account is back, as Manual.
    await search.fill('Diego Rodriguez')
    const diegoRow = rowOf('Diego Rodriguez').first()
    await expect.poll(() => diegoRow.innerText()).toMatch(/by hand/)
    await diegoRow.getByRole('button', { name: /^Undo: Diego Rodriguez/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Undo this change?' })
    expect(await dialog.innerText()).toContain('Diego Rodriguez will be linked to Diego Rodriguez again')
    await dialog.getByRole('button', { name: 'Undo', exact: true }).click()
    await page.getByText('Diego Rodriguez is linked to Diego Rodriguez again (Manual).').waitFor()
    expect(await record('Diego Rodriguez')).toMatchObject({ Account__c: diego.Account__c, Link_Status__c: 'Manual' })
    // The undo is an entry of its own, by the Hub user; the entry undone says so and offers no Undo.
    await expect.poll(() => rowOf('Diego Rodriguez').first().innerText()).toMatch(/admin[\s\S]*undid the change/)
    const undone = rowOf('Diego Rodriguez').filter({ hasText: /by hand/ })
    await expect.poll(() => undone.getByRole('button', { name: /^Undone/ }).isDisabled()).toBe(true)
    expect(await undone.getByRole('button', { name: /^Undo:/ }).count()).toBe(0)
    const entries = (await hub.call<{ items: LinkHistoryEntry[] }>('GET', '/api/link-history?search=Diego')).body.items
    const undo = entries.find((e) => e.undoOf !== null)
    expect(undo).toMatchObject({ who: 'admin', toAccountId: diego.Account__c, toStatus: 'Manual', fromAccountId: bayview })
    expect(entries.find((e) => e.id === undo?.undoOf)).toMatchObject({ undoneBy: undo?.id, reason: expect.stringMatching(/by hand/) })
    expect(errors).toEqual([])
  })
})
