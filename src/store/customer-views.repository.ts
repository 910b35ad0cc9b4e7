/**
 * @module store/customer-views.repository
 * The Hub's local copy of the synced QBO customers, written after each run, so that the "QBO
 * Customers" page (search, filters, paging) and the link queue of "Sync Customers" (contract §8)
 * cost no Salesforce API calls. The sync's records in Salesforce stay the truth; this is a view.
 *
 * Searching is a case-insensitive substring match done as `lower(col) like lower(?) escape '\'`
 * on both dialects. `lower` folds only ASCII letters in SQLite (no ICU), but every letter in
 * Postgres (per the database's LC_CTYPE), so "émile" finds "Émile" on Postgres and not on
 * SQLite. Likewise the list order is `lower(display_name)` compared byte-wise by SQLite and by
 * the database collation on Postgres: the same for `C` / `C.UTF-8` databases, but a linguistic
 * collation (e.g. `en_US.UTF-8`) may order punctuation, spaces and accents differently.
 */
import { sql } from 'kysely'
import type { ExpressionBuilder, SqlBool } from 'kysely'
import { fromBit, likeContains, toBit, toIso } from './codec.js'
import type { Database, Db } from './database.js'
import type { CustomerViewRow, NewCustomerViewRow } from './tables/customer-views.table.js'
import { inBatches, inTransaction } from './transaction.js'

export interface CustomerViewCandidate {
  id: string
  name: string
}

export interface CustomerView {
  /** `<realmId>-<qboId>` (contract §4). */
  key: string
  realmId: string
  salesforceId: string | null
  qboId: string
  displayName: string
  accountId: string | null
  accountName: string | null
  /** `Matched` | `Created` | `Manual` | `Inherited` | `Unmapped` | `Ambiguous` (contract §5). */
  linkStatus: string | null
  active: boolean
  isSubCustomer: boolean
  parentName: string | null
  email: string | null
  /** The Accounts an `Ambiguous` customer could link to (contract §5 rule 4). */
  candidates: CustomerViewCandidate[] | null
  /** Suggested Accounts of an `Unmapped` or `Ambiguous` record, best first (contract §10); null
   * when none were computed. */
  suggestions: CustomerViewSuggestion[] | null
}

export interface CustomerViewSuggestion {
  accountId: string
  accountName: string
  score: number
  reasons: string[]
}

/**
 * The "QBO Customers" filters. `mapped`: linked to an Account. `unmapped`: no Account and not
 * `Ambiguous` (waits for a person). `ambiguous`: `Ambiguous`. `inactive`: inactive in QBO.
 * Mapped and unmapped split the rows; ambiguous and inactive cut across them.
 */
export type CustomerViewFilter = 'all' | 'mapped' | 'unmapped' | 'ambiguous' | 'inactive'

export interface CustomerViewQuery {
  realmId?: string
  /** Case-insensitive substring of the display name, email or Account name. */
  search?: string
  filter?: CustomerViewFilter
  /** 1-based. */
  page: number
  pageSize: number
}

/** 14 columns × 500 rows = 7,000 bind parameters: under SQLite's 32,766 and Postgres' 65,535. */
const BATCH_ROWS = 500

const LINK_QUEUE_STATUSES = ['Unmapped', 'Ambiguous'] as const

function rowToView(r: CustomerViewRow): CustomerView {
  return {
    key: r.key,
    realmId: r.realm_id,
    salesforceId: r.salesforce_id,
    qboId: r.qbo_id,
    displayName: r.display_name,
    accountId: r.account_id,
    accountName: r.account_name,
    linkStatus: r.link_status,
    active: fromBit(r.active),
    isSubCustomer: fromBit(r.is_sub_customer),
    parentName: r.parent_name,
    email: r.email,
    candidates: r.candidates === null ? null : (JSON.parse(r.candidates) as CustomerViewCandidate[]),
    suggestions: r.suggestions === null ? null : (JSON.parse(r.suggestions) as CustomerViewSuggestion[]),
  }
}

