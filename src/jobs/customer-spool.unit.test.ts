import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SWITCHABLE_FIELDS } from '../sync/fields.js'
import { indexAccounts } from '../sync/link.js'
import { mapCustomer } from '../sync/map.js'
import type { SourceCustomer } from '../sync/model.js'
import { planLinks, planSync, waitingForSuggestions, withSuggestedLinks, type PlanInput } from '../sync/plan.js'
import { CustomerReader, wholeCustomer } from '../sync/spooled-customer.js'
import { buildSuggestionIndex } from '../sync/suggest.js'
import type { SalesforceTarget, Spool, SyncStateStore } from '../sync/ports.js'
import { BIG_RUN, runSync } from '../sync/run.js'
import { fileSpool } from './spool.js'

const REALM = '9341452631925553'
const enabled = new Set(SWITCHABLE_FIELDS)

/** Customers with every field QBO can send, and some with few: top-level, sub-customers, inactive. */
function customers(n: number): SourceCustomer[] {
  return Array.from({ length: n }, (_, i): SourceCustomer => {
    const sub = i % 5 === 4
    const c: SourceCustomer = {
      realmId: REALM, qboId: String(i + 1), displayName: i % 7 === 0 ? `Müller & Söhne ${i} (deleted)` : `Acme ${i % 40} Ltd`,
      isSubCustomer: sub, level: sub ? 1 : 0, billWithParent: sub, taxable: i % 2 === 0, isProject: false,
      active: i % 7 !== 0, syncToken: String(i % 3),
    }
    if (sub) c.parentQboId = String(i)
    if (i % 3 !== 0) {
      Object.assign(c, {
        qboCompanyName: 'Craig\'s Design', title: 'Dr', givenName: 'Amy', familyName: `Lauterbach ${i}`, companyName: `Acme ${i % 40} Ltd`,
        printOnCheckName: `Acme ${i}`, email: `ap${i}@acme${i % 9}.com`, phone: `(555) 555-${String(1000 + i)}`, website: `https://acme${i % 9}.com`,
        billing: { lines: [`${i} Main St`, 'Suite "2"'], city: 'Bayshore', state: 'CA', postalCode: String(94000 + (i % 50)), country: 'USA' },
        notes: 'two\nlines', balance: i % 4 === 0 ? -12.5 * i : 0, currency: 'USD', fullyQualifiedName: `Acme ${i}`,
        createdAt: '2026-01-02T03:04:05-08:00', updatedAt: '2026-11-02T03:04:05-08:00',
      } satisfies Partial<SourceCustomer>)
      c.shipping = c.billing
    }
    return c
  })
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) expect(readdirSync(d)).toEqual([])
})
function reader(): CustomerReader {
  const dir = mkdtempSync(join(tmpdir(), 'spooled-customer-'))
  dirs.push(dir)
  return new CustomerReader(fileSpool<SourceCustomer>('customers', dir))
}

const input = (list: SourceCustomer[]): PlanInput => ({
  realmId: REALM, customers: list, existing: new Map(), states: new Map(),
  accounts: indexAccounts([{ id: '001A', name: 'Acme 1 Ltd' }, { id: '001B', name: 'Acme 2 Ltd' }, { id: '001C', name: 'acme 2 ltd' }]),
  settings: { createAccounts: false, enabledFields: enabled }, now: '2026-12-07T00:00:00.000Z',
})

describe('a big run\'s customers in a file spool (sync/spooled-customer)', () => {
  it('reads every field back as the customer had it, and holds only the few every step reads', () => {
    const r = reader()
    const plain = customers(60)
    const spooled = plain.map((c) => r.keep(c))
    for (const [i, s] of spooled.entries()) {
      const c = plain[i] as SourceCustomer
      for (const name of Object.keys(c) as (keyof SourceCustomer)[]) expect(s[name], `${c.qboId}.${name}`).toStrictEqual(c[name])
      expect(wholeCustomer(s)).toStrictEqual(c)
      // A field the customer lacks is undefined, as on the plain one.
      if (!c.website) expect(s.website).toBeUndefined()
    }
    expect(Object.getOwnPropertyNames(spooled[1])).toEqual(['realmId', 'qboId', 'displayName', 'active', 'isSubCustomer', 'parentQboId', 'email'])
    expect(wholeCustomer(plain[0] as SourceCustomer)).toBe(plain[0])
    r.close()
  })

  it('maps a customer from one line read, and plans as the whole customers do', () => {
    const r = reader()
    const plain = customers(400)
    const spooled: SourceCustomer[] = plain.map((c) => r.keep(c))
    expect(CustomerReader.holds(spooled[3] as SourceCustomer)).toBe(true)
    expect(CustomerReader.holds(plain[3] as SourceCustomer)).toBe(false)
    const before = r.reads
    for (const [i, s] of spooled.entries()) expect(mapCustomer(s, enabled)).toStrictEqual(mapCustomer(plain[i] as SourceCustomer, enabled))
    expect(r.reads - before).toBe(spooled.length)

    // The steps of a run, as sync/run takes them: links, the waiting ones' suggestions, the items.
    const plan = (list: SourceCustomer[]) => {
      const i = input(list)
      const links = planLinks(i)
      const waiting = waitingForSuggestions(i, links).map(wholeCustomer)
      const index = buildSuggestionIndex([{ id: '001A', name: 'Acme 1 Ltd' }, { id: '001D', name: 'Acme 3 Limited', website: 'acme3.com' }], waiting)
      return planSync(i, withSuggestedLinks(i, links, index, waiting))
    }
    const reads = r.reads
    const fromSpool = plan(spooled)
    expect(fromSpool).toStrictEqual(plan(plain))
    expect(fromSpool.items.some((i) => i.link.status === 'Ambiguous')).toBe(true)
    expect(fromSpool.items.some((i) => (i.link.suggestions?.length ?? 0) > 0)).toBe(true)
    // Each customer is read back once to tell whether it waits and once for its item, and the
    // waiting ones once more to be scored.
    expect(r.reads - reads).toBeLessThanOrEqual(3 * spooled.length)
    r.close()
    expect(() => spooled[1]?.phone).toThrow(/closed/)
  })

  it('a big read that fails midway closes its spool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spooled-customer-'))
    dirs.push(dir)
    const made: string[] = []
    const closed: string[] = []
    const spool = <T>(name: string): Spool<T> => {
      made.push(name)
      const s = fileSpool<T>(name, dir)
      return { put: (v) => s.put(v), get: (h) => s.get(h), close: () => (closed.push(name), s.close()) }
    }
    const all = customers(BIG_RUN + 1000)
    const source = {
      realmId: REALM,
      async *listAllCustomers() {
        yield all.slice(0, BIG_RUN)
        yield all.slice(BIG_RUN)
        throw new Error('QBO went away')
      },
      listChangedCustomers: async () => null,
      apiCalls: () => 0,
    }
    // Neither is reached: the read fails first.
    const unreached = new Proxy({}, { get: (_, k) => { throw new Error(`not reached: ${String(k)}`) } })
    await expect(runSync({ source, target: unreached as SalesforceTarget, state: unreached as SyncStateStore, spool }, { runId: 'r', mode: 'import', dryRun: false, settings: { createAccounts: false, enabledFields: enabled } })).rejects.toThrow(/QBO went away/)
    expect(made).toEqual(['customers'])
    expect(closed).toEqual(['customers'])
  })
})
