/**
 * @module bench/dataset
 * Turns the sandbox's data (before an import) or Salesforce's state (after one) into the input of
 * `minimumCalls`: how many customers, records and Accounts there are, which names need an Account
 * match, how many Accounts must be created and which records are written with which parents.
 * Independent of Tally's planner on purpose: it re-derives these from the mapping rules of
 * contract §5 (a customer matches the Accounts whose Name equals its DisplayName after trimming,
 * collapsing white space and ignoring case; sub-customers inherit; inactive ones never create one).
 */
import type { WireObject } from '../emulators/shared/data.js'
import type { MinimumInput, WriteNode } from './minimum-calls.js'

/** The matching rule's comparison form. */
export const normalize = (name: string): string =>
  name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en-US')

/** QBO appends " (deleted)" to an inactive customer's DisplayName (api-facts A.0). */
const matchable = (c: WireObject): string => {
  const name = String(c.DisplayName ?? '')
  return c.Active === false ? name.replace(/\s*\(deleted\)\s*$/i, '') : name
}

const isSub = (c: WireObject): boolean => c.Job === true && typeof (c.ParentRef as { value?: string } | undefined)?.value === 'string'
const parentId = (c: WireObject): string | null => (isSub(c) ? (c.ParentRef as { value: string }).value : null)

/** Distinct by the matching rule, empty names left out. */
function distinctNames(names: Iterable<string>): string[] {
  const out = new Map<string, string>()
  for (const n of names) if (n.trim() !== '' && !out.has(normalize(n))) out.set(normalize(n), n)
  return [...out.values()]
}

export interface DatasetFacts {
  customers: number
  topLevel: number
  subCustomers: number
  maxLevel: number
  accounts: number
  /** Customers whose name matches exactly one Account / several / none. */
  matchOne: number
  matchMany: number
  accountsToCreate: number
}

/** What the sandbox holds before a run (the emulators' own lists, as their APIs serve them). */
export interface SandboxState {
  realmId: string
  /** QBO customers, wire shape. */
  customers: readonly WireObject[]
  accounts: readonly WireObject[]
  /** `QBO_Customer__c` records. */
  records: readonly WireObject[]
}

/** The minimum input for the first import with Create Accounts on. */
export function firstImportInput(s: SandboxState): { input: MinimumInput; facts: DatasetFacts } {
  const realm = s.realmId
  const customers = s.customers
  const byNorm = new Map<string, number>()
  for (const a of s.accounts) {
    const k = normalize(String(a.Name ?? ''))
    byNorm.set(k, (byNorm.get(k) ?? 0) + 1)
  }
  const top = customers.filter((c) => !isSub(c))
  const names = distinctNames(top.map(matchable))
  const create = distinctNames(top.filter((c) => c.Active !== false && !byNorm.get(normalize(matchable(c)))).map(matchable))
  const writes: WriteNode[] = customers.map((c) => {
    const p = parentId(c)
    return { key: `${realm}-${String(c.Id)}`, parentKey: p === null ? null : `${realm}-${p}` }
  })
  const existing = s.records.filter((r) => String(r.QBO_Key__c).startsWith(`${realm}-`)).length
  const byId = new Map(customers.map((c) => [String(c.Id), c]))
  const level = (c: WireObject): number => {
    let d = 0
    for (let p = parentId(c); p !== null && d < 10; p = parentId(byId.get(p) ?? {})) d++
    return d
  }
  let matchOne = 0
  let matchMany = 0
  for (const c of top) {
    const n = byNorm.get(normalize(matchable(c))) ?? 0
    if (n === 1) matchOne++
    else if (n > 1) matchMany++
  }
  return {
    input: {
      customers: customers.length,
      existingRecords: existing,
      accounts: s.accounts.length,
      namesToMatch: names,
      accountsToCreate: create.length,
      writes,
    },
    facts: {
      customers: customers.length,
      topLevel: top.length,
      subCustomers: customers.length - top.length,
      maxLevel: customers.reduce((m, c) => Math.max(m, level(c)), 0),
      accounts: s.accounts.length,
      matchOne,
      matchMany,
      accountsToCreate: create.length,
    },
  }
}

/** The minimum input for running the import again with nothing changed: every record exists and
 * is up to date; only top-level records still without an Account (Unmapped, Ambiguous) need a
 * match, because a person may have created that Account since. QBO's access token is held (Tally
 * stores it, as QBO's rotation requires); a Salesforce session is not. */
export function rerunInput(s: SandboxState): MinimumInput {
  const realm = s.realmId
  const byKey = new Map(s.customers.map((c) => [`${realm}-${String(c.Id)}`, c]))
  const unlinked: string[] = []
  for (const r of s.records) {
    const c = byKey.get(String(r.QBO_Key__c))
    if (!c || isSub(c)) continue
    if (r.Link_Status__c === 'Matched' || r.Link_Status__c === 'Created' || r.Link_Status__c === 'Manual') continue
    unlinked.push(matchable(c))
  }
  return {
    customers: s.customers.length,
    existingRecords: s.records.filter((r) => String(r.QBO_Key__c).startsWith(`${realm}-`)).length,
    accounts: s.accounts.length,
    namesToMatch: distinctNames(unlinked),
    accountsToCreate: 0,
    writes: [],
    qboTokenHeld: true,
    // The company's Tally_Settings__c was created by the first run.
    orgSettingsRecord: true,
  }
}
