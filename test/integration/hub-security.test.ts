/**
 * @module test/integration/hub-security
 * The Hub's security properties, in-process through `app.request`: authentication on every API
 * route (enumerated from the app, so a new route cannot be forgotten), CSRF token and origin
 * checks, session fixation, brute-force lock-out, logout and security headers.
 */
import { describe, expect, it } from 'vitest'
import { createHubApp } from '../../src/hub/app.js'
import { NotFoundError, type AutoSyncCompanyView, type HubAuth, type HubServices, type LoginAttemptStore, type SessionRecord, type SessionStore } from '../../src/hub/services.js'

const PASSWORD = 'correct horse battery staple'
const PUBLIC_URL = 'http://127.0.0.1:3000'

/** Just enough of the services for the routes to answer; security is what is under test. `who`
 * collects the user each link change is made as. Key `9-1` and entry `e1` exist; nothing else. */
function memoryServices(who: string[] = []): HubServices {
  const row = (key: string, linkStatus: string) => ({
    key, realmId: '9', salesforceId: 'a00000000000001AAA', qboId: '1', displayName: 'X', matchName: 'X', accountId: null, accountName: null,
    linkStatus, active: true, isSubCustomer: false, parentName: null, email: null, candidates: null, suggestions: null,
  })
  const known = (key: string) => {
    if (key !== '9-1') throw new NotFoundError(`no record ${key}`)
  }
  const entry = { id: 'e2', at: '2026-01-10T10:00:00.000Z', who: 'admin', realmId: '9', qboKey: '9-1', qboId: '1', displayName: 'X', fromAccountId: null, fromAccountName: null,
    toAccountId: null, toAccountName: null, fromStatus: 'Ignored', toStatus: 'Manual', reason: 'undid', undoOf: 'e1', undoneBy: null }
  return {
    connections: {
      list: async () => [],
      beginAuthorize: async (_p, redirect, state) => `https://vendor.example/auth?state=${state}&redirect_uri=${encodeURIComponent(redirect)}`,
      completeAuthorize: async () => {},
      disconnect: async () => {},
    },
    settings: {
      get: async () => ({ createAccounts: false, enabledFields: [] }),
      save: async (s) => ({ createAccounts: s.createAccounts ?? false, enabledFields: s.enabledFields ?? [] }),
    },
    runs: {
      start: async () => ({ runId: 'r1' }),
      subscribe: () => () => {},
      list: async () => [],
      get: async () => null,
      messages: async () => [],
      plan: async () => null,
    },
    customers: {
      list: async () => ({ total: 0, items: [] }),
      linkQueue: async () => [],
      searchAccounts: async () => [],
      link: async (key, accountId, _name, by) => {
        who.push(`link:${by ?? ''}`)
        return { ...row(key, 'Manual'), accountId }
      },
    },
    links: {
      acceptSuggestion: async (key, _accountId, by) => {
        known(key)
        throw new NotFoundError(`no suggestions here (${by})`)
      },
      acceptAll: async (o) => {
        who.push(`acceptAll:${o.who}:${o.minScore}:${o.dryRun}:${o.realmId ?? ''}`)
        return { accepted: [] }
      },
      ignore: async (key, by) => {
        known(key)
        who.push(`ignore:${by}`)
        return row(key, 'Ignored')
      },
      unignore: async (key, by) => {
        known(key)
        who.push(`unignore:${by}`)
        return row(key, 'Unmapped')
      },
      refreshSuggestions: async (realmId) => {
        who.push(`suggest:${realmId ?? ''}`)
        return { records: 0, suggested: 0, salesforceCalls: 0 }
      },
      history: async () => ({ total: 0, items: [] }),
      undo: async (id, by) => {
        if (id !== 'e1') throw new NotFoundError(`no entry ${id}`)
        who.push(`undo:${by}`)
        return entry
      },
    },
    alerts: { recent: async () => [] },
    autoSync: (() => {
      // One company, realm 1; any other realm is not connected.
      const company: AutoSyncCompanyView = {
        realmId: '1', companyName: 'One', enabled: true, state: 'idle', lastSweepAt: null, nextSweepAt: null,
        lastChangeAt: null, lastLagMs: null, lastError: null, lastErrorAt: null,
      }
      return {
        status: async () => ({ running: true, intervalSeconds: 300, webhooks: true, budget: { share: 0.8, used: null, max: null, paused: false, pausedSince: null }, companies: [company] }),
        setEnabled: async (realmId: string, enabled: boolean) => {
          if (realmId !== company.realmId) throw new NotFoundError(`QuickBooks company ${realmId} is not connected.`)
          return Object.assign(company, { enabled, state: enabled ? 'idle' : 'off' })
        },
      }
    })(),
  }
}

