/**
 * @module test/integration/sandbox-companies.test
 * Several QuickBooks companies in the one QBO sandbox (contract §2, §7, §9), over real HTTP:
 * each company its own realm, name, customers and grants; a token of one realm is refused by
 * another with QBO's 403 (api-facts A.6); the consent page lets the user pick the company;
 * `--generate` with companies makes some names recur; `tally sandbox --companies` and a `--data`
 * file with an array of companies print one line per company and write `QBO_CONNECTIONS`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_QBO_CLIENT_ID, DEFAULT_QBO_CLIENT_SECRET } from '../../emulators/qbo/index.js'
import { startSandbox, type Sandbox } from '../../emulators/sandbox.js'
import { SHARED_NAME_SHARE } from '../../emulators/shared/generate.js'
import { runCli } from '../../src/cli/index.js'

const basic = `Basic ${Buffer.from(`${DEFAULT_QBO_CLIENT_ID}:${DEFAULT_QBO_CLIENT_SECRET}`).toString('base64')}`

describe('a QBO sandbox with three companies', () => {
  let sb: Sandbox
  beforeAll(async () => {
    sb = await startSandbox({ companies: 3, generate: 200, randomSeed: 7 })
  })
  afterAll(async () => {
    await sb?.close()
  })

  const query = (realmId: string, accessToken: string) =>
    fetch(`${sb.qbo.url}/v3/company/${realmId}/query?query=${encodeURIComponent('select * from Customer maxresults 1000')}&minorversion=75`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    })

  it('gives each company its own realm, name and customers, with names recurring across them', () => {
    const companies = sb.companies
    expect(companies).toHaveLength(3)
    expect(new Set(companies.map((c) => c.realmId)).size).toBe(3)
    expect(new Set(companies.map((c) => c.companyName)).size).toBe(3)
    const [a, b, c] = companies.map((co) => sb.qbo.emulator.customers(co.realmId))
    for (const list of [a, b, c]) expect(list).toHaveLength(200)
    // Ids start at 1 in every company: only the realm tells records apart (QBO_Key__c).
    expect(a?.some((x) => x['Id'] === '1') && b?.some((x) => x['Id'] === '1')).toBe(true)
    const top = (list: Record<string, unknown>[] | undefined) =>
      new Set((list ?? []).filter((x) => !x['ParentRef'] && x['Active'] !== false).map((x) => String(x['DisplayName']).toLowerCase()))
    const first = top(a)
    for (const other of [top(b), top(c)]) {
      const shared = [...other].filter((n) => first.has(n)).length
      // About a fifth of a further company's top-level customers, give or take the draw.
      expect(shared / other.size).toBeGreaterThan(SHARED_NAME_SHARE / 2)
      expect(shared / other.size).toBeLessThan(SHARED_NAME_SHARE * 1.6)
    }
  })

  it('refuses a token of one realm on another with QBO\'s 403 ApplicationAuthorizationFailed', async () => {
    const [a, b] = sb.companies as unknown as [{ realmId: string }, { realmId: string }]
    const tokenOfB = sb.qbo.emulator.issueTokens(b.realmId).access_token
    const ok = await query(b.realmId, tokenOfB)
    expect(ok.status).toBe(200)
    const refused = await query(a.realmId, tokenOfB)
    expect(refused.status).toBe(403)
    const body = (await refused.json()) as { fault: { error: { message: string; code: string; detail: string }[]; type: string } }
    expect(body.fault.error[0]).toMatchObject({
      message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
      code: '3100',
    })
    expect(body.fault.error[0]?.detail).toContain(a.realmId)
  })

  it('lets the user pick the company on the consent page; the grant is that company\'s', async () => {
    const [a, , c] = sb.companies as unknown as [{ realmId: string; companyName: string }, unknown, { realmId: string; companyName: string }]
    const redirect = 'http://127.0.0.1:9/oauth/callback/qbo'
    const page = await fetch(`${sb.qbo.url}/connect/oauth2?client_id=${DEFAULT_QBO_CLIENT_ID}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=${encodeURIComponent(redirect)}&state=s1`)
    const html = await page.text()
    expect(html).toContain('<label for="company">Company</label>')
    for (const co of sb.companies) expect(html).toContain(`value="${co.realmId}"`)
    const consent = await fetch(`${sb.qbo.url}/connect/oauth2`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: DEFAULT_QBO_CLIENT_ID, redirect_uri: redirect, state: 's1', scope: 'com.intuit.quickbooks.accounting', realmId: c.realmId }).toString(),
    })
    expect(consent.status).toBe(302)
    const back = new URL(consent.headers.get('location') ?? '')
    expect(back.searchParams.get('realmId')).toBe(c.realmId)
    const tokens = await fetch(`${sb.qbo.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: redirect }).toString(),
    })
    const pair = (await tokens.json()) as { access_token: string; refresh_token: string }
    expect((await query(c.realmId, pair.access_token)).status).toBe(200)
    expect((await query(a.realmId, pair.access_token)).status).toBe(403)
    // A refreshed grant stays the company's.
    const refreshed = await fetch(`${sb.qbo.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }).toString(),
    })
    const next = (await refreshed.json()) as { access_token: string }
    expect((await query(c.realmId, next.access_token)).status).toBe(200)
    expect((await query(a.realmId, next.access_token)).status).toBe(403)
    const info = await fetch(`${sb.qbo.url}/v3/company/${c.realmId}/companyinfo/${c.realmId}`, { headers: { authorization: `Bearer ${next.access_token}`, accept: 'application/json' } })
    expect(((await info.json()) as { CompanyInfo: { CompanyName: string } }).CompanyInfo.CompanyName).toBe(c.companyName)
  })

  it('writes every company into QBO_CONNECTIONS', () => {
    const env = sb.env()
    expect(env['QBO_REALM_ID']).toBeUndefined()
    const pairs = (env['QBO_CONNECTIONS'] ?? '').split(',')
    expect(pairs.map((p) => p.split(':')[0])).toEqual(sb.companies.map((c) => c.realmId))
  })
})

describe('tally sandbox with several companies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-sandbox-companies-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const io = (out: { text: string }, stop: AbortSignal) => ({
    env: {},
    cwd: dir,
    stdout: (s: string) => void (out.text += s),
    stderr: (s: string) => void (out.text += s),
    stderrIsTty: false,
    stopSignal: stop,
  })
  const runUntilReady = async (args: string[]) => {
    const out = { text: '' }
    const stop = new AbortController()
    const running = runCli(['sandbox', '--qbo-port', '0', '--sf-port', '0', ...args], io(out, stop.signal))
    const deadline = Date.now() + 20_000
    while (!/Salesforce sandbox ready|could not|cannot/.test(out.text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    stop.abort()
    return { out: out.text, code: await running }
  }

  it('--companies 2 --env-out: one line per company, and QBO_CONNECTIONS for both', async () => {
    const { out, code } = await runUntilReady(['--companies', '2', '--generate', '20', '--env-out', '.env.two'])
    expect(code).toBe(0)
    const lines = [...out.matchAll(/^QBO sandbox company: realm=(\d+) name=(.+)$/gm)]
    expect(lines).toHaveLength(2)
    expect(out).toMatch(new RegExp(`^QBO sandbox ready: http://127\\.0\\.0\\.1:\\d+ realm=${lines[0]?.[1]}$`, 'm'))
    const env = readFileSync(join(dir, '.env.two'), 'utf8')
    const conn = /^QBO_CONNECTIONS="(.*)"$/m.exec(env)?.[1] ?? ''
    expect(conn.split(',').map((p) => p.split(':')[0])).toEqual(lines.map((l) => l[1]))
  })

  it('--data with "qbo" as an array of companies', async () => {
    writeFileSync(join(dir, 'two.json'), JSON.stringify({
      qbo: [
        { realmId: '4620816365000000001', companyName: 'North Ltd', customers: [{ Id: '1', DisplayName: 'Acme' }] },
        { realmId: '4620816365000000002', companyName: 'South Inc', customers: [{ Id: '1', DisplayName: 'Acme' }, { Id: '2', DisplayName: 'Zed' }] },
      ],
      salesforce: { accounts: [] },
    }))
    const { out, code } = await runUntilReady(['--data', 'two.json'])
    expect(code).toBe(0)
    expect(out).toMatch(/^QBO sandbox company: realm=4620816365000000001 name=North Ltd$/m)
    expect(out).toMatch(/^QBO sandbox company: realm=4620816365000000002 name=South Inc$/m)
  })

  it('says what is wrong with a company of the array', async () => {
    writeFileSync(join(dir, 'bad-two.json'), JSON.stringify({ qbo: [{ realmId: '1' }, { realmId: 'x' }] }))
    const { out, code } = await runUntilReady(['--data', 'bad-two.json'])
    expect(code).toBe(1)
    expect(out).toMatch(/bad-two\.json: qbo\.1\.realmId: realmId is digits/)
    writeFileSync(join(dir, 'twice.json'), JSON.stringify({ qbo: [{ realmId: '1' }, { realmId: '1' }] }))
    expect((await runUntilReady(['--data', 'twice.json'])).out).toMatch(/twice\.json: qbo: the realm 1 is given to two companies/)
  })
})
