import { describe, expect, it } from 'vitest'
import { SWITCHABLE_FIELDS } from './fields.js'
import { mapCustomer } from './map.js'
import { indexAccounts, normalizeName } from './link.js'
import type { AccountRef, ExistingRecord, RecordState, SourceCustomer } from './model.js'
import { accountSourceKey, accountsToCheck, namesToMatch, planLinks, planSync, compactRecords, waitingForSuggestions, withSuggestedLinks, type PlanInput } from './plan.js'
import { buildSuggestionIndex } from './suggest.js'

const REALM = '9341452631925553'
const cust = (id: string, displayName: string, extra: Partial<SourceCustomer> = {}): SourceCustomer => ({
  realmId: REALM, qboId: id, displayName, isSubCustomer: false, level: 0, billWithParent: false,
  taxable: false, isProject: false, active: true, syncToken: '0', ...extra,
})
const all = new Set(SWITCHABLE_FIELDS)
const input = (p: Partial<PlanInput> & { customers: SourceCustomer[] }, accounts: AccountRef[] = []): PlanInput => ({
  realmId: REALM, existing: new Map(), states: new Map(), accounts: indexAccounts(accounts),
  settings: { createAccounts: false, enabledFields: all }, now: '2026-11-25T00:00:00.000Z', ...p,
})
const byKey = (plan: ReturnType<typeof planSync>, id: string) => plan.items.find((i) => i.qboId === id)!
/** A record in Salesforce exactly as Tally would have written it. */
const existingFor = (c: SourceCustomer, sfId: string, accountId: string | null, linkStatus: ExistingRecord['linkStatus']): ExistingRecord => ({
  id: sfId, key: `${REALM}-${c.qboId}`, accountId, linkStatus, fields: { ...mapCustomer(c, all).fields, Parent_Customer__c: null },
})

