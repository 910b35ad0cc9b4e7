/**
 * @module store/alerts.repository
 * Alerts (contract §11): a problem is alerted once when it starts and once when it ends. The open
 * problems are rows keyed by (kind, subject): opening one is an insert that does nothing when the
 * row is there already, and closing one is a delete — so of two processes seeing the same problem
 * at once, exactly one alerts, and a restart remembers what was alerted. Each alert sent is kept
 * with what each channel answered, for the Hub's list.
 */
import { randomUUID } from 'node:crypto'
import { fromIso, toIso } from './codec.js'
import type { Db } from './database.js'
import type { AlertRow } from './tables/alerts.table.js'

/** What went wrong: a run failed; a run finished but records failed; a connection must be
 * connected again by a person; automatic syncs paused at the API budget. */
export type AlertKind = 'run-failed' | 'records-failed' | 'reconnect-qbo' | 'reconnect-salesforce' | 'budget-paused'
export const ALERT_KINDS: readonly AlertKind[] = ['run-failed', 'records-failed', 'reconnect-qbo', 'reconnect-salesforce', 'budget-paused']

export type AlertState = 'raised' | 'recovered'
export type AlertChannel = 'webhook' | 'email'

/** What one channel answered for one alert. */
export interface AlertDelivery {
  channel: AlertChannel
  ok: boolean
  /** Why it failed, when it did. */
  error?: string
  at: string
}

export interface Alert {
  id: string
  at: Date
  kind: AlertKind
  /** The QuickBooks company it is about; null for the org as a whole. */
  realmId: string | null
  companyName: string | null
  state: AlertState
  text: string
  deliveries: AlertDelivery[]
}

/** A problem alerted and not recovered yet. */
export interface OpenProblem {
  kind: AlertKind
  realmId: string | null
  openedAt: Date
  alertId: string
  text: string
}

const subjectOf = (realmId: string | null): string => realmId ?? ''
const realmOf = (subject: string): string | null => (subject === '' ? null : subject)

function rowToAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    at: fromIso(r.at),
    kind: r.kind as AlertKind,
    realmId: realmOf(r.subject),
    companyName: r.company_name,
    state: r.state as AlertState,
    text: r.text,
    deliveries: JSON.parse(r.deliveries) as AlertDelivery[],
  }
}

export interface ProblemInput {
  kind: AlertKind
  realmId: string | null
  companyName?: string | null
  text: string
  now?: Date
}

async function insertAlert(db: Db, id: string, a: Omit<Alert, 'id' | 'deliveries'>): Promise<Alert> {
  await db
    .insertInto('alerts')
    .values({ id, at: toIso(a.at), kind: a.kind, subject: subjectOf(a.realmId), company_name: a.companyName, state: a.state, text: a.text, deliveries: '[]' })
    .execute()
  return { ...a, id, deliveries: [] }
}

/**
 * Opens the problem and records its `raised` alert; returns the alert to send, or null when the
 * problem is open already (nothing to send). The claim is the one insert: no transaction is
 * needed, and none is held across awaits (on SQLite it would hold the file's write lock).
 */
export async function openProblem(db: Db, p: ProblemInput): Promise<Alert | null> {
  const at = p.now ?? new Date()
  const alertId = randomUUID()
  // The primary key decides: of two processes opening the same problem, one inserts the row
  // and the other inserts nothing (no error, so no aborted transaction on Postgres).
  const inserted = await db
    .insertInto('alert_problems')
    .values({ kind: p.kind, subject: subjectOf(p.realmId), opened_at: toIso(at), alert_id: alertId, text: p.text })
    .onConflict((oc) => oc.doNothing())
    .returning('kind')
    .executeTakeFirst()
  if (!inserted) return null
  return insertAlert(db, alertId, { at, kind: p.kind, realmId: p.realmId, companyName: p.companyName ?? null, state: 'raised', text: p.text })
}

/**
 * Closes the problem and records its `recovered` alert (its text made from the problem that was
 * open); returns the alert to send, or null when the problem was not open (nothing to send).
 */
export async function closeProblem(
  db: Db,
  p: { kind: AlertKind; realmId: string | null; companyName?: string | null; text: (open: OpenProblem) => string; now?: Date },
): Promise<Alert | null> {
  // Of two processes closing it at once, one deletes the row and the other deletes nothing.
  const row = await db
    .deleteFrom('alert_problems')
    .where('kind', '=', p.kind)
    .where('subject', '=', subjectOf(p.realmId))
    .returningAll()
    .executeTakeFirst()
  if (!row) return null
  const open: OpenProblem = { kind: p.kind, realmId: p.realmId, openedAt: fromIso(row.opened_at), alertId: row.alert_id, text: row.text }
  return insertAlert(db, randomUUID(), { at: p.now ?? new Date(), kind: p.kind, realmId: p.realmId, companyName: p.companyName ?? null, state: 'recovered', text: p.text(open) })
}

/** Records what the channels answered for an alert. */
export async function recordAlertDeliveries(db: Db, alertId: string, deliveries: readonly AlertDelivery[]): Promise<void> {
  await db.updateTable('alerts').set({ deliveries: JSON.stringify(deliveries) }).where('id', '=', alertId).execute()
}

/** The latest alerts first. */
export async function listAlerts(db: Db, limit = 50): Promise<Alert[]> {
  const rows = await db.selectFrom('alerts').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  return rows.map(rowToAlert)
}

/** The problems open now, oldest first. */
export async function listOpenProblems(db: Db): Promise<OpenProblem[]> {
  const rows = await db.selectFrom('alert_problems').selectAll().orderBy('opened_at').orderBy('kind').execute()
  return rows.map((r) => ({ kind: r.kind as AlertKind, realmId: realmOf(r.subject), openedAt: fromIso(r.opened_at), alertId: r.alert_id, text: r.text }))
}
