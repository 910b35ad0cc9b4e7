/**
 * @module store/record-states.repository
 * What Tally last wrote per QBO customer: the Salesforce id, the Account it wrote (a different
 * `Account__c` in Salesforce means a person changed the link — design notes "Links that people
 * own") and the link status. Implements the engine's `SyncStateStore` port structurally.
 */
import { StringPool } from '../lib/string-pool.js'
import { chunk, toIso } from './codec.js'
import type { Db } from './database.js'
import type { Store } from './store.js'
import { inTransaction } from './transaction.js'

export type StoredLinkStatus = 'Matched' | 'Created' | 'Manual' | 'Inherited' | 'Unmapped' | 'Ambiguous' | 'Ignored'

/** A refusal that repeats (same shape as `Refusal` of src/sync/model.ts). */
export interface RecordRefusal {
  write: string | null
  accountName: string | null
  errors: { field: string | null; code: string; message: string }[]
}

/** Same shape as `RecordState` of src/sync/model.ts. */
export interface RecordState {
  key: string
  salesforceId: string | null
  accountWritten: string | null
  linkStatus: StoredLinkStatus | null
  refused?: RecordRefusal | null
}

/** The realm part of a `<realmId>-<Id>` key; QBO realm ids are digits, so the first `-` splits. */
export function realmOfKey(key: string): string {
  const i = key.indexOf('-')
  if (i <= 0) throw new Error(`Not a record key (<realmId>-<Id>): ${key}`)
  return key.slice(0, i)
}

export async function loadRecordStates(db: Db, realmId: string): Promise<Map<string, RecordState>> {
  const rows = await db
    .selectFrom('record_states')
    .select(['key', 'salesforce_id', 'account_written', 'link_status', 'refused'])
    .where('realm_id', '=', realmId)
    .execute()
  // A status and an Account repeat from record to record: each kept once, as a big read of records
  // keeps its values (lib/string-pool; a re-import of 100,000 holds every state through the run).
  const pool = new StringPool()
  const intern = (field: string, v: string | null): string | null => (v === null ? null : pool.value(field, v))
  return new Map(
    rows.map((r) => [
      r.key,
      {
        key: r.key,
        salesforceId: r.salesforce_id,
        accountWritten: intern('account_written', r.account_written),
        linkStatus: intern('link_status', r.link_status) as StoredLinkStatus | null,
        ...(r.refused !== null ? { refused: JSON.parse(r.refused) as RecordRefusal } : {}),
      },
    ]),
  )
}

/** How many of the company's records hold a refusal that repeats (not sent again until they
 * change or a run retries): records that are still failing, whether or not a run read them. */
export async function countRefusedRecords(db: Db, realmId: string): Promise<number> {
  const row = await db
    .selectFrom('record_states')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('realm_id', '=', realmId)
    .where('refused', 'is not', null)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * Upserts states in batches of 1,000 rows (6,000 bind parameters: under SQLite's 32,766 and
 * Postgres' 65,535), all in one transaction unless `db` is already one.
 */
export async function saveRecordStates(
  db: Db,
  states: readonly RecordState[],
  now: Date = new Date(),
): Promise<void> {
  if (states.length === 0) return
  const at = toIso(now)
  const write = async (trx: Db) => {
    for (const batch of chunk(states, 1000)) {
      await trx
        .insertInto('record_states')
        .values(
          batch.map((s) => ({
            realm_id: realmOfKey(s.key),
            key: s.key,
            salesforce_id: s.salesforceId,
            account_written: s.accountWritten,
            link_status: s.linkStatus,
            refused: s.refused ? JSON.stringify(s.refused) : null,
            updated_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            salesforce_id: eb.ref('excluded.salesforce_id'),
            account_written: eb.ref('excluded.account_written'),
            link_status: eb.ref('excluded.link_status'),
            refused: eb.ref('excluded.refused'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute()
    }
  }
  await inTransaction(db, write)
}

/** The engine's `SyncStateStore` port over this store. */
export function syncStateStore(store: Store): {
  loadRecordStates(realmId: string): Promise<Map<string, RecordState>>
  saveRecordStates(states: readonly RecordState[]): Promise<void>
} {
  return {
    loadRecordStates: (realmId) => loadRecordStates(store.db, realmId),
    saveRecordStates: (states) => saveRecordStates(store.db, states),
  }
}
