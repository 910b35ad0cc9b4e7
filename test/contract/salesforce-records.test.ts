/**
 * Contract: single-record REST through jsforce — describe/describeGlobal shapes against the
 * recorded describe, create/retrieve/update/destroy, upsert by external ID (201/200/300/404),
 * relationship references by external ID, and the validation messages of api-facts B.5 / Addendum §3.
 */
import { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shapeOf, startSandbox, VERSION } from '../fixtures/salesforce/harness.js'
import shapes from '../fixtures/salesforce/shapes.json' with { type: 'json' }

let sandbox: Awaited<ReturnType<typeof startSandbox>>
let conn: Connection

beforeAll(async () => {
  sandbox = await startSandbox({ data: { accounts: [{ Name: 'Cool Cars' }] } })
  conn = await sandbox.connect()
})
afterAll(() => sandbox.close())

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection') }, (e: Error & { errorCode?: string; data?: unknown }) => e)

describe('describe', () => {
  it('describes QBO_Customer__c from the package with the recorded key set', async () => {
    const d = (await conn.sobject('QBO_Customer__c').describe()) as unknown as Record<string, unknown> & { fields: Record<string, unknown>[] }
    expect(Object.keys(d).sort()).toEqual([...shapes.describe.objectKeys].sort())
    for (const f of d.fields) expect(Object.keys(f).sort()).toEqual([...shapes.describe.fieldKeys].sort())
    const byName = new Map(d.fields.map((f) => [f.name as string, f]))
    expect(d.label).toBe('QBO Customer')
    expect(d.labelPlural).toBe('QBO Customers')
    expect(byName.get('Name')).toMatchObject({ type: 'string', length: 80, label: 'QBO Customer Name' })
    expect(byName.get('QBO_Key__c')).toMatchObject({ type: 'string', length: 50, externalId: true, unique: true, idLookup: true })
    expect(byName.get('Account__c')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account__r', label: 'Account' })
    expect(byName.get('Email__c')).toMatchObject({ type: 'email', length: 80 })
    expect(byName.get('Notes__c')).toMatchObject({ type: 'textarea', length: 4000, extraTypeInfo: 'plaintextarea' })
    expect(byName.get('Balance__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 })
    expect(byName.get('Active__c')).toMatchObject({ type: 'boolean', nillable: false, defaultValue: false })
    expect((byName.get('Link_Status__c')?.picklistValues as { value: string }[]).map((p) => p.value)).toEqual([
      'Matched', 'Created', 'Manual', 'Inherited', 'Unmapped', 'Ambiguous', 'Ignored',
    ])
  })

  it('describes Account with the standard lengths and the package field', async () => {
    const d = await conn.sobject('Account').describe()
    const byName = new Map(d.fields.map((f) => [f.name, f]))
    expect(byName.get('Name')).toMatchObject({ length: 255, nillable: false, label: 'Account Name' })
    expect(byName.get('BillingStreet')).toMatchObject({ type: 'textarea', length: 255 })
    expect(byName.get('BillingCity')).toMatchObject({ length: 40 })
    expect(byName.get('QBO_Source_Key__c')).toMatchObject({ externalId: true, unique: true, length: 50 })
    expect(d.childRelationships.map((r) => r.relationshipName)).toContain('QBO_Customers__r')
  })

  it('describes every standard Account field of the Object Reference, with its type, length and properties', async () => {
    type Field = Record<string, unknown> & { name: string; picklistValues: { value: string; active: boolean }[] }
    const d = (await conn.sobject('Account').describe()) as unknown as { fields: Field[] }
    const byName = new Map(d.fields.map((f) => [f.name, f]))
    const standard = d.fields.filter((f) => f.custom === false).map((f) => f.name)
    // Object Reference, "Account" (standard fields of an org without person accounts) and
    // "Address Compound Fields": 63 fields.
    const address = (p: string) => ['Street', 'City', 'State', 'PostalCode', 'Country', 'StateCode', 'CountryCode', 'Latitude', 'Longitude', 'GeocodeAccuracy', 'Address'].map((s) => `${p}${s}`)
    expect([...standard].sort()).toEqual([
      'Id', 'IsDeleted', 'MasterRecordId', 'Name', 'Type', 'ParentId', ...address('Billing'), ...address('Shipping'),
      'Phone', 'Fax', 'AccountNumber', 'Website', 'PhotoUrl', 'Sic', 'Industry', 'AnnualRevenue', 'NumberOfEmployees',
      'Ownership', 'TickerSymbol', 'Description', 'Rating', 'Site', 'OwnerId', 'CreatedDate', 'CreatedById',
      'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'LastActivityDate', 'LastViewedDate', 'LastReferencedDate',
      'Jigsaw', 'JigsawCompanyId', 'CleanStatus', 'AccountSource', 'DunsNumber', 'Tradestyle', 'NaicsCode', 'NaicsDesc',
      'YearStarted', 'SicDesc', 'DandbCompanyId', 'OperatingHoursId',
    ].sort())
    expect(d.fields.filter((f) => f.custom === true).map((f) => f.name)).toEqual(['QBO_Source_Key__c'])
    // Every field answers the same describe property set, as jsforce's DescribeSObjectResult types it.
    const keys = Object.keys(byName.get('Id') ?? {}).sort()
    for (const f of d.fields) expect(Object.keys(f).sort(), f.name).toEqual(keys)
    const pick = (name: string, ...props: string[]) => Object.fromEntries(props.map((p) => [p, byName.get(name)?.[p]]))
    const props = ['type', 'length', 'nillable', 'createable', 'updateable', 'compoundFieldName']
    // Lengths and types as the Object Reference gives them ("Can have up to 40 characters"…).
    expect(pick('Name', ...props, 'nameField', 'idLookup')).toEqual({ type: 'string', length: 255, nillable: false, createable: true, updateable: true, compoundFieldName: null, nameField: true, idLookup: false })
    expect(pick('BillingCity', ...props)).toEqual({ type: 'string', length: 40, nillable: true, createable: true, updateable: true, compoundFieldName: 'BillingAddress' })
    expect(pick('BillingStreet', ...props, 'extraTypeInfo')).toEqual({ type: 'textarea', length: 255, nillable: true, createable: true, updateable: true, compoundFieldName: 'BillingAddress', extraTypeInfo: 'plaintextarea' })
    expect(pick('ShippingCountry', ...props)).toEqual({ type: 'string', length: 80, nillable: true, createable: true, updateable: true, compoundFieldName: 'ShippingAddress' })
    expect(pick('BillingLatitude', 'type', 'precision', 'scale')).toEqual({ type: 'double', precision: 18, scale: 15 })
    expect(pick('NumberOfEmployees', 'type', 'digits', 'precision')).toEqual({ type: 'int', digits: 8, precision: 0 })
    expect(pick('AccountNumber', 'type', 'length')).toEqual({ type: 'string', length: 40 })
    expect(pick('DunsNumber', 'type', 'length')).toEqual({ type: 'string', length: 9 })
    // "Compound form of the billing address. Read-only."
    expect(pick('BillingAddress', ...props)).toEqual({ type: 'address', length: 0, nillable: true, createable: false, updateable: false, compoundFieldName: null })
    expect(pick('PhotoUrl', 'createable', 'updateable')).toEqual({ createable: false, updateable: false })
    expect(pick('OwnerId', 'type', 'referenceTo', 'relationshipName', 'nillable', 'defaultedOnCreate')).toEqual({ type: 'reference', referenceTo: ['User'], relationshipName: 'Owner', nillable: false, defaultedOnCreate: true })
    // Restricted picklists with the documented values.
    const values = (name: string) => byName.get(name)?.picklistValues.map((v) => v.value)
    expect(byName.get('BillingGeocodeAccuracy')?.restrictedPicklist).toBe(true)
    expect(values('BillingGeocodeAccuracy')).toEqual(['Address', 'NearAddress', 'Block', 'Street', 'ExtendedZip', 'Zip', 'Neighborhood', 'City', 'County', 'State', 'Unknown'])
    expect(values('CleanStatus')).toEqual(['Matched', 'Different', 'Acknowledged', 'NotFound', 'Inactive', 'Pending', 'SelectMatch', 'Skipped'])
    expect(values('Rating')).toEqual(['Hot', 'Warm', 'Cold'])
    expect(values('BillingCountryCode')).toEqual(expect.arrayContaining(['US', 'CA', 'GB', 'FR', 'DE', 'JP', 'AU']))
    expect(values('BillingCountryCode')).not.toContain('UK')
    expect(values('ShippingStateCode')).toEqual(expect.arrayContaining(['CA', 'NY', 'DC', 'ON', 'QC']))
  })

  it('refuses a value outside a restricted address picklist, and accepts a documented one', async () => {
    const bad = await caught(conn.sobject('Account').create({ Name: 'Geo', BillingGeocodeAccuracy: 'Roughly' } as never))
    expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST')
    const ok = (await conn.sobject('Account').create({ Name: 'Geo', BillingGeocodeAccuracy: 'Zip', BillingCountryCode: 'FR' } as never)) as unknown as { success: boolean }
    expect(ok.success).toBe(true)
  })

  it('reads compound addresses as Salesforce returns them, and refuses to write them', async () => {
    const { id } = await conn.sobject('Account').create({
      Name: 'Addressed',
      BillingStreet: '525 S. Lexington Ave',
      BillingCity: 'Burlington',
      BillingState: 'NC',
      BillingPostalCode: '27215',
      BillingCountry: 'USA',
      BillingLatitude: 36.0957,
    })
    const [rec] = (await conn.query(`SELECT BillingAddress, ShippingAddress FROM Account WHERE Id = '${id as string}'`)).records as Record<string, unknown>[]
    expect(rec?.BillingAddress).toEqual({
      city: 'Burlington',
      country: 'USA',
      countryCode: null,
      geocodeAccuracy: null,
      latitude: 36.0957,
      longitude: null,
      postalCode: '27215',
      state: 'NC',
      stateCode: null,
      street: '525 S. Lexington Ave',
    })
    expect(rec?.ShippingAddress).toBeNull()
    await conn.sobject('Account').update({ Id: id as string, BillingCity: 'Durham', BillingStreet: null } as never)
    const again = (await conn.sobject('Account').retrieve(id as string)) as Record<string, { city: string; street: string | null }>
    expect(again.BillingAddress).toMatchObject({ city: 'Durham', street: null })
    const refused = await caught(conn.sobject('Account').create({ Name: 'x', BillingAddress: { city: 'Paris' } } as never))
    expect(refused.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE')
  })

  it('lists objects in describeGlobal', async () => {
    const g = await conn.describeGlobal()
    expect(g.sobjects.map((o) => o.name)).toEqual(expect.arrayContaining(['Account', 'Contact', 'User', 'QBO_Customer__c']))
    expect(g.sobjects.find((o) => o.name === 'QBO_Customer__c')).toMatchObject({ custom: true, keyPrefix: expect.stringMatching(/^a0/) })
  })
})

describe('create, retrieve, update, destroy', () => {
  it('round-trips a record with system fields and 18-character Ids', async () => {
    const created = await conn.sobject('Account').create({ Name: '  Padded Name  ', Website: 'www.example.com' })
    expect(shapeOf(created as never)).toEqual(shapes.createResult)
    const id = created.id as string
    expect(id).toMatch(/^001[a-zA-Z0-9]{15}$/)
    const rec = (await conn.sobject('Account').retrieve(id)) as Record<string, unknown>
    expect(rec.Name).toBe('Padded Name') // trimmed on save
    expect(rec.CreatedDate).toMatch(new RegExp(shapes.formats.datetime))
    expect(rec.OwnerId).toBe(sandbox.emulator.userId)
    expect(rec.Phone).toBeNull()
    // A 15-character Id is accepted too.
    const by15 = (await conn.sobject('Account').retrieve(id.slice(0, 15))) as Record<string, unknown>
    expect(by15.Id).toBe(id)
    const updated = await conn.sobject('Account').update({ Id: id, Phone: '555-0100' })
    expect(updated.success).toBe(true)
    expect(((await conn.sobject('Account').retrieve(id)) as Record<string, unknown>).Phone).toBe('555-0100')
    await conn.sobject('Account').destroy(id)
    const gone = await caught(conn.sobject('Account').retrieve(id))
    expect(gone.errorCode).toBe('ENTITY_IS_DELETED')
  })

  it("makes each write as its token's user, and answers with the org's clock in Date", async () => {
    const clock = new Date('2031-05-06T07:08:09.500Z')
    const org = await startSandbox({ now: () => clock })
    try {
      const admin = await org.connect()
      const person = org.emulator.addUser('Pat', 'Lee')
      const asPerson = new Connection({ instanceUrl: org.url, accessToken: org.emulator.issueAccessToken(person), version: VERSION })
      const created = await admin.sobject('Account').create({ Name: 'Whose' })
      await asPerson.sobject('Account').update({ Id: created.id as string, Phone: '555-0101' })
      const [row] = (await admin.query<Record<string, unknown>>(`SELECT CreatedById, LastModifiedById, LastModifiedBy.Name, SystemModstamp FROM Account WHERE Id = '${created.id}'`)).records
      expect(row).toMatchObject({ CreatedById: org.emulator.userId, LastModifiedById: person, LastModifiedBy: { Name: 'Pat Lee' }, SystemModstamp: '2031-05-06T07:08:09.500+0000' })
      // Date (RFC 9110 §6.6.1) is the org's clock, to the second, not the host's.
      const res = await fetch(`${org.url}/services/data/v${VERSION}/limits`, { headers: { authorization: `Bearer ${org.emulator.issueAccessToken()}` } })
      expect(res.headers.get('date')).toBe('Tue, 06 May 2031 07:08:09 GMT')
    } finally {
      await org.close()
    }
  })

  it('defaults a custom record Name to its Id', async () => {
    const r = await conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'name-default' })
    const rec = (await conn.sobject('QBO_Customer__c').retrieve(r.id as string)) as Record<string, unknown>
    expect(rec.Name).toBe(r.id)
  })
})

describe('trailing slashes', () => {
  // Recorded clients POST to `/sobjects/Account/` (recording create-record: 201); Salesforce
  // treats a trailing slash on any REST path as the path without it.
  it('answers a create, a retrieve, a query and /limits sent with a trailing slash', async () => {
    const created = (await conn.request({
      method: 'POST',
      url: `/services/data/v${VERSION}/sobjects/Account/`,
      body: JSON.stringify({ Name: 'Slashed' }),
      headers: { 'content-type': 'application/json' },
    })) as { id: string; success: boolean }
    expect(created).toMatchObject({ success: true, errors: [] })
    const rec = (await conn.request(`/services/data/v${VERSION}/sobjects/Account/${created.id}/`)) as Record<string, unknown>
    expect(rec.Name).toBe('Slashed')
    const page = (await conn.request(`/services/data/v${VERSION}/query/?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Slashed'")}`)) as { totalSize: number }
    expect(page.totalSize).toBe(1)
    const limits = (await conn.request(`/services/data/v${VERSION}/limits/`)) as Record<string, unknown>
    expect(limits.DailyApiRequests).toBeDefined()
    const described = (await conn.request(`/services/data/v${VERSION}/sobjects/Account/describe/`)) as { name: string }
    expect(described.name).toBe('Account')
  })
})

describe('validation messages', () => {
  it('STRING_TOO_LONG uses the field label', async () => {
    const e = await caught(conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'k-long', Title__c: 'x'.repeat(17) }))
    expect(e.errorCode).toBe('STRING_TOO_LONG')
    expect(e.message).toBe(`Title: data value too large: ${'x'.repeat(17)} (max length=16)`)
    expect((e.data as { fields: string[] }).fields).toEqual(['Title__c'])
  })

  it('INVALID_EMAIL_ADDRESS, REQUIRED_FIELD_MISSING, restricted picklist, unknown field', async () => {
    const email = await caught(conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'k-mail', Email__c: 'not an email' }))
    expect(email.errorCode).toBe('INVALID_EMAIL_ADDRESS')
    expect(email.message).toBe('Email: invalid email address: not an email')
    const required = await caught(conn.sobject('Account').create({ Website: 'x.com' }))
    expect(required.errorCode).toBe('REQUIRED_FIELD_MISSING')
    expect(required.message).toBe('Required fields are missing: [Name]')
    const pick = await caught(conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'k-pick', Link_Status__c: 'Linked' }))
    expect(pick.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST')
    const unknown = await caught(conn.sobject('Account').create({ Name: 'x', Nope__c: 1 }))
    expect(unknown.errorCode).toBe('INVALID_FIELD')
    expect(unknown.message).toBe("No such column 'Nope__c' on sobject of type Account")
  })

  it('DUPLICATE_VALUE quotes a 15-character Id and has empty fields', async () => {
    const first = await conn.sobject('Account').create({ Name: 'Dup A', QBO_Source_Key__c: 'dup-1' })
    const e = await caught(conn.sobject('Account').create({ Name: 'Dup B', QBO_Source_Key__c: 'DUP-1' }))
    expect(e.errorCode).toBe('DUPLICATE_VALUE')
    expect(e.message).toBe(`duplicate value found: QBO_Source_Key__c duplicates value on record with id: ${(first.id as string).slice(0, 15)}`)
    expect((e.data as { fields: string[] }).fields).toEqual([])
  })

  it('checks lookups: MALFORMED_ID and INVALID_CROSS_REFERENCE_KEY', async () => {
    const malformed = await caught(conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'k-l1', Account__c: 'abc' }))
    expect(malformed.errorCode).toBe('MALFORMED_ID')
    const missing = await caught(conn.sobject('QBO_Customer__c').create({ QBO_Key__c: 'k-l2', Account__c: '001dM0000000zzzQAA' }))
    expect(missing.errorCode).toMatch(/MALFORMED_ID|INVALID_CROSS_REFERENCE_KEY/)
  })
})

