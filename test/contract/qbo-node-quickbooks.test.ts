/**
 * @module test/contract/qbo-node-quickbooks
 * node-quickbooks 2.0.50 — the client Intuit's own MCP server uses — pointed at the QBO emulator
 * over real HTTP (clients-and-recordings §1.2: set `qbo.endpoint`; never `setOauthVersion('2.0')`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import QuickBooks from 'node-quickbooks'
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.js'
import { generateSandboxData } from '../../emulators/shared/generate.js'

type Cb = (err: unknown, body: unknown) => void
type Qbo = Record<string, (...args: unknown[]) => unknown> & { endpoint: string }

let server: { url: string; close(): Promise<void>; emulator: QboEmulator }
let qbo: Qbo

const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
  new Promise((resolve, reject) => {
    ;(qbo[method] as (...a: unknown[]) => void)(...args, ((err, body) => (err ? reject(err) : resolve(body as T))) as Cb)
  })

/** node-quickbooks rejects with the AxiosError for HTTP 4xx; the Fault body is in response.data. */
const faultOf = (err: unknown) =>
  ((err as { response?: { data?: unknown } }).response?.data ?? err) as { Fault: { Error: { code: string; Message: string }[] } }

beforeAll(async () => {
  const data = generateSandboxData({ customers: 2500, seed: 42 })
  server = await startQboEmulator({ data: data.qbo })
  const tokens = server.emulator.issueTokens()
  const Ctor = QuickBooks as unknown as new (...args: unknown[]) => Qbo
  qbo = new Ctor('sandbox-qbo-client-id', 'sandbox-qbo-client-secret', tokens.access_token, false,
    server.emulator.realmId, true, false, 75, '2.0', tokens.refresh_token)
  qbo.endpoint = `${server.url}/v3/company/`
})
afterAll(async () => server?.close())

describe('node-quickbooks against the QBO emulator', () => {
  it('pages through every active customer with fetchAll', async () => {
    const res = await call<{ QueryResponse: { Customer: { Id: string }[] } }>('findCustomers', [{ field: 'fetchAll', value: true }])
    const active = server.emulator.customers().filter((c) => c.Active !== false)
    expect(res.QueryResponse.Customer).toHaveLength(active.length)
    expect(new Set(res.QueryResponse.Customer.map((c) => c.Id)).size).toBe(active.length)
    expect(active.length).toBeGreaterThan(2000)
  })

  it('gets inactive ones too when asked', async () => {
    const res = await call<{ QueryResponse: { Customer: unknown[] } }>('findCustomers', [
      { field: 'Active', value: [true, false], operator: 'IN' }, { field: 'fetchAll', value: true },
    ])
    expect(res.QueryResponse.Customer).toHaveLength(2500)
  })

  it('reads, creates, sparse-updates; stale SyncToken gives 5010, duplicate name 6240', async () => {
    const one = await call<{ Id: string; DisplayName: string }>('getCustomer', '1')
    expect(one.Id).toBe('1')
    expect(one.DisplayName).toBe(server.emulator.customer('1')?.DisplayName)

    const created = await call<{ Id: string; SyncToken: string; PrintOnCheckName: string }>('createCustomer', {
      DisplayName: "Contract O'Test", GivenName: 'Ann', FamilyName: 'Test',
    })
    expect(created.SyncToken).toBe('0')
    expect(created.PrintOnCheckName).toBe('Ann Test')

    const updated = await call<{ SyncToken: string; Notes: string; GivenName: string }>('updateCustomer', {
      Id: created.Id, SyncToken: '0', Notes: 'sparse',
    })
    expect(updated).toMatchObject({ SyncToken: '1', Notes: 'sparse', GivenName: 'Ann' })

    const stale = await call('updateCustomer', { Id: created.Id, SyncToken: '0', Notes: 'late' }).catch((e: unknown) => e)
    expect(faultOf(stale).Fault.Error[0]?.code).toBe('5010')

    const dup = await call('createCustomer', { DisplayName: "contract o'test" }).catch((e: unknown) => e)
    expect(faultOf(dup).Fault.Error[0]).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' })
  })

  it('changeDataCapture shows a change made after `since`', async () => {
    const since = new Date(Date.now() - 1000)
    const created = await call<{ Id: string }>('createCustomer', { DisplayName: 'CDC Contract Customer' })
    const res = await call<{ CDCResponse: { QueryResponse: { Customer?: { Id: string }[] }[] }[] }>(
      'changeDataCapture', ['Customer'], since,
    )
    const ids = res.CDCResponse[0]?.QueryResponse[0]?.Customer?.map((c) => c.Id) ?? []
    expect(ids).toContain(created.Id)
  })

  it('an expired access token gives 401 with the lower-case gateway fault', async () => {
    const tokens = server.emulator.issueTokens()
    server.emulator.expireAccessToken(tokens.access_token)
    const Ctor = QuickBooks as unknown as new (...args: unknown[]) => Qbo
    const expired = new Ctor('sandbox-qbo-client-id', 'sandbox-qbo-client-secret', tokens.access_token, false,
      server.emulator.realmId, true, false, 75, '2.0', tokens.refresh_token)
    expired.endpoint = `${server.url}/v3/company/`
    const err = await new Promise<unknown>((resolve) => {
      ;(expired.getCustomer as (id: string, cb: Cb) => void)('1', (e) => resolve(e))
    })
    const res = (err as { response: { status: number; headers: Record<string, string>; data: { fault: { error: { code: string; message: string }[]; type: string } } } }).response
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer realm="Intuit", error="invalid_token"')
    expect(res.data.fault.type).toBe('AUTHENTICATION')
    expect(res.data.fault.error[0]).toMatchObject({ code: '3200', message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' })
  })
})