function memoryAuth(): HubAuth & { sessionMap: Map<string, SessionRecord> } {
  const sessionMap = new Map<string, SessionRecord>()
  const attempts = new Map<string, { failures: number; lockedUntil: Date | null }>()
  const sessions: SessionStore = {
    create: async (s) => void sessionMap.set(s.idHash, { ...s }),
    get: async (h) => (sessionMap.has(h) ? { ...sessionMap.get(h)! } : null),
    touch: async (h, at) => void (sessionMap.get(h) && (sessionMap.get(h)!.expiresAt = at)),
    setOAuthState: async (h, st) => void (sessionMap.get(h) && (sessionMap.get(h)!.oauthState = st)),
    delete: async (h) => void sessionMap.delete(h),
  }
  // Counted in one synchronous step, as the store's single upsert is atomic.
  const loginAttempts: LoginAttemptStore = {
    count: async (k, at) => {
      const a = attempts.get(k)
      const series = a && !(a.lockedUntil && a.lockedUntil <= at) ? a : { failures: 0, lockedUntil: null }
      series.failures++
      attempts.set(k, series)
      return { attempt: series.failures, lockedUntil: series.lockedUntil }
    },
    lock: async (k, until) => void attempts.set(k, { failures: attempts.get(k)?.failures ?? 0, lockedUntil: until }),
    succeeded: async (k, n) => {
      const a = attempts.get(k)
      if (a) a.failures = Math.max(0, a.failures - n)
    },
  }
  return { verifyAdminPassword: async (p) => p === PASSWORD, sessions, loginAttempts, sessionMap }
}

function setup() {
  let now = new Date('2026-01-10T10:00:00Z')
  const clock = () => now
  const auth = memoryAuth()
  const who: string[] = []
  const app = createHubApp({ services: memoryServices(who), auth, publicUrl: PUBLIC_URL, webRoot: '/nonexistent', now: clock })
  const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } })
  const req = (path: string, init: RequestInit = {}, ip = '10.0.0.1') => app.request(path, init, env(ip))
  const login = async (username: string, password: string, opts: { ip?: string; cookie?: string } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Origin: PUBLIC_URL }
    if (opts.cookie) headers['Cookie'] = opts.cookie
    return req('/api/session', { method: 'POST', headers, body: JSON.stringify({ username, password }) }, opts.ip)
  }
  const signIn = async () => {
    const res = await login('admin', PASSWORD)
    expect(res.status).toBe(200)
    const cookie = sessionCookie(res)
    const { csrfToken } = (await res.json()) as { csrfToken: string }
    return { cookie, csrfToken }
  }
  return { app, auth, req, login, signIn, who, advance: (ms: number) => (now = new Date(now.getTime() + ms)) }
}

function sessionCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('tally_session='))
  if (!set) throw new Error('no session cookie set')
  return set.split(';')[0]!
}

/** Every API route of the app with sample parameters, from Hono's route table. */
function apiRoutes(app: ReturnType<typeof createHubApp>): { method: string; path: string }[] {
  const seen = new Set<string>()
  return app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*'))
    .map((r) => ({ method: r.method, path: r.path.replace(/:provider/g, 'qbo').replace(/:[a-zA-Z]+/g, 'x1') }))
    .filter((r) => (seen.has(r.method + r.path) ? false : (seen.add(r.method + r.path), true)))
}

