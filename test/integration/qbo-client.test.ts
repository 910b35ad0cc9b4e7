/**
 * @module test/integration/qbo-client
 * The QBO client against the QBO emulator over real HTTP: complete paged reads under injected
 * faults and throttling, token refresh and rotation, concurrent refreshes sharing one store, typed
 * faults, and Change Data Capture.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startQboEmulator, type QboEmulatorOptions } from '../../emulators/qbo/index.js'
import { generateSandboxData } from '../../emulators/shared/generate.js'
import {
  createQboOAuth,
  memoryTokenStore,
  QboAuthError,
  QboCdcTruncatedError,
  QboCdcWindowError,
  QboClient,
  QboDuplicateNameError,
  QboStaleObjectError,
  qboQuery,
  type QboCustomer,
  type QboTokens,
  type QboTokenStore,
} from '../../src/qbo/index.js'

const CLIENT_ID = 'sandbox-qbo-client-id'
const CLIENT_SECRET = 'sandbox-qbo-client-secret'

const running: Array<() => Promise<void>> = []
afterEach(async () => {
  while (running.length > 0) await running.pop()!()
})

type Sandbox = Awaited<ReturnType<typeof startQboEmulator>>

async function sandbox(customers: number, o: QboEmulatorOptions = {}): Promise<Sandbox> {
  const data = generateSandboxData({ customers, seed: 7 })
  const sb = await startQboEmulator({ data: data.qbo, randomSeed: 42, ...o })
  running.push(sb.close)
  return sb
}

function oauthFor(sb: Sandbox) {
  return createQboOAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokenUrl: `${sb.url}/oauth2/v1/tokens/bearer`,
    authorizeUrl: `${sb.url}/connect/oauth2`,
    revokeUrl: `${sb.url}/v2/oauth2/tokens/revoke`,
  })
}

/** Tokens freshly issued by the emulator; `expiresInMs` overrides what the store believes. */
function issued(sb: Sandbox, now: Date, expiresInMs?: number): QboTokens {
  const t = sb.emulator.issueTokens()
  return {
    accessToken: t.access_token,
    accessTokenExpiresAt: new Date(now.getTime() + (expiresInMs ?? t.expires_in * 1000)),
    refreshToken: t.refresh_token,
  }
}

