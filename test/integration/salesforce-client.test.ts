/**
 * Tally's Salesforce client against the Salesforce emulator over real HTTP: authentication,
 * paging past jsforce's 10,000-row maxFetch, collections upsert in chunks of 200 with per-record
 * errors in order, references by external ID, the package check, API usage and exact call counts.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { soqlCapture } from '../helpers/soql-capture.js'
import {
  countAccounts,
  createSalesforceClient,
  exchangeSalesforceCode,
  salesforceAuthorizeUrl,
  getQboCustomerRecord,
  listAllAccounts,
  listQboCustomerRecords,
  PackageNotDeployedError,
  SalesforceAuthError,
  SalesforceError,
  SalesforceLimitError,
  setRecordLink,
  upsertAccountsBySourceKey,
  createAccountsBySourceKey,
  upsertQboCustomers,
  createPart,
  describePart,
  queryPart,
  sendParts,
  soql,
  type SalesforceClientOptions,
} from '../../src/salesforce/index.js'

type Emulator = Awaited<ReturnType<typeof startSalesforceEmulator>>
const running: Emulator[] = []
const { logger, emitted } = soqlCapture()

async function start(options: Parameters<typeof startSalesforceEmulator>[0] = {}): Promise<Emulator> {
  const sf = await startSalesforceEmulator(options)
  running.push(sf)
  return sf
}

function clientFor(sf: Emulator, o: Partial<SalesforceClientOptions> = {}) {
  return createSalesforceClient({
    loginUrl: sf.url,
    clientId: 'sandbox-sf-client-id',
    clientSecret: 'sandbox-sf-client-secret',
    logger,
    retry: { minTimeout: 1 },
    ...o,
  })
}

async function stats(sf: Emulator): Promise<{ requests: number; byOperation: Record<string, number> }> {
  const res = await fetch(`${sf.url}/__sandbox/stats`)
  return (await res.json()) as { requests: number; byOperation: Record<string, number> }
}

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close()
})

afterAll(() => {
  expect(emitted.length).toBeGreaterThan(0)
  for (const q of emitted) expect(isQueryValid(q), q).toBe(true)
})

describe('connect', () => {
  it('uses client credentials and reports instance, org and user', async () => {
    const sf = await start()
    const client = clientFor(sf)
    const info = await client.connect()
    expect(info.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(info.orgId).toMatch(/^00D\w{12,15}$/)
    expect(info.userId).toMatch(/^005\w{12,15}$/)
    expect(client.instanceUrl()).toBe(info.instanceUrl)
    expect(client.oauthCalls()).toBe(1)
    expect(client.apiCalls()).toBe(0)
  })

  it('turns a wrong secret into SalesforceAuthError', async () => {
    const sf = await start()
    const err = await clientFor(sf, { clientSecret: 'wrong' }).connect().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SalesforceAuthError)
    expect((err as SalesforceAuthError).errorCode).toMatch(/^invalid_/)
  })
})

describe('query', () => {
  it('returns all of more than 10,000 rows, one call per page of 2,000', async () => {
    const accounts = Array.from({ length: 10_500 }, (_, i) => ({ Name: `Account ${i}` }))
    const sf = await start({ data: { accounts } })
    const client = clientFor(sf)
    expect(await countAccounts(client)).toBe(10_500)
    // REST pages only (bulk: false); above ~10,000 rows listAllAccounts reads by Bulk query
    // otherwise (test/integration/bulk-query.test.ts).
    const all = await listAllAccounts(client, undefined, { bulk: false })
    expect(all.length).toBe(10_500)
    expect(new Set(all.map((a) => a.id)).size).toBe(10_500)
    expect(client.apiCalls()).toBe(1 + 6)
    const s = await stats(sf)
    expect(client.apiCalls() + client.oauthCalls()).toBe(s.requests)
  })

  it('surfaces a bad query as SalesforceError with the vendor code', async () => {
    const sf = await start()
    const err = await clientFor(sf).query('SELECT Nope__c FROM Account').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SalesforceError)
    expect((err as SalesforceError).errorCode).toBe('INVALID_FIELD')
    expect((err as SalesforceError).status).toBe(400)
  })
})

describe('writes', () => {
  const realm = '9341452631925553'
  const key = (i: number) => `${realm}-${i}`

  it('creates Accounts by source key without ever changing one that exists (a key taken costs one lookup)', async () => {
    const sf = await start({ data: { accounts: [{ Name: 'Acme Corp (renamed by a person)', QBO_Source_Key__c: 'name:aaa' }] } })
    const client = clientFor(sf)
    const before = client.apiCalls()
    const results = await createAccountsBySourceKey(client, [
      { sourceKey: 'name:bbb', name: 'Beta' },
      { sourceKey: 'NAME:AAA', name: 'Acme' }, // the field is case-insensitive, as Salesforce's is
    ])
    expect(client.apiCalls() - before).toBe(2)
    const [beta, acme] = results
    expect(beta).toMatchObject({ ok: true, created: true })
    const existing = sf.emulator.list('Account').find((a) => a['QBO_Source_Key__c'] === 'name:aaa')
    expect(acme).toMatchObject({ ok: true, created: false, id: existing?.['Id'] })
    // The existing Account keeps the name a person gave it.
    expect(existing?.['Name']).toBe('Acme Corp (renamed by a person)')
    expect(sf.emulator.list('Account')).toHaveLength(2)
    // Nothing taken: one call, no lookup.
    const again = client.apiCalls()
    await createAccountsBySourceKey(client, [{ sourceKey: 'name:ccc', name: 'Gamma' }])
    expect(client.apiCalls() - again).toBe(1)
  })

  it('upserts 450 records in 3 collection calls with per-record errors in input order', async () => {
    const sf = await start({ data: { accounts: [{ Name: 'Existing' }] } })
    const client = clientFor(sf)
    const [acct] = await upsertAccountsBySourceKey(client, [{ sourceKey: key(1), name: 'Parent One' }])
    expect(acct).toMatchObject({ ok: true, created: true })

    const records = Array.from({ length: 450 }, (_, i) => ({
      QBO_Key__c: key(i + 1),
      QBO_Id__c: String(i + 1),
      QBO_Realm_Id__c: realm,
      Name: i === 7 || i === 333 ? 'x'.repeat(81) : `Customer ${i + 1}`,
      Display_Name__c: `Customer ${i + 1}`,
      ...(i === 0 ? { Account__r: { QBO_Source_Key__c: key(1) }, Link_Status__c: 'Created' } : {}),
      ...(i > 0 && i < 5 ? { Parent_Customer__r: { QBO_Key__c: key(1) } } : {}),
    }))
    const before = client.apiCalls()
    const results = await upsertQboCustomers(client, records)
    expect(client.apiCalls() - before).toBe(3)
    expect(results.length).toBe(450)
    results.forEach((r, i) => {
      if (i === 7 || i === 333) {
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.errors[0]?.code).toBe('STRING_TOO_LONG')
          expect(r.errors[0]?.fields).toEqual(['Name'])
        }
      } else {
        expect(r).toMatchObject({ ok: true, created: true })
      }
    })

    // Upserting again updates (created: false) and never duplicates.
    const again = await upsertQboCustomers(client, records.slice(0, 3))
    for (const r of again) expect(r).toMatchObject({ ok: true, created: false })

    const rows = await listQboCustomerRecords(client, realm, ['Name', 'Parent_Customer__c'])
    expect(rows.length).toBe(448)
    const byKey = new Map(rows.map((r) => [r.QBO_Key__c as string, r]))
    const parent = byKey.get(key(1))
    expect(parent?.Account__c).toBe(acct?.ok ? acct.id : 'missing')
    expect(parent?.Link_Status__c).toBe('Created')
    for (let i = 2; i <= 5; i++) expect(byKey.get(key(i))?.Parent_Customer__c).toBe(parent?.Id)

    // A person's link from the Hub: one PATCH.
    const [existing] = await listAllAccounts(client).then((a) => a.filter((x) => x.name === 'Existing'))
    const calls = client.apiCalls()
    await setRecordLink(client, String(byKey.get(key(10))?.Id), existing?.id ?? null, 'Manual')
    expect(client.apiCalls() - calls).toBe(1)
    const linked = await getQboCustomerRecord(client, key(10))
    expect(linked).toMatchObject({ Account__c: existing?.id, Link_Status__c: 'Manual' })
    expect(await getQboCustomerRecord(client, `${realm}-nope`)).toBeNull()

    const s = await stats(sf)
    expect(client.apiCalls() + client.oauthCalls()).toBe(s.requests)
  })

  it('update() writes by Id and reports failures as data', async () => {
    const sf = await start({ data: { accounts: [{ Name: 'Before' }] } })
    const client = clientFor(sf)
    const [a] = await listAllAccounts(client)
    const results = await client.update('QBO_Customer__c', [{ Id: 'a0Bnotreal00000AAA', Name: 'x' }])
    expect(results[0]?.ok).toBe(false)
    const ok = await client.update('Account', [{ Id: String(a?.id), Name: 'After' }])
    expect(ok[0]).toMatchObject({ ok: true, id: a?.id })
    expect((await listAllAccounts(client))[0]?.name).toBe('After')
  })
})

describe('package check', () => {
  it('passes with the package deployed, one describe per object, cached', async () => {
    const sf = await start()
    const client = clientFor(sf)
    await client.checkPackage()
    const calls = client.apiCalls()
    expect(calls).toBe(2)
    await client.checkPackage()
    expect(client.apiCalls()).toBe(calls)
  })

  it('fails with one sentence when QBO_Customer__c is not deployed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-sf-meta-'))
    try {
      cpSync(resolve('salesforce/force-app/main/default'), dir, { recursive: true })
      rmSync(join(dir, 'objects', 'QBO_Customer__c'), { recursive: true, force: true })
      const sf = await start({ metadataDir: dir })
      const client = clientFor(sf)
      await client.connect()
      const err = await client.checkPackage().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PackageNotDeployedError)
      const text = (err as PackageNotDeployedError).message
      expect(text).toContain('QBO_Customer__c')
      expect(text).toContain('sf project deploy start')
      expect(text).toContain('Tally_Sync')
      expect(text.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 0).length).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('composite', () => {
  it('sends subrequests in one counted call; a failed one is its typed SalesforceError', async () => {
    const sf = await start({ data: { accounts: [{ Name: 'Known' }] } })
    const client = clientFor(sf)
    await client.connect()
    const before = client.apiCalls()
    const results = await client.composite([
      { method: 'GET', url: client.queryPath("SELECT Id, Name FROM Account WHERE Name = 'Known'"), referenceId: 'known' },
      { method: 'POST', url: '/sobjects/Account', referenceId: 'bad', body: { Website: 'no-name.example' } },
      { method: 'POST', url: '/sobjects/Contact', referenceId: 'child', body: { LastName: 'X', AccountId: '@{bad.id}' } },
    ])
    expect(client.apiCalls() - before).toBe(1)
    expect((await stats(sf)).byOperation).toEqual({ 'oauth.token': 1, composite: 1 })
    expect(results[0]).toMatchObject({ referenceId: 'known', ok: true, status: 200, body: { totalSize: 1 } })
    const bad = results[1]
    expect(bad?.ok).toBe(false)
    if (bad && !bad.ok) {
      expect(bad.error).toBeInstanceOf(SalesforceError)
      expect(bad.error).toMatchObject({ status: 400, errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] })
    }
    expect(results[2]).toMatchObject({ ok: false, status: 400, error: { errorCode: 'PROCESSING_HALTED' } })
    expect(client.apiUsage()?.used).toBe(sf.emulator.apiUsage().used)
  })

  it('refuses more than 25 subrequests or 5 queries before sending anything', async () => {
    const sf = await start()
    const client = clientFor(sf)
    const six = Array.from({ length: 6 }, (_, i) => ({ method: 'GET' as const, url: client.queryPath('SELECT Id FROM Account'), referenceId: `q${i}` }))
    await expect(client.composite(six)).rejects.toThrow(TypeError)
    expect(client.apiCalls()).toBe(0)
  })

  it('reads parts as their direct calls would: every page of a query, a describe, a create', async () => {
    const accounts = Array.from({ length: 2_300 }, (_, i) => ({ Name: `Paged ${i}` }))
    const sf = await start({ data: { accounts } })
    const client = clientFor(sf)
    await client.connect()
    const before = client.apiCalls()
    const [rows, described, created] = await sendParts(client, [
      queryPart<{ Id: string; Name: string }>(client, 'all', soql`SELECT Id, Name FROM Account`),
      describePart(client, 'pkg', 'QBO_Customer__c'),
      createPart('made', 'Account', { Name: 'Made' }),
    ])
    expect(await rows).toHaveLength(2_300)
    expect((await rows)[0]).not.toHaveProperty('attributes')
    expect((await described).name).toBe('QBO_Customer__c')
    expect(await created).toMatch(/^001/)
    // The composite call, and one query more for the second page of 2,000.
    expect(client.apiCalls() - before).toBe(2)
  })

  it('sends a read again on its own when its subrequest failed with a 5xx; a write fails', async () => {
    const sf = await start({ data: { accounts: [{ Name: 'Retried' }] } })
    const client = clientFor(sf)
    await client.connect()
    // The composite call itself answers 503: the query goes again alone; the create does not.
    sf.emulator.setFaults({ next: ['503'] })
    const [rows, created] = await sendParts(client, [
      queryPart<{ Name: string }>(client, 'q', soql`SELECT Name FROM Account`),
      createPart('c', 'Account', { Name: 'Not sent twice' }),
    ])
    expect((await rows).map((r) => r.Name)).toEqual(['Retried'])
    await expect(created).rejects.toMatchObject({ status: 503, errorCode: 'SERVER_UNAVAILABLE' })
    expect(sf.emulator.list('Account').map((a) => a['Name'])).toEqual(['Retried'])
  })
})

describe('limits and counting', () => {
  it('reads API usage from Sforce-Limit-Info', async () => {
    const sf = await start({ dailyApiLimit: 5000 })
    const client = clientFor(sf)
    expect(client.apiUsage()).toBeNull()
    await countAccounts(client)
    await countAccounts(client)
    const usage = client.apiUsage()
    expect(usage?.max).toBe(5000)
    expect(usage?.used).toBeGreaterThanOrEqual(2)
  })

  it('turns REQUEST_LIMIT_EXCEEDED into SalesforceLimitError', async () => {
    const sf = await start({ dailyApiLimit: 2 })
    const client = clientFor(sf)
    const errors: unknown[] = []
    for (let i = 0; i < 4; i++) await countAccounts(client).catch((e: unknown) => errors.push(e))
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]).toBeInstanceOf(SalesforceLimitError)
    expect((errors[0] as SalesforceLimitError).status).toBe(403)
  })

  it('counts every request, jsforce retries of failed GETs included, as the emulator does', async () => {
    const accounts = Array.from({ length: 4500 }, (_, i) => ({ Name: `A${i}` }))
    const sf = await start({ data: { accounts }, faultRate: 0.4, randomSeed: 7 })
    const client = clientFor(sf, { retry: { minTimeout: 1, maxRetries: 10 } })
    await client.connect().catch(() => client.connect()).catch(() => client.connect())
    for (let i = 0; i < 3; i++) expect((await listAllAccounts(client)).length).toBe(4500)
    const s = await stats(sf)
    expect(client.apiCalls()).toBeGreaterThan(3 * 3)
    expect(client.apiCalls() + client.oauthCalls()).toBe(s.requests)
  })
})

describe('web-server flow, refresh token and session expiry', () => {
  const redirectUri = 'http://127.0.0.1:9/callback'

  /** Plays the browser: the consent form posts back to /authorize, which redirects with a code. */
  async function authorize(sf: Emulator, state: string): Promise<string> {
    const url = new URL(salesforceAuthorizeUrl({ loginUrl: sf.url, clientId: 'sandbox-sf-client-id', redirectUri, state }))
    expect(url.pathname).toBe('/services/oauth2/authorize')
    expect(url.searchParams.get('response_type')).toBe('code')
    const page = await fetch(url)
    expect(page.status).toBe(200)
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), step: 'consent', decision: 'allow' })
    const res = await fetch(`${sf.url}/services/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' })
    const location = new URL(String(res.headers.get('location')))
    expect(location.searchParams.get('state')).toBe(state)
    return String(location.searchParams.get('code'))
  }

  it('exchanges a code, connects with the refresh token and refreshes an expired session once', async () => {
    let clock = new Date('2025-06-01T00:00:00Z')
    const sf = await start({ tokenTtlSeconds: 60, now: () => clock, data: { accounts: [{ Name: 'A' }] } })
    const code = await authorize(sf, 'xyz')
    const tokens = await exchangeSalesforceCode({ loginUrl: sf.url, clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', code, redirectUri })
    expect(tokens.refreshToken).toBeTruthy()
    expect(tokens.instanceUrl).toBe(sf.url)
    expect(tokens.orgId).toMatch(/^00D/)
    expect(tokens.issuedAt).toBeGreaterThan(0)

    const rotated: string[] = []
    const client = clientFor(sf, { refreshToken: String(tokens.refreshToken), onRefreshToken: (rt) => rotated.push(rt) })
    const info = await client.connect()
    expect(info.userId).toBe(tokens.userId)
    expect(await countAccounts(client)).toBe(1)
    clock = new Date(clock.getTime() + 3600_000)
    // The first request gets 401 INVALID_SESSION_ID; jsforce refreshes and repeats it.
    expect(await countAccounts(client)).toBe(1)
    expect(client.oauthCalls()).toBe(2)
    expect(client.apiCalls()).toBe(3)
    expect(rotated).toEqual([])
    const s = await stats(sf)
    // The code exchange and the emulator's authorize page are not this client's calls.
    const others = (s.byOperation['oauth.authorize'] ?? 0) + 1
    expect(client.apiCalls() + client.oauthCalls()).toBe(s.requests - others)
  })

  it('download: an answer read as a stream of bytes, counted; an expired session renewed once; a refusal typed with the vendor code', async () => {
    let clock = new Date('2025-06-01T00:00:00Z')
    const sf = await start({ tokenTtlSeconds: 60, now: () => clock, data: { accounts: [{ Name: 'Émile Zola SARL' }, { Name: 'Bravo' }] } })
    const client = clientFor(sf)
    await client.connect()
    // A Bulk API 2.0 query job, whose result set is what download is for.
    const job = await client.request<{ id: string }>('POST', '/jobs/query', { body: JSON.stringify({ operation: 'query', query: 'SELECT Name FROM Account ORDER BY Name' }), contentType: 'application/json' })
    for (let i = 0; i < 50; i++) {
      const info = await client.request<{ state: string }>('GET', `/jobs/query/${job.id}`)
      if (info.state === 'JobComplete') break
      await new Promise((r) => setTimeout(r, 20))
    }
    const callsBefore = client.apiCalls()
    clock = new Date(clock.getTime() + 3600_000)
    const { headers, body } = await client.download(`/jobs/query/${job.id}/results`)
    const chunks: Buffer[] = []
    for await (const c of body) chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean)).toEqual(['Name', 'Bravo', 'Émile Zola SARL'])
    expect(headers['sforce-locator']).toBe('null')
    // The first answer was 401: a new token, then the same GET again (two calls, one token request).
    expect(client.apiCalls() - callsBefore).toBe(2)
    expect(client.oauthCalls()).toBe(2)
    const err = await client.download('/jobs/query/750000000000000AAA/results').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SalesforceError)
    expect(err).toMatchObject({ status: 404, errorCode: 'NOT_FOUND' })
  })

  it('reports a refresh token Salesforce no longer accepts as SalesforceAuthError', async () => {
    const sf = await start()
    const err = await clientFor(sf, { refreshToken: 'not-a-token' }).connect().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SalesforceAuthError)
    expect((err as SalesforceAuthError).errorCode).toBe('invalid_grant')
  })

  it('reports a refresh that fails after the session expired as SalesforceAuthError', async () => {
    let clock = new Date('2025-06-01T00:00:00Z')
    const sf = await start({ tokenTtlSeconds: 60, now: () => clock })
    const code = await authorize(sf, 's')
    const tokens = await exchangeSalesforceCode({ loginUrl: sf.url, clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', code, redirectUri })
    const client = clientFor(sf, { refreshToken: String(tokens.refreshToken) })
    await countAccounts(client)
    // The user revokes Tally's access in Salesforce; then the session expires.
    await fetch(`${sf.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: String(tokens.refreshToken) }) })
    clock = new Date(clock.getTime() + 3600_000)
    const err = await countAccounts(client).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SalesforceAuthError)
  })
})