describe('Hub security', () => {
  it('refuses every API route without a session (except reading and creating the session)', async () => {
    const { app, req } = setup()
    const routes = apiRoutes(app)
    // Sanity: the enumeration sees the routes of every resource.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /api/connections', 'PUT /api/settings', 'POST /api/runs', 'GET /api/runs/x1/events', 'PUT /api/customers/x1/account', 'GET /api/alerts',
        'POST /api/customers/x1/accept', 'POST /api/links/accept-all', 'POST /api/customers/x1/ignore', 'POST /api/customers/x1/unignore',
        'GET /api/link-history', 'POST /api/link-history/x1/undo', 'POST /api/links/suggest', 'GET /api/auto-sync', 'PUT /api/auto-sync/x1']),
    )
    expect(routes.length).toBeGreaterThanOrEqual(25)
    for (const r of routes) {
      const res = await req(r.path, { method: r.method, headers: { 'Content-Type': 'application/json', Origin: PUBLIC_URL }, body: r.method === 'GET' ? null : '{}' })
      if (r.path === '/api/session' && (r.method === 'GET' || r.method === 'POST')) {
        expect(res.status, `${r.method} ${r.path}`).not.toBe(401)
        continue
      }
      expect(res.status, `${r.method} ${r.path}`).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } })
    }
    // A forged cookie is no session either, and unknown API paths do not leak as 404.
    expect((await req('/api/connections', { headers: { Cookie: 'tally_session=forged' } })).status).toBe(401)
    expect((await req('/api/nope')).status).toBe(401)
  })

  it('serves the API to a signed-in user', async () => {
    const { req, signIn } = setup()
    const { cookie } = await signIn()
    const res = await req('/api/connections', { headers: { Cookie: cookie } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ connections: [] })
    const who = await (await req('/api/session', { headers: { Cookie: cookie } })).json()
    expect(who).toMatchObject({ authenticated: true, username: 'admin' })
  })

  it('refuses state-changing requests without the CSRF token, with a wrong one, or from another origin', async () => {
    const { req, signIn } = setup()
    const { cookie, csrfToken } = await signIn()
    const put = (headers: Record<string, string>) =>
      req('/api/settings', { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ createAccounts: true }) })
    const missing = await put({})
    expect(missing.status).toBe(403)
    expect(await missing.json()).toMatchObject({ error: { code: 'csrf_failed' } })
    expect((await put({ 'X-CSRF-Token': 'wrong' })).status).toBe(403)
    expect((await put({ 'X-CSRF-Token': csrfToken, Origin: 'https://evil.example' })).status).toBe(403)
    expect((await put({ 'X-CSRF-Token': csrfToken, Origin: 'http://127.0.0.1:3001' })).status).toBe(403)
    const ok = await put({ 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ createAccounts: true })
    // Logging in from another origin is refused too (login CSRF).
    const cross = await req('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
    expect(cross.status).toBe(403)
  })

  it('link routes: CSRF, 400 for a bad body or query, 404 for an unknown record or entry, made as the signed-in user', async () => {
    const { req, signIn, who } = setup()
    const { cookie, csrfToken } = await signIn()
    const post = (path: string, body?: unknown, csrf = csrfToken) =>
      req(path, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: PUBLIC_URL, 'Content-Type': 'application/json' }, body: body === undefined ? null : JSON.stringify(body) })
    const status = async (p: Response | Promise<Response>) => (await p).status
    const code = async (p: Response | Promise<Response>) => ((await (await p).json()) as { error: { code: string } }).error.code

    // Every new state-changing route needs the CSRF token.
    for (const path of ['/api/customers/9-1/accept', '/api/links/accept-all', '/api/links/suggest', '/api/customers/9-1/ignore', '/api/customers/9-1/unignore', '/api/link-history/e1/undo']) {
      expect(await code(post(path, {}, 'wrong')), path).toBe('csrf_failed')
    }
    // Bodies and queries are validated before anything happens.
    expect(await code(post('/api/customers/9-1/accept', {}))).toBe('invalid_body')
    expect(await code(post('/api/customers/9-1/accept', { accountId: 'not an id' }))).toBe('invalid_body')
    expect(await code(post('/api/customers/9-1/accept'))).toBe('invalid_body')
    expect(await code(post('/api/links/accept-all', { minScore: 90 }))).toBe('invalid_body')
    expect(await code(post('/api/links/accept-all', { minScore: 101, dryRun: true }))).toBe('invalid_body')
    expect(await code(post('/api/links/accept-all', { minScore: '90', dryRun: true }))).toBe('invalid_body')
    expect(await code(post('/api/links/accept-all', { minScore: 90, dryRun: true, realmId: 'abc' }))).toBe('invalid_body')
    expect(await code(post('/api/links/accept-all', { minScore: 90, dryRun: true, extra: 1 }))).toBe('invalid_body')
    expect(await code(post('/api/links/suggest', { realmId: 'abc' }))).toBe('invalid_body')
    expect(await code(post('/api/links/suggest'))).toBe('invalid_body')
    const history = (qs: string) => req(`/api/link-history?${qs}`, { headers: { Cookie: cookie } })
    expect(await code(history('by=someone'))).toBe('invalid_query_params')
    expect(await code(history('page=0'))).toBe('invalid_query_params')
    expect(await code(history('pageSize=1000'))).toBe('invalid_query_params')
    expect(await code(history('realmId=x'))).toBe('invalid_query_params')
    expect(who).toEqual([])

    // Unknown records and entries are 404s.
    expect(await status(post('/api/customers/9-404/accept', { accountId: '001000000000001AAA' }))).toBe(404)
    expect(await status(post('/api/customers/9-404/ignore'))).toBe(404)
    expect(await status(post('/api/customers/9-404/unignore'))).toBe(404)
    expect(await status(post('/api/link-history/nope/undo'))).toBe(404)

    // The rest go through, as the signed-in user.
    expect(await (await history('by=hub&search=x&page=2&pageSize=10&realmId=9')).json()).toEqual({ total: 0, page: 2, pageSize: 10, items: [] })
    expect(await (await post('/api/links/accept-all', { minScore: 95, dryRun: true, realmId: '9' })).json()).toEqual({ accepted: [] })
    expect(await (await post('/api/links/suggest', { realmId: '9' })).json()).toEqual({ records: 0, suggested: 0, salesforceCalls: 0 })
    expect(await (await post('/api/customers/9-1/ignore')).json()).toMatchObject({ key: '9-1', linkStatus: 'Ignored' })
    expect(await (await post('/api/customers/9-1/unignore', {})).json()).toMatchObject({ key: '9-1', linkStatus: 'Unmapped' })
    expect(await (await post('/api/link-history/e1/undo')).json()).toMatchObject({ id: 'e2', undoOf: 'e1' })
    const put = await req('/api/customers/9-1/account', {
      method: 'PUT', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId: '001000000000001AAA' }),
    })
    expect(put.status).toBe(200)
    expect(who).toEqual(['acceptAll:admin:95:true:9', 'suggest:9', 'ignore:admin', 'unignore:admin', 'undo:admin', 'link:admin'])
  })

  it('sets a hardened cookie and a new session id on every login (no session fixation)', async () => {
    const { req, login, auth } = setup()
    const planted = 'tally_session=attacker-chosen-id'
    const res = await login('admin', PASSWORD, { cookie: planted })
    expect(res.status).toBe(200)
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('tally_session='))!
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    expect(setCookie).toMatch(/Path=\//)
    const cookie = sessionCookie(res)
    expect(cookie).not.toBe(planted)
    expect((await req('/api/connections', { headers: { Cookie: planted } })).status).toBe(401)
    expect((await req('/api/connections', { headers: { Cookie: cookie } })).status).toBe(200)
    // Logging in again from a signed-in browser also rotates the id and ends the old session.
    const again = await login('admin', PASSWORD, { cookie })
    const cookie2 = sessionCookie(again)
    expect(cookie2).not.toBe(cookie)
    expect((await req('/api/connections', { headers: { Cookie: cookie } })).status).toBe(401)
    expect((await req('/api/connections', { headers: { Cookie: cookie2 } })).status).toBe(200)
    // The store holds only hashes of session ids.
    expect([...auth.sessionMap.keys()]).not.toContain(cookie2.split('=')[1])
  })

  it('marks the cookie Secure when asked', async () => {
    const auth = memoryAuth()
    const app = createHubApp({ services: memoryServices(), auth, publicUrl: PUBLIC_URL, webRoot: '/nonexistent', secureCookies: true })
    const res = await app.request('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
    expect(res.headers.getSetCookie().join()).toMatch(/Secure/)
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=/)
  })

  it('locks a username out for 15 minutes after 5 failed attempts', async () => {
    const { login, advance } = setup()
    for (let i = 0; i < 4; i++) {
      const res = await login('admin', 'wrong', { ip: `10.1.0.${i}` })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong username or password.' } })
    }
    const fifth = await login('admin', 'wrong', { ip: '10.1.0.9' })
    expect(fifth.status).toBe(429)
    // Even the right password is refused while locked, from any address, with a clear message.
    const locked = await login('admin', PASSWORD, { ip: '10.2.0.1' })
    expect(locked.status).toBe(429)
    const body = (await locked.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('locked_out')
    expect(body.error.message).toMatch(/locked for 15 more minutes/)
    advance(14 * 60_000)
    expect((await login('admin', PASSWORD, { ip: '10.2.0.1' })).status).toBe(429)
    advance(61_000)
    expect((await login('admin', PASSWORD, { ip: '10.2.0.1' })).status).toBe(200)
  })

  it('locks a client address out after 5 failures whatever the usernames', async () => {
    const { login } = setup()
    for (let i = 0; i < 5; i++) await login(`user${i}`, 'x', { ip: '10.9.9.9' })
    const res = await login('admin', PASSWORD, { ip: '10.9.9.9' })
    expect(res.status).toBe(429)
    expect((await login('admin', PASSWORD, { ip: '10.9.9.10' })).status).toBe(200)
  })

  it('a successful login resets the failure count', async () => {
    const { login } = setup()
    for (let i = 0; i < 4; i++) await login('admin', 'wrong')
    expect((await login('admin', PASSWORD)).status).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login('admin', 'wrong')).status).toBe(401)
  })

  it('logout invalidates the session', async () => {
    const { req, signIn } = setup()
    const { cookie, csrfToken } = await signIn()
    const out = await req('/api/session', { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL } })
    expect(out.status).toBe(200)
    expect(out.headers.getSetCookie().join()).toMatch(/tally_session=;/)
    expect((await req('/api/connections', { headers: { Cookie: cookie } })).status).toBe(401)
    expect(await (await req('/api/session', { headers: { Cookie: cookie } })).json()).toMatchObject({ authenticated: false })
  })

  it('expires idle sessions', async () => {
    const { req, signIn, advance } = setup()
    const { cookie } = await signIn()
    advance(13 * 60 * 60_000)
    expect((await req('/api/connections', { headers: { Cookie: cookie } })).status).toBe(401)
  })

  it('binds the OAuth state to the session', async () => {
    const { req, signIn } = setup()
    const { cookie, csrfToken } = await signIn()
    const res = await req('/api/connections/qbo/authorize', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL } })
    const { url } = (await res.json()) as { url: string }
    const state = new URL(url).searchParams.get('state')!
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/oauth/callback/qbo`)
    const forged = await req('/oauth/callback/qbo?code=c&state=forged', { headers: { Cookie: cookie } })
    expect(forged.headers.get('Location')).toMatch(/^\/#\/connections\?error=/)
    // The state was consumed by the failed attempt: a replay with the right one fails too.
    const replay = await req(`/oauth/callback/qbo?code=c&state=${state}`, { headers: { Cookie: cookie } })
    expect(replay.headers.get('Location')).toMatch(/error=/)
    const again = await req('/api/connections/qbo/authorize', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL } })
    const state2 = new URL(((await again.json()) as { url: string }).url).searchParams.get('state')!
    const good = await req(`/oauth/callback/qbo?code=c&realmId=1&state=${state2}`, { headers: { Cookie: cookie } })
    expect(good.status).toBe(302)
    expect(good.headers.get('Location')).toBe('/#/connections?connected=qbo')
    // Without the (SameSite=Strict) cookie the callback first bounces through our own origin.
    const bounce = await req(`/oauth/callback/qbo?code=c&state=${state2}`)
    expect(bounce.status).toBe(200)
    expect(await bounce.text()).toContain('tally_bounce=1')
  })

  it('guards the Automatic sync switch: a session, the CSRF token, a valid body, a connected company', async () => {
    const { req, signIn } = setup()
    const put = (path: string, body: string, headers: Record<string, string> = {}) =>
      req(path, { method: 'PUT', headers: { 'Content-Type': 'application/json', Origin: PUBLIC_URL, ...headers }, body })
    expect((await req('/api/auto-sync')).status).toBe(401)
    expect((await put('/api/auto-sync/1', '{"enabled":false}')).status).toBe(401)

    const { cookie, csrfToken } = await signIn()
    const signedIn = { Cookie: cookie, 'X-CSRF-Token': csrfToken }
    expect((await put('/api/auto-sync/1', '{"enabled":false}', { Cookie: cookie })).status).toBe(403)
    for (const bad of ['{}', '{"enabled":"no"}', '{"enabled":false,"extra":1}', 'not json']) {
      const res = await put('/api/auto-sync/1', bad, signedIn)
      expect(res.status, bad).toBe(400)
      expect(await res.json(), bad).toMatchObject({ error: { code: 'invalid_body' } })
    }
    const badRealm = await put('/api/auto-sync/not-a-realm', '{"enabled":false}', signedIn)
    expect(badRealm.status).toBe(400)
    expect(await badRealm.json()).toMatchObject({ error: { code: 'invalid_uri_params' } })
    const unknown = await put('/api/auto-sync/999', '{"enabled":false}', signedIn)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'QuickBooks company 999 is not connected.' } })

    const off = await put('/api/auto-sync/1', '{"enabled":false}', signedIn)
    expect(off.status).toBe(200)
    expect(await off.json()).toMatchObject({ realmId: '1', enabled: false, state: 'off' })
    const status = await req('/api/auto-sync', { headers: { Cookie: cookie } })
    expect(status.status).toBe(200)
    expect(await status.json()).toMatchObject({ running: true, companies: [{ realmId: '1', enabled: false }] })
  })

  it('answers 404 for automatic sync when the Hub offers none', async () => {
    const auth = memoryAuth()
    const { autoSync: _none, ...services } = memoryServices()
    const app = createHubApp({ services, auth, publicUrl: PUBLIC_URL, webRoot: '/nonexistent' })
    const login = await app.request('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: PUBLIC_URL }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
    const cookie = sessionCookie(login)
    const { csrfToken } = (await login.json()) as { csrfToken: string }
    expect((await app.request('/api/auto-sync', { headers: { Cookie: cookie } })).status).toBe(404)
    const put = await app.request('/api/auto-sync/1', { method: 'PUT', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: PUBLIC_URL, 'Content-Type': 'application/json' }, body: '{"enabled":true}' })
    expect(put.status).toBe(404)
    expect(await put.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('sends security headers on pages, API answers and errors', async () => {
    const { req } = setup()
    for (const path of ['/', '/api/session', '/api/connections']) {
      const res = await req(path)
      const csp = res.headers.get('Content-Security-Policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(res.headers.get('Referrer-Policy'), path).toBe('no-referrer')
      expect(res.headers.get('X-Frame-Options'), path).toBe('DENY')
    }
  })
})
