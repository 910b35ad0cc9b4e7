/**
 * @module salesforce/accounts
 * The Account reads and writes the mapping needs: count, read all, look names up in as few
 * queries as the URL limit allows (see account-names.ts), search for the Hub's Account picker,
 * and create Accounts idempotently by `QBO_Source_Key__c` (contract §4). Tally never writes any
 * other Account.
 */
import { MAX_QUERY_PATH_BYTES, planAccountNameQueries } from './account-names.js'
import { again, BULK_NULL, bulkInsert, type BulkPoll } from './bulk.js'
import { bulkQuery, bulkQueryCalls, readAllRows, type BulkQueryOptions } from './bulk-query.js'
import { COLLECTION_CHUNK, COMPOSITE_MAX_QUERIES, type SalesforceClient, type SaveResult } from './client.js'
import { queryPart, sendParts } from './composite.js'
import { encodeSoqlParam, joinSoql, likePattern, soql, type Soql } from './soql.js'

export interface AccountRow {
  id: string
  name: string
  /** `QBO_Source_Key__c`: set on the Accounts Tally created. */
  sourceKey: string | null
  /** What suggestions compare (contract §10), when read. */
  website?: string | null
  phone?: string | null
  billingStreet?: string | null
  billingPostalCode?: string | null
}

interface RawAccount {
  Id: string
  Name: string
  QBO_Source_Key__c?: string | null
  Website?: string | null
  Phone?: string | null
  BillingStreet?: string | null
  BillingPostalCode?: string | null
}

const toRow = (r: RawAccount): AccountRow => ({
  id: r.Id,
  name: r.Name,
  sourceKey: r.QBO_Source_Key__c ?? null,
  ...('Website' in r ? { website: r.Website ?? null, phone: r.Phone ?? null, billingStreet: r.BillingStreet ?? null, billingPostalCode: r.BillingPostalCode ?? null } : {}),
})

/** One `SELECT COUNT()` call. */
export function countAccounts(client: SalesforceClient): Promise<number> {
  return client.count(soql`SELECT COUNT() FROM Account`)
}

/** How a large read may go: `bulk: false` reads REST pages only; else Bulk API 2.0 query when
 * it costs fewer calls (see readAllRows in bulk-query.ts), with these job options. */
export interface ReadOptions {
  bulk?: false | BulkQueryOptions
}

/** Every Account (Id, Name, QBO_Source_Key__c, and what suggestions compare: Website, Phone,
 * BillingStreet, BillingPostalCode — in the same rows, so reading them costs no call more). The
 * first REST page tells how many there are; up to ~10,000 Accounts the REST pages are read
 * (⌈A / 2,000⌉ calls), above that one Bulk API 2.0 query job reads them all (the first page,
 * then create, polls and a results page: ~5 calls for 80,000 Accounts instead of 40), rows
 * identical either way. With `maxCalls`, null when that would take more calls (known from the
 * first page, so it costs one call, like a COUNT). */
export function listAllAccounts(client: SalesforceClient, maxCalls?: undefined, o?: ReadOptions): Promise<AccountRow[]>
export function listAllAccounts(client: SalesforceClient, maxCalls: number, o?: ReadOptions): Promise<AccountRow[] | null>
export async function listAllAccounts(client: SalesforceClient, maxCalls?: number, o: ReadOptions = {}): Promise<AccountRow[] | null> {
  const q = soql`SELECT Id, Name, QBO_Source_Key__c, Website, Phone, BillingStreet, BillingPostalCode FROM Account`
  return readAllRows(client, q, { ...(maxCalls === undefined ? {} : { maxCalls }), ...(o.bulk === undefined ? {} : { bulk: o.bulk }) }, (r) => toRow(r as unknown as RawAccount))
}

/** Accounts whose Name may equal one of `names` by Tally's rule — a superset: compare locally
 * with `sameAccountName`. Each Account appears once. */
