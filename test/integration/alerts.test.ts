/**
 * @module test/integration/alerts.test
 * Alerts (contract §11) from real Tally runs against the sandbox, delivered over real HTTP to a
 * local incoming-webhook receiver and over real SMTP to a local mail server: a problem is alerted
 * once on each channel while it lasts, and once more when it recovers; a channel that fails is
 * recorded on the alert and never fails the run; the Hub lists the alerts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { parseConfig } from '../../src/config/env.js'
import { createHubApp } from '../../src/hub/app.js'
import type { GetAlerts } from '../../src/hub/api-types.js'
import { createHubAuth } from '../../src/jobs/hub-auth.js'
import { createHubServices } from '../../src/jobs/hub-services.js'
import { createRunService } from '../../src/jobs/runs.js'
import { openTally } from '../../src/jobs/tally.js'
import { hashPassword } from '../../src/lib/crypto.js'
import { listen } from '../../src/lib/http-server.js'
import { listAlerts, listOpenProblems } from '../../src/store/index.js'
import { webhookChannel } from '../../src/jobs/alerts/webhook.js'
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from '../helpers/alert-receivers.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const HUB = 'http://hub.example.test'
const TO = ['ops@example.com', 'finance@example.com']

let h: Harness
let hook: WebhookReceiver
let smtp: SmtpReceiver
const open: { close(): Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()))
})

/** A sandbox, a webhook receiver and a mail server, and Tally configured to alert to both. */
async function setUp(o: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness(o)
  hook = await startWebhookReceiver()
  smtp = await startSmtpReceiver({ user: 'tally', password: 's3cret pass' })
  open.push(h, hook, smtp)
  Object.assign(h.env, { TALLY_ALERT_WEBHOOK: hook.url, TALLY_SMTP_URL: smtp.url, TALLY_ALERT_EMAIL: TO.join(', '), TALLY_PUBLIC_URL: HUB })
}