function viewToRow(v: CustomerView, updatedAt: string): NewCustomerViewRow {
  // A key that disagrees with its parts would make a row unfindable by realm: refuse it.
  if (v.key !== `${v.realmId}-${v.qboId}`) {
    throw new Error(`Customer view key ${v.key} is not <realmId>-<qboId> (${v.realmId}, ${v.qboId})`)
  }
  return {
    key: v.key,
    realm_id: v.realmId,
    salesforce_id: v.salesforceId,
    qbo_id: v.qboId,
    display_name: v.displayName,
    account_id: v.accountId,
    account_name: v.accountName,
    link_status: v.linkStatus,
    active: toBit(v.active),
    is_sub_customer: toBit(v.isSubCustomer),
    parent_name: v.parentName,
    email: v.email,
    candidates:
      v.candidates === null
        ? null
        : JSON.stringify(v.candidates.map((c) => ({ id: c.id, name: c.name }))),
    suggestions:
      v.suggestions === null
        ? null
        : JSON.stringify(v.suggestions.map((x) => ({ accountId: x.accountId, accountName: x.accountName, score: x.score, reasons: x.reasons }))),
    updated_at: updatedAt,
  }
}

/**
 * Inserts or replaces views in batches of 500 rows, all in one transaction unless `db` is
 * already one (so the Hub never shows half a run's rewrite). The rows are taken as they come: a
 * big run's views are made one batch at a time (jobs/customer-view), never all held at once.
 */
