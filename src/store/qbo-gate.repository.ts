/**
 * @module store/qbo-gate.repository
 * The QBO request gate (the QBO client's `RequestGate`) over the store, so that every process sharing one database
 * shares the count. A slot is taken by inserting a row and counting the realm's live rows: over the
 * limit, the row is removed and the request waits a moment (two processes racing for the last slot
 * may both step back, never both go). The minute's count is one atomic upsert (`insert … on conflict
 * do update … returning`, on both dialects); past the allowance the request waits for the next
 * minute. A slot expires after `slotTtlMs`, so a process killed mid-request frees it by itself.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from './database.js'

/** Runs a request of a realm when the shared count allows (the QBO client's `RequestGate`). */
export interface SharedRequestGate {
  run<T>(realmId: string, fn: () => Promise<T>): Promise<T>
}

export interface QboGateOptions {
  /** The vendor's limits per realm (the QBO client's QBO_LIMITS). */
  perMinute: number
  inFlight: number
  /** A request longer than this (QBO answers within 2 minutes or not at all) no longer holds its slot. */
  slotTtlMs?: number
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
}

const minuteOf = (d: Date): string => d.toISOString().slice(0, 16)

export function createQboGate(db: Db, o: QboGateOptions): SharedRequestGate {
  const { perMinute, inFlight } = o
  const ttl = o.slotTtlMs ?? 180_000
  const now = o.now ?? (() => new Date())
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))

  async function takeMinute(realmId: string): Promise<void> {
    for (;;) {
      const at = now()
      const minute = minuteOf(at)
      const row = await db
        .insertInto('qbo_minutes')
        .values({ realm_id: realmId, minute, n: 1 })
        .onConflict((oc) => oc.columns(['realm_id', 'minute']).doUpdateSet({ n: sql`qbo_minutes.n + 1` }))
        .returning('n')
        .executeTakeFirstOrThrow()
      if (Number(row.n) <= perMinute) return
      // Spent: wait for the next minute (and try again: other processes wait too).
      await sleep(60_000 - (at.getTime() % 60_000) + Math.floor(Math.random() * 250))
    }
  }

  async function takeSlot(realmId: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const id = randomUUID()
      const at = now()
      await db.insertInto('qbo_inflight').values({ id, realm_id: realmId, expires_at: new Date(at.getTime() + ttl).toISOString() }).execute()
      const live = await db
        .selectFrom('qbo_inflight')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('realm_id', '=', realmId)
        .where('expires_at', '>', at.toISOString())
        .executeTakeFirstOrThrow()
      if (Number(live.n) <= inFlight) return id
      await db.deleteFrom('qbo_inflight').where('id', '=', id).execute()
      await sleep(Math.min(1_000, 20 * 2 ** Math.min(attempt, 5)) + Math.floor(Math.random() * 20))
    }
  }

  return {
    async run(realmId, fn) {
      await takeMinute(realmId)
      const slot = await takeSlot(realmId)
      try {
        return await fn()
      } finally {
        await db.deleteFrom('qbo_inflight').where('id', '=', slot).execute()
        // Old minutes and dead slots go now and then (1 in 50 requests), not on every request.
        if (Math.random() < 0.02) {
          const t = now()
          await db.deleteFrom('qbo_minutes').where('minute', '<', minuteOf(new Date(t.getTime() - 120_000))).execute()
          await db.deleteFrom('qbo_inflight').where('expires_at', '<', t.toISOString()).execute()
        }
      }
    },
  }
}
