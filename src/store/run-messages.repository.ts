/**
 * @module store/run-messages.repository
 * Per-record errors and warnings of a run (contract §4: a value that does not fit is reported
 * with the customer, the field and the reason; §6 `errors`).
 */
import { chunk } from './codec.js'
import type { Db } from './database.js'
import { inTransaction } from './transaction.js'

export interface RunMessage {
  level: 'error' | 'warning'
  qboId: string | null
  displayName: string | null
  field: string | null
  code: string
  message: string
}

/** Adds messages in batches (500 rows a statement keeps under every bind-parameter limit). */
export async function addRunMessages(db: Db, runId: string, msgs: readonly RunMessage[]): Promise<void> {
  if (msgs.length === 0) return
  await inTransaction(db, async (trx) => {
    for (const batch of chunk(msgs, 500)) {
      await trx
        .insertInto('run_messages')
      .values(
        batch.map((m) => ({
          run_id: runId,
          level: m.level,
          qbo_id: m.qboId,
          display_name: m.displayName,
          field: m.field,
          code: m.code,
          message: m.message,
        })),
      )
      .execute()
    }
  })
}

/** The run's messages in the order they were added. */
export async function listRunMessages(db: Db, runId: string): Promise<RunMessage[]> {
  const rows = await db
    .selectFrom('run_messages')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    level: r.level as RunMessage['level'],
    qboId: r.qbo_id,
    displayName: r.display_name,
    field: r.field,
    code: r.code,
    message: r.message,
  }))
}
