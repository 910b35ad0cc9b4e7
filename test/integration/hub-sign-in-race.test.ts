/**
 * @module test/integration/hub-sign-in-race.test
 * The Hub's sign-in lock-out under a burst, over real HTTP with the store's attempt counter (on
 * both dialects): 40 sign-ins sent at once get at most 5 password checks (scrypt, the expensive
 * part an attacker wants to run), and no sign-in succeeds once the lock is on.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '../../src/lib/http-server.js'
import { parseConfig } from '../../src/config/env.js'
import { createHubApp } from '../../src/hub/app.js'
import { createHubAuth } from '../../src/jobs/hub-auth.js'
import { createHubServices } from '../../src/jobs/hub-services.js'
import { createRunService } from '../../src/jobs/runs.js'
import type { Tally } from '../../src/jobs/tally.js'
import { createCipher, hashPassword } from '../../src/lib/crypto.js'
import { noopLogger } from '../../src/lib/logger.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const PASSWORD = 'correct horse battery staple'

describe.each(STORE_DIALECTS)('Hub sign-in burst on %s', (dialect) => {
  let h: StoreHarness
  let dir: string
  let server: RunningServer
  let checks = 0
  beforeAll(async () => {
    h = await openStoreHarness(dialect)
    dir = await mkdtemp(join(tmpdir(), 'tally-hub-race-'))
    const config = parseConfig({ TALLY_DB: join(dir, 'tally.db') }, dir)
    const t: Tally = { config, store: h.store, cipher: createCipher(randomBytes(32)), logger: noopLogger, close: async () => {} }
    const auth = createHubAuth(t, await hashPassword(PASSWORD))
    // Counts the real scrypt verifications the Hub asks for.
    const counted = { ...auth, verifyAdminPassword: (p: string) => (checks++, auth.verifyAdminPassword(p)) }
    const ready: { app?: ReturnType<typeof createHubApp> } = {}
    const { Hono } = await import('hono')
    const front = new Hono()
    front.all('*', (c) => ready.app!.fetch(c.req.raw, c.env as never))
    server = await listen(front)
    ready.app = createHubApp({ services: createHubServices(t, createRunService(t)), auth: counted, publicUrl: server.url, webRoot: '/nonexistent' })
  })
  afterAll(async () => {
    await server?.close()
    await h?.dispose()
    await rm(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await h.clear()
    checks = 0
  })

  const signIn = (password: string) =>
    fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'admin', password }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }))

  it('40 wrong sign-ins at once: at most 5 password checks, then locked', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(`wrong-${i}`)))
    expect(checks).toBeLessThanOrEqual(5)
    expect(answers.filter((a) => a.status === 200)).toEqual([])
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(35)
    // Locked: even the right password is refused, without a check.
    const after = checks
    expect((await signIn(PASSWORD)).status).toBe(429)
    expect(checks).toBe(after)
  })

  it('40 sign-ins at once, the right password among the wrong: at most 5 checks, none succeeds after the lock', async () => {
    const passwords = Array.from({ length: 40 }, (_, i) => (i % 8 === 7 ? PASSWORD : `wrong-${i}`))
    const answers = await Promise.all(passwords.map((p) => signIn(p)))
    expect(checks).toBeLessThanOrEqual(5)
    // Only a sign-in whose password was checked can succeed, and a refused one never is.
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(checks)
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(35)
    const after = checks
    expect((await signIn(PASSWORD)).status).toBe(429)
    expect(checks).toBe(after)
  })
})
