/**
 * @module test/contract/qbo-http
 * The QBO emulator's wire behaviour over real HTTP with plain fetch: query shapes and errors,
 * CDC (deleted stubs, 30-day window), the OAuth consent flow, throttling, injected faults and
 * signed webhooks.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signWebhookBody, startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.js'
import { sampleSandboxData } from '../../emulators/shared/sample-data.js'

let server: { url: string; close(): Promise<void>; emulator: QboEmulator }
let auth: Record<string, string>
const api = (path: string) => `${server.url}/v3/company/${server.emulator.realmId}${path}`
const query = async (q: string) => {
  const res = await fetch(api(`/query?query=${encodeURIComponent(q)}&minorversion=75`), { headers: { ...auth, accept: 'application/json' } })
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers } // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  server = await startQboEmulator({ data: sampleSandboxData().qbo })
  auth = { authorization: `Bearer ${server.emulator.issueTokens().access_token}` }
})
afterAll(async () => server?.close())

describe('query endpoint', () => {
  it('pages in FullyQualifiedName order, reports rows returned, and answers {} past the end', async () => {
    const first = await query('SELECT * FROM Customer MAXRESULTS 10 STARTPOSITION 1')
    expect(first.headers.get('intuit-tid')).toBeTruthy()
    expect(first.body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 10 })
    expect(first.body.QueryResponse.Customer[0].DisplayName).toBe("Amy's Bird Sanctuary")
    const past = await query('select * from customer startposition 500 maxresults 10')
    expect(past.body).toEqual({ QueryResponse: {}, time: expect.any(String) })
    expect((await query('select count(*) from Customer')).body.QueryResponse).toEqual({ totalCount: 29 })
    const amy = await query("SELECT * FROM Customer WHERE DisplayName = 'amy\\'s bird sanctuary'")
    expect(amy.body.QueryResponse.Customer[0].Id).toBe('1')
    expect((await query("select * from Customer where DisplayName like 'Free%'")).body.QueryResponse.maxResults).toBe(1)
  })

  it('accepts POST with a text body and reports 4001 for an unknown entity', async () => {
    const res = await fetch(api('/query'), { method: 'POST', headers: { ...auth, 'content-type': 'application/text' }, body: 'SELECT * FROM Custmoer' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).Fault.Error[0]).toMatchObject({ code: '4001', Detail: 'QueryValidationError: invalid context declaration: Custmoer' }) // eslint-disable-line @typescript-eslint/no-explicit-any
  })
})

describe('change data capture', () => {
  it('returns changed customers, Deleted stubs, {} for quiet entities, and refuses > 30 days', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    server.emulator.deleteCustomer('6')
    const res = await fetch(api(`/cdc?entities=Customer,Vendor&changedSince=${encodeURIComponent(since)}`), { headers: auth })
    const body = (await res.json()) as any // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.CDCResponse[0].QueryResponse[0].Customer).toEqual([
      { domain: 'QBO', status: 'Deleted', Id: '6', MetaData: { LastUpdatedTime: expect.any(String) } },
    ])
    expect(body.CDCResponse[0].QueryResponse[1]).toEqual({})
    const old = await fetch(api('/cdc?entities=Customer&changedSince=2011-10-10T09:00:00-07:00'), { headers: auth })
    expect(old.status).toBe(400)
    expect(((await old.json()) as any).Fault.Error[0].Detail).toContain('older than fixed days') // eslint-disable-line @typescript-eslint/no-explicit-any
  })
})

describe('OAuth consent flow', () => {
  it('shows a Connect page and redirects with code, state and realmId; the code works once', async () => {
    const page = await fetch(`${server.url}/connect/oauth2?client_id=sandbox-qbo-client-id&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}&state=xyz`)
    const html = await page.text()
    expect(html).toContain("Craig&#39;s Design and Landscaping Services")
    expect(html).toContain('>Connect</button>')
    const consent = await fetch(`${server.url}/connect/oauth2`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'sandbox-qbo-client-id', redirect_uri: 'http://127.0.0.1:9/cb', state: 'xyz', scope: 'x' }),
    })
    const location = new URL(consent.headers.get('location') ?? '')
    expect(location.searchParams.get('state')).toBe('xyz')
    expect(location.searchParams.get('realmId')).toBe(server.emulator.realmId)
    const exchange = () => fetch(`${server.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sandbox-qbo-client-id:sandbox-qbo-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', 'x-include-refresh-token-hard-expires-in': 'true' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: 'http://127.0.0.1:9/cb' }),
    })
    const ok = await exchange()
    expect(await ok.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400, x_refresh_token_hard_expires_in: expect.any(Number) })
    expect((await exchange()).status).toBe(400)
    const badClient = await fetch(`${server.url}/oauth2/v1/tokens/bearer`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nope', client_secret: 'nope' }) })
    expect(badClient.status).toBe(401)
    expect(await badClient.json()).toEqual({ error: 'invalid_client' })
  })
})

describe('faults, throttling and webhooks', () => {
  it('injects reproducible transient faults, including dropped connections', async () => {
    const outcomes = async () => {
      const s = await startQboEmulator({ data: sampleSandboxData().qbo, faultRate: 0.5, randomSeed: 11 })
      const a = { authorization: `Bearer ${s.emulator.issueTokens().access_token}` }
      const seen: string[] = []
      for (let i = 0; i < 24; i += 1) {
        try {
          const r = await fetch(`${s.url}/v3/company/${s.emulator.realmId}/customer/1`, { headers: a })
          seen.push(String(r.status))
          await r.arrayBuffer()
        } catch {
          seen.push('dropped')
        }
      }
      await s.close()
      return seen
    }
    const first = await outcomes()
    expect(await outcomes()).toEqual(first)
    expect(new Set(first)).toEqual(new Set(['200', '500', '503', '429', 'dropped']))
  })

  it('throttles beyond 10 concurrent requests with 429 fault 3001', async () => {
    const s = await startQboEmulator({ data: sampleSandboxData().qbo, throttle: true, latencyMs: 150 })
    const a = { authorization: `Bearer ${s.emulator.issueTokens().access_token}` }
    const results = await Promise.all(Array.from({ length: 14 }, () => fetch(`${s.url}/v3/company/${s.emulator.realmId}/customer/1`, { headers: a })))
    const throttled = results.filter((r) => r.status === 429)
    expect(throttled.length).toBe(4)
    expect(((await throttled[0]?.json()) as any).Fault.Error[0].code).toBe('3001') // eslint-disable-line @typescript-eslint/no-explicit-any
    await s.close()
  })

  it('delivers signed CloudEvents for customer changes', async () => {
    const received: { body: string; signature: string }[] = []
    const hook = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['intuit-signature']) })
        res.end()
      })
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    server.emulator.setWebhook({ url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, verifierToken: 'verifier', format: 'cloudevents' })
    const res = await fetch(api('/customer'), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ DisplayName: 'Webhook Customer' }) })
    const id = ((await res.json()) as any).Customer.Id // eslint-disable-line @typescript-eslint/no-explicit-any
    await server.emulator.webhooksIdle()
    hook.close()
    expect(received).toHaveLength(1)
    expect(received[0]?.signature).toBe(signWebhookBody('verifier', received[0]?.body ?? ''))
    expect(JSON.parse(received[0]?.body ?? '[]')[0]).toMatchObject({ type: 'qbo.customer.created.v1', intuitentityid: id, intuitaccountid: server.emulator.realmId })
  })
})