describe('upsert by external ID', () => {
  it('creates (201, created:true) then updates (200, created:false)', async () => {
    const created = (await conn.sobject('QBO_Customer__c').upsert({ QBO_Key__c: '123-1', Name: 'Cool Cars' } as never, 'QBO_Key__c')) as unknown as { id: string }
    expect(shapeOf(created as never)).toEqual(shapes.upsertResult)
    expect(created).toMatchObject({ success: true, created: true })
    const updated = await conn.sobject('QBO_Customer__c').upsert({ QBO_Key__c: '123-1', Name: 'Cool Cars 2' } as never, 'QBO_Key__c')
    expect(updated).toMatchObject({ id: created.id, success: true, created: false })
  })

  it('answers 204 on update below v46.0', async () => {
    const token = sandbox.emulator.issueAccessToken()
    const res = await fetch(`${sandbox.url}/services/data/v45.0/sobjects/QBO_Customer__c/QBO_Key__c/123-1`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'old api' }),
    })
    expect(res.status).toBe(204)
  })

  it('sets lookups from relationship references by external ID', async () => {
    const acc = await conn.sobject('Account').create({ Name: 'Linked', QBO_Source_Key__c: 'src-9' })
    const parent = (await conn.sobject('QBO_Customer__c').upsert({ QBO_Key__c: '123-8', Name: 'Parent' } as never, 'QBO_Key__c')) as unknown as { id: string }
    const child = (await conn.sobject('QBO_Customer__c').upsert(
      { QBO_Key__c: '123-9', Name: 'Child', Parent_Customer__r: { QBO_Key__c: '123-8' }, Account__r: { QBO_Source_Key__c: 'src-9' } } as never,
      'QBO_Key__c',
    )) as unknown as { id: string }
    const rec = (await conn.sobject('QBO_Customer__c').retrieve(child.id as string)) as Record<string, unknown>
    expect(rec.Parent_Customer__c).toBe(parent.id)
    expect(rec.Account__c).toBe(acc.id)
    const e = await caught(conn.sobject('QBO_Customer__c').upsert({ QBO_Key__c: '123-10', Parent_Customer__r: { QBO_Key__c: 'nope' } } as never, 'QBO_Key__c'))
    expect(e.errorCode).toBe('INVALID_FIELD')
    expect(e.message).toBe('Foreign key external ID: nope not found for field QBO_Key__c in entity QBO_Customer__c')
  })

  it('answers 300 MULTIPLE_CHOICES with the matching record URLs, and 404 for an unknown field', async () => {
    await conn.sobject('Contact').create({ LastName: 'One', Email: 'same@example.com' })
    await conn.sobject('Contact').create({ LastName: 'Two', Email: 'SAME@example.com' })
    const multi = await caught(conn.sobject('Contact').upsert({ Email: 'same@example.com', LastName: 'X' } as never, 'Email'))
    expect(multi.name).toBe('MULTIPLE_CHOICES')
    expect(multi.data).toEqual([expect.stringMatching(new RegExp(`^/services/data/v${VERSION}/sobjects/Contact/003`)), expect.any(String)])
    const missing = await caught(conn.sobject('Account').upsert({ Namez: 'x', Name: 'x' } as never, 'Namez'))
    expect(missing.errorCode).toBe('NOT_FOUND')
    expect(missing.message).toBe('Provided external ID field does not exist or is not accessible: Namez')
  })

  it('honours updateOnly and reads records by external ID', async () => {
    const token = sandbox.emulator.issueAccessToken()
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/sobjects/QBO_Customer__c/QBO_Key__c/absent?updateOnly=true`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'x' }),
    })
    expect(res.status).toBe(404)
    const got = (await conn.request(`/services/data/v${VERSION}/sobjects/QBO_Customer__c/QBO_Key__c/123-1`)) as Record<string, unknown>
    expect(got.Name).toBe('old api')
  })
})
