/**
 * @module test/e2e/disconnect-and-port
 * `tally start --port 0` serves a Hub whose origin and OAuth redirect URIs are the real port, and a
 * connection a person disconnects stays disconnected — even with credentials in the environment.
 * (Both were bugs these tests found.)
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, logIn, openHub } from '../helpers/e2e-browser.js'
import { hubApi, startSystem, type E2eSystem, type HubApi } from '../helpers/e2e-system.js'

interface Connection { provider: string; connected: boolean; label: string | null }

describe('tally start --port 0 (src/cli/commands/start.ts)', () => {
  // The Hub's origin (allowed for state-changing requests) and its OAuth redirect URIs must be
  // the address it really listens on, not the requested port 0.
  let sys: E2eSystem
  let browser: Browser
  beforeAll(async () => {
    ;[sys, browser] = await Promise.all([startSystem({ port: 0 }), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await sys?.stop()
  })

  it('prints the real URL of the listening server', () => {
    expect(sys.hubUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
  })

  it('lets a browser sign in', async () => {
    const { page } = await openHub(browser, sys)
    try {
      await page.setDefaultTimeout(3000)
      await logIn(page, sys)
    } finally {
      await page.context().close()
    }
  })

  it('sends the vendors a redirect URI on the real port', async () => {
    // Signing in without an Origin header (not a browser) still works, which shows the rest.
    const login = await fetch(`${sys.hubUrl}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: sys.password }) })
    const { csrfToken } = (await login.json()) as { csrfToken: string }
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const r = await fetch(`${sys.hubUrl}/api/connections/qbo/authorize`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken } })
    const { url } = (await r.json()) as { url: string }
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${sys.hubUrl}/oauth/callback/qbo`)
  })
})

describe('connections in demo mode (src/jobs/connections.ts, src/jobs/hub-services.ts)', () => {
  let sys: E2eSystem
  let api: HubApi
  const connection = async (provider: string) =>
    (await api.call<{ connections: Connection[] }>('GET', '/api/connections')).body.connections.find((c) => c.provider === provider)
  beforeAll(async () => {
    sys = await startSystem()
    api = await hubApi(sys)
  })
  afterAll(async () => {
    await sys?.stop()
  })

  // With SF_CLIENT_ID/SF_CLIENT_SECRET in the environment, client credentials would still work:
  // "Disconnect" must stop Tally all the same, as its dialog promises ("stops syncing until you
  // connect again"), even for an import started through the API.
  it('stops writing to Salesforce after Salesforce is disconnected', async () => {
    expect((await api.call('DELETE', '/api/connections/salesforce')).status).toBe(200)
    expect((await connection('salesforce'))?.connected).toBe(false)
    const run = await api.runImport().catch((e: unknown) => ({ status: 'refused', error: String(e) }))
    expect(run.status).not.toBe('succeeded')
    expect(await sys.sf.query('SELECT Id FROM QBO_Customer__c')).toEqual([])
  })

  // After "Disconnect" QuickBooks, the next use of QBO must not re-import QBO_REFRESH_TOKEN from
  // the environment (a token the disconnect just revoked): it stays disconnected until the user
  // connects again.
  it('keeps QuickBooks disconnected after Disconnect', async () => {
    expect((await api.call('DELETE', '/api/connections/qbo')).status).toBe(200)
    expect((await connection('qbo'))?.connected).toBe(false)
    await api.runImport().catch(() => null)
    expect(await connection('qbo')).toMatchObject({ connected: false })
  })
})
