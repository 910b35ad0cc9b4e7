/**
 * @module test/helpers/e2e-browser
 * Real Chromium (Debian's /usr/bin/chromium through playwright-core) for the end-to-end tests:
 * launching it, signing in with the Hub's own form, running an import from the page, and saving
 * screenshots for the README under docs/screenshots/. Every control is found by its accessible
 * name (contract §8), as a screen reader would.
 */
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import type { E2eSystem } from './e2e-system.js'

// The README's screenshots are refreshed on request (`TALLY_E2E_SCREENSHOTS=1 npx vitest run
// test/e2e`), so that an ordinary test run does not rewrite nine tracked PNGs with new dates.
const SCREENSHOTS = process.env['TALLY_E2E_SCREENSHOTS'] === '1'
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : join(tmpdir(), 'tally-e2e-screenshots')

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export interface HubPage {
  page: Page
  /** Uncaught page errors and console errors (a 401 after logging out is expected, so the caller
   * decides which matter). */
  errors: string[]
}

export async function openHub(browser: Browser, sys: E2eSystem): Promise<HubPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  // Only the Hub's own page counts: the sandbox's consent pages are the vendors'.
  page.on('console', (m) => {
    if (m.type() === 'error' && m.location().url.startsWith(sys.hubUrl)) errors.push(`${m.text()} (${m.location().url})`)
  })
  await page.goto(sys.hubUrl)
  return { page, errors }
}

/** Signs in through the sign-in page and waits for Sync Customers. */
export async function logIn(page: Page, sys: E2eSystem): Promise<void> {
  await page.getByRole('textbox', { name: 'Username' }).fill('admin')
  await page.getByLabel('Password').fill(sys.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Sync Customers', level: 1 }).waitFor()
}

/** A link of the global navigation (other links on a page may share its name). */
export const nav = (page: Page, name: 'Sync Customers' | 'QBO Customers' | 'History' | 'Connections') =>
  page.getByRole('navigation', { name: 'Tally Hub' }).getByRole('link', { name, exact: true })

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' })
}

/** A screenshot to look at while working on a test, never one of the README's: always in the
 * temp dir, whatever TALLY_E2E_SCREENSHOTS says. */
export async function scratchScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = join(tmpdir(), 'tally-e2e-screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage, animations: 'disabled' })
}

export const runHistoryRows = (page: Page) => page.getByRole('table', { name: 'Run history' }).locator('tbody > tr:not(.hub-expanded)')

/** Clicks "Start Import" on Sync Customers and waits until the Hub shows the run finished. */
export async function startImportAndWait(page: Page): Promise<void> {
  // How many runs there are, from the Hub itself: the page may still be loading its history.
  const before = await page.evaluate(async () => ((await (await fetch('/api/runs?limit=100')).json()) as { runs: unknown[] }).runs.length)
  const button = page.getByRole('button', { name: 'Start Import' })
  await button.waitFor()
  try {
    await expect.poll(() => button.isEnabled(), { timeout: 5000 }).toBe(true)
  } catch {
    throw new Error(`Start Import stays disabled; the page says: ${(await page.getByRole('note').allInnerTexts()).join(' ') || '(nothing)'}`)
  }
  await button.click()
  await expect.poll(() => runHistoryRows(page).count(), { timeout: 30_000 }).toBe(before + 1)
  await expect.poll(() => runHistoryRows(page).first().getByText('Running').count(), { timeout: 30_000 }).toBe(0)
  await expect.poll(() => button.isEnabled()).toBe(true)
}

/** The value shown under a label of the last run's summary ("Customers seen", "Unmapped"…). */
export async function summaryStat(page: Page, label: string): Promise<number> {
  const stat = page.locator('.hub-stat').filter({ has: page.locator('.hub-stat-label', { hasText: new RegExp(`^${label}$`) }) })
  return Number(await stat.locator('.hub-stat-value').innerText())
}
