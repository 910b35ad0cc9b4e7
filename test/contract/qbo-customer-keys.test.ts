/**
 * @module test/contract/qbo-customer-keys
 * The customers the QBO emulator returns carry the keys a real sandbox company's customers carry,
 * read through node-quickbooks 2.0.50: the attributes of Intuit's Customer entity reference, and
 * `V4IDPseudonym` (an opaque per-customer id) and `ClientEntityId` "0" in query results,
 * `V4IDPseudonym` on a read, neither in a create or update response, and a query without
 * `DefaultTaxCodeRef` — shapes learned from recorded traffic, written here as expectations — and
 * `MiddleName` where Intuit's sample company gives one. Sample company, generated data and
 * created customers alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import QuickBooks from 'node-quickbooks'
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.js'
import { generateSandboxData } from '../../emulators/shared/generate.js'
import { sampleSandboxData } from '../../emulators/shared/sample-data.js'

type Cb = (err: unknown, body: unknown) => void
type Qbo = Record<string, (...args: unknown[]) => unknown> & { endpoint: string }
type Customer = Record<string, unknown> & { Id: string; DisplayName: string; SyncToken: string }
type Server = { url: string; close(): Promise<void>; emulator: QboEmulator }

const servers: Server[] = []
afterAll(async () => Promise.all(servers.map((s) => s.close())))

async function connect(data: NonNullable<Parameters<typeof startQboEmulator>[0]>['data']): Promise<{ server: Server; call: <T>(m: string, ...a: unknown[]) => Promise<T> }> {
  const server = await startQboEmulator({ data })
  servers.push(server)
  const tokens = server.emulator.issueTokens()
  const Ctor = QuickBooks as unknown as new (...args: unknown[]) => Qbo
  const qbo = new Ctor('sandbox-qbo-client-id', 'sandbox-qbo-client-secret', tokens.access_token, false,
    server.emulator.realmId, true, false, 75, '2.0', tokens.refresh_token)
  qbo.endpoint = `${server.url}/v3/company/`
  const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      ;(qbo[method] as (...a: unknown[]) => void)(...args, ((err, body) => (err ? reject(err) : resolve(body as T))) as Cb)
    })
  return { server, call }
}

/** Every customer, inactive ones included (a query hides them unless it names Active). */
const allCustomers = async (call: <T>(m: string, ...a: unknown[]) => Promise<T>) =>
  (await call<{ QueryResponse: { Customer: Customer[] } }>('findCustomers', [
    { field: 'Active', value: [true, false], operator: 'IN' }, { field: 'fetchAll', value: true },
  ])).QueryResponse.Customer

// Intuit's Customer entity reference (API v3, minor version 75): the attributes every customer
// carries whatever its data — system-defined ones (Id, SyncToken, MetaData, FullyQualifiedName,
// Balance, BalanceWithJobs, IsProject, domain/sparse of the JSON envelope) and the defaulted ones
// (Active, Job, BillWithParent, Taxable, CurrencyRef, PreferredDeliveryMethod, PrintOnCheckName) —
// plus V4IDPseudonym and ClientEntityId, which a sandbox company's customers carry in query results
// though the reference does not list them (shape learned from recorded traffic).
const ALWAYS_IN_QUERY = [
  'Active', 'Balance', 'BalanceWithJobs', 'BillWithParent', 'ClientEntityId', 'CurrencyRef', 'DisplayName',
  'FullyQualifiedName', 'Id', 'IsProject', 'Job', 'MetaData', 'PreferredDeliveryMethod', 'PrintOnCheckName',
  'SyncToken', 'Taxable', 'V4IDPseudonym', 'domain', 'sparse',
]
/** The other Customer attributes of the entity reference a listed customer may carry (name parts, contact details, hierarchy). */
const DOCUMENTED = new Set([
  ...ALWAYS_IN_QUERY, 'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'CompanyName', 'PrimaryEmailAddr',
  'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax', 'WebAddr', 'BillAddr', 'ShipAddr', 'Notes', 'ParentRef', 'Level',
  'ResaleNum', 'SalesTermRef', 'PaymentMethodRef', 'OpenBalanceDate', 'PrimaryTaxIdentifier', 'CustomerTypeRef',
])
/** A create response (Intuit "Create a customer" response): no pseudonym, no ClientEntityId, DefaultTaxCodeRef for a taxable customer. */
const CREATE_RESPONSE = [
  'Active', 'Balance', 'BalanceWithJobs', 'BillWithParent', 'CurrencyRef', 'DefaultTaxCodeRef', 'DisplayName',
  'FullyQualifiedName', 'GivenName', 'FamilyName', 'CompanyName', 'PrimaryEmailAddr', 'Id', 'IsProject', 'Job',
  'MetaData', 'PreferredDeliveryMethod', 'PrintOnCheckName', 'SyncToken', 'Taxable', 'domain', 'sparse',
].sort()
/** V4IDPseudonym's form: `002098` and 32 lower-case hex digits (learned from recorded traffic). */
const PSEUDONYM = /^002098[0-9a-f]{32}$/
/** Our own create body (a taxable company customer). */
const CREATE_REQUEST = { DisplayName: 'Keyset Kitchens', GivenName: 'Rosa', FamilyName: 'Keyes', CompanyName: 'Keyset Kitchens', PrimaryEmailAddr: { Address: 'rosa@keyset.example' } }

