/**
 * @module salesforce/accounts
 * The Account reads and writes the mapping needs: count, read all, look names up in as few
 * queries as the URL limit allows (see account-names.ts), search for the Hub's Account picker,
 * and create Accounts idempotently by `QBO_Source_Key__c` (contract §4). Tally never writes any
 * other Account.
 */
import { planAccountNameQueries } from './account-names.js'
import type { SalesforceClient, SaveResult } from './client.js'
import { joinSoql, likePattern, soql } from './soql.js'

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

/** Every Account (Id, Name, QBO_Source_Key__c, and what suggestions compare: Website, Phone,
 * BillingStreet, BillingPostalCode — in the same pages, so reading them costs no call more):
 * ⌈A / 2,000⌉ calls. With `maxCalls`, null when that would take more calls (known from the first
 * page, so it costs one call, like a COUNT). */
export function listAllAccounts(client: SalesforceClient): Promise<AccountRow[]>
export function listAllAccounts(client: SalesforceClient, maxCalls: number): Promise<AccountRow[] | null>
export async function listAllAccounts(client: SalesforceClient, maxCalls?: number): Promise<AccountRow[] | null> {
  const q = soql`SELECT Id, Name, QBO_Source_Key__c, Website, Phone, BillingStreet, BillingPostalCode FROM Account`
  const rows = maxCalls === undefined ? await client.query<RawAccount>(q) : await client.queryWithin<RawAccount>(q, maxCalls)
  return rows ? rows.map(toRow) : null
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
  const rows = await client.queryAll<{ Id: string; IsDeleted: boolean; MasterRecordId?: string | null }>(
    soql`SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE IsDeleted = TRUE AND SystemModstamp > ${since}`,
  )
  return rows.map((r) => ({ id: r.Id, deleted: r.IsDeleted === true, masterRecordId: r.MasterRecordId ?? null }))
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