function clientFor(sb: Sandbox, tokens: QboTokenStore, extra: Partial<ConstructorParameters<typeof QboClient>[0]> = {}) {
  return new QboClient({
    apiUrl: sb.url,
    realmId: sb.emulator.realmId,
    oauth: oauthFor(sb),
    tokens,
    // Small delays keep the test quick; the backoff shape is unit-tested in src/lib.
    retry: { retries: 8, baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  })
}

async function readAll(client: QboClient, o?: { includeInactive?: boolean; pageSize?: number }): Promise<QboCustomer[]> {
  const all: QboCustomer[] = []
  for await (const page of client.listCustomers(o)) all.push(...page)
  return all
}

describe('QboClient paged read', () => {
  it('reads every customer, active and inactive, exactly once despite faults and throttling', async () => {
    const sb = await sandbox(2500, { faultRate: 0.1, throttle: true })
    const client = clientFor(sb, memoryTokenStore(issued(sb, new Date())))
    const expected = sb.emulator.customers().map((c) => String(c.Id))
    expect(expected.length).toBe(2500)
    expect(sb.emulator.customers().some((c) => c.Active === false)).toBe(true)

    for (const pageSize of [1000, 100]) {
      const got = (await readAll(client, { pageSize })).map((c) => c.Id)
      expect(new Set(got).size).toBe(got.length)
      expect([...got].sort()).toEqual([...expected].sort())
    }
    const s = client.stats()
    // 1000+1000+500, then 25 full pages of 100 and one empty page (2500 is a multiple of 100),
    // plus every retried request; no COUNT call.
    expect(s.retries).toBeGreaterThan(0)
    expect(s.apiCalls).toBe(3 + 26 + s.retries)
    expect(await client.countCustomers()).toBe(2500)
  })

  it('includeInactive:false returns only active customers', async () => {
    const sb = await sandbox(300)
    const client = clientFor(sb, memoryTokenStore(issued(sb, new Date())))
    const active = sb.emulator.customers().filter((c) => c.Active !== false).map((c) => String(c.Id))
    const got = (await readAll(client, { includeInactive: false })).map((c) => c.Id)
    expect(got.sort()).toEqual(active.sort())
    expect(got.length).toBeLessThan(300)
  })

  it('keeps at most maxInFlight requests open, so the emulator never throttles it', async () => {
    const sb = await sandbox(60, { throttle: true, latencyMs: 20 })
    const ids = sb.emulator.customers().slice(0, 50).map((c) => String(c.Id))
    const limited = clientFor(sb, memoryTokenStore(issued(sb, new Date())))
    const got = await Promise.all(ids.map((id) => limited.getCustomer(id)))
    expect(got.map((c) => c.Id)).toEqual(ids)
    expect(limited.stats()).toMatchObject({ apiCalls: 50, retries: 0 })

    // Control: with 25 allowed in flight the emulator answers 429 3001; retries still complete the work.
    const eager = clientFor(sb, memoryTokenStore(issued(sb, new Date())), { maxInFlight: 25 })
    const again = await Promise.all(ids.map((id) => eager.getCustomer(id)))
    expect(again.map((c) => c.Id)).toEqual(ids)
    expect(eager.stats().retries).toBeGreaterThan(0)
  })

  it('escapes string literals the way the server parses them', async () => {
    const sb = await sandbox(5)
    const client = clientFor(sb, memoryTokenStore(issued(sb, new Date())))
    const name = "Amy's \\ 100% \"Bird\" Sanctuary — 東京"
    const created = await client.createCustomer({ DisplayName: name })
    const r = await client.query<QboCustomer>(qboQuery.selectQuery('Customer', { where: [qboQuery.eq('DisplayName', name)] }))
    expect(r.entity).toBe('Customer')
    expect(r.rows.map((c) => c.Id)).toEqual([created.Id])
    expect(r.rows[0]?.DisplayName).toBe(name)
  })
})

describe('QboClient tokens', () => {
  it('refreshes proactively, persists the rotated refresh token before using it, and the old one dies', async () => {
    const sb = await sandbox(3)
    const first = issued(sb, new Date(), 30_000) // expires within the 60 s margin
    const store = memoryTokenStore(first)
    const seen: Array<{ bearer: string; stored: string | undefined }> = []
    const urls: string[] = []
    const spyFetch: typeof fetch = async (input, init) => {
      const bearer = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '') ?? ''
      seen.push({ bearer, stored: (await store.read())?.accessToken })
      urls.push(String(input))
      return fetch(input, init)
    }
    const onTokens: QboTokens[] = []
    const client = clientFor(sb, store, { fetch: spyFetch, onTokens: (t) => onTokens.push(t) })
    const id = String(sb.emulator.customers()[0]!.Id)

    await client.getCustomer(id)
    const now = await store.read()
    expect(now!.refreshToken).not.toBe(first.refreshToken)
    expect(now!.accessToken).not.toBe(first.accessToken)
    expect(onTokens.map((t) => t.refreshToken)).toEqual([now!.refreshToken])
    // The only API request went out with the new token, which the store already held.
    expect(seen).toEqual([{ bearer: now!.accessToken, stored: now!.accessToken }])
    expect(new URL(urls[0]!).searchParams.get('minorversion')).toBe('75')
    expect(client.stats()).toMatchObject({ apiCalls: 1, oauthCalls: 1 })

    const old = oauthFor(sb).refresh(first.refreshToken)
    await expect(old).rejects.toBeInstanceOf(QboAuthError)
    await expect(old).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringMatching(/Reconnect QuickBooks/) })
  })

  it('refreshes once on a 401 and retries the request', async () => {
    const sb = await sandbox(3)
    const first = issued(sb, new Date())
    const store = memoryTokenStore(first)
    const client = clientFor(sb, store)
    sb.emulator.expireAccessToken(first.accessToken)
    const id = String(sb.emulator.customers()[0]!.Id)
    expect((await client.getCustomer(id)).Id).toBe(id)
    expect(client.stats()).toMatchObject({ apiCalls: 2, oauthCalls: 1, retries: 0 })
    expect((await store.read())!.refreshToken).not.toBe(first.refreshToken)
  })

  it('two clients sharing one store refresh concurrently without losing the connection', async () => {
    const sb = await sandbox(10) // default: rotation on every refresh, no grace for the old token
    const first = issued(sb, new Date(), 1_000)
    const store = memoryTokenStore(first)
    const a = clientFor(sb, store)
    const b = clientFor(sb, store)
    const ids = sb.emulator.customers().map((c) => String(c.Id))
    const results = await Promise.all(ids.flatMap((id) => [a.getCustomer(id), b.getCustomer(id)]))
    expect(results).toHaveLength(ids.length * 2)
    // Exactly one refresh: the second client found fresh tokens when it got the lock.
    expect(a.stats().oauthCalls + b.stats().oauthCalls).toBe(1)
    const stored = (await store.read())!
    expect(stored.refreshToken).not.toBe(first.refreshToken)
    // The stored refresh token still works: the connection survived.
    const next = await oauthFor(sb).refresh(stored.refreshToken)
    expect(next.accessToken).toBeTruthy()
  })

  it('connects through the authorization-code flow and revokes', async () => {
    const sb = await sandbox(3)
    const oauth = oauthFor(sb)
    const redirectUri = 'http://127.0.0.1:9/callback'
    const url = new URL(oauth.authorizeUrl({ redirectUri, state: 'st-1' }))
    expect(url.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting')
    expect((await fetch(url)).status).toBe(200) // the consent page
    const consent = await fetch(`${sb.url}/connect/oauth2`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: redirectUri, state: 'st-1', scope: 'x', action: 'connect' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    })
    const back = new URL(consent.headers.get('location')!)
    expect(back.searchParams.get('state')).toBe('st-1')
    expect(back.searchParams.get('realmId')).toBe(sb.emulator.realmId)

    const tokens = await oauth.exchangeCode({ code: back.searchParams.get('code')!, redirectUri })
    expect(tokens.refreshTokenExpiresAt!.getTime()).toBeGreaterThan(tokens.accessTokenExpiresAt.getTime())
    const client = clientFor(sb, memoryTokenStore(tokens))
    expect(await client.countCustomers()).toBe(3)

    await oauth.revoke(tokens.refreshToken)
    await expect(oauth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant' })
  })

  it('an invalid refresh token surfaces as QboAuthError asking to reconnect', async () => {
    const sb = await sandbox(3)
    const store = memoryTokenStore({ accessToken: 'x', accessTokenExpiresAt: new Date(0), refreshToken: 'AB11-not-a-token' })
    const client = clientFor(sb, store)
    const err = await client.countCustomers().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(QboAuthError)
    expect(err).toMatchObject({ code: 'invalid_grant', status: 400 })
    expect((err as Error).message).toMatch(/Reconnect QuickBooks/)
    expect(client.stats()).toMatchObject({ apiCalls: 0, oauthCalls: 1, retries: 0 })
  })
})

