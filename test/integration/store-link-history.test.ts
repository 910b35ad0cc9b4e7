/**
 * @module test/integration/store-link-history.test
 * The link history (contract §10) and the records' suggestions on both dialects: entries newest
 * first, the filters (company, by whom, search with LIKE's wildcards taken literally), paging, an
 * undo marking the entry it undid, and suggestions kept and replaced in the Hub's copy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  appendLinkHistory,
  getCustomerView,
  getLinkHistoryEntry,
  listCustomerViewsByStatus,
  listLinkHistory,
  setCustomerViewSuggestions,
  upsertCustomerViews,
  type NewLinkHistoryEntry,
  type Store,
} from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness, type StoreHarness } from './store-harness.js'

const T0 = new Date('2026-03-01T10:00:00.000Z')
const T1 = new Date('2026-03-01T11:00:00.000Z')
const T2 = new Date('2026-03-01T12:00:00.000Z')

const entry = (qboId: string, o: Partial<NewLinkHistoryEntry> = {}): NewLinkHistoryEntry => ({
  who: 'tally', realmId: '111', qboKey: `${o.realmId ?? '111'}-${qboId}`, qboId, displayName: `Customer ${qboId}`,
  fromAccountId: null, fromAccountName: null, toAccountId: `001${qboId}`, toAccountName: `Account ${qboId}`,
  fromStatus: null, toStatus: 'Matched', reason: 'the Account has this name', ...o,
})

describe.each(STORE_DIALECTS)('link history on %s', (dialect) => {
  let h: StoreHarness
  let store: Store
  beforeAll(async () => {
    h = await openStoreHarness(dialect)
    store = h.store
  })
  afterAll(async () => {
    await h?.dispose()
  })
  beforeEach(async () => {
    await store.db.deleteFrom('link_history').execute()
    await store.db.deleteFrom('customer_views').execute()
  })

  it('lists newest first, filters by company, by whom and by search, and pages', async () => {
    await appendLinkHistory(store.db, [entry('1'), entry('2', { realmId: '222' })], T0)
    await appendLinkHistory(store.db, [entry('3', { who: 'admin', displayName: '100%_Off Ltd' })], T1)
    await appendLinkHistory(store.db, [entry('4', { who: 'salesforce:Pat Admin', toAccountName: "O'Brien & Sons" })], T2)
    const all = await listLinkHistory(store.db, { page: 1, pageSize: 10 })
    expect(all.total).toBe(4)
    expect(all.items.map((e) => e.qboId).slice(0, 2)).toEqual(['4', '3'])
    expect(all.items[0]).toMatchObject({ at: T2.toISOString(), who: 'salesforce:Pat Admin', toStatus: 'Matched', undoneBy: null, undoOf: null })
    expect((await listLinkHistory(store.db, { realmId: '222', page: 1, pageSize: 10 })).items.map((e) => e.qboId)).toEqual(['2'])
    expect((await listLinkHistory(store.db, { by: 'tally', page: 1, pageSize: 10 })).total).toBe(2)
    expect((await listLinkHistory(store.db, { by: 'hub', page: 1, pageSize: 10 })).items.map((e) => e.who)).toEqual(['admin'])
    expect((await listLinkHistory(store.db, { by: 'salesforce', page: 1, pageSize: 10 })).items.map((e) => e.qboId)).toEqual(['4'])
    expect((await listLinkHistory(store.db, { search: '100%_', page: 1, pageSize: 10 })).items.map((e) => e.qboId)).toEqual(['3'])
    expect((await listLinkHistory(store.db, { search: '0%', page: 1, pageSize: 10 })).items.map((e) => e.qboId)).toEqual(['3'])
    expect((await listLinkHistory(store.db, { search: "o'brien", page: 1, pageSize: 10 })).items.map((e) => e.qboId)).toEqual(['4'])
    const page2 = await listLinkHistory(store.db, { page: 2, pageSize: 3 })
    expect(page2).toMatchObject({ total: 4 })
    expect(page2.items).toHaveLength(1)
    await expect(listLinkHistory(store.db, { page: 0, pageSize: 3 })).rejects.toThrow(RangeError)
  })

  it('an undo is an entry of its own and marks the entry it undid', async () => {
    const [first] = await appendLinkHistory(store.db, [entry('1')], T0)
    const [undo] = await appendLinkHistory(store.db, [entry('1', { who: 'admin', fromAccountId: '0011', toAccountId: null, toStatus: 'Manual', reason: 'undid', undoOf: first!.id })], T1)
    expect(await getLinkHistoryEntry(store.db, first!.id)).toMatchObject({ undoneBy: undo!.id })
    expect(await getLinkHistoryEntry(store.db, undo!.id)).toMatchObject({ undoOf: first!.id, undoneBy: null })
    expect(await getLinkHistoryEntry(store.db, 'missing')).toBeNull()
  })

  it('keeps 1,000 entries of one run in one call', async () => {
    await appendLinkHistory(store.db, Array.from({ length: 1000 }, (_, i) => entry(String(i))), T0)
    expect((await listLinkHistory(store.db, { page: 1, pageSize: 1 })).total).toBe(1000)
  })

  it('suggestions in the Hub\'s copy: written with the row, replaced, listed by status', async () => {
    const base = { realmId: '111', salesforceId: 'a0B1', accountId: null, accountName: null, active: true, isSubCustomer: false, parentName: null, email: null, candidates: null }
    const s1 = [{ accountId: '001A', accountName: 'Acme Corporation', score: 94, reasons: ['name without "Corp"'] }]
    await upsertCustomerViews(store.db, [
      { ...base, key: '111-1', qboId: '1', displayName: 'Acme Corp', linkStatus: 'Unmapped', suggestions: s1 },
      { ...base, key: '111-2', qboId: '2', displayName: 'Zed', linkStatus: 'Ignored', suggestions: null },
    ], T0)
    expect((await getCustomerView(store.db, '111-1'))?.suggestions).toEqual(s1)
    await setCustomerViewSuggestions(store.db, [{ key: '111-1', suggestions: [] }])
    expect((await getCustomerView(store.db, '111-1'))?.suggestions).toEqual([])
    expect((await listCustomerViewsByStatus(store.db, ['Ignored'])).map((v) => v.key)).toEqual(['111-2'])
    expect(await listCustomerViewsByStatus(store.db, [])).toEqual([])
  })
})
