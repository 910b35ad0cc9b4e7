/**
 * @module test/integration/companies-webhooks.test
 * `tally sync --watch` with several QuickBooks companies (contract §9): a signed webhook is routed
 * by its `realmId` to that company's sync only; one for a realm no connected company has is
 * answered 200 and ignored, with a line saying so.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { signWebhookBody, webhookBody } from '../../emulators/qbo/index.js'
import { runCli } from '../../src/cli/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const VERIFIER = 'test-verifier-token'

describe('webhooks with several companies', () => {
  it('syncs the company a webhook names, and ignores an unknown realm', async () => {
    h = await startHarness({ companies: 2, generate: 15 })
    const harness = h
    const [a, b] = harness.sandbox.companies as unknown as [{ realmId: string }, { realmId: string }]
    let out = ''
    const stop = new AbortController()
    const exit = runCli(['sync', '--watch', '--interval', '3600', '--webhook-port', '0'], {
      env: { ...harness.env, QBO_WEBHOOK_VERIFIER: VERIFIER },
      cwd: harness.dir,
      stdout: (s) => void (out += s),
      stderr: (s) => void (out += s),
      stderrIsTty: false,
      stopSignal: stop.signal,
    })
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 20_000
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(cond(), out).toBe(true)
    }
    // The first sweep syncs both companies.
    await until(() => out.includes(`(company ${a.realmId})`) && out.includes(`(company ${b.realmId})`))
    const url = /Listening for QuickBooks webhooks on (\S+)/.exec(out)?.[1] as string
    const linesBefore = out.split('\n').length

    // A change in company B, with its webhook: only B syncs.
    harness.sandbox.qbo.emulator.setWebhook({ url, verifierToken: VERIFIER, format: 'legacy' })
    const cust = harness.sandbox.qbo.emulator.customers(b.realmId).find((c) => !c['ParentRef'] && c['Active'] !== false) as Record<string, unknown>
    const res = await fetch(`${harness.sandbox.qbo.url}/v3/company/${b.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.sandbox.qbo.emulator.issueTokens(b.realmId).access_token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: cust['Id'], SyncToken: cust['SyncToken'], sparse: true, Notes: 'from B\'s webhook' }),
    })
    expect(res.status).toBe(200)
    const key = `${b.realmId}-${String(cust['Id'])}`
    await until(() => harness.records().find((r) => r['QBO_Key__c'] === key)?.['Notes__c'] === 'from B\'s webhook')
    await until(() => out.split('\n').slice(linesBefore - 1).some((l) => l.includes(`sync succeeded (company ${b.realmId})`)))
    expect(out.split('\n').slice(linesBefore - 1).some((l) => l.includes(`(company ${a.realmId})`))).toBe(false)

    // A notification for a realm Tally has not connected: answered, ignored, said.
    const body = webhookBody('cloudevents', [{ realmId: '1111111111', entity: 'Customer', id: '1', operation: 'updated', timeMs: Date.now() }])
    const unknown = await fetch(url, { method: 'POST', headers: { 'intuit-signature': signWebhookBody(VERIFIER, body), 'content-type': 'application/json' }, body })
    expect(unknown.status).toBe(200)
    await until(() => out.includes('Ignored a QuickBooks webhook for realm 1111111111: no such company is connected.'))
    stop.abort()
    expect(await exit).toBe(0)
  })
})
