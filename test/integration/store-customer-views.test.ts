/**
 * @module test/integration/store-customer-views.test
 * The Hub's local copy of the synced customers, on both dialects: upserts (10,000 at once, in
 * one transaction), paging, the "QBO Customers" filters and search (LIKE wildcards taken
 * literally, apostrophes, mixed case), the link queue, links made in the Hub, and candidates.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  deleteCustomerViews,
  getCustomerView,
  listCustomerViews,
  listLinkQueue,
  setCustomerViewLink,
  upsertCustomerViews,
} from '../../src/store/index.js'
import type { CustomerView, CustomerViewFilter, Store } from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const T0 = new Date('2025-03-01T10:00:00.000Z')
const T1 = new Date('2025-03-02T10:00:00.000Z')
const REALM = '123145'

function view(qboId: string, o: Partial<CustomerView> = {}): CustomerView {
  const realmId = o.realmId ?? REALM
  return {
    key: `${realmId}-${qboId}`,
    realmId,
    salesforceId: `a0B${qboId.padStart(15, '0')}`,
    qboId,
    displayName: `Customer ${qboId}`,
    accountId: `001${qboId.padStart(15, '0')}`,
    accountName: `Account ${qboId}`,
    linkStatus: 'Matched',
    active: true,
    isSubCustomer: false,
    parentName: null,
    email: null,
    candidates: null,
    suggestions: null,
    ...o,
  }
}

const unmapped = { accountId: null, accountName: null, linkStatus: 'Unmapped' }
const ambiguous = (...names: string[]) => ({
  accountId: null,
  accountName: null,
  linkStatus: 'Ambiguous',
  candidates: names.map((name, i) => ({ id: `001A${String(i).padStart(14, '0')}`, name })),
})

describe.each(STORE_DIALECTS)('customer views on %s', (dialect) => {
  let h: StoreHarness
  let store: Store
  const keys = async (q: Parameters<typeof listCustomerViews>[1]) =>
    (await listCustomerViews(store.db, q)).items.map((v) => v.key)
  const all = { page: 1, pageSize: 1000 }
  const updatedAt = async (key: string) =>
    (await store.db.selectFrom('customer_views').select('updated_at').where('key', '=', key).executeTakeFirst())
      ?.updated_at

  beforeAll(async () => {
    h = await openStoreHarness(dialect)
    store = h.store
  })
  afterAll(async () => {
    await h?.dispose()
  })
  beforeEach(async () => {
    // The shared harness's clear() predates this table.
    await store.db.deleteFrom('customer_views').execute()
  })

  it('upserts: inserts, then replaces every field of the same key in place', async () => {
    const first = view('1', { email: 'a@example.com', parentName: null })
    await upsertCustomerViews(store.db, [first, view('2')], T0)
    expect(await getCustomerView(store.db, first.key)).toEqual(first)
    expect(await updatedAt(first.key)).toBe(T0.toISOString())

    const changed: CustomerView = {
      ...first,
      salesforceId: null,
      displayName: 'Renamed',
      ...ambiguous('Acme', 'ACME'),
      active: false,
      isSubCustomer: true,
      parentName: 'Parent Co',
      email: null,
    }
    await upsertCustomerViews(store.db, [changed], T1)
    expect(await getCustomerView(store.db, first.key)).toEqual(changed)
    expect(await updatedAt(first.key)).toBe(T1.toISOString())
    expect(await getCustomerView(store.db, view('2').key)).toEqual(view('2'))
    expect((await listCustomerViews(store.db, all)).total).toBe(2)
    expect(await getCustomerView(store.db, `${REALM}-404`)).toBeNull()
    await upsertCustomerViews(store.db, [])
    expect((await listCustomerViews(store.db, all)).total).toBe(2)
  })

  it('refuses a key that is not <realmId>-<qboId>', async () => {
    await expect(upsertCustomerViews(store.db, [{ ...view('1'), key: '999-1' }])).rejects.toThrow(/realmId/)
    expect((await listCustomerViews(store.db, all)).total).toBe(0)
  })

  it('10,000 rows: written, paged, rewritten in place; a failing batch writes nothing', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      view(String(i + 1), { displayName: `Customer ${String(i + 1).padStart(5, '0')}` }),
    )
    await upsertCustomerViews(store.db, rows, T0)
    const p1 = await listCustomerViews(store.db, { page: 1, pageSize: 100 })
    expect(p1.total).toBe(10_000)
    expect(p1.items).toEqual(rows.slice(0, 100))
    const last = await listCustomerViews(store.db, { page: 100, pageSize: 100 })
    expect(last.items).toEqual(rows.slice(9_900))
    expect((await listCustomerViews(store.db, { page: 101, pageSize: 100 })).items).toEqual([])

    const rewritten = rows.map((r, i) => (i % 2 ? r : { ...r, ...unmapped }))
    await upsertCustomerViews(store.db, rewritten, T1)
    expect((await listCustomerViews(store.db, all)).total).toBe(10_000)
    expect((await listCustomerViews(store.db, { ...all, filter: 'unmapped' })).total).toBe(5_000)
    expect(await getCustomerView(store.db, rows[0]!.key)).toEqual(rewritten[0])

    // Row 701 (in the second batch of 500) breaks NOT NULL: the first batch is rolled back too.
    const broken = rows.map((r, i) =>
      i === 700 ? { ...r, displayName: null as unknown as string } : { ...r, displayName: 'Broken run' },
    )
    await expect(upsertCustomerViews(store.db, broken, T1)).rejects.toThrow()
    expect((await listCustomerViews(store.db, { ...all, search: 'Broken run' })).total).toBe(0)
  })

  it('pages by display name, case-insensitively, then key; total counts every match', async () => {
    const names = ['delta', 'Alpha', 'charlie', 'bravo', 'Echo', 'alpha', 'BRAVO']
    await upsertCustomerViews(store.db, names.map((n, i) => view(String(i + 1), { displayName: n })))
    await upsertCustomerViews(store.db, [view('1', { realmId: '777', displayName: 'ALPHA' })])
    const expected = [
      '123145-2', // Alpha
      '123145-6', // alpha
      '777-1', // ALPHA
      '123145-4', // bravo
      '123145-7', // BRAVO
      '123145-3', // charlie
      '123145-1', // delta
      '123145-5', // Echo
    ]
    const pages = []
    for (let page = 1; page <= 3; page++) {
      const p = await listCustomerViews(store.db, { page, pageSize: 3 })
      expect(p.total).toBe(8)
      pages.push(...p.items.map((v) => v.key))
    }
    expect(pages).toEqual(expected)
    expect(await keys({ ...all, realmId: '777' })).toEqual(['777-1'])
    expect(await keys({ ...all, realmId: REALM })).toEqual(expected.filter((k) => k !== '777-1'))
    expect((await listCustomerViews(store.db, { ...all, realmId: 'none' })).total).toBe(0)
    await expect(listCustomerViews(store.db, { page: 0, pageSize: 10 })).rejects.toThrow(RangeError)
    await expect(listCustomerViews(store.db, { page: 1, pageSize: 0 })).rejects.toThrow(RangeError)
  })

  it('filters: mapped, unmapped, ambiguous, inactive, all (alone, with a realm, with search)', async () => {
    await upsertCustomerViews(store.db, [
      view('1', { displayName: 'A matched' }),
      view('2', { displayName: 'B inherited', linkStatus: 'Inherited', isSubCustomer: true, parentName: 'A' }),
      view('3', { displayName: 'C unmapped', ...unmapped }),
      view('4', { displayName: 'D ambiguous', ...ambiguous('Dup', 'Dup') }),
      view('5', { displayName: 'E inactive', active: false }),
      view('6', { displayName: 'F inactive unmapped', active: false, ...unmapped }),
      view('7', { displayName: 'G never linked', accountId: null, accountName: null, linkStatus: null }),
      view('8', { displayName: 'H cleared by hand', accountId: null, accountName: null, linkStatus: 'Manual' }),
      view('1', { realmId: '777', displayName: 'Z other realm', ...unmapped }),
    ])
    const expected: Record<CustomerViewFilter, string[]> = {
      all: ['1', '2', '3', '4', '5', '6', '7', '8'],
      mapped: ['1', '2', '5'],
      unmapped: ['3', '6', '7', '8'],
      ambiguous: ['4'],
      inactive: ['5', '6'],
    }
    for (const [filter, ids] of Object.entries(expected) as [CustomerViewFilter, string[]][]) {
      const p = await listCustomerViews(store.db, { ...all, realmId: REALM, filter })
      expect(p.items.map((v) => v.qboId), filter).toEqual(ids)
      expect(p.total, filter).toBe(ids.length)
    }
    expect((await listCustomerViews(store.db, all)).total).toBe(9)
    expect(await keys({ ...all, filter: 'unmapped' })).toEqual([
      '123145-3',
      '123145-6',
      '123145-7',
      '123145-8',
      '777-1',
    ])
    expect(await keys({ ...all, filter: 'unmapped', search: 'INACTIVE' })).toEqual(['123145-6'])
    expect(await keys({ ...all, filter: 'mapped', search: 'unmapped' })).toEqual([])
  })

  it('search: a case-insensitive substring of name, email or Account name, wildcards literal', async () => {
    await upsertCustomerViews(store.db, [
      view('1', { displayName: '100% Organic' }),
      view('2', { displayName: '100 Organic' }),
      view('3', { displayName: '1000 Organics' }),
      view('4', { displayName: 'snake_case Ltd' }),
      view('5', { displayName: 'snakeXcase Ltd' }),
      view('6', { displayName: "O'Brien's Bakery" }),
      view('7', { displayName: 'OBriens Bakery' }),
      view('8', { displayName: 'McDonald Farms', email: 'Old.Mac@Farm.example' }),
      view('9', { displayName: 'Back\\slash Co', accountName: 'Backslash Holdings' }),
      view('10', { displayName: 'Café Élan', accountName: 'Élan Group' }),
      view('11', { displayName: 'Plain', accountName: 'PEAR & Co', email: null }),
    ])
    const found = async (search: string) =>
      (await listCustomerViews(store.db, { ...all, search })).items.map((v) => v.qboId).sort()
    expect(await found('100%')).toEqual(['1'])
    expect(await found('%')).toEqual(['1'])
    expect(await found('100')).toEqual(['1', '2', '3'])
    expect(await found('e_c')).toEqual(['4'])
    expect(await found('_')).toEqual(['4'])
    expect(await found("o'brien")).toEqual(['6'])
    expect(await found("'S BAK")).toEqual(['6'])
    expect(await found('obrien')).toEqual(['7'])
    expect(await found('mcdONALD')).toEqual(['8'])
    expect(await found('old.mac@FARM')).toEqual(['8'])
    expect(await found('\\')).toEqual(['9'])
    expect(await found('k\\s')).toEqual(['9'])
    expect(await found('backslash')).toEqual(['9'])
    expect(await found('pear &')).toEqual(['11'])
    // Non-ASCII case folding differs by dialect (see the module doc); the exact case works on both.
    expect(await found('Élan')).toEqual(['10'])
    expect(await found('é É')).toEqual(['10'])
    expect(await found('nothing like it')).toEqual([])
    expect((await listCustomerViews(store.db, { ...all, search: '   ' })).total).toBe(11)
    expect((await listCustomerViews(store.db, { ...all, search: '  bakery ' })).total).toBe(2)
  })

  it('the link queue: Ambiguous first, then Unmapped, each by display name; per realm', async () => {
    await upsertCustomerViews(store.db, [
      view('1', { displayName: 'zeta', ...unmapped }),
      view('2', { displayName: 'Yankee', ...ambiguous('Y', 'Y') }),
      view('3', { displayName: 'alpha', ...unmapped }),
      view('4', { displayName: 'Mapped one' }),
      view('5', { displayName: 'Never linked', accountId: null, accountName: null, linkStatus: null }),
      view('6', { displayName: 'bravo', ...ambiguous('B', 'B') }),
      view('7', { displayName: 'Inactive unmapped', active: false, ...unmapped }),
      view('1', { realmId: '777', displayName: 'Aardvark', ...ambiguous('A', 'A') }),
    ])
    const queue = await listLinkQueue(store.db)
    expect(queue.map((v) => v.key)).toEqual([
      '777-1',
      '123145-6',
      '123145-2',
      '123145-3',
      '123145-7',
      '123145-1',
    ])
    expect(queue[1]?.candidates).toEqual(ambiguous('B', 'B').candidates)
    expect((await listLinkQueue(store.db, REALM)).map((v) => v.qboId)).toEqual(['6', '2', '3', '7', '1'])
    expect(await listLinkQueue(store.db, 'none')).toEqual([])
  })

  it('setCustomerViewLink: records a link made or cleared in the Hub; unknown keys are ignored', async () => {
    const amb = view('4', { displayName: 'Dup Co', ...ambiguous('Dup Co', 'DUP CO') })
    await upsertCustomerViews(store.db, [amb, view('5')], T0)
    const manual = { accountId: '001M', accountName: 'Dup Co', linkStatus: 'Manual' }
    await setCustomerViewLink(store.db, amb.key, manual, T1)
    expect(await getCustomerView(store.db, amb.key)).toEqual({ ...amb, ...manual })
    expect(await updatedAt(amb.key)).toBe(T1.toISOString())
    expect(await listLinkQueue(store.db)).toEqual([])
    expect(await keys({ ...all, filter: 'mapped' })).toEqual([view('5').key, amb.key])
    expect(await keys({ ...all, search: 'dup co', filter: 'mapped' })).toEqual([amb.key])

    // Clearing a link by hand (contract §5 rule 1): no Account, so it counts as unmapped.
    await setCustomerViewLink(store.db, view('5').key, { accountId: null, accountName: null, linkStatus: 'Manual' })
    expect(await getCustomerView(store.db, view('5').key)).toMatchObject({ accountId: null, linkStatus: 'Manual' })
    expect(await keys({ ...all, filter: 'unmapped' })).toEqual([view('5').key])

    const missing = `${REALM}-404`
    await setCustomerViewLink(store.db, missing, { accountId: '001X', accountName: 'X', linkStatus: 'Manual' })
    expect(await getCustomerView(store.db, missing)).toBeNull()
    expect((await listCustomerViews(store.db, all)).total).toBe(2)
  })

  it('candidates round-trip as JSON: null, empty, quotes and non-ASCII, extra fields dropped', async () => {
    const tricky = [
      { id: '001A', name: 'He said "hi"' },
      { id: '001B', name: "O'Brien \\ Søn — 株式会社" },
    ]
    await upsertCustomerViews(store.db, [
      view('1', { candidates: null }),
      view('2', { candidates: [] }),
      view('3', { ...ambiguous(), candidates: tricky }),
      view('4', { candidates: [{ id: '001C', name: 'C', extra: true } as { id: string; name: string }] }),
    ])
    expect((await getCustomerView(store.db, `${REALM}-1`))?.candidates).toBeNull()
    expect((await getCustomerView(store.db, `${REALM}-2`))?.candidates).toEqual([])
    expect((await getCustomerView(store.db, `${REALM}-3`))?.candidates).toEqual(tricky)
    expect((await getCustomerView(store.db, `${REALM}-4`))?.candidates).toStrictEqual([{ id: '001C', name: 'C' }])
  })

  it('deleteCustomerViews forgets one realm only', async () => {
    await upsertCustomerViews(store.db, [view('1'), view('2'), view('1', { realmId: '777' })])
    await deleteCustomerViews(store.db, REALM)
    expect(await keys(all)).toEqual(['777-1'])
    await deleteCustomerViews(store.db, 'none')
    expect((await listCustomerViews(store.db, all)).total).toBe(1)
  })
})
