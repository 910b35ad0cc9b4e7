/**
 * @module test/integration/qbo-webhook-endpoint.test
 * The QBO webhook endpoint over real HTTP: a body over the limit is refused with 413 before it
 * is read (the request is never buffered: the answer comes while the client is still sending),
 * and a notification already seen — replayed, or delivered twice — starts no second sync.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '../../src/lib/http-server.js'
import { qboWebhookEndpoint } from '../../src/qbo/index.js'

const VERIFIER = 'test-verifier-token'
const REALM = '9341453050298911'
const sign = (body: string) => createHmac('sha256', VERIFIER).update(body).digest('base64')

/** A CloudEvents notification (api-facts A.4) of one customer change. */
const cloudEvent = (id = randomUUID(), customer = '58') =>
  JSON.stringify([
    {
      specversion: '1.0', id, source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=', type: 'qbo.customer.updated.v1',
      datacontenttype: 'application/json', time: '2026-11-30T21:31:25.179851517Z', intuitentityid: customer, intuitaccountid: REALM, data: {},
    },
  ])
/** The legacy format: no id, so a notification is known by its realm, entities and times. */
const legacy = (lastUpdated: string) =>
  JSON.stringify({ eventNotifications: [{ realmId: REALM, dataChangeEvent: { entities: [{ name: 'Customer', id: '43', operation: 'Update', lastUpdated }] } }] })

const servers: RunningServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function endpoint(options: Partial<Parameters<typeof qboWebhookEndpoint>[0]> = {}) {
  const calls = { changes: 0 }
  const app = new Hono()
  app.route('/webhooks/qbo', qboWebhookEndpoint({ verifierToken: VERIFIER, realmId: REALM, onCustomerChange: () => void calls.changes++, ...options }))
  const server = await listen(app)
  servers.push(server)
  const post = (body: string, signature = sign(body)) =>
    fetch(`${server.url}/webhooks/qbo`, { method: 'POST', headers: { 'content-type': 'application/json', 'intuit-signature': signature }, body }).then((r) => r.status)
  return { server, calls, post }
}

/** Starts a POST that sends `sent` bytes and then neither sends more nor ends; resolves with
 * the status the server answers meanwhile. */
function postUnfinished(url: string, sent: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/qbo`, { method: 'POST', headers: { 'content-type': 'application/json', 'intuit-signature': 'AAAA', ...headers } }, (res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      req.destroy()
    })
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)))
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    for (let n = 0; n < sent; n += chunk.length) req.write(chunk)
  })
}

describe('the QBO webhook endpoint', () => {
  it('starts one sync for 40 replays of one signed notification (CloudEvents id)', async () => {
    const { calls, post } = await endpoint()
    const body = cloudEvent()
    const statuses = await Promise.all(Array.from({ length: 40 }, () => post(body)))
    // Every delivery is acknowledged (Intuit retries what is not), only the first counts.
    expect(statuses).toEqual(Array(40).fill(200))
    expect(calls.changes).toBe(1)
    expect(await post(cloudEvent())).toBe(200) // a new notification does count
    expect(calls.changes).toBe(2)
  })

  it('knows a legacy notification again by its realm, entities and times', async () => {
    const { calls, post } = await endpoint()
    for (let i = 0; i < 5; i++) expect(await post(legacy('2026-11-30T03:07:04.000Z'))).toBe(200)
    expect(calls.changes).toBe(1)
    expect(await post(legacy('2026-11-30T03:09:11.000Z'))).toBe(200)
    expect(calls.changes).toBe(2)
  })

  it('refuses a forged replay without remembering it, and counts the real one after', async () => {
    const { calls, post } = await endpoint()
    const body = cloudEvent()
    expect(await post(body, sign('something else'))).toBe(401)
    expect(await post(body)).toBe(200)
    expect(calls.changes).toBe(1)
  })

  it('answers 413 to a body declared over the limit before it is sent', async () => {
    const { server, calls } = await endpoint()
    expect(await postUnfinished(server.url, 64 * 1024, { 'content-length': String(128 * 1024 * 1024) })).toBe(413)
    expect(calls.changes).toBe(0)
  })

  it('answers 413 to a streamed body once it passes the limit, while the client is still sending', async () => {
    const { server, calls } = await endpoint()
    expect(await postUnfinished(server.url, 3 * 1024 * 1024, { 'transfer-encoding': 'chunked' })).toBe(413)
    expect(calls.changes).toBe(0)
  })
})

describe('the QBO webhook endpoint\'s memory of notifications', () => {
  it('forgets a notification after the replay window, and counts it again then', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z')
    const { calls, post } = await endpoint({ replayWindowMs: 60_000, now: () => now })
    const body = cloudEvent()
    await post(body)
    now += 59_000
    await post(body)
    expect(calls.changes).toBe(1)
    now += 2_000
    await post(body)
    expect(calls.changes).toBe(2)
  })

  it('holds at most maxRemembered ids, dropping the oldest', async () => {
    const { calls, post } = await endpoint({ maxRemembered: 3 })
    const bodies = Array.from({ length: 4 }, () => cloudEvent())
    for (const b of bodies) await post(b)
    expect(calls.changes).toBe(4)
    await post(bodies[3]!) // still remembered
    expect(calls.changes).toBe(4)
    await post(bodies[0]!) // dropped to make room
    expect(calls.changes).toBe(5)
  })
})