export async function findAccountsByNames(client: SalesforceClient, names: readonly string[]): Promise<AccountRow[]> {
  const statements = planAccountNameQueries(names, { prefixBytes: client.queryPath('').length })
  const byId = new Map<string, AccountRow>()
  for (const s of statements) {
    for (const r of await client.query<RawAccount>(s)) byId.set(r.Id, toRow(r))
  }
  return [...byId.values()]
}

/** The Accounts of `findAccountsByNames(names)` and of `findSuggestionCandidates(terms)` in one
 * Composite call (its queries count as one API call), or null when their queries are more than one
 * Composite request may hold: a sync of a customer not linked yet looks its name up and, in case it
 * is left waiting, its suggestions' candidates at once.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm */
export async function findAccountsAndCandidates(
  client: SalesforceClient,
  names: readonly string[],
  terms: SuggestionTerms,
): Promise<{ accounts: AccountRow[]; candidates: AccountRow[] } | null> {
  const byName = planAccountNameQueries(names, { prefixBytes: client.queryPath('').length })
  const bySuggestion = suggestionCandidateQueries(terms)
  if (byName.length + bySuggestion.length > COMPOSITE_MAX_QUERIES) return null
  const answers = await Promise.all(await sendParts(client, [...byName, ...bySuggestion].map((q, i) => queryPart<RawAccount>(client, `accounts${i}`, q))))
  const rows = (lists: RawAccount[][]): AccountRow[] => {
    const byId = new Map<string, AccountRow>()
    for (const list of lists) for (const r of list) byId.set(r.Id, toRow(r))
    return [...byId.values()]
  }
  return { accounts: rows(answers.slice(0, byName.length)), candidates: rows(answers.slice(byName.length)) }
}

/** What to look Accounts up by for the suggestions of a few customers (contract §10). */
export interface SuggestionTerms {
  /** Name contains: words and word prefixes. */
  nameParts: readonly string[]
  /** Website contains: registrable domains. */
  domains: readonly string[]
  /** BillingPostalCode equals. */
  postalCodes: readonly string[]
}

/** Conditions per statement: each is at most ~60 bytes quoted and URL-encoded, so 120 stay far
 * under the 14,336-byte query path of account-names.ts. */
const TERMS_PER_QUERY = 120

/** The statements `findSuggestionCandidates` sends. */
export function suggestionCandidateQueries(terms: SuggestionTerms): string[] {
  const conds = [
    ...[...new Set(terms.nameParts)].map((p) => soql`Name LIKE ${likePattern([p], { prefix: true, suffix: true })}`),
    ...[...new Set(terms.domains)].map((d) => soql`Website LIKE ${likePattern([d], { prefix: true, suffix: true })}`),
  ]
  const postal = [...new Set(terms.postalCodes)]
  for (let i = 0; i < postal.length; i += TERMS_PER_QUERY) conds.push(soql`BillingPostalCode IN ${postal.slice(i, i + TERMS_PER_QUERY)}`)
  const out: string[] = []
  for (let i = 0; i < conds.length; i += TERMS_PER_QUERY) {
    out.push(soql`SELECT Id, Name, QBO_Source_Key__c, Website, Phone, BillingStreet, BillingPostalCode FROM Account WHERE ${joinSoql(conds.slice(i, i + TERMS_PER_QUERY), ' OR ')}`.text)
  }
  return out
}

/** The Accounts that share a name part, a website domain or a billing postal code with a few
 * customers: the candidates their suggestions are scored from, without reading every Account.
 * (LIKE is case-insensitive in SOQL; the scorer compares exactly.) */
export async function findSuggestionCandidates(client: SalesforceClient, terms: SuggestionTerms): Promise<AccountRow[]> {
  const byId = new Map<string, AccountRow>()
  for (const q of suggestionCandidateQueries(terms)) {
    for (const r of await client.query<RawAccount>(q)) byId.set(r.Id, toRow(r))
  }
  return [...byId.values()]
}