export async function upsertCustomerViews(
  db: Db,
  rows: Iterable<CustomerView>,
  now: Date = new Date(),
): Promise<void> {
  const at = toIso(now)
  const write = (trx: Db, batch: NewCustomerViewRow[]) =>
    trx
      .insertInto('customer_views')
      .values(batch)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          realm_id: eb.ref('excluded.realm_id'),
          salesforce_id: eb.ref('excluded.salesforce_id'),
          qbo_id: eb.ref('excluded.qbo_id'),
          display_name: eb.ref('excluded.display_name'),
          account_id: eb.ref('excluded.account_id'),
          account_name: eb.ref('excluded.account_name'),
          link_status: eb.ref('excluded.link_status'),
          active: eb.ref('excluded.active'),
          is_sub_customer: eb.ref('excluded.is_sub_customer'),
          parent_name: eb.ref('excluded.parent_name'),
          email: eb.ref('excluded.email'),
          candidates: eb.ref('excluded.candidates'),
          suggestions: eb.ref('excluded.suggestions'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  await inBatches(db, rows, BATCH_ROWS, (v) => viewToRow(v, at), write)
}

type Eb = ExpressionBuilder<Database, 'customer_views'>

// `escape '\'` is a one-backslash literal on both dialects (Postgres: standard_conforming_strings,
// on by default since 9.1). https://www.sqlite.org/lang_expr.html#like
// https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE
const containsCi = (column: 'display_name' | 'email' | 'account_name', pattern: string) =>
  sql<SqlBool>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`

function filterCondition(eb: Eb, filter: CustomerViewFilter) {
  switch (filter) {
    case 'all':
      return eb.lit(true)
    case 'mapped':
      return eb('account_id', 'is not', null)
    case 'unmapped':
      return eb.and([
        eb('account_id', 'is', null),
        eb.or([eb('link_status', 'is', null), eb('link_status', '<>', 'Ambiguous')]),
      ])
    case 'ambiguous':
      return eb('link_status', '=', 'Ambiguous')
    case 'inactive':
      return eb('active', '=', 0)
  }
}

function whereOf(q: CustomerViewQuery) {
  const term = q.search?.trim() ?? ''
  return (eb: Eb) => {
    const conditions = [filterCondition(eb, q.filter ?? 'all')]
    if (q.realmId !== undefined) conditions.push(eb('realm_id', '=', q.realmId))
    if (term !== '') {
      const pattern = likeContains(term)
      conditions.push(
        eb.or([
          containsCi('display_name', pattern),
          containsCi('email', pattern),
          containsCi('account_name', pattern),
        ]),
      )
    }
    return eb.and(conditions)
  }
}

/** One page of the views matching `q`, by display name (case-insensitive) then key. */
export async function listCustomerViews(
  db: Db,
  q: CustomerViewQuery,
): Promise<{ total: number; items: CustomerView[] }> {
  if (!Number.isInteger(q.page) || q.page < 1) throw new RangeError(`Bad page: ${q.page}`)
  if (!Number.isInteger(q.pageSize) || q.pageSize < 1) {
    throw new RangeError(`Bad page size: ${q.pageSize}`)
  }
  const where = whereOf(q)
  const counted = await db
    .selectFrom('customer_views')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(where)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('customer_views')
    .selectAll()
    .where(where)
    .orderBy(sql`lower(display_name)`)
    .orderBy('key')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()
  // Postgres returns count(*) as a bigint string.
  return { total: Number(counted.n), items: rows.map(rowToView) }
}

/** The customers waiting for a person: `Ambiguous` first, then `Unmapped`, by display name. */
export async function listLinkQueue(db: Db, realmId?: string): Promise<CustomerView[]> {
  let query = db
    .selectFrom('customer_views')
    .selectAll()
    .where('link_status', 'in', LINK_QUEUE_STATUSES)
  if (realmId !== undefined) query = query.where('realm_id', '=', realmId)
  const rows = await query
    .orderBy(sql`case when link_status = 'Ambiguous' then 0 else 1 end`)
    .orderBy(sql`lower(display_name)`)
    .orderBy('key')
    .execute()
  return rows.map(rowToView)
}

export async function getCustomerView(db: Db, key: string): Promise<CustomerView | null> {
  const row = await db
    .selectFrom('customer_views')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirst()
  return row ? rowToView(row) : null
}

/**
 * Records a link a person made (or cleared) in the Hub, so the view shows it before the next
 * run rewrites the row. Candidates are kept: the next run decides whether they still matter.
 * No row with that key: nothing happens.
 */
export async function setCustomerViewLink(
  db: Db,
  key: string,
  link: { accountId: string | null; accountName: string | null; linkStatus: string },
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('customer_views')
    .set({
      account_id: link.accountId,
      account_name: link.accountName,
      link_status: link.linkStatus,
      updated_at: toIso(now),
    })
    .where('key', '=', key)
    .execute()
}

/** Forgets every view of a realm (its connection was removed, or before a full rewrite). */
export async function deleteCustomerViews(db: Db, realmId: string): Promise<void> {
  await db.deleteFrom('customer_views').where('realm_id', '=', realmId).execute()
}

/** Marks rows inactive (their customer is no longer in QuickBooks). */
export async function setCustomerViewsInactive(db: Db, keys: readonly string[], now: Date = new Date()): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    await db
      .updateTable('customer_views')
      .set({ active: 0, updated_at: toIso(now) })
      .where('key', 'in', keys.slice(i, i + 500))
      .execute()
  }
}

/** Replaces the suggestions of these rows (after `tally links suggest` recomputed them). */
export async function setCustomerViewSuggestions(
  db: Db,
  rows: readonly { key: string; suggestions: CustomerViewSuggestion[] | null }[],
  now: Date = new Date(),
): Promise<void> {
  if (rows.length === 0) return
  await inTransaction(db, async (trx) => {
    for (const r of rows) {
      await trx
        .updateTable('customer_views')
        .set({ suggestions: r.suggestions === null ? null : JSON.stringify(r.suggestions), updated_at: toIso(now) })
        .where('key', '=', r.key)
        .execute()
    }
  })
}

/** The rows of these link statuses (all companies, or one), by display name. */
export async function listCustomerViewsByStatus(db: Db, statuses: readonly string[], realmId?: string): Promise<CustomerView[]> {
  if (statuses.length === 0) return []
  let query = db.selectFrom('customer_views').selectAll().where('link_status', 'in', statuses)
  if (realmId !== undefined) query = query.where('realm_id', '=', realmId)
  const rows = await query.orderBy(sql`lower(display_name)`).orderBy('key').execute()
  return rows.map(rowToView)
}
