/**
 * @module test/integration/qbo-tokens
 * Token refresh through the store Tally really uses (SQLite, the connection's row) against the
 * QBO emulator over real HTTP: the refresh margin fits the token's lifetime, a 401 costs exactly
 * one refresh, an unreachable token endpoint is tried a bounded number of times, and a refresh in
 * flight holds no database lock.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startQboEmulator, type QboEmulatorOptions } from '../../emulators/qbo/index.js'
import { generateSandboxData } from '../../emulators/shared/generate.js'
import { createCipher } from '../../src/lib/crypto.js'
import { countQuery, createQboOAuth, QboClient, QboConnectionError } from '../../src/qbo/index.js'
import { createStore, importEnvRefreshToken, qboTokenStore, saveSettings, type Store } from '../../src/store/index.js'

const CLIENT_ID = 'sandbox-qbo-client-id'
const CLIENT_SECRET = 'sandbox-qbo-client-secret'
const cipher = createCipher(randomBytes(32))

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

type Emulator = Awaited<ReturnType<typeof startQboEmulator>>

async function emulator(o: QboEmulatorOptions = {}): Promise<Emulator> {
  const sb = await startQboEmulator({ data: generateSandboxData({ customers: 12, seed: 3 }).qbo, ...o })
  cleanups.push(sb.close)
  return sb
}

/** A migrated SQLite store holding the emulator's fresh refresh token, as `tally import` leaves
 * it after importing QBO_REFRESH_TOKEN (no access token yet). */
async function sqliteStore(sb: Emulator): Promise<{ store: Store; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-qbo-tokens-'))
  const path = join(dir, 'tally.db')
  const store = createStore({ sqlitePath: path })
  await store.migrate()
  await importEnvRefreshToken(store.db, cipher, 'qbo', sb.emulator.issueTokens().refresh_token, { externalId: sb.emulator.realmId })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => store.close())
  return { store, path }
}

function client(sb: Emulator, store: Store, tokenUrl = `${sb.url}/oauth2/v1/tokens/bearer`) {
  return new QboClient({
    apiUrl: sb.url,
    realmId: sb.emulator.realmId,
    oauth: createQboOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl, authorizeUrl: `${sb.url}/connect/oauth2` }),
    tokens: qboTokenStore(store, cipher),
    retry: { retries: 6, baseDelayMs: 5, maxDelayMs: 20 },
    tokenRetry: { baseDelayMs: 5, maxDelayMs: 20 },
  })
}

const oauthCalls = (sb: Emulator) => sb.emulator.stats.toJSON().byOperation['oauth.token'] ?? 0

/** A TCP server that accepts and drops every connection: reachable, never answering. Counts them. */
async function droppingServer(): Promise<{ url: string; connections: () => number }> {
  let n = 0
  const server: Server = createServer((socket) => {
    n++
    socket.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/oauth2/v1/tokens/bearer`, connections: () => n }
}

describe('QBO token refresh through the store', () => {
  it('with 30-second tokens, 11 queries cost one refresh (the margin fits the lifetime)', async () => {
    const sb = await emulator({ tokenTtlSeconds: 30 })
    const { store } = await sqliteStore(sb)
    const qbo = client(sb, store)
    for (let i = 0; i < 11; i++) await qbo.query(countQuery('Customer'))
    expect(oauthCalls(sb)).toBe(1)
    expect(qbo.stats()).toMatchObject({ apiCalls: 11, oauthCalls: 1 })
    // The next client (another process) finds the stored token fresh and does not refresh.
    const next = client(sb, store)
    await next.query(countQuery('Customer'))
    expect(oauthCalls(sb)).toBe(1)
  })

  it('a 401 triggers exactly one refresh and one retry of the request', async () => {
    const sb = await emulator({ tokenTtlSeconds: 30 })
    const { store } = await sqliteStore(sb)
    const qbo = client(sb, store)
    await qbo.query(countQuery('Customer'))
    const before = (await qboTokenStore(store, cipher).read())!
    sb.emulator.expireAccessToken(before.accessToken)
    await qbo.query(countQuery('Customer'))
    expect(oauthCalls(sb)).toBe(2)
    expect(qbo.stats()).toMatchObject({ apiCalls: 3, oauthCalls: 2, retries: 0 })
    expect((await qboTokenStore(store, cipher).read())!.accessToken).not.toBe(before.accessToken)
  })

  it('an unreachable token endpoint is tried 3 times in all, never once per API retry', async () => {
    const sb = await emulator()
    const { store } = await sqliteStore(sb)
    const dropping = await droppingServer()
    const qbo = client(sb, store, dropping.url)
    const err = await qbo.query(countQuery('Customer')).catch((e: unknown) => e)
    expect(dropping.connections()).toBe(3)
    expect(err).toBeInstanceOf(QboConnectionError)
    expect(err).toMatchObject({ endpoint: 'token', url: dropping.url })
    expect(qbo.stats()).toMatchObject({ apiCalls: 0, oauthCalls: 3 })
  })

  it('holds no database lock while a refresh is in flight: another process writes meanwhile', async () => {
    const sb = await emulator()
    const { store, path } = await sqliteStore(sb)
    const other = createStore({ sqlitePath: path }) // a second process on the same file
    cleanups.push(() => other.close())
    const tokens = qboTokenStore(store, cipher)
    let written = false
    await tokens.withLock(async () => {
      // Inside the refresh (where the call to Intuit happens), another process's write goes
      // through at once; with SQLite's write lock held it would fail after the busy timeout.
      await saveSettings(other.db, { createAccounts: true })
      written = true
    })
    expect(written).toBe(true)
  })
})
