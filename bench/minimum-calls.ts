/**
 * @module bench/minimum-calls
 * The fewest API calls QBO and Salesforce allow for one import of given data, computed from the
 * data itself (not from Tally's plan), so the bench can hold Tally's real count against it. The
 * formula and its assumptions are written out in bench/README.md ("The minimum").
 *
 * Vendor limits used: QBO query pages of at most 1,000 rows (api-facts A.2, MAXRESULTS); Salesforce
 * query pages of 2,000 rows (REST query / queryMore); sObject Collections of 200 records, one
 * sObject type per request
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm).
 */
import { planAccountNameQueries } from '../src/salesforce/account-names.js'

export const QBO_PAGE = 1000
export const SOQL_PAGE = 2000
export const COLLECTION = 200
/** `/services/data/v62.0/query?q=`: what precedes the SOQL in a query URL. */
const QUERY_PREFIX_BYTES = '/services/data/v62.0/query?q='.length

/** One `QBO_Customer__c` written in the run; `parentKey` only when the parent is written too. */
export interface WriteNode {
  key: string
  parentKey: string | null
}

export interface MinimumInput {
  /** QBO customers read (active and inactive). */
  customers: number
  /** `QBO_Customer__c` records of the realm in Salesforce before the run. */
  existingRecords: number
  /** Accounts in the org when the run reads them. */
  accounts: number
  /** Names that need an Account match (distinct by the matching rule). */
  namesToMatch: readonly string[]
  /** Accounts the run has to create. */
  accountsToCreate: number
  /** Records the run has to write, with the parent links that order them. */
  writes: readonly WriteNode[]
  /** A valid access token is already held (stored by an earlier run): no OAuth call is needed. */
  qboTokenHeld?: boolean
  sfTokenHeld?: boolean
  /** The company's Tally_Settings__c exists already (an earlier run or the Hub made it). */
  orgSettingsRecord?: boolean
  /** Failed records and values that did not fit (Tally_Run_Error__c children of the run). */
  runErrors?: number
}

export interface MinimumBreakdown {
  qbo: { oauth: number; pages: number; total: number }
  salesforce: {
    oauth: number
    /** Describe of `QBO_Customer__c` and `Account` (Tally's package check); only in `withPackageCheck`. */
    packageCheck: number
    existing: number
    /** min(read every Account, look the names up), knowing both costs in advance. */
    accounts: number
    accountsReadAll: number
    accountNameLookups: number
    accountUpserts: number
    /** Fewest Collections that keep every parent in an earlier request than its children. */
    recordUpserts: number
    /** The same records packed level by level (sorted by Level, a new request when a child's parent
     * is in the current one) — the simple scheme; shown to explain differences. */
    recordUpsertsLevelSorted: number
    strict: number
    withPackageCheck: number
    /** The run's bookkeeping in the org (contract §12): one query of the settings, the run's
     * Tally_Run__c opened and closed, one Collection per 200 run errors, and the settings record
     * created the first time. */
    orgRun: number
    withOrgRun: number
  }
}

const ceil = (n: number, d: number) => Math.ceil(n / d)

/** QBO pages for N rows: a client learns the end from a short page, so a full last page costs one
 * more (empty) page; counting first (`SELECT COUNT(*)`) costs the same one call. */
export function qboPages(n: number): number {
  return Math.floor(n / QBO_PAGE) + 1
}

/** The Account name lookups, packed into as few query URLs as fit (Tally's packer: 16 KB URI limit). */
export function accountNameLookupCalls(names: readonly string[]): number {
  return planAccountNameQueries(names, { prefixBytes: QUERY_PREFIX_BYTES }).length
}

/**
 * Fewest Collections of `size` in which every record's parent (when written in the same run) is
 * in an earlier request. Unit jobs with an out-forest of precedences on `size` machines: reversed
 * in time it is an in-forest, for which Hu's highest-level-first schedule is optimal (Hu 1961,
 * "Parallel sequencing and assembly line problems"); the reversed schedule has the same length.
 */
