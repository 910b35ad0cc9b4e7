/**
 * @module store/link-history.repository
 * Every change of a record's link (contract §10): by a run (`tally`), a person in the Hub or the
 * command line (their user name), an acceptance or an undo, or an edit in the org that the next run
 * saw (`salesforce:<user>`). Newest first. An entry undone names the entry that undid it, so the
 * History page can say so and not offer the same undo twice.
 */
import { randomBytes } from 'node:crypto'
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import { likeContains, toIso } from './codec.js'
import type { Database, Db } from './database.js'
import type { LinkHistoryRow, NewLinkHistoryRow } from './tables/link-history.table.js'
import { inBatches } from './transaction.js'

export interface LinkHistoryEntry {
  id: string
  /** ISO 8601 instant. */
  at: string
  who: string
  realmId: string
  qboKey: string
  qboId: string
  displayName: string
  fromAccountId: string | null
  fromAccountName: string | null
  toAccountId: string | null
  toAccountName: string | null
  fromStatus: string | null
  toStatus: string | null
  reason: string
  /** This entry undid that one. */
  undoOf: string | null
  /** The entry that undid this one. */
  undoneBy: string | null
}

export type NewLinkHistoryEntry = Omit<LinkHistoryEntry, 'id' | 'at' | 'undoOf' | 'undoneBy'> & { undoOf?: string | null }

export interface LinkHistoryFilter {
  realmId?: string
  /** `tally`, `salesforce` (every `salesforce:<user>`), or `hub` (everyone else). */
  by?: 'tally' | 'hub' | 'salesforce'
  qboKey?: string
  /** Case-insensitive substring of the display name or either Account's name. */
  search?: string
  /** 1-based. */
  page: number
  pageSize: number
}

/** 16 columns × 250 rows = 4,000 bind parameters, far under both dialects' limits. */
const BATCH_ROWS = 250

/** Sortable by time, unique without coordination: the instant, then 8 random bytes. */
function newId(at: Date): string {
  return `${at.toISOString()}-${randomBytes(8).toString('hex')}`
}

function toEntry(r: LinkHistoryRow): LinkHistoryEntry {
  return {
    id: r.id,
    at: r.at,
    who: r.who,
    realmId: r.realm_id,
    qboKey: r.qbo_key,
    qboId: r.qbo_id,
    displayName: r.display_name,
    fromAccountId: r.from_account_id,
    fromAccountName: r.from_account_name,
    toAccountId: r.to_account_id,
    toAccountName: r.to_account_name,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.reason,
    undoOf: r.undo_of,
    undoneBy: r.undone_by,
  }
}

function toRow(e: NewLinkHistoryEntry, at: Date, id: string): NewLinkHistoryRow {
  return {
    id,
    at: toIso(at),
    who: e.who,
    realm_id: e.realmId,
    qbo_key: e.qboKey,
    qbo_id: e.qboId,
    display_name: e.displayName,
    from_account_id: e.fromAccountId,
    from_account_name: e.fromAccountName,
    to_account_id: e.toAccountId,
    to_account_name: e.toAccountName,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    reason: e.reason,
    undo_of: e.undoOf ?? null,
    undone_by: null,
  }
}

/** Records link changes (one run's, in one transaction). An undo marks the entry it undid. */
export async function appendLinkHistory(db: Db, entries: readonly NewLinkHistoryEntry[], now: Date = new Date()): Promise<LinkHistoryEntry[]> {
  const out: LinkHistoryEntry[] = []
  await writeLinkHistory(db, entries, now, (r) => out.push(toEntry({ ...r, undo_of: r.undo_of ?? null, undone_by: null } as LinkHistoryRow)))
  return out
}

/** `appendLinkHistory` for a run's changes, taken as they come and not returned: a first import of
 * 100,000 customers records 100,000 links, never all held as rows at once. Returns how many. */
export async function recordLinkHistory(db: Db, entries: Iterable<NewLinkHistoryEntry>, now: Date = new Date()): Promise<number> {
  return writeLinkHistory(db, entries, now, () => {})
}

async function writeLinkHistory(db: Db, entries: Iterable<NewLinkHistoryEntry>, now: Date, written: (r: NewLinkHistoryRow) => void): Promise<number> {
  return inBatches(db, entries, BATCH_ROWS, (e) => toRow(e, now, newId(now)), async (trx, batch) => {
    await trx.insertInto('link_history').values(batch).execute()
    for (const r of batch) {
      if (r.undo_of) await trx.updateTable('link_history').set({ undone_by: r.id }).where('id', '=', r.undo_of).execute()
      written(r)
    }
  })
}

export async function getLinkHistoryEntry(db: Db, id: string): Promise<LinkHistoryEntry | null> {
  const row = await db.selectFrom('link_history').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toEntry(row) : null
}

type Eb = ExpressionBuilder<Database, 'link_history'>


const containsCi = (column: 'display_name' | 'from_account_name' | 'to_account_name', pattern: string) =>
  sql<SqlBool>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`

function whereOf(f: LinkHistoryFilter) {
  return (eb: Eb) => {
    const cond: Expression<SqlBool>[] = []
    if (f.realmId !== undefined) cond.push(eb('realm_id', '=', f.realmId))
    if (f.qboKey !== undefined) cond.push(eb('qbo_key', '=', f.qboKey))
    if (f.by === 'tally') cond.push(eb('who', '=', 'tally'))
    if (f.by === 'salesforce') cond.push(eb('who', 'like', 'salesforce:%'))
    if (f.by === 'hub') cond.push(eb.and([eb('who', '<>', 'tally'), eb('who', 'not like', 'salesforce:%')]))
    const term = f.search?.trim() ?? ''
    if (term !== '') {
      const p = likeContains(term)
      cond.push(eb.or([containsCi('display_name', p), containsCi('from_account_name', p), containsCi('to_account_name', p)]))
    }
    return eb.and(cond)
  }
}

/** One page of the history, newest first. */
export async function listLinkHistory(db: Db, f: LinkHistoryFilter): Promise<{ total: number; items: LinkHistoryEntry[] }> {
  if (!Number.isInteger(f.page) || f.page < 1) throw new RangeError(`Bad page: ${f.page}`)
  if (!Number.isInteger(f.pageSize) || f.pageSize < 1) throw new RangeError(`Bad page size: ${f.pageSize}`)
  const where = whereOf(f)
  const counted = await db.selectFrom('link_history').select((eb) => eb.fn.countAll().as('n')).where(where).executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('link_history')
    .selectAll()
    .where(where)
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute()
  return { total: Number(counted.n), items: rows.map(toEntry) }
}