describe('planSync mapping rules (contract §5)', () => {
  it('matches the one Account with the same name, ignoring case and spacing', () => {
    const plan = planSync(input({ customers: [cust('1', "Amy's Bird  Sanctuary "), cust('2', 'cool cars')] }, [
      { id: '001A', name: "amy's bird sanctuary" }, { id: '001B', name: 'Cool   Cars' }, { id: '001C', name: 'Other' },
    ]))
    expect(byKey(plan, '1').link).toMatchObject({ status: 'Matched', accountId: '001A' })
    expect(byKey(plan, '2').link).toMatchObject({ status: 'Matched', accountId: '001B' })
    expect(byKey(plan, '1').action).toBe('create')
    expect(byKey(plan, '1').write?.fields['Account__c']).toBe('001A')
  })

  it('several Accounts with the name: Ambiguous with candidates, no link', () => {
    const plan = planSync(input({ customers: [cust('1', 'Acme')] }, [{ id: 'a', name: 'ACME' }, { id: 'b', name: 'acme' }]))
    const item = byKey(plan, '1')
    expect(item.link.status).toBe('Ambiguous')
    expect(item.link.candidates?.map((c) => c.id).sort()).toEqual(['a', 'b'])
    expect(item.write?.fields['Account__c']).toBeUndefined()
  })

  it('no Account: Unmapped with Create Accounts off, one created Account per name with it on', () => {
    const customers = [cust('7', 'New Co'), cust('3', 'NEW  co'), cust('9', 'Gone Co (deleted)', { active: false })]
    const off = planSync(input({ customers }))
    expect(off.items.map((i) => i.link.status)).toEqual(['Unmapped', 'Unmapped', 'Unmapped'])
    expect(off.accountsToCreate).toEqual([])
    const on = planSync(input({ customers, settings: { createAccounts: true, enabledFields: all } }))
    expect(on.accountsToCreate).toEqual([{ sourceKey: accountSourceKey('new co'), name: 'NEW co' }])
    expect(byKey(on, '7').link).toMatchObject({ status: 'Created', accountSourceKey: accountSourceKey('new co') })
    expect(byKey(on, '9').link.status).toBe('Unmapped') // inactive customers never create Accounts
  })

  it('an inactive customer matches its Account without QBO\'s " (deleted)" suffix', () => {
    const plan = planSync(input({ customers: [cust('5', 'Thrifty Meats (deleted)', { active: false })] }, [{ id: 'T', name: 'Thrifty Meats' }]))
    expect(byKey(plan, '5').link).toMatchObject({ status: 'Matched', accountId: 'T' })
  })

  it('a link a person made sticks: Manual status, or Account__c not what Tally wrote (clearing too)', () => {
    const a = cust('1', 'Acme'), b = cust('2', 'Beta'), c = cust('3', 'Gamma')
    const existing = new Map([
      [`${REALM}-1`, existingFor(a, 'r1', 'X', 'Manual')],
      [`${REALM}-2`, existingFor(b, 'r2', 'Y', 'Matched')],
      [`${REALM}-3`, existingFor(c, 'r3', null, 'Matched')],
    ])
    const states = new Map<string, RecordState>([
      [`${REALM}-2`, { key: `${REALM}-2`, salesforceId: 'r2', accountWritten: 'B-old', linkStatus: 'Matched' }],
      [`${REALM}-3`, { key: `${REALM}-3`, salesforceId: 'r3', accountWritten: 'G', linkStatus: 'Matched' }],
    ])
    const accounts = [{ id: 'A', name: 'Acme' }, { id: 'B', name: 'Beta' }, { id: 'G', name: 'Gamma' }]
    const plan = planSync(input({ customers: [a, b, c], existing, states }, accounts))
    expect(byKey(plan, '1')).toMatchObject({ action: 'unchanged', link: { status: 'Manual', accountId: 'X' } })
    expect(byKey(plan, '2').link).toMatchObject({ status: 'Manual', accountId: 'Y' })
    expect(byKey(plan, '2').write?.fields).toEqual({ Link_Status__c: 'Manual', Last_Synced__c: '2026-11-25T00:00:00.000Z' })
    expect(byKey(plan, '3').link).toMatchObject({ status: 'Manual', accountId: null })
    expect(namesToMatch({ realmId: REALM, customers: [a, b, c], existing, states, settings: { createAccounts: false, enabledFields: all } })).toEqual([])
  })

  it('Matched and Created links keep their Account; nothing unchanged is written', () => {
    const a = cust('1', 'Acme')
    const existing = new Map([[`${REALM}-1`, existingFor(a, 'r1', 'OLD', 'Matched')]])
    const states = new Map([[`${REALM}-1`, { key: `${REALM}-1`, salesforceId: 'r1', accountWritten: 'OLD', linkStatus: 'Matched' as const }]])
    const plan = planSync(input({ customers: [a], existing, states }, [{ id: 'NEW', name: 'Acme' }]))
    expect(byKey(plan, '1')).toMatchObject({ action: 'unchanged', link: { status: 'Matched', accountId: 'OLD' } })
  })

  it('sub-customers inherit the top-level parent\'s Account, however it was linked', () => {
    const top = cust('10', 'Freeman Sporting Goods')
    const child = cust('11', '0969 Ocean View Road', { isSubCustomer: true, parentQboId: '10', level: 1 })
    const grandchild = cust('12', 'Phase 2', { isSubCustomer: true, parentQboId: '11', level: 2, isProject: true })
    const plan = planSync(input({ customers: [grandchild, child, top], settings: { createAccounts: true, enabledFields: all } }))
    const key = accountSourceKey(normalizeName('Freeman Sporting Goods'))
    expect(byKey(plan, '10').link).toMatchObject({ status: 'Created', accountSourceKey: key })
    expect(byKey(plan, '11').link).toMatchObject({ status: 'Inherited', accountSourceKey: key })
    expect(byKey(plan, '12').link).toMatchObject({ status: 'Inherited', accountSourceKey: key })
    expect(byKey(plan, '12').write?.parentKey).toBe(`${REALM}-11`)
    const manualTop = planSync(input({
      customers: [top, child],
      existing: new Map([[`${REALM}-10`, existingFor(top, 'r10', 'M', 'Manual')]]),
    }))
    expect(byKey(manualTop, '11').link).toMatchObject({ status: 'Inherited', accountId: 'M' })
  })

  it('a switched-off field is not written; key fields always are', () => {
    const a = cust('1', 'Acme', { email: 'a@b.co', companyName: 'Acme Inc' })
    const enabled = new Set(SWITCHABLE_FIELDS.filter((f) => f !== 'Email__c'))
    const plan = planSync(input({ customers: [a], settings: { createAccounts: false, enabledFields: enabled } }))
    const f = byKey(plan, '1').write!.fields
    expect(f['Email__c']).toBeUndefined()
    expect(f).toMatchObject({ Company_Name__c: 'Acme Inc', Name: 'Acme', QBO_Id__c: '1', Active__c: true })
  })

  it('a value that does not fit is shortened or left out and reported; the record still syncs', () => {
    const a = cust('1', 'Acme', { email: 'not an email', title: 'Honourable Sir Doctor' })
    const item = byKey(planSync(input({ customers: [a] })), '1')
    expect(item.action).toBe('create')
    expect(item.write!.fields['Title__c']).toBe('Honourable Sir D')
    expect(item.write!.fields['Email__c']).toBeUndefined()
    expect(item.issues.map((i) => [i.field, i.code])).toEqual([['Title__c', 'STRING_TOO_LONG'], ['Email__c', 'INVALID_EMAIL_ADDRESS']])
  })

  it('diffs against Salesforce as it returns values (datetimes, nulls, numbers)', () => {
    const a = cust('1', 'Acme', { createdAt: '2015-10-01T17:00:01-07:00', balance: 739 })
    const e = existingFor(a, 'r1', null, 'Unmapped')
    e.fields['QBO_Created__c'] = '2015-10-02T00:00:01.000+0000'
    e.fields['Balance__c'] = 739.0
    const plan = planSync(input({ customers: [a], existing: new Map([[e.key, e]]) }))
    expect(byKey(plan, '1').action).toBe('unchanged')
  })
  describe('several companies (contract §5.10)', () => {
    const OTHER = '9341452631925554'
    it('keys a created Account by the name, not the company: two companies plan the same Account', () => {
      const settings = { createAccounts: true, enabledFields: all }
      const a = planSync(input({ customers: [cust('4', 'Acme  Ltd')], settings }))
      const b = planSync(input({ realmId: OTHER, customers: [{ ...cust('91', 'acme ltd'), realmId: OTHER }], settings }))
      expect(a.accountsToCreate[0]?.sourceKey).toBe(b.accountsToCreate[0]?.sourceKey)
      expect(a.accountsToCreate[0]?.sourceKey).toBe(accountSourceKey('acme ltd'))
      // Text(50) External ID: the key fits whatever the name's length.
      const long = planSync(input({ customers: [cust('5', 'x'.repeat(500))], settings }))
      expect(long.accountsToCreate[0]?.sourceKey).toHaveLength(50)
    })

    it('links to an Account created by another company\'s run as Created; under an old key of another company as Matched', () => {
      const byName = { id: '001A', name: 'Acme Ltd', sourceKey: accountSourceKey('acme ltd') }
      const plan = planSync(input({ realmId: OTHER, customers: [{ ...cust('91', 'Acme Ltd'), realmId: OTHER }] }, [byName]))
      expect(plan.items[0]?.link).toMatchObject({ status: 'Created', accountId: '001A' })
      expect(plan.accountsToCreate).toEqual([])
      // Accounts created before several companies carry `<realmId>-<Id>`: Created for that
      // company, Matched for another.
      const old = { id: '001B', name: 'Beta', sourceKey: `${REALM}-8` }
      expect(planSync(input({ customers: [cust('8', 'Beta')] }, [old])).items[0]?.link.status).toBe('Created')
      expect(planSync(input({ realmId: OTHER, customers: [{ ...cust('8', 'Beta'), realmId: OTHER }] }, [old])).items[0]?.link.status).toBe('Matched')
    })
  })
})