const keysOf = (c: Customer) => Object.keys(c).filter((k) => ALWAYS_IN_QUERY.includes(k)).sort()

describe('customer key sets, as a sandbox company returns them', () => {
  let sample: Awaited<ReturnType<typeof connect>>
  beforeAll(async () => {
    sample = await connect(sampleSandboxData().qbo)
  })

  it('gives every sample-company customer in a query the documented key set, with a pseudonym and ClientEntityId "0"', async () => {
    const customers = await allCustomers(sample.call)
    expect(customers.length).toBeGreaterThan(25)
    for (const c of customers) {
      expect(keysOf(c), c.DisplayName).toEqual([...ALWAYS_IN_QUERY].sort())
      expect(Object.keys(c).filter((k) => !DOCUMENTED.has(k)), c.DisplayName).toEqual([])
      expect(c.DefaultTaxCodeRef, c.DisplayName).toBeUndefined()
      expect(c.ClientEntityId).toBe('0')
      expect(c.V4IDPseudonym).toMatch(PSEUDONYM)
    }
    expect(new Set(customers.map((c) => c.V4IDPseudonym)).size).toBe(customers.length)
    // Intuit's sample company names this one with a middle name and no company (qbo_api all/customers.yml).
    expect(customers.find((c) => c.DisplayName === 'Rondonuwu Fruit and Vegi')).toMatchObject({ GivenName: 'Rondonuwu', MiddleName: 'Fruit', FamilyName: 'and Vegi' })
    expect(customers.find((c) => c.DisplayName === 'Rondonuwu Fruit and Vegi')?.CompanyName).toBeUndefined()
  })

  it('keeps each pseudonym across a reset (it identifies the customer)', async () => {
    const before = await allCustomers(sample.call)
    await fetch(`${sample.server.url}/__sandbox/reset`, { method: 'POST' })
    const after = await allCustomers(sample.call)
    expect(after.map((c) => [c.Id, c.V4IDPseudonym])).toEqual(before.map((c) => [c.Id, c.V4IDPseudonym]))
  })

  it('answers a create and an update without V4IDPseudonym/ClientEntityId, a read with V4IDPseudonym, a query with both', async () => {
    const created = await sample.call<Customer>('createCustomer', CREATE_REQUEST)
    expect(Object.keys(created).sort()).toEqual(CREATE_RESPONSE)
    const read = await sample.call<Customer>('getCustomer', created.Id)
    expect(Object.keys(read).sort()).toEqual([...CREATE_RESPONSE, 'V4IDPseudonym'].sort())
    expect(read.V4IDPseudonym).toMatch(PSEUDONYM)
    const updated = await sample.call<Customer>('updateCustomer', { Id: created.Id, SyncToken: created.SyncToken, sparse: true, DisplayName: `${created.DisplayName} 2` })
    expect(Object.keys(updated).sort()).toEqual(CREATE_RESPONSE)
    const listed = (await allCustomers(sample.call)).find((c) => c.Id === created.Id)
    // Listed, a taxable customer carries no DefaultTaxCodeRef (its create and read responses do).
    expect(Object.keys(listed ?? {}).sort()).toEqual([...CREATE_RESPONSE.filter((k) => k !== 'DefaultTaxCodeRef'), 'V4IDPseudonym', 'ClientEntityId'].sort())
    expect(listed?.V4IDPseudonym).toBe(read.V4IDPseudonym)
  })

  it('gives generated customers the same key set', async () => {
    // Generated customers may also carry other documented fields (AlternatePhone…).
    const generated = await connect(generateSandboxData({ customers: 300, seed: 7 }).qbo)
    const customers = await allCustomers(generated.call)
    expect(customers).toHaveLength(300)
    for (const c of customers) {
      expect(keysOf(c), c.DisplayName).toEqual([...ALWAYS_IN_QUERY].sort())
      expect(Object.keys(c).filter((k) => !DOCUMENTED.has(k)), c.DisplayName).toEqual([])
      expect(c.V4IDPseudonym).toMatch(PSEUDONYM)
    }
    expect(new Set(customers.map((c) => c.V4IDPseudonym)).size).toBe(300)
  })
})