async function refuse(pattern: string) {
  const res = await fetch(`${h.sandbox.salesforce.url}/__sandbox/validation-rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern, message: 'Company Name: this company is on hold' }]),
  })
  expect(res.status).toBe(200)
}

async function storedAlerts() {
  const t = await openTally(parseConfig(h.env, h.dir))
  try {
    return { alerts: await listAlerts(t.store.db, 50), open: await listOpenProblems(t.store.db) }
  } finally {
    await t.close()
  }
}

const realm = () => h.sandbox.qbo.emulator.realmId
/** How an alert names the company: by name once Tally has read it (the Hub does at start), else
 * by realm id — a headless import of one company does not read the name. */
const company = () => `QuickBooks company (?:"[^"]+" \\(realm ${realm()}\\)|${realm()})`

describe('alerts from runs', () => {
  it('records Salesforce refuses: one webhook POST and one e-mail; the same again: nothing; a good run: one "recovered" each', async () => {
    await setUp()
    await refuse('^Cool Cars$')

    const first = await h.tally('import', '--json')
    expect(first.code).toBe(2)
    expect(hook.posts).toHaveLength(1)
    const text = hook.posts[0]?.text ?? ''
    expect(text).toMatch(new RegExp(`^1 customer of ${company()} could not be synced to Salesforce \\(Cool Cars: Company_Name__c FIELD_CUSTOM_VALIDATION_EXCEPTION\\)\\.`))
    expect(text).toMatch(/Fix the data in QuickBooks or the rule in Salesforce/)
    expect(text).toContain(`Tally Hub: ${HUB}/#/sync`)
    expect(smtp.mails).toHaveLength(1)
    const mail = smtp.mails[0]
    expect(mail).toMatchObject({ user: 'tally', to: TO, from: 'tally@127.0.0.1' })
    expect(mail?.subject).toMatch(/^\[Tally\] Records failed: /)
    expect(mail?.text).toBe(text)

    // The problem lasts: the next runs alert nothing. A sync reads only changes, so it does not
    // see the refused record and succeeds; that is no recovery: the record is still refused.
    expect((await h.tally('import', '--json')).code).toBe(2)
    expect((await h.tally('sync', '--json')).code).toBe(0)
    expect(hook.posts).toHaveLength(1)
    expect(smtp.mails).toHaveLength(1)

    // The admin lifts the rule; a run that sends the refused record again succeeds: recovered.
    h.sandbox.salesforce.emulator.setValidationRules([])
    const good = await h.tally('import', '--retry-refused', '--json')
    expect(good.code).toBe(0)
    expect(hook.posts).toHaveLength(2)
    expect(hook.posts[1]?.text).toMatch(new RegExp(`^Recovered: every customer of ${company()} synced to Salesforce in the last run\\.`))
    expect(smtp.mails).toHaveLength(2)
    expect(smtp.mails[1]?.subject).toMatch(/^\[Tally\] Recovered \(Records failed\): /)
    // And a further good run says nothing more.
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(hook.posts).toHaveLength(2)
    expect(smtp.mails).toHaveLength(2)

    const { alerts, open: problems } = await storedAlerts()
    expect(problems).toEqual([])
    expect(alerts.map((a) => [a.kind, a.state])).toEqual([['records-failed', 'recovered'], ['records-failed', 'raised']])
    for (const a of alerts) expect(a.deliveries.map((d) => [d.channel, d.ok])).toEqual([['webhook', true], ['email', true]])
  })

  it('Salesforce down fails the run: one alert per channel however many runs fail; Salesforce back: one "recovered"', async () => {
    await setUp()
    const login = h.env['SF_LOGIN_URL'] as string
    h.env['SF_LOGIN_URL'] = 'http://127.0.0.1:9'
    const failed = await h.tally('import', '--json')
    expect(failed.code).toBe(1)
    expect((await h.tally('import', '--json')).code).toBe(1)
    expect(hook.posts).toHaveLength(1)
    expect(hook.posts[0]?.text).toMatch(new RegExp(`^The Tally run of ${company()} failed: No response from http://127\\.0\\.0\\.1:9 \\(ECONNREFUSED\\)\\. Nothing more of it is synced until a run succeeds`))
    expect(smtp.mails).toHaveLength(1)
    expect(smtp.mails[0]?.subject).toMatch(/^\[Tally\] Run failed: /)

    h.env['SF_LOGIN_URL'] = login
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(hook.posts).toHaveLength(2)
    expect(hook.posts[1]?.text).toMatch(/^Recovered: the runs of QuickBooks company .* succeed again\./)
    expect(smtp.mails).toHaveLength(2)
    expect(smtp.mails[1]?.text).toBe(hook.posts[1]?.text)
  })

  it('QuickBooks refuses the grant (invalid_grant): "reconnect" once; a new grant: "recovered"', async () => {
    await setUp()
    h.env['QBO_REFRESH_TOKEN'] = 'revoked-refresh-token'
    // The webhook is down for its first answer: the alert is sent again, and arrives once.
    hook.failNext(1, 503)
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(1)
    expect(hook.attempts).toBe(2)
    expect(hook.posts).toHaveLength(1)
    expect(hook.posts[0]?.text).toMatch(new RegExp(`^Reconnect ${company()} on the Tally Hub's Connections page: its authorization was revoked or has expired \\(invalid_grant\\)\\.`))
    expect(hook.posts[0]?.text).toContain(`Tally Hub: ${HUB}/#/connections`)
    expect(smtp.mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Tally\] Reconnect QuickBooks: /)])
    // Not a second alert as "run failed": the cause is said once.
    expect((await h.tally('sync', '--json')).code).toBe(1)
    expect(hook.posts).toHaveLength(1)
    expect(smtp.mails).toHaveLength(1)

    // The company is authorized again (a new refresh token in the environment is imported).
    h.env['QBO_REFRESH_TOKEN'] = h.sandbox.qbo.emulator.issueTokens().refresh_token
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(hook.posts.map((p) => p.text)).toEqual([expect.any(String), expect.stringMatching(/^Recovered: QuickBooks company .* is connected again and syncing\./)])
    expect(smtp.mails).toHaveLength(2)
    const { alerts } = await storedAlerts()
    expect(alerts.map((a) => [a.kind, a.state])).toEqual([['reconnect-qbo', 'recovered'], ['reconnect-qbo', 'raised']])
  })

  it('several companies: the company whose records fail is alerted, by name; the other is not', async () => {
    const NORTH = '4620816365000000001'
    const SOUTH = '4620816365000000002'
    await setUp({
      data: {
        qbo: { customers: [], vendors: [], employees: [] },
        qboCompanies: [
          { realmId: NORTH, companyName: 'North Ltd', customers: [{ Id: '1', DisplayName: 'Client One', CompanyName: 'Client One' }], vendors: [], employees: [] },
          { realmId: SOUTH, companyName: 'South Inc', customers: [{ Id: '1', DisplayName: 'Held Co', CompanyName: 'Held Co' }, { Id: '2', DisplayName: 'Fine Co' }], vendors: [], employees: [] },
        ],
        salesforce: { accounts: [], qboCustomers: [] },
      },
    })
    await refuse('^Held Co$')
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(2)
    expect(hook.posts.map((p) => p.text)).toEqual([
      expect.stringMatching(new RegExp(`^1 customer of QuickBooks company "South Inc" \\(realm ${SOUTH}\\) could not be synced to Salesforce \\(Held Co: Company_Name__c FIELD_CUSTOM_VALIDATION_EXCEPTION\\)\\.`)),
    ])
    expect(smtp.mails.map((m) => m.subject)).toEqual(['[Tally] Records failed: "South Inc" (realm 4620816365000000002)'])
    const { open: problems } = await storedAlerts()
    expect(problems.map((p) => [p.kind, p.realmId])).toEqual([['records-failed', SOUTH]])
  })

  it('a channel that cannot deliver is recorded on the alert and does not fail the run; the Hub lists the alerts', async () => {
    await setUp()
    await smtp.close()
    h.env['TALLY_SMTP_URL'] = 'smtp://tally:x@127.0.0.1:9'
    await refuse('^Cool Cars$')
    const r = await h.tally('import', '--json')
    // The run's own answer, unchanged: partial, as without alerts.
    expect(r.code).toBe(2)
    expect(r.json<{ status: string }>().status).toBe('partial')
    expect(hook.posts).toHaveLength(1)

    // The Hub, over HTTP: GET /api/alerts, signed in.
    const t = await openTally(parseConfig(h.env, h.dir))
    open.push(t)
    const ready: { app?: ReturnType<typeof createHubApp> } = {}
    const front = new Hono()
    front.all('*', (c) => ready.app!.fetch(c.req.raw, c.env as never))
    const server = await listen(front)
    open.push(server)
    ready.app = createHubApp({ services: createHubServices(t, createRunService(t)), auth: createHubAuth(t, await hashPassword('pw-for-test')), publicUrl: server.url, webRoot: '/nonexistent' })
    const anonymous = await fetch(`${server.url}/api/alerts`)
    expect(anonymous.status).toBe(401)
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'admin', password: 'pw-for-test' }),
    })
    expect(signIn.status).toBe(200)
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const res = await fetch(`${server.url}/api/alerts?limit=10`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as GetAlerts['Success']
    expect(body.alerts).toHaveLength(1)
    const [alert] = body.alerts
    expect(alert).toMatchObject({ kind: 'records-failed', realmId: realm(), state: 'raised', text: hook.posts[0]?.text.split('\n\nTally Hub:')[0] })
    expect(alert?.deliveries).toEqual([
      { channel: 'webhook', ok: true, at: expect.any(String) },
      { channel: 'email', ok: false, error: expect.stringMatching(/ECONNREFUSED|connect/i), at: expect.any(String) },
    ])
    expect((await fetch(`${server.url}/api/alerts?limit=0`, { headers: { cookie } })).status).toBe(400)
  })
})