describe('links Salesforce changed (contract §5.8)', () => {
  const c = cust('5', 'Fresh Farms')
  const key = `${REALM}-5`
  const state = (accountWritten: string): RecordState => ({ key, salesforceId: 'a0B5', accountWritten, linkStatus: 'Matched' })

  it('asks about the Account Tally wrote only when Account__c differs and the record is not Manual', () => {
    const same = new Map([[key, existingFor(c, 'a0B5', '001OLD', 'Matched')]])
    expect(accountsToCheck(same, new Map([[key, state('001OLD')]]))).toEqual([])
    const moved = new Map([[key, existingFor(c, 'a0B5', '001NEW', 'Matched')]])
    expect(accountsToCheck(moved, new Map([[key, state('001OLD')]]))).toEqual(['001OLD'])
    const manual = new Map([[key, existingFor(c, 'a0B5', '001NEW', 'Manual')]])
    expect(accountsToCheck(manual, new Map([[key, state('001OLD')]]))).toEqual([])
  })

  it('merged: the link follows the survivor and keeps its status; deleted: linked again by name; otherwise Manual', () => {
    const existing = (accountId: string | null) => new Map([[key, existingFor(c, 'a0B5', accountId, 'Matched')]])
    const states = new Map([[key, state('001OLD')]])
    const merged = planSync(input({ customers: [c], existing: existing('001NEW'), states, accountFates: new Map([['001OLD', { id: '001OLD', deleted: true, masterRecordId: '001NEW' }]]) }))
    expect(byKey(merged, '5')).toMatchObject({ action: 'unchanged', link: { status: 'Matched', accountId: '001NEW' } })

    const fates = new Map([['001OLD', { id: '001OLD', deleted: true, masterRecordId: null }]])
    const deleted = planSync(input({ customers: [c], existing: existing(null), states, accountFates: fates }, [{ id: '001AGAIN', name: 'Fresh Farms' }]))
    expect(byKey(deleted, '5').link).toMatchObject({ status: 'Matched', accountId: '001AGAIN' })

    const byPerson = planSync(input({ customers: [c], existing: existing('001ELSE'), states, accountFates: fates }))
    expect(byKey(byPerson, '5').link).toMatchObject({ status: 'Manual', accountId: '001ELSE' })
  })
})