describe('QboClient writes and faults', () => {
  it('6240 duplicate name and 5010 stale SyncToken are typed, carry code and intuit_tid, and are not retried', async () => {
    const sb = await sandbox(5)
    const client = clientFor(sb, memoryTokenStore(issued(sb, new Date())))
    const existing = sb.emulator.customers().find((c) => c.Active !== false)!

    const dup = await client.createCustomer({ DisplayName: String(existing.DisplayName) }).catch((e: unknown) => e)
    expect(dup).toBeInstanceOf(QboDuplicateNameError)
    expect(dup).toMatchObject({ code: '6240', status: 400, retryable: false })
    expect((dup as QboDuplicateNameError).intuitTid).toMatch(/\S/)

    const c = await client.getCustomer(String(existing.Id))
    const updated = await client.updateCustomer({ Id: c.Id, SyncToken: c.SyncToken, Notes: 'first' })
    expect(updated.SyncToken).not.toBe(c.SyncToken)
    expect(updated.DisplayName).toBe(c.DisplayName) // sparse: nothing else touched
    const stale = await client.updateCustomer({ Id: c.Id, SyncToken: c.SyncToken, Notes: 'second' }).catch((e: unknown) => e)
    expect(stale).toBeInstanceOf(QboStaleObjectError)
    expect(stale).toMatchObject({ code: '5010', retryable: false })
    expect((stale as QboStaleObjectError).intuitTid).toMatch(/\S/)
    expect(client.stats()).toMatchObject({ apiCalls: 4, retries: 0 })
  })
})

describe('QboClient CDC', () => {
  it('returns changed customers and deleted ids after a change', async () => {
    let clock = Date.parse('2026-03-02T12:00:00Z')
    const now = () => new Date(clock)
    const sb = await sandbox(20, { now })
    const client = clientFor(sb, memoryTokenStore(issued(sb, now())), { now })
    clock += 3_600_000
    const since = now()
    clock += 60_000

    const before = await client.changedCustomers(since)
    expect(before).toEqual({ customers: [], deletedIds: [] })

    const [x, y] = sb.emulator.customers().filter((c) => c.Active !== false)
    const cur = await client.getCustomer(String(x!.Id))
    await client.updateCustomer({ Id: cur.Id, SyncToken: cur.SyncToken, DisplayName: `${cur.DisplayName} Renamed` })
    expect(sb.emulator.deleteCustomer(String(y!.Id))).toBe(true)
    clock += 60_000

    const r = await client.changedCustomers(since)
    expect(r.customers.map((c) => [c.Id, c.DisplayName])).toEqual([[cur.Id, `${cur.DisplayName} Renamed`]])
    expect(r.deletedIds).toEqual([String(y!.Id)])
  })

  it('refuses a window older than 30 days locally and flags a 1000-object (truncated) answer', async () => {
    // The generator dates every change between 2025-06-01 and 2025-09-28 (Pacific).
    const clock = Date.parse('2025-06-15T12:00:00Z')
    const now = () => new Date(clock)
    const sb = await sandbox(1200, { now })
    const client = clientFor(sb, memoryTokenStore(issued(sb, now())), { now })
    const since = new Date('2025-06-01T00:00:00Z')

    await expect(client.changedCustomers(since)).rejects.toBeInstanceOf(QboCdcTruncatedError)
    const calls = client.stats().apiCalls
    await expect(client.changedCustomers(new Date(clock - 31 * 86_400_000))).rejects.toBeInstanceOf(QboCdcWindowError)
    expect(client.stats().apiCalls).toBe(calls)
  })
})
