/**
 * `tally sync`: only what changed in QBO since the last run, read through change data capture.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

interface Summary {
  mode: string
  customers: Record<string, number>
  links: Record<string, number>
  apiCalls: { qbo: number; salesforce: number }
}

async function qbo(path: string, body: unknown) {
  const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/${path}?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { Customer: Record<string, unknown> }).Customer
}

describe('tally sync', () => {
  it('with no earlier run reads everything, like an import', async () => {
    const r = await h.tally('sync', '--json')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.mode).toBe('sync')
    expect(s.customers.created).toBe(h.sandbox.qbo.emulator.customers().length)
  })

  it('reads only the customers changed since the last run, through CDC', async () => {
    await h.tally('import', '--json')
    const qboQueriesBefore = h.sandbox.qbo.emulator.stats.toJSON().byOperation['query'] ?? 0
    const amy = h.sandbox.qbo.emulator.customers().find((c) => c['DisplayName'] === "Amy's Bird Sanctuary")!
    await qbo('customer', { Id: amy['Id'], SyncToken: amy['SyncToken'], sparse: true, Notes: 'Pays on the 1st' })
    const added = await qbo('customer', { DisplayName: 'Brand New Co', CompanyName: 'Brand New Co' })

    const r = await h.tally('sync', '--json', '--create-accounts')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.customers).toMatchObject({ seen: 2, created: 1, updated: 1, failed: 0 })
    expect(s.links.created).toBe(1)
    const stats = h.sandbox.qbo.emulator.stats.toJSON().byOperation
    expect(stats['cdc']).toBe(1)
    expect(stats['query'] ?? 0).toBe(qboQueriesBefore) // no full read
    expect(h.records().find((x) => x['QBO_Id__c'] === amy['Id'])!['Notes__c']).toBe('Pays on the 1st')
    const rec = h.records().find((x) => x['QBO_Id__c'] === added['Id'])!
    expect(rec['Link_Status__c']).toBe('Created')

    // Nothing changed since: the window overlaps the last one (clock skew), so the same two may
    // be read again, but nothing is written.
    const writes = h.sfWrites()
    const again = (await h.tally('sync', '--json')).json<Summary>()
    expect(again.customers).toMatchObject({ created: 0, updated: 0, failed: 0 })
    expect(again.customers.seen).toBeLessThanOrEqual(2)
    expect(h.sfWrites()).toBe(writes)
  })

  it('a customer merged away in QBO is marked inactive, never deleted — by an import and by a sync', async () => {
    await h.tally('import', '--json')
    const [a, b] = h.sandbox.qbo.emulator.customers().filter((c) => c['Job'] !== true && c['Active'] !== false)
    expect(h.sandbox.qbo.emulator.deleteCustomer(String(a!['Id']))).toBe(true) // a merge leaves a CDC Deleted stub
    const imp = (await h.tally('import', '--json')).json<Summary & { goneFromQbo: number }>()
    expect(imp.goneFromQbo).toBe(1)
    expect(imp.customers.updated).toBe(0)
    expect(h.records().find((x) => x['QBO_Id__c'] === a!['Id'])).toMatchObject({ Active__c: false })
    const writes = h.sfWrites()
    expect((await h.tally('import', '--json')).json<{ goneFromQbo: number }>().goneFromQbo).toBe(0)
    expect(h.sfWrites()).toBe(writes) // marked once

    expect(h.sandbox.qbo.emulator.deleteCustomer(String(b!['Id']))).toBe(true)
    const sync = (await h.tally('sync', '--json')).json<{ goneFromQbo: number }>()
    expect(sync.goneFromQbo).toBe(1)
    expect(h.records().find((x) => x['QBO_Id__c'] === b!['Id'])).toMatchObject({ Active__c: false })
    expect(h.records()).toHaveLength(h.sandbox.qbo.emulator.customers().length + 2)
  })

  it('a sub-customer follows its parent when only the parent changed', async () => {
    await h.tally('import', '--json')
    // Freeman Sporting Goods was matched; link it by hand in Salesforce to another Account, and
    // change nothing about its sub-customers in QBO.
    const parent = h.records().find((x) => x['Display_Name__c'] === 'Freeman Sporting Goods')!
    const other = h.accounts().find((a) => a['Id'] !== parent['Account__c'])!
    const res = await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/sobjects/QBO_Customer__c/${String(parent['Id'])}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${h.sandbox.salesforce.emulator.issueAccessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Account__c: other['Id'] }),
    })
    expect(res.status).toBe(204)
    const freeman = h.sandbox.qbo.emulator.customers().find((c) => c['DisplayName'] === 'Freeman Sporting Goods')!
    await qbo('customer', { Id: freeman['Id'], SyncToken: freeman['SyncToken'], sparse: true, Notes: 'touched' })
    const s = (await h.tally('sync', '--json')).json<Summary>()
    expect(s.customers.seen).toBeGreaterThanOrEqual(1)
    for (const child of h.records().filter((x) => String(x['Fully_Qualified_Name__c'] ?? '').startsWith('Freeman Sporting Goods:'))) {
      expect(child).toMatchObject({ Account__c: other['Id'], Link_Status__c: 'Inherited' })
    }
  })

  it('--watch syncs when a signed QBO webhook arrives, and refuses unsigned ones', async () => {
    let out = ''
    const stop = new AbortController()
    const exit = runCli(['sync', '--watch', '--interval', '3600', '--webhook-port', '0'], {
      env: { ...h.env, QBO_WEBHOOK_VERIFIER: 'test-verifier-token' },
      cwd: h.dir,
      stdout: (s) => void (out += s),
      stderr: (s) => void (out += s),
      stderrIsTty: false,
      stopSignal: stop.signal,
    })
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 20_000
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(cond()).toBe(true)
    }
    await until(() => /sync succeeded/.test(out))
    const url = /Listening for QuickBooks webhooks on (\S+)/.exec(out)?.[1]
    expect(url).toBeDefined()
    expect(h.records()).toHaveLength(h.sandbox.qbo.emulator.customers().length)

    const forged = await fetch(url!, { method: 'POST', headers: { 'intuit-signature': 'AAAA', 'content-type': 'application/json' }, body: '[]' })
    expect(forged.status).toBe(401)

    h.sandbox.qbo.emulator.setWebhook({ url: url!, verifierToken: 'test-verifier-token', format: 'cloudevents' })
    const kate = h.sandbox.qbo.emulator.customers().find((c) => c['DisplayName'] === 'Kate Whelan')!
    await qbo('customer', { Id: kate['Id'], SyncToken: kate['SyncToken'], sparse: true, Notes: 'from a webhook' })
    await until(() => h.records().find((x) => x['QBO_Id__c'] === kate['Id'])?.['Notes__c'] === 'from a webhook')
    stop.abort()
    expect(await exit).toBe(0)
  })
})
