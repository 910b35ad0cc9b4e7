/**
 * @module test/e2e/package-deploy
 * End to end in Chromium against `tally start` (demo mode): "Deploy the Salesforce package" on the
 * Connections page deploys Tally's package to the sandbox org through the Metadata API, shows the
 * deploy while it runs and its outcome, and — for a package Salesforce refuses — each failed
 * component with its file and problem, leaving the org as it was.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PACKAGE_DIR } from '../../src/jobs/package-deploy.js'
import { launchBrowser, logIn, nav, openHub } from '../helpers/e2e-browser.js'
import { startSystem, type E2eSystem } from '../helpers/e2e-system.js'

let browser: Browser
const systems: E2eSystem[] = []
const dir = mkdtempSync(join(tmpdir(), 'tally-e2e-pkg-'))

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  for (const s of systems) await s.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function hubOn(env: Record<string, string> = {}) {
  const sys = await startSystem({ env })
  systems.push(sys)
  const { page, errors } = await openHub(browser, sys)
  await logIn(page, sys)
  await nav(page, 'Connections').click()
  const card = page.getByRole('region', { name: "Tally's package", exact: true })
  await card.waitFor()
  return { sys, page, errors, card }
}

describe('Deploy the Salesforce package', () => {
  it('deploys the package, shows the progress and the outcome, and Tally_Sync is assigned', async () => {
    const { sys, errors, card } = await hubOn()
    const before = await sys.sf.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Tally_Sync'")
    await card.getByRole('button', { name: 'Deploy the Salesforce package' }).click()
    // While Salesforce works on it: the status and the components so far.
    await expect.poll(() => card.getByRole('status').innerText()).toMatch(/^(Sending the package|Pending|InProgress): \d+ of \d+ components$/)
    await expect.poll(() => card.getByRole('status').innerText(), { timeout: 30_000 }).toMatch(/^Tally's package is deployed \(\d+ components\) and Tally_Sync is assigned to the integration user\.$/)
    expect(await card.getByRole('progressbar', { name: 'Deploy progress' }).getAttribute('aria-valuenow')).toBe('100')
    expect(await card.getByRole('table', { name: 'Components that failed' }).count()).toBe(0)
    // The org has the package's permission set, assigned to the integration user.
    const after = await sys.sf.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Tally_Sync'")
    expect(after.map((r) => r.Id)).toEqual(before.map((r) => r.Id))
    const assigned = await sys.sf.query<{ AssigneeId: string }>(`SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${after[0]?.Id ?? ''}'`)
    expect(assigned).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('lists each component Salesforce refused, with its file and problem', async () => {
    const pkgDir = join(dir, 'broken')
    cpSync(DEFAULT_PACKAGE_DIR, pkgDir, { recursive: true })
    const file = join(pkgDir, 'force-app/main/default/objects/QBO_Customer__c/fields/Email__c.field-meta.xml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('<type>Email</type>', '<type>Emial</type>'))
    const { page, errors, card } = await hubOn({ TALLY_SF_PACKAGE_DIR: pkgDir })
    await card.getByRole('button', { name: 'Deploy the Salesforce package' }).click()
    await expect.poll(() => card.getByRole('status').innerText(), { timeout: 30_000 }).toBe('The deploy failed: 1 component has errors, so nothing was changed in Salesforce.')
    const rows = card.getByRole('table', { name: 'Components that failed' }).locator('tbody > tr')
    expect(await rows.count()).toBe(1)
    const cells = await rows.first().locator('td').allInnerTexts()
    expect(cells[0]).toBe('CustomField QBO_Customer__c.Email__c')
    expect(cells[1]).toMatch(/^objects\/QBO_Customer__c\.object:\d+$/)
    expect(cells[2]).toBe("Error parsing file: 'Emial' is not a valid value for the enum 'FieldType'")
    await page.getByText('The deploy failed: 1 component has errors').first().waitFor()
    expect(errors.filter((e) => !/422|Failed to load resource/.test(e))).toEqual([])
  })
})