/** What became of an Account: live, deleted, or merged into `masterRecordId`. */
export interface AccountFate {
  id: string
  deleted: boolean
  /** Set on an Account merged away: the surviving Account. */
  masterRecordId: string | null
}

/** Ids per statement: an 18-character Id is 24 bytes quoted, encoded and separated, so 500 of
 * them stay well under the 14,336-byte query path of account-names.ts. */
const FATE_BATCH = 500

/** The Accounts with these Ids, deleted ones included (`queryAll`: a deleted or merged Account
 * is in the Recycle Bin with `IsDeleted` and, when merged, `MasterRecordId`). An Id that is not
 * returned at all was purged from the Recycle Bin. One call per 500 Ids. */
export async function accountFates(client: SalesforceClient, ids: readonly string[]): Promise<AccountFate[]> {
  const out: AccountFate[] = []
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += FATE_BATCH) {
    const batch = unique.slice(i, i + FATE_BATCH)
    const rows = await client.queryAll<{ Id: string; IsDeleted: boolean; MasterRecordId?: string | null }>(
      soql`SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id IN ${batch}`,
    )
    for (const r of rows) out.push({ id: r.Id, deleted: r.IsDeleted === true, masterRecordId: r.MasterRecordId ?? null })
  }
  return out
}

/** The Accounts deleted (or merged away) since an instant, from the Recycle Bin (`queryAll`):
 * the Accounts whose records' links Salesforce itself changed since then (contract §5.8). A
 * delete moves `SystemModstamp`; the `SetNull` it does to the records' lookups need not.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm */
export async function accountsDeletedSince(client: SalesforceClient, since: Date): Promise<AccountFate[]> {
  return (await client.queryAll<FateRow>(deletedAccountsQuery(since))).map(toFate)
}

/** A Recycle Bin row (`queryAll`) of an Account. */
export interface FateRow {
  Id: string
  IsDeleted: boolean
  MasterRecordId?: string | null
}

export const toFate = (r: FateRow): AccountFate => ({ id: r.Id, deleted: r.IsDeleted === true, masterRecordId: r.MasterRecordId ?? null })

/** The Accounts deleted (or merged away) since an instant (contract §5.8: a delete moves
 * `SystemModstamp`); also sent inside a sync's first Composite call (salesforce/changes). */
export function deletedAccountsQuery(since: Date): Soql {
  return soql`SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE IsDeleted = TRUE AND SystemModstamp > ${since}`
}

/** The Hub's Account lookup: Name contains every word of `term`, in order, case-insensitively
 * (LIKE is case-insensitive; words are LIKE-escaped). An empty term lists the first Accounts. */
export async function searchAccounts(client: SalesforceClient, term: string, limit = 20): Promise<AccountRow[]> {
  const n = Math.max(1, Math.min(200, Math.floor(limit)))
  const words = term.trim().split(/\s+/u).filter(Boolean)
  const q = words.length === 0
    ? soql`SELECT Id, Name FROM Account ORDER BY Name LIMIT ${n}`
    : soql`SELECT Id, Name FROM Account WHERE Name LIKE ${likePattern(words, { prefix: true, suffix: true })} ORDER BY Name LIMIT ${n}`
  return (await client.query<RawAccount>(q)).map(toRow)
}

/** Creates (or finds again) the Accounts Tally creates, by upsert on `QBO_Source_Key__c`, so a
 * retry never duplicates one; only Accounts carrying that key can be touched. */
export function upsertAccountsBySourceKey(
  client: SalesforceClient,
  accounts: readonly { sourceKey: string; name: string }[],
): Promise<SaveResult[]> {
  return client.upsert('Account', 'QBO_Source_Key__c', accounts.map((a) => ({ QBO_Source_Key__c: a.sourceKey, Name: a.name })))
}

