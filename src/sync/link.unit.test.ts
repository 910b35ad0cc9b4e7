import { describe, expect, it } from 'vitest'
import {
  accountSourceKey,
  decideLinks,
  editedInOrg,
  findMatch,
  indexAccounts,
  linkChange,
  matchableName,
  suggestionFields,
  type LinkContext,
  type LinkSubject,
} from './link.js'
import type { AccountFate, ExistingRecord, RecordState, SourceCustomer } from './model.js'
import { buildSuggestionIndex } from './suggest.js'

const REALM = '9341452631925553'
const cust = (id: string, displayName: string, extra: Partial<SourceCustomer> = {}): SourceCustomer => ({
  realmId: REALM, qboId: id, displayName, isSubCustomer: false, level: 0, billWithParent: false,
  taxable: false, isProject: false, active: true, syncToken: '0', ...extra,
})
const rec = (id: string, accountId: string | null, linkStatus: ExistingRecord['linkStatus'], lastModifiedBy = 'Pat Admin'): ExistingRecord => ({
  id: `a0B${id}`, key: `${REALM}-${id}`, accountId, linkStatus, lastModifiedBy, fields: {},
})
const state = (id: string, accountWritten: string | null, linkStatus: RecordState['linkStatus']): RecordState => ({
  key: `${REALM}-${id}`, salesforceId: `a0B${id}`, accountWritten, linkStatus,
})
const subject = (c: SourceCustomer, e?: ExistingRecord, s?: RecordState, fates?: Map<string, AccountFate>): LinkSubject => ({
  qboId: c.qboId, key: `${REALM}-${c.qboId}`, displayName: c.displayName, active: c.active, e,
  change: e ? linkChange(e, s, fates) : 'none', customer: c,
})
const ctx = (o: Partial<LinkContext> = {}): LinkContext => ({
  realmId: REALM, accounts: indexAccounts([]), createAccounts: false, states: new Map(), retryRefused: false, ...o,
})

describe('the exact rules (contract §5)', () => {
  it('compares names as Salesforce does: case, spacing and Unicode forms; " (deleted)" off inactive names', () => {
    const index = indexAccounts([{ id: '1', name: 'Café  Roma' }, { id: '2', name: 'ACME' }, { id: '3', name: 'acme' }])
    expect(findMatch(index, 'cafe\u0301 roma ')).toMatchObject({ kind: 'one', account: { id: '1' } })
    expect(findMatch(index, 'Acme')).toMatchObject({ kind: 'many' })
    expect(findMatch(index, 'Acme Inc')).toEqual({ kind: 'none' })
    expect(matchableName('Kate Whelan (deleted)', false)).toBe('Kate Whelan')
    expect(matchableName('Kate Whelan (deleted)', true)).toBe('Kate Whelan (deleted)')
  })

  it('Matched, Created (one Account per name, the lowest Id spelling it), Ambiguous and Unmapped', () => {
    const accounts = indexAccounts([{ id: 'm', name: 'Matched Co' }, { id: 'x', name: 'Twin' }, { id: 'y', name: 'twin' }, { id: 'c', name: 'Made By Tally', sourceKey: accountSourceKey('made by tally') }])
    const subjects = [cust('1', 'Matched Co'), cust('2', 'Twin'), cust('3', 'New  Name'), cust('4', 'new name'), cust('5', 'Made By Tally'), cust('6', 'Gone (deleted)', { active: false })].map((c) => subject(c))
    const on = decideLinks(subjects, ctx({ accounts, createAccounts: true }))
    expect(on.links.get('1')).toMatchObject({ status: 'Matched', accountId: 'm' })
    expect(on.links.get('2')).toMatchObject({ status: 'Ambiguous', accountId: null })
    expect(on.links.get('3')).toMatchObject({ status: 'Created', accountSourceKey: accountSourceKey('new name') })
    expect(on.links.get('4')?.accountSourceKey).toBe(on.links.get('3')?.accountSourceKey)
    expect(on.accountsToCreate).toEqual([{ sourceKey: accountSourceKey('new name'), name: 'New Name' }])
    expect(on.links.get('5')).toMatchObject({ status: 'Created', accountId: 'c' })
    expect(on.links.get('6')?.status).toBe('Unmapped')
    const off = decideLinks(subjects, ctx({ accounts }))
    expect(off.links.get('3')).toMatchObject({ status: 'Unmapped', reason: expect.stringMatching(/Create Accounts is off/) })
    expect(off.accountsToCreate).toEqual([])
  })

  it('a person\'s link is kept: Manual in the Hub, an edit in the org, Ignored; Salesforce\'s merges and deletes are not a person\'s', () => {
    const fates = new Map<string, AccountFate>([['a', { id: 'a', deleted: false, masterRecordId: null }], ['old', { id: 'old', deleted: true, masterRecordId: 'survivor' }], ['del', { id: 'del', deleted: true, masterRecordId: null }]])
    expect(linkChange(rec('1', 'a', 'Manual'), state('1', 'a', 'Manual'), fates)).toBe('manual')
    expect(linkChange(rec('1', 'b', 'Matched'), state('1', 'a', 'Matched'), fates)).toBe('manual')
    // Cleared by a person (the Account lives) — not by SetNull after a delete or a purge.
    expect(linkChange(rec('1', null, 'Matched'), state('1', 'a', 'Matched'), fates)).toBe('manual')
    expect(linkChange(rec('1', null, 'Matched'), state('1', 'purged', 'Matched'), fates)).toBe('deleted')
    expect(linkChange(rec('1', 'survivor', 'Matched'), state('1', 'old', 'Matched'), fates)).toBe('merged')
    expect(linkChange(rec('1', null, 'Matched'), state('1', 'del', 'Matched'), fates)).toBe('deleted')
    expect(linkChange(rec('1', null, 'Ignored'), state('1', null, 'Ignored'), fates)).toBe('ignored')
    // Linked by a person in the org while Ignored: theirs, Manual.
    expect(linkChange(rec('1', 'a', 'Ignored'), state('1', null, 'Ignored'), fates)).toBe('manual')
    expect(linkChange(rec('1', 'a', 'Matched'), state('1', 'a', 'Matched'), fates)).toBe('none')

    const accounts = indexAccounts([{ id: 'a', name: 'Same Name' }])
    const c = cust('1', 'Same Name')
    const ignored = decideLinks([subject(c, rec('1', null, 'Ignored'), state('1', null, 'Ignored'))], ctx({ accounts, createAccounts: true }))
    expect(ignored.links.get('1')).toMatchObject({ status: 'Ignored', accountId: null })
    expect(ignored.links.get('1')?.suggestions).toBeUndefined()
    expect(ignored.accountsToCreate).toEqual([])
    const manual = decideLinks([subject(c, rec('1', null, 'Manual'), state('1', null, 'Manual'))], ctx({ accounts }))
    expect(manual.links.get('1')).toMatchObject({ status: 'Manual', accountId: null })
  })

  it('editedInOrg: only a change a person made since Tally last wrote the record', () => {
    expect(editedInOrg(rec('1', 'b', 'Matched'), state('1', 'a', 'Matched'), 'manual')).toBe(true)
    expect(editedInOrg(rec('1', 'a', 'Manual'), state('1', 'a', 'Manual'), 'manual')).toBe(false)
    expect(editedInOrg(rec('1', null, 'Ignored'), state('1', null, 'Unmapped'), 'ignored')).toBe(true)
    expect(editedInOrg(rec('1', 'survivor', 'Matched'), state('1', 'old', 'Matched'), 'merged')).toBe(false)
    expect(editedInOrg(rec('1', 'b', 'Matched'), undefined, 'manual')).toBe(false)
  })
})