export function minRecordCollections(nodes: readonly WriteNode[], size = COLLECTION): number {
  if (nodes.length === 0) return 0
  const keys = new Set(nodes.map((n) => n.key))
  const parent = new Map<string, string>()
  const pending = new Map<string, number>()
  for (const n of nodes) {
    if (n.parentKey !== null && keys.has(n.parentKey)) {
      parent.set(n.key, n.parentKey)
      pending.set(n.parentKey, (pending.get(n.parentKey) ?? 0) + 1)
    }
  }
  const depth = new Map<string, number>()
  const depthOf = (k: string): number => {
    const known = depth.get(k)
    if (known !== undefined) return known
    const p = parent.get(k)
    const d = p === undefined ? 0 : depthOf(p) + 1
    depth.set(k, d)
    return d
  }
  // Ready (all children done) nodes by depth; the deepest go first.
  const buckets: string[][] = []
  const push = (k: string) => {
    const d = depthOf(k)
    ;(buckets[d] ??= []).push(k)
  }
  for (const n of nodes) if (!pending.has(n.key)) push(n.key)
  let left = nodes.length
  let steps = 0
  while (left > 0) {
    steps += 1
    const taken: string[] = []
    for (let d = buckets.length - 1; d >= 0 && taken.length < size; d--) {
      const b = buckets[d]
      while (b && b.length > 0 && taken.length < size) taken.push(b.pop() as string)
    }
    if (taken.length === 0) throw new Error('cycle in parent links')
    left -= taken.length
    // A parent becomes ready only after this step: it must be in a strictly earlier request.
    for (const k of taken) {
      const p = parent.get(k)
      if (p === undefined) continue
      const r = (pending.get(p) ?? 0) - 1
      pending.set(p, r)
      if (r === 0) push(p)
    }
  }
  return steps
}

/** The simple scheme: records sorted by depth, a new request when full or when a child's parent is
 * in the current request (what `applyPlan` does). */
export function levelSortedCollections(nodes: readonly WriteNode[], size = COLLECTION): number {
  const keys = new Set(nodes.map((n) => n.key))
  const byKey = new Map(nodes.map((n) => [n.key, n]))
  const depth = (n: WriteNode): number => {
    let d = 0
    for (let p = n.parentKey; p !== null && keys.has(p); p = byKey.get(p)?.parentKey ?? null) d++
    return d
  }
  const ordered = nodes.map((n) => ({ n, d: depth(n) })).sort((a, b) => a.d - b.d)
  let requests = 0
  let inBatch = new Set<string>()
  for (const { n } of ordered) {
    if (inBatch.size >= size || (n.parentKey !== null && inBatch.has(n.parentKey))) {
      requests++
      inBatch = new Set()
    }
    inBatch.add(n.key)
  }
  return inBatch.size > 0 ? requests + 1 : requests
}

export function minimumCalls(i: MinimumInput): MinimumBreakdown {
  const qboOauth = i.qboTokenHeld ? 0 : 1
  const pages = qboPages(i.customers)
  const sfOauth = i.sfTokenHeld ? 0 : 1
  // The existing records must be read even when there are none: one query says so.
  const existing = Math.max(1, ceil(i.existingRecords, SOQL_PAGE))
  const readAll = i.namesToMatch.length === 0 ? 0 : Math.max(1, ceil(i.accounts, SOQL_PAGE))
  const lookups = accountNameLookupCalls(i.namesToMatch)
  const accounts = i.namesToMatch.length === 0 ? 0 : Math.min(readAll, lookups)
  const accountUpserts = ceil(i.accountsToCreate, COLLECTION)
  const recordUpserts = minRecordCollections(i.writes)
  const strict = sfOauth + existing + accounts + accountUpserts + recordUpserts
  const packageCheck = 2
  const orgRun = 1 + 2 + ceil(i.runErrors ?? 0, COLLECTION) + (i.orgSettingsRecord ? 0 : 1)
  return {
    qbo: { oauth: qboOauth, pages, total: qboOauth + pages },
    salesforce: {
      oauth: sfOauth,
      packageCheck,
      existing,
      accounts,
      accountsReadAll: readAll,
      accountNameLookups: lookups,
      accountUpserts,
      recordUpserts,
      recordUpsertsLevelSorted: levelSortedCollections(i.writes),
      strict,
      withPackageCheck: strict + packageCheck,
      orgRun,
      withOrgRun: strict + packageCheck + orgRun,
    },
  }
}
