/**
 * Intuit's limits per realm — 10 requests at once, 500 a minute (api-facts A.7) — kept by every
 * process of one Tally together: two QBO clients with stores of their own on the same database (as
 * the Hub and a `tally worker` are), against the QBO sandbox with throttling on, which answers 429
 * (3001) past either limit. Retries are off, so a single 429 fails the test. On SQLite and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../emulators/sandbox.js'
import { createQboOAuth, memoryTokenStore, QBO_LIMITS, QboClient, type QboTokens } from '../../src/qbo/index.js'
import { createQboGate, type Store } from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness, type StoreHarness } from './store-harness.js'

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox({ throttle: true, latencyMs: 60 })
})
afterAll(async () => {
  await sb?.close()
})

describe.each(STORE_DIALECTS)('the shared QBO request gate on %s', (dialect) => {
  let a: StoreHarness
  let b: Store
  beforeAll(async () => {
    a = await openStoreHarness(dialect)
    // A second process's own store on the same database.
    b = a.openAnother()
  })
  afterAll(async () => {
    await a?.dispose()
  })

  const client = (store: Store, gate: boolean) => {
    const realm = sb.qbo.emulator.realmId
    const tokens = sb.qbo.emulator.issueTokens(realm)
    const env = sb.env()
    const oauth = createQboOAuth({ clientId: env['QBO_CLIENT_ID']!, clientSecret: env['QBO_CLIENT_SECRET']!, tokenUrl: env['QBO_TOKEN_URL']!, authorizeUrl: env['QBO_AUTHORIZE_URL'] ?? `${sb.qbo.url}/authorize` })
    return new QboClient({
      apiUrl: sb.qbo.url,
      realmId: realm,
      oauth,
      tokens: memoryTokenStore({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessTokenExpiresAt: new Date(Date.now() + 3_600_000), refreshTokenExpiresAt: new Date(Date.now() + 86_400_000) } as QboTokens),
      retry: { retries: 0 },
      ...(gate ? { gate: createQboGate(store.db, QBO_LIMITS) } : {}),
    })
  }

  it('two processes never have more than 10 requests of a realm in flight together', async () => {
    const ids = (await sb.qbo.emulator.customers()).slice(0, 15).map((c) => String(c['Id']))
    const [one, two] = [client(a.store, true), client(b, true)]
    const all = await Promise.allSettled([...ids.map((id) => one.getCustomer(id)), ...ids.map((id) => two.getCustomer(id))])
    expect(all.filter((r) => r.status === 'rejected')).toEqual([])
    expect(all).toHaveLength(30)
    // Without the gate each client keeps itself under 10, and together they are throttled.
    const [three, four] = [client(a.store, false), client(b, false)]
    const ungated = await Promise.allSettled([...ids.map((id) => three.getCustomer(id)), ...ids.map((id) => four.getCustomer(id))])
    expect(ungated.some((r) => r.status === 'rejected' && /3001|429|throttl/i.test(String((r.reason as Error).message ?? r.reason)))).toBe(true)
  })

  it('a minute\'s allowance is shared: past it, requests wait for the next minute', async () => {
    let t = new Date('2026-12-02T10:00:30.000Z')
    const slept: number[] = []
    const gate = (store: Store) =>
      createQboGate(store.db, { inFlight: 10, perMinute: 5, now: () => t, sleep: async (ms) => void (slept.push(ms), (t = new Date(t.getTime() + ms))) })
    const [g1, g2] = [gate(a.store), gate(b)]
    const realm = `gate-test-${dialect}`
    const minutes: string[] = []
    for (let i = 0; i < 7; i++) await (i % 2 ? g1 : g2).run(realm, async () => void minutes.push(t.toISOString().slice(0, 16)))
    expect(minutes.slice(0, 5)).toEqual(Array(5).fill('2026-12-02T10:00'))
    expect(minutes.slice(5)).toEqual(['2026-12-02T10:01', '2026-12-02T10:01'])
    expect(slept.some((ms) => ms >= 29_000)).toBe(true)
  })

  it('a slot whose process died frees itself when it expires', async () => {
    let t = new Date('2026-12-02T11:00:00.000Z')
    const realm = `dead-${dialect}`
    await a.store.db.insertInto('qbo_inflight').values(Array.from({ length: 10 }, (_, i) => ({ id: `${realm}-${i}`, realm_id: realm, expires_at: new Date(t.getTime() + 1_000).toISOString() }))).execute()
    const g = createQboGate(b.db, { ...QBO_LIMITS, now: () => t, sleep: async (ms) => void (t = new Date(t.getTime() + ms)) })
    let ran = false
    await g.run(realm, async () => void (ran = true))
    expect(ran).toBe(true)
    expect(t.getTime()).toBeGreaterThan(new Date('2026-12-02T11:00:01.000Z').getTime())
  })
})