describe('suggestions (contract §10)', () => {
  const index = buildSuggestionIndex([
    { id: 'acme', name: 'ACME Corporation', website: 'https://www.acme.com' },
    { id: 'roof', name: 'Acme Roofing' },
    { id: 'melton', name: 'Melton, John' },
  ])
  it('only Unmapped and Ambiguous customers get them, best first, and they link nothing', () => {
    const subjects = [cust('1', 'Acme Corp', { email: 'ap@acme.com' }), cust('2', 'John Melton', { givenName: 'John', familyName: 'Melton' }), cust('3', 'ACME Corporation')].map((c) => subject(c))
    const d = decideLinks(subjects, ctx({ accounts: indexAccounts([{ id: 'acme', name: 'ACME Corporation' }]), suggestions: index }))
    const acme = d.links.get('1')
    expect(acme).toMatchObject({ status: 'Unmapped', accountId: null })
    expect(acme?.suggestions?.[0]).toMatchObject({ accountId: 'acme' })
    expect(acme?.suggestions?.[0]?.score).toBeGreaterThanOrEqual(90)
    expect(acme?.suggestions?.find((s) => s.accountId === 'roof')?.score ?? 0).toBeLessThan(70)
    expect(d.links.get('2')?.suggestions?.[0]).toMatchObject({ accountId: 'melton' })
    expect(d.links.get('3')).toMatchObject({ status: 'Matched', accountId: 'acme' })
    expect(d.links.get('3')?.suggestions).toBeUndefined()
    // Without the Accounts' profiles (a run that did not read them) there are none to give.
    expect(decideLinks(subjects, ctx()).links.get('1')?.suggestions).toBeUndefined()
  })

  it('the record\'s fields: the best one, the reasons cut to Text(255), or all empty', () => {
    expect(suggestionFields(undefined)).toEqual({ Suggested_Account__c: null, Suggestion_Score__c: null, Suggestion_Reason__c: null })
    const long = suggestionFields({ accountId: 'a', accountName: 'A', score: 93, reasons: ['x'.repeat(200), 'y'.repeat(100)] })
    expect(long.Suggested_Account__c).toBe('a')
    expect(long.Suggestion_Score__c).toBe(93)
    expect([...String(long.Suggestion_Reason__c)]).toHaveLength(255)
    expect(suggestionFields({ accountId: 'a', accountName: 'A', score: 91, reasons: ['name without "Inc."', 'same e-mail domain'] }).Suggestion_Reason__c).toBe('name without "Inc."; same e-mail domain')
  })
})
