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
 *
 * Bulk API 2.0 (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/):
 * an ingest job is create (POST /jobs/ingest) + upload (PUT …/batches, up to 150 MB base64-encoded,
 * upload_job_data.htm) + close (PATCH state UploadComplete) + at least one Get Job Info + the
 * successfulResults GET that gives the Ids = 5 calls; the rows of one job do not see each other, so
 * a record whose parent is created in the same run needs a later job. A query job is create
 * (POST /jobs/query) + at least one Get Job Info + at least one results GET = 3 calls.
 */
import { planAccountNameQueries } from '../src/salesforce/account-names.js'

export const QBO_PAGE = 1000
export const SOQL_PAGE = 2000
export const COLLECTION = 200
/** Calls of the smallest Bulk API 2.0 ingest job whose rows all succeed (see the module comment). */
export const BULK_INGEST_JOB = 5
/** Calls of the smallest Bulk API 2.0 query job (its whole result taken in one results GET). */
export const BULK_QUERY = 3
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
    /** The same parts where Bulk API 2.0 may be used instead: each part the cheaper way. */
    bulk: BulkAwareBreakdown
  }
}

export interface BulkAwareBreakdown {
  /** min(REST pages, one Bulk query). */
  existing: number
  /** min(REST Accounts part, one Bulk query reading every Account); 0 when no name needs a match. */
  accounts: number
  /** min(Collections, one ingest job); 0 when none is to be created. */
  accountUpserts: number
  /** The fewest calls over schedules that write each level of the written forest either in one
   * ingest job or in Collections (Hu-packed across consecutive REST levels): never more than
   * `recordUpsertsRest` (all levels by REST) nor `recordUpsertsAllBulk`. */
  recordUpserts: number
  recordUpsertsRest: number
  /** One ingest job per level: BULK_INGEST_JOB × (depth + 1). */
  recordUpsertsAllBulk: number
  /** Records written per level (level 0: no parent written in the run). */
  levels: number[]
  /** How `recordUpserts` writes each level: 'bulk' or 'rest'. */
  recordLevelWays: ('bulk' | 'rest')[]
  strict: number
  withPackageCheck: number
  /** The run's bookkeeping; its run errors may go in one ingest job when cheaper. */
  orgRun: number
  withOrgRun: number
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

/** Each written record's level: 0 when its parent is not written in the run, else its parent's + 1. */
export function writeLevels(nodes: readonly WriteNode[]): Map<string, number> {
  const byKey = new Map(nodes.map((n) => [n.key, n]))
  const level = new Map<string, number>()
  const levelOf = (k: string): number => {
    const known = level.get(k)
    if (known !== undefined) return known
    // Iterative up the chain (no recursion limit on long chains), then filled in going down.
    const chain: string[] = []
    let cur: string | null = k
    let base = -1
    while (cur !== null) {
      const l = level.get(cur)
      if (l !== undefined) {
        base = l
        break
      }
      chain.push(cur)
      const p: string | null = byKey.get(cur)?.parentKey ?? null
      cur = p !== null && byKey.has(p) ? p : null
      if (chain.length > nodes.length) throw new Error('cycle in parent links')
    }
    for (let j = chain.length - 1; j >= 0; j--) level.set(chain[j] as string, ++base)
    return level.get(k) as number
  }
  for (const n of nodes) levelOf(n.key)
  return level
}

/**
 * Record writes when each level may go by Bulk API 2.0 or by Collections: a dynamic programme over
 * the levels 0…D — either level j alone in one ingest job (a job cannot hold a child and its
 * parent), or levels i…j−1 together in Collections packed by `minRecordCollections` (their parents
 * on earlier levels are written by then). All-REST and all-Bulk are two of the schedules it weighs.
 */
export function bulkAwareRecordWrites(nodes: readonly WriteNode[]): { calls: number; rest: number; allBulk: number; levels: number[]; ways: ('bulk' | 'rest')[] } {
  if (nodes.length === 0) return { calls: 0, rest: 0, allBulk: 0, levels: [], ways: [] }
  const level = writeLevels(nodes)
  const byLevel: WriteNode[][] = []
  for (const n of nodes) (byLevel[level.get(n.key) as number] ??= []).push(n)
  const depth = byLevel.length
  const levels = byLevel.map((b) => b?.length ?? 0)
  const memo = new Map<string, number>()
  const restOf = (i: number, j: number): number => {
    const k = `${i}-${j}`
    let v = memo.get(k)
    if (v === undefined) memo.set(k, (v = minRecordCollections(byLevel.slice(i, j).flat())))
    return v
  }
  const best: number[] = [0]
  const choice: { from: number; way: 'bulk' | 'rest' }[] = []
  for (let j = 1; j <= depth; j++) {
    let b = (best[j - 1] as number) + BULK_INGEST_JOB
    let c: { from: number; way: 'bulk' | 'rest' } = { from: j - 1, way: 'bulk' }
    for (let i = 0; i < j; i++) {
      const r = (best[i] as number) + restOf(i, j)
      if (r < b) {
        b = r
        c = { from: i, way: 'rest' }
      }
    }
    best[j] = b
    choice[j] = c
  }
  const ways: ('bulk' | 'rest')[] = []
  for (let j = depth; j > 0; ) {
    const c = choice[j] as { from: number; way: 'bulk' | 'rest' }
    for (let l = c.from; l < j; l++) ways[l] = c.way
    j = c.from
  }
  return { calls: best[depth] as number, rest: restOf(0, depth), allBulk: BULK_INGEST_JOB * depth, levels, ways }
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
  const runErrorWrites = ceil(i.runErrors ?? 0, COLLECTION)
  const orgRun = 1 + 2 + runErrorWrites + (i.orgSettingsRecord ? 0 : 1)
  // Bulk-aware: each part the cheaper way (REST as above, or Bulk API 2.0).
  const bulkExisting = Math.min(existing, BULK_QUERY)
  const bulkAccounts = i.namesToMatch.length === 0 ? 0 : Math.min(accounts, BULK_QUERY)
  const bulkAccountUpserts = i.accountsToCreate === 0 ? 0 : Math.min(accountUpserts, BULK_INGEST_JOB)
  const records = bulkAwareRecordWrites(i.writes)
  const bulkStrict = sfOauth + bulkExisting + bulkAccounts + bulkAccountUpserts + records.calls
  const bulkOrgRun = orgRun - runErrorWrites + (runErrorWrites === 0 ? 0 : Math.min(runErrorWrites, BULK_INGEST_JOB))
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
      bulk: {
        existing: bulkExisting,
        accounts: bulkAccounts,
        accountUpserts: bulkAccountUpserts,
        recordUpserts: records.calls,
        recordUpsertsRest: records.rest,
        recordUpsertsAllBulk: records.allBulk,
        levels: records.levels,
        recordLevelWays: records.ways,
        strict: bulkStrict,
        withPackageCheck: bulkStrict + packageCheck,
        orgRun: bulkOrgRun,
        withOrgRun: bulkStrict + packageCheck + bulkOrgRun,
      },
    },
  }
}
