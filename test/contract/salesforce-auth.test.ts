/**
 * Contract: jsforce 3.10.16 authenticates against the Salesforce sandbox (client credentials,
 * refresh token with automatic re-login on 401 INVALID_SESSION_ID, password, web-server flow) and
 * reads the identity URL, token shapes as in api-facts B.8 / Addendum §9.
 */
import { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_ID, CLIENT_SECRET, shapeOf, startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let clock = Date.parse('2026-05-06T11:00:00Z')

beforeAll(async () => {
  sandbox = await startSandbox({ tokenTtlSeconds: 60, now: () => new Date(clock) })
})
afterAll(() => sandbox.close())

const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  })

describe('OAuth token endpoint', () => {
  it('client_credentials returns the documented shape with no refresh token', async () => {
    const res = await tokenRequest({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(shapeOf(body)).toEqual(shapes.tokenClientCredentials)
    expect(body.instance_url).toBe(sandbox.url)
    expect(body.id).toBe(`${sandbox.url}/id/${sandbox.emulator.orgId}/${sandbox.emulator.userId}`)
    expect(body.issued_at).toBe(String(clock))
    expect(body.token_type).toBe('Bearer')
  })

  it('accepts client credentials in an HTTP Basic header', async () => {
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` })
    expect(res.status).toBe(200)
  })

  it('rejects bad clients and grants with Salesforce error bodies', async () => {
    const badId = await tokenRequest({ grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' })
    expect(badId.status).toBe(400)
    expect(await badId.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' })
    const badGrant = await tokenRequest({ grant_type: 'magic', client_id: CLIENT_ID })
    expect(await badGrant.json()).toMatchObject({ error: 'unsupported_grant_type' })
    const badRefresh = await tokenRequest({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'x' })
    expect(await badRefresh.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' })
  })
})

describe('jsforce sessions', () => {
  it('logs in with client credentials and parses the identity URL', async () => {
    const conn = await sandbox.connect()
    expect(conn.instanceUrl).toBe(sandbox.url)
    expect(conn.userInfo?.organizationId).toBe(sandbox.emulator.orgId)
    const identity = await conn.identity()
    expect(identity.user_id).toBe(sandbox.emulator.userId)
  })

  it('logs in with the username-password flow', async () => {
    const conn = new Connection({ oauth2: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: sandbox.url }, version: VERSION })
    const info = await conn.login('integration@tally.sandbox', 'secret')
    expect(info.id).toBe(sandbox.emulator.userId)
  })

  it('runs the web-server flow: login page, consent, code, tokens with a refresh token, auto-refresh on 401', async () => {
    const redirectUri = 'http://127.0.0.1:9/callback'
    const params = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, state: 's1' })
    const login = await fetch(`${sandbox.url}/services/oauth2/authorize?${params}`)
    const html = await login.text()
    expect(html).toContain('Username')
    expect(html).toContain('Password')
    const consent = await fetch(`${sandbox.url}/services/oauth2/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...Object.fromEntries(params), step: 'login', username: 'a@b.c', password: 'pw' }),
    })
    expect(await consent.text()).toContain('Allow')
    const allowed = await fetch(`${sandbox.url}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...Object.fromEntries(params), step: 'consent', decision: 'allow' }),
    })
    expect(allowed.status).toBe(302)
    const location = new URL(allowed.headers.get('location') as string)
    expect(location.searchParams.get('state')).toBe('s1')
    const code = location.searchParams.get('code') as string

    const conn = new Connection({
      oauth2: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: sandbox.url, redirectUri },
      version: VERSION,
    })
    await conn.authorize(code)
    expect(conn.refreshToken).toBeTruthy()
    const firstToken = conn.accessToken
    let refreshed = 0
    conn.on('refresh', () => (refreshed += 1))
    clock += 61_000 // the access token (60 s) has expired: the next call gets 401 INVALID_SESSION_ID
    const result = await conn.query('SELECT Id FROM Account LIMIT 1')
    expect(result.records).toHaveLength(1)
    expect(refreshed).toBe(1)
    expect(conn.accessToken).not.toBe(firstToken)
  })

  it('answers 401 INVALID_SESSION_ID for an unknown token', async () => {
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/limits`, { headers: { authorization: 'Bearer nope' } })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
  })
})