describe('compactRecords', () => {
  it('leaves out of a record what its customer maps to, and the plan finds the same differences as in the whole record', () => {
    const same = cust('1', 'Acme Corp', { email: 'ap@acme.com' })
    const edited = cust('2', 'Beta LLC', { email: 'new@beta.com' })
    const made = () => [existingFor(same, 'r1', null, 'Unmapped'), { ...existingFor(edited, 'r2', null, 'Unmapped'), fields: { ...existingFor(edited, 'r2', null, 'Unmapped').fields, Email__c: 'old@beta.com' } }, existingFor(cust('3', 'Gone Inc'), 'r3', null, 'Unmapped')]
    const records = made()
    const whole = made()
    const compact = compactRecords([same, edited], new Map([[`${REALM}-1`, { key: `${REALM}-1`, salesforceId: 'r1', accountWritten: null, linkStatus: 'Unmapped' }]]), { createAccounts: false, enabledFields: all })
    for (const e of records) compact.onRecord(e)
    // Acme's record holds every value it maps to; Beta's has an old e-mail; Gone Inc was not read.
    expect(compact.unchanged()).toBe(1)
    const [acme, beta, gone] = records as [ExistingRecord, ExistingRecord, ExistingRecord]
    // What Salesforce holds as Acme maps it is named, not held; what the plan reads besides is kept.
    expect(acme.sameAsMapped?.has('Email__c')).toBe(true)
    expect(acme.fields).not.toHaveProperty('Email__c')
    expect(acme.fields).toMatchObject({ QBO_Id__c: '1', Display_Name__c: 'Acme Corp', Active__c: true })
    expect(Object.keys(acme.fields).length).toBeLessThan(Object.keys(whole[0]?.fields ?? {}).length / 2)
    // A value that differs stays; a record whose customer was not read keeps every field.
    expect(beta.fields['Email__c']).toBe('old@beta.com')
    expect(beta.sameAsMapped?.has('Email__c')).toBe(false)
    expect(gone.fields).toStrictEqual(whole[2]?.fields)
    expect(gone.sameAsMapped).toBeUndefined()
    // Records with the same fields left out share one set.
    const twin = cust('4', 'Zeta Co', { email: 'ap@zeta.com' })
    const one = compactRecords([same, twin], new Map(), { createAccounts: false, enabledFields: all })
    const [again, twinRecord] = [existingFor(same, 'r1', null, 'Unmapped'), existingFor(twin, 'r4', null, 'Unmapped')]
    one.onRecord(again)
    one.onRecord(twinRecord)
    expect(one.unchanged()).toBe(2)
    expect(twinRecord.sameAsMapped).toBe(again.sameAsMapped)
    expect(beta.sameAsMapped).not.toBe(acme.sameAsMapped)
    expect(records.map((e) => [e.key, e.id])).toEqual(whole.map((e) => [e.key, e.id]))
    // The plan reads the difference that is there, and only it: as from the whole records.
    const plan = planSync(input({ customers: [same, edited], existing: new Map(records.map((e) => [e.key, e])) }))
    expect(plan.items).toEqual(planSync(input({ customers: [same, edited], existing: new Map(whole.map((e) => [e.key, e])) })).items)
    expect(byKey(plan, '1').action).toBe('unchanged')
    expect(byKey(plan, '2').changedFields).toEqual(['Email__c'])
  })
})