/**
 * Creates the Accounts Tally creates, keyed by `QBO_Source_Key__c`, without ever changing an
 * Account that exists (contract §4): an insert, and for a key some Account holds already (a
 * retry, a resumed run, or another company's run that created it a moment ago — the key comes
 * from the name, contract §5.10) Salesforce answers DUPLICATE_VALUE; that Account is then read by
 * its key and returned as found (`created: false`), so one Account per key, and its Name as a
 * person may have changed it. One query more, only when a key was taken.
 */
export async function createAccountsBySourceKey(
  client: SalesforceClient,
  accounts: readonly { sourceKey: string; name: string }[],
): Promise<SaveResult[]> {
  // Collections create results carry no `created` flag (only upserts do): a success is an insert.
  const results = (await client.insert('Account', accounts.map((a) => ({ QBO_Source_Key__c: a.sourceKey, Name: a.name }))))
    .map((r): SaveResult => (r.ok ? { ...r, created: true } : r))
  const taken = results.flatMap((r, i) => (!r.ok && r.errors.some((e) => e.code === 'DUPLICATE_VALUE' && /QBO_Source_Key__c/i.test(e.message)) ? [i] : []))
  if (taken.length === 0) return results
  const keys = taken.map((i) => accounts[i]?.sourceKey as string)
  const found = new Map<string, string>()
  // 200 keys of 50 characters stay far below the SOQL and URL limits.
  const rows = await client.query<RawAccount>(soql`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE QBO_Source_Key__c IN ${keys}`)
  for (const r of rows) if (r.QBO_Source_Key__c) found.set(r.QBO_Source_Key__c.toLowerCase(), r.Id)
  return results.map((r, i) => {
    if (!taken.includes(i)) return r
    const id = found.get((accounts[i]?.sourceKey ?? '').toLowerCase())
    return id ? { ok: true, id, created: false } : r
  })
}

/** `QBO_Source_Key__c IN (…)` statements, each within the query URL limit (account-names.ts). */
export function accountsByKeyQueries(keys: readonly string[], o: { prefixBytes?: number; maxPathBytes?: number } = {}): Soql[] {
  const statement = (batch: readonly string[]) => soql`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE QBO_Source_Key__c IN ${batch}`
  const max = (o.maxPathBytes ?? MAX_QUERY_PATH_BYTES) - (o.prefixBytes ?? 0)
  const base = encodeSoqlParam(statement(['']).text).length
  const out: Soql[] = []
  let batch: string[] = []
  let bytes = base
  for (const k of new Set(keys)) {
    // A key costs its quoted, escaped, encoded literal and a separator.
    const size = encodeSoqlParam(`${soql`${k}`.text}, `).length
    if (batch.length > 0 && bytes + size > max) {
      out.push(statement(batch))
      batch = []
      bytes = base
    }
    batch.push(k)
    bytes += size
  }
  if (batch.length > 0) out.push(statement(batch))
  return out
}

/** Id by lower-cased `QBO_Source_Key__c` (the field is unique and case-insensitive) of the
 * Accounts holding these keys: REST `IN` queries, or, when those would take more calls than a
 * Bulk query, one Bulk query of every Account that has a key (a resumed run of 28,000 Accounts
 * finds them all taken: 140 REST queries, or ~4 Bulk calls). */
async function accountIdsByKeys(client: SalesforceClient, keys: readonly string[], bulk: false | BulkQueryOptions): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  const statements = accountsByKeyQueries(keys, { prefixBytes: client.queryPath('').length })
  const rows: RawAccount[] = []
  if (bulk !== false && statements.length > bulkQueryCalls(keys.length)) {
    rows.push(...(await bulkQuery<RawAccount>(client, soql`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE QBO_Source_Key__c != NULL`, bulk)))
  } else {
    for (const q of statements) rows.push(...(await client.query<RawAccount>(q)))
  }
  for (const r of rows) if (r.QBO_Source_Key__c) found.set(r.QBO_Source_Key__c.toLowerCase(), r.Id)
  return found
}

const keyTaken = (r: SaveResult): boolean =>
  !r.ok && r.errors.some((e) => e.code === 'DUPLICATE_VALUE' && /QBO_Source_Key__c/i.test(e.message))