describe('the webhook channel', () => {
  it('tries again after a 5xx a couple of times, never after a 4xx, and says why it gave up', async () => {
    hook = await startWebhookReceiver()
    open.push(hook)
    const ch = webhookChannel({ url: hook.url, baseDelayMs: 1 })
    const message = { subject: 's', text: 'Reconnect Salesforce.' }

    hook.failNext(2, 502)
    await ch.send(message)
    expect(hook.attempts).toBe(3)
    expect(hook.posts).toEqual([{ text: 'Reconnect Salesforce.' }])

    hook.failNext(5, 500)
    await expect(ch.send(message)).rejects.toThrow(/HTTP 500: try later/)
    expect(hook.attempts).toBe(6)

    hook.failNext(1, 404)
    await expect(ch.send(message)).rejects.toThrow(/HTTP 404/)
    expect(hook.attempts).toBe(7)

    // Nobody listening (a receiver that has stopped; fetch refuses port 9 outright): the error
    // names the host, not the URL's secret path.
    const stopped = await startWebhookReceiver()
    await stopped.close()
    const gone = webhookChannel({ url: stopped.url, baseDelayMs: 1, retries: 1 })
    const e = await gone.send(message).catch((x: unknown) => x as Error)
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message).toMatch(/^the webhook at http:\/\/127\.0\.0\.1:\d+ could not be reached: .*ECONNREFUSED/)
    expect((e as Error).message).not.toMatch(/secret/)
  })
})
