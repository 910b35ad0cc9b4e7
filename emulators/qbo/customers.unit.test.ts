/** @module emulators/qbo/customers.unit.test — Customer business rules, through the Hono app in-process. */
import { beforeEach, describe, expect, it } from 'vitest'
import { createQboEmulator, type QboEmulator } from './index.js'
import { formatEnvelopeTime, formatMetaTime } from './time.js'

let emu: QboEmulator
let auth: Record<string, string>
const base = () => `/v3/company/${emu.realmId}`
const post = async (body: unknown, qs = '') => {
  const res = await emu.app.request(`${base()}/customer${qs}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}
const code = (r: { body: Record<string, any> }) => r.body.Fault?.Error?.[0]?.code as string | undefined // eslint-disable-line @typescript-eslint/no-explicit-any

beforeEach(() => {
  emu = createQboEmulator({
    data: { customers: [{ Id: '1', DisplayName: 'Parent Co', CompanyName: 'Parent Co' }], vendors: [{ Id: '2', DisplayName: 'Vendor Inc' }] },
  })
  auth = { authorization: `Bearer ${emu.issueTokens().access_token}` }
})

describe('customer rules', () => {
  it('fills defaults as QBO does and takes Ids from the shared counter', async () => {
    const r = await post({ GivenName: 'Jane', FamilyName: 'Doe' })
    expect(r.status).toBe(200)
    expect(r.body.Customer).toMatchObject({
      Id: '3', SyncToken: '0', DisplayName: 'Jane Doe', PrintOnCheckName: 'Jane Doe', FullyQualifiedName: 'Jane Doe',
      PreferredDeliveryMethod: 'Print', CurrencyRef: { value: 'USD' }, domain: 'QBO', sparse: false, Active: true, Job: false,
      Taxable: true, DefaultTaxCodeRef: { value: '2' },
    })
    expect(r.body.Customer.MetaData.CreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/)
    expect(r.body.time).toMatch(/\.\d{3}-0[78]:00$/)
    expect(JSON.stringify(r.body)).not.toContain('null')
    expect((await post({ DisplayName: 'X Corp', CompanyName: 'X Holdings' })).body.Customer.PrintOnCheckName).toBe('X Holdings')
  })

  it('enforces names: duplicates across entities and case, separators, lengths, e-mail', async () => {
    expect(code(await post({ DisplayName: 'vendor inc' }))).toBe('6240')
    expect(code(await post({ DisplayName: 'PARENT CO' }))).toBe('6240')
    expect(code(await post({ DisplayName: 'a:b' }))).toBe('6000')
    expect(code(await post({ DisplayName: 'tab\there' }))).toBe('6000')
    const long = await post({ DisplayName: 'ok', Title: 'x'.repeat(17) })
    expect(long.body.Fault.Error[0]).toMatchObject({ code: '2050', element: 'Title' })
    expect(code(await post({ DisplayName: 'ok', PrimaryEmailAddr: { Address: 'nope' } }))).toBe('6000')
    expect(code(await post({ DisplayName: 'ok', Bogus: 1 }))).toBe('2010')
    expect(code(await post({ Notes: 'no name' }))).toBe('2020')
  })

  it('updates: stale token, no-op keeps the version, deactivation suffix, sub-customer FQN and rename', async () => {
    const child = (await post({ DisplayName: 'Job A', ParentRef: { value: '1' } })).body.Customer
    expect(child).toMatchObject({ Job: true, Level: 1, FullyQualifiedName: 'Parent Co:Job A' })
    // Sub-customers may share a DisplayName with a top-level customer (FQN differs).
    expect((await post({ DisplayName: 'Job A' })).status).toBe(200)

    const noop = await post({ Id: child.Id, SyncToken: '0', sparse: true, DisplayName: 'Job A' })
    expect(noop.body.Customer.SyncToken).toBe('0')
    expect(code(await post({ Id: child.Id, SyncToken: '7', sparse: true, Notes: 'x' }))).toBe('5010')

    const parent = await post({ Id: '1', SyncToken: '0', sparse: true, DisplayName: 'Renamed Co' })
    expect(parent.body.Customer.SyncToken).toBe('1')
    expect(emu.customer(child.Id)?.FullyQualifiedName).toBe('Renamed Co:Job A')

    const off = await post({ Id: child.Id, SyncToken: emu.customer(child.Id)?.SyncToken, sparse: true, Active: false }, '?operation=update')
    expect(off.body.Customer).toMatchObject({ Active: false, DisplayName: 'Job A (deleted)', FullyQualifiedName: 'Renamed Co:Job A (deleted)' })
    const on = await post({ Id: child.Id, SyncToken: off.body.Customer.SyncToken, sparse: true, Active: true })
    expect(on.body.Customer).toMatchObject({ Active: true, DisplayName: 'Job A' })
  })

  it('limits nesting to four levels below a top-level customer', async () => {
    let parent = '1'
    for (let level = 1; level <= 4; level += 1) parent = (await post({ DisplayName: `L${level}`, ParentRef: { value: parent } })).body.Customer.Id
    expect(emu.customer(parent)?.Level).toBe(4)
    expect(code(await post({ DisplayName: 'L5', ParentRef: { value: parent } }))).toBe('6000')
  })

  it('reads: 2030 for a non-numeric id, 610 for an unknown one, 500 for an unknown path', async () => {
    const get = async (p: string) => (await (await emu.app.request(`${base()}${p}`, { headers: auth })).json()) as { Fault: { Error: { code: string }[] } }
    expect((await get('/customer/1.5')).Fault.Error[0]?.code).toBe('2030')
    expect((await get('/customer/999')).Fault.Error[0]?.code).toBe('610')
    expect((await get('/customer/1/5')).Fault.Error[0]?.code).toBe('500')
  })
})

describe('QBO time formats', () => {
  it('writes Pacific time with the DST offset', () => {
    expect(formatMetaTime(Date.parse('2020-09-29T12:58:16.187Z'))).toBe('2020-09-29T05:58:16-07:00')
    expect(formatEnvelopeTime(Date.parse('2020-09-29T12:58:16.187Z'))).toBe('2020-09-29T05:58:16.187-07:00')
    expect(formatMetaTime(Date.parse('2015-11-05T22:32:00Z'))).toBe('2015-11-05T14:32:00-08:00')
  })
})