export interface BulkAccountOptions {
  poll?: BulkPoll
  /** Largest CSV per ingest job (bulk.ts BULK_MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number
}

/**
 * `createAccountsBySourceKey` through Bulk API 2.0: one **insert** ingest job on Account with
 * `Name` and `QBO_Source_Key__c` (an insert, never an upsert: an Account that exists is never
 * modified). A row refused with DUPLICATE_VALUE on `QBO_Source_Key__c` is an Account that holds
 * the key already: it is read by its key and returned as found (`created: false`), unchanged.
 * Other refusals are the `sf__Error`s, as Collections report them; rows Salesforce did not process
 * are BULK_UNPROCESSED (transient). Results in input order.
 *
 * Through Collections instead (createAccountsBySourceKey, 200 a request, after the job): a key
 * given again (case-insensitively) — a job does not order its rows and its results are matched by
 * key, while in a Collection the second row meets the first's Account, as it must — and a name or
 * key that is the literal `#N/A`, which a Bulk cell reads as null (CSV has no escape for it).
 * Those are a few rows, cheaper in Collections than in a second job (≥ 6 calls).
 */
export async function createAccountsBySourceKeyInBulk(
  client: SalesforceClient,
  accounts: readonly { sourceKey: string; name: string }[],
  o: BulkAccountOptions = {},
): Promise<SaveResult[]> {
  const results: SaveResult[] = new Array<SaveResult>(accounts.length)
  const inJob: number[] = []
  const later: number[] = []
  const seen = new Set<string>()
  accounts.forEach((a, i) => {
    const k = a.sourceKey.toLowerCase()
    if (seen.has(k) || a.name === BULK_NULL || a.sourceKey === BULK_NULL) later.push(i)
    else inJob.push(i)
    seen.add(k)
  })
  if (inJob.length > 0) {
    const records = inJob.map((i) => ({ Name: accounts[i]?.name, QBO_Source_Key__c: accounts[i]?.sourceKey }))
    const rs = await bulkInsert(client, { object: 'Account', matchField: 'QBO_Source_Key__c', records, ...(o.poll ? { poll: o.poll } : {}), ...(o.maxUploadBytes ? { maxUploadBytes: o.maxUploadBytes } : {}) })
    rs.forEach((r, j) => {
      results[inJob[j] as number] = r.ok ? { ok: true, id: r.id, created: true } : r
    })
    const taken = inJob.filter((i) => keyTaken(results[i] as SaveResult))
    if (taken.length > 0) {
      const found = await accountIdsByKeys(client, taken.map((i) => accounts[i]?.sourceKey as string), { ...(o.poll ? { poll: o.poll } : {}) })
      for (const i of taken) {
        const id = found.get((accounts[i]?.sourceKey ?? '').toLowerCase())
        if (id) results[i] = { ok: true, id, created: false }
      }
    }
  }
  // In input order, 200 a request (its read of taken keys is one query of ≤ 200 keys). Sent again
  // whole after a transient failure: an insert that finds its key taken reads it, so it converges.
  for (let k = 0; k < later.length; k += COLLECTION_CHUNK) {
    const part = later.slice(k, k + COLLECTION_CHUNK)
    const rs = await again(() => createAccountsBySourceKey(client, part.map((i) => accounts[i] as { sourceKey: string; name: string })))
    rs.forEach((r, j) => (results[part[j] as number] = r))
  }
  return results
}

/** The functions above bound to one client. */
export function accountsOf(client: SalesforceClient) {
  return {
    countAccounts: () => countAccounts(client),
    listAllAccounts: () => listAllAccounts(client),
    findAccountsByNames: (names: readonly string[]) => findAccountsByNames(client, names),
    searchAccounts: (term: string, limit?: number) => searchAccounts(client, term, limit),
    upsertAccountsBySourceKey: (accounts: readonly { sourceKey: string; name: string }[]) =>
      upsertAccountsBySourceKey(client, accounts),
  }
}