describe('withSuggestedLinks (contract §10)', () => {
  it('suggests for the waiting customers whose record is written, and plans every other item as without suggestions', () => {
    const acme = cust('1', 'Acme Corp', { email: 'ap@acme.com' })
    const matched = cust('2', 'ACME Corporation')
    const child = cust('3', 'Acme Corp: Warehouse', { isSubCustomer: true, parentQboId: '1', level: 1 })
    const unchanged = cust('4', 'Zed Holdings')
    const accounts = [{ id: 'acme', name: 'ACME Corporation', website: 'https://www.acme.com' }]
    const p = input({
      customers: [acme, matched, child, unchanged],
      existing: new Map([[`${REALM}-4`, existingFor(unchanged, 'r4', null, 'Unmapped')]]),
    }, accounts)
    const links = planLinks(p)
    const first = planSync(p, links)
    expect(first).toEqual(planSync(p))
    expect(byKey(first, '1').write?.fields['Suggested_Account__c']).toBeUndefined()
    // Zed waits too, but its record is unchanged: it keeps the suggestion it has, at no cost.
    const waiting = waitingForSuggestions(p, links)
    expect(waiting.map((c) => c.qboId)).toEqual(['1'])
    const suggested = withSuggestedLinks(p, links, buildSuggestionIndex(accounts, waiting), waiting)
    expect(links.links.get('1')?.suggestions).toBeUndefined()
    const second = planSync(p, suggested)
    const a = byKey(second, '1')
    expect(a.link.status).toBe('Unmapped')
    expect(a.link.suggestions?.[0]).toMatchObject({ accountId: 'acme' })
    expect(a.write?.fields).toMatchObject({ Suggested_Account__c: 'acme', Link_Status__c: 'Unmapped' })
    expect(Number(a.write?.fields['Suggestion_Score__c'])).toBeGreaterThanOrEqual(90)
    expect(a.changedFields).toEqual(expect.arrayContaining(['Suggested_Account__c', 'Suggestion_Score__c', 'Suggestion_Reason__c']))
    // Everything else is planned as without suggestions, in the same place.
    expect(second.items.map((i) => i.qboId)).toEqual(first.items.map((i) => i.qboId))
    for (const id of ['2', '3', '4']) expect(byKey(second, id)).toEqual(byKey(first, id))
    expect(byKey(second, '4').action).toBe('unchanged')
    expect(second.accountsToCreate).toEqual(first.accountsToCreate)
  })
})

