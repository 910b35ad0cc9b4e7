/**
 * @module test/integration/store-repositories.test
 * The store suite, part two, on both dialects: settings, runs and their messages, record states
 * (10,000 at once), checkpoints, Hub sessions and sign-in lockout.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/lib/crypto.js'
import {
  addRunMessages,
  claimRun,
  countLoginAttempt,
  createRun,
  insertSession,
  deleteExpiredSessions,
  deleteSession,
  finishRun,
  forgetLoginAttempts,
  getCheckpoint,
  getLockout,
  getRun,
  getRunningRun,
  getSession,
  getSettings,
  listRunMessages,
  listRuns,
  lockLogin,
  markStaleRunsInterrupted,
  saveCheckpoint,
  saveSettings,
  setSessionOAuthState,
  syncStateStore,
  touchSession,
  updateRunProgress,
} from '../../src/store/index.js'
import type { RecordState, RunMessage, Store } from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const T0 = new Date('2025-03-01T10:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)
const MIN = 60_000

describe.each(STORE_DIALECTS)('store repositories on %s', (dialect) => {
  let h: StoreHarness
  let store: Store
  beforeAll(async () => {
    h = await openStoreHarness(dialect)
    store = h.store
  })
  afterAll(async () => {
    await h?.dispose()
  })
  beforeEach(async () => {
    await h.clear()
  })

  it('settings: defaults, then partial saves that keep the rest', async () => {
    expect(await getSettings(store.db)).toEqual({ createAccounts: false, enabledFields: null })
    expect(await saveSettings(store.db, { createAccounts: true })).toEqual({ createAccounts: true, enabledFields: null })
    await saveSettings(store.db, { enabledFields: ['names', 'billingAddress'] })
    expect(await getSettings(store.db)).toEqual({ createAccounts: true, enabledFields: ['names', 'billingAddress'] })
    await saveSettings(store.db, { enabledFields: null, createAccounts: false })
    expect(await getSettings(store.db)).toEqual({ createAccounts: false, enabledFields: null })
  })

  describe('runs', () => {
    it('go from running through progress to finished with a summary', async () => {
      const run = await createRun(store.db, { mode: 'import', dryRun: true, now: T0 })
      expect(run).toMatchObject({ mode: 'import', dryRun: true, status: 'running', done: 0, total: 0, startedAt: T0 })
      expect(run.id).toMatch(/^[0-9a-f-]{36}$/)
      expect((await getRunningRun(store.db))?.id).toBe(run.id)

      await updateRunProgress(store.db, run.id, { phase: 'writing', done: 200, total: 1000, now: later(5000) })
      expect(await getRun(store.db, run.id)).toMatchObject({ phase: 'writing', done: 200, total: 1000, heartbeatAt: later(5000) })

      const summary = { runId: run.id, mode: 'import', dryRun: true, status: 'partial', customers: { seen: 3, failed: 1 } }
      await finishRun(store.db, run.id, { status: 'partial', summary, now: later(9000) })
      const done = await getRun(store.db, run.id)
      expect(done).toMatchObject({ status: 'partial', finishedAt: later(9000), summary, error: null })
      expect(await getRunningRun(store.db)).toBeNull()
      expect(await getRun(store.db, '00000000-0000-0000-0000-000000000000')).toBeNull()
    })

    it('list newest first, and stale running runs become interrupted', async () => {
      const a = await createRun(store.db, { mode: 'import', dryRun: false, now: T0 })
      // One running run per lock key: b and c run under keys of their own.
      const b = await createRun(store.db, { mode: 'sync', dryRun: false, now: later(MIN), lockKey: 'b' })
      const c = await createRun(store.db, { mode: 'sync', dryRun: false, now: later(2 * MIN), lockKey: 'c' })
      await finishRun(store.db, a.id, { status: 'failed', error: 'Salesforce package not deployed', now: later(10) })
      await updateRunProgress(store.db, c.id, { phase: 'reading', done: 0, total: 0, now: later(3 * MIN) })
      expect((await listRuns(store.db, 10)).map((r) => r.id)).toEqual([c.id, b.id, a.id])
      expect((await listRuns(store.db, 2)).map((r) => r.id)).toEqual([c.id, b.id])

      // b's heartbeat is at +1 min, c's at +3 min: only b is stale at a +2 min cut-off.
      expect(await markStaleRunsInterrupted(store.db, later(2 * MIN), later(4 * MIN))).toBe(1)
      expect(await getRun(store.db, b.id)).toMatchObject({ status: 'interrupted', finishedAt: later(4 * MIN) })
      expect((await getRun(store.db, c.id))?.status).toBe('running')
      expect((await getRun(store.db, a.id))?.error).toBe('Salesforce package not deployed')
    })

    it('are claimed one running run per lock key, atomically, and abandoned holders are taken over', async () => {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => claimRun(store.db, { mode: 'import', dryRun: false, owner: `p${i}` }, () => false)),
      )
      const won = claims.flatMap((c) => ('claimed' in c ? [c.claimed] : []))
      expect(won).toHaveLength(1)
      for (const c of claims) if ('heldBy' in c) expect(c.heldBy.id).toBe(won[0]!.id)
      // Another key (later: another QuickBooks company) runs alongside.
      const realm = await claimRun(store.db, { mode: 'sync', dryRun: false, lockKey: 'realm:123' }, () => false)
      expect('claimed' in realm).toBe(true)
      const taken = await claimRun(store.db, { mode: 'sync', dryRun: false }, (holder) => holder.id === won[0]!.id)
      expect('claimed' in taken).toBe(true)
      expect(await getRun(store.db, won[0]!.id)).toMatchObject({ status: 'interrupted' })
    })

    it('keep their messages, in order, across batches', async () => {
      const run = await createRun(store.db, { mode: 'import', dryRun: false })
      const msgs: RunMessage[] = Array.from({ length: 1234 }, (_, i) => ({
        level: i % 3 === 0 ? 'warning' : 'error',
        qboId: String(i + 1),
        displayName: `Customer ${i + 1}`,
        field: i % 2 ? 'Email__c' : null,
        code: i % 2 ? 'INVALID_EMAIL_ADDRESS' : 'STRING_TOO_LONG',
        message: `problem ${i + 1}`,
      }))
      await addRunMessages(store.db, run.id, msgs)
      await addRunMessages(store.db, run.id, [])
      const other = await createRun(store.db, { mode: 'sync', dryRun: false, lockKey: 'other' })
      await addRunMessages(store.db, other.id, [msgs[0]!])
      expect(await listRunMessages(store.db, run.id)).toEqual(msgs)
      expect(await listRunMessages(store.db, other.id)).toHaveLength(1)
    })
  })

  it('record states: 10,000 saved and loaded, upserted in place, per realm', async () => {
    const port = syncStateStore(store)
    const states: RecordState[] = Array.from({ length: 10_000 }, (_, i) => ({
      key: `123145-${i + 1}`,
      salesforceId: `a0B${String(i).padStart(15, '0')}`,
      accountWritten: i % 4 === 0 ? null : `001${String(i % 500).padStart(15, '0')}`,
      linkStatus: i % 4 === 0 ? 'Unmapped' : 'Matched',
    }))
    await port.saveRecordStates(states)
    await port.saveRecordStates([{ key: '999-1', salesforceId: null, accountWritten: null, linkStatus: null }])
    let loaded = await port.loadRecordStates('123145')
    expect(loaded.size).toBe(10_000)
    expect(loaded.get('123145-1')).toEqual(states[0])
    expect(loaded.get('123145-10000')).toEqual(states[9999])
    expect([...loaded.values()]).toEqual(expect.arrayContaining(states.slice(0, 50)))

    const changed = states.slice(0, 3).map((s) => ({ ...s, accountWritten: 'MANUAL', linkStatus: 'Manual' as const }))
    await port.saveRecordStates(changed)
    loaded = await port.loadRecordStates('123145')
    expect(loaded.size).toBe(10_000)
    expect(loaded.get('123145-2')).toEqual(changed[1])
    expect(await port.loadRecordStates('999')).toEqual(new Map([['999-1', { key: '999-1', salesforceId: null, accountWritten: null, linkStatus: null }]]))
    expect((await port.loadRecordStates('nothing')).size).toBe(0)

    // A refusal that repeats is kept with the state, and cleared by the next save without one.
    const refused = { write: '["fingerprint"]', accountName: 'Blocked Co', errors: [{ field: 'Name', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no' }] }
    await port.saveRecordStates([{ ...states[5]!, refused }])
    expect((await port.loadRecordStates('123145')).get('123145-6')).toEqual({ ...states[5], refused })
    await port.saveRecordStates([states[5]!])
    expect((await port.loadRecordStates('123145')).get('123145-6')).toEqual(states[5])
  })

  it('checkpoints: none, then the latest saved per realm', async () => {
    expect(await getCheckpoint(store.db, 'r1')).toBeNull()
    await saveCheckpoint(store.db, 'r1', T0)
    await saveCheckpoint(store.db, 'r1', later(MIN))
    await saveCheckpoint(store.db, 'r2', T0)
    expect(await getCheckpoint(store.db, 'r1')).toEqual(later(MIN))
    expect(await getCheckpoint(store.db, 'r2')).toEqual(T0)
  })

  describe('sessions', () => {
    it('are kept by the hash of their id, slide on touch, expire and are deleted', async () => {
      const id = 'cookie-value-never-stored'
      const s = { idHash: sha256Hex(id), username: 'admin', csrfToken: 'csrf-1', createdAt: T0, expiresAt: later(30 * MIN), oauthState: null }
      await insertSession(store.db, s)
      const rows = await store.db.selectFrom('sessions').selectAll().execute()
      expect(rows).toHaveLength(1)
      expect(rows[0]?.id_hash).toBe(sha256Hex(id))
      expect(JSON.stringify(rows)).not.toContain(id)
      expect(await getSession(store.db, s.idHash)).toEqual(s)
      expect(await getSession(store.db, sha256Hex('not-a-session'))).toBeNull()

      await touchSession(store.db, s.idHash, later(50 * MIN), later(20 * MIN))
      expect(await getSession(store.db, s.idHash)).toMatchObject({ expiresAt: later(50 * MIN) })
      await setSessionOAuthState(store.db, s.idHash, 'qbo:state-1')
      expect(await getSession(store.db, s.idHash)).toMatchObject({ oauthState: 'qbo:state-1' })

      const old = { ...s, idHash: sha256Hex('old'), expiresAt: later(MIN) }
      await insertSession(store.db, old)
      expect(await deleteExpiredSessions(store.db, later(10 * MIN))).toBe(1)
      expect(await getSession(store.db, old.idHash)).toBeNull()
      await deleteSession(store.db, s.idHash)
      expect(await getSession(store.db, s.idHash)).toBeNull()
    })
  })

  describe('login attempts', () => {
    const WINDOW = 15 * MIN

    it('are numbered per key in a series; the series restarts after the window or an expired lock', async () => {
      expect(await getLockout(store.db, 'admin', T0)).toBeNull()
      for (let i = 1; i <= 3; i++) {
        expect(await countLoginAttempt(store.db, 'admin', later(i * 1000), WINDOW)).toEqual({ attempt: i, lockedUntil: null })
      }
      expect(await countLoginAttempt(store.db, 'other', later(5000), WINDOW)).toEqual({ attempt: 1, lockedUntil: null })
      await lockLogin(store.db, 'admin', later(10 * MIN), later(6000))
      expect(await countLoginAttempt(store.db, 'admin', later(MIN), WINDOW)).toEqual({ attempt: 4, lockedUntil: later(10 * MIN) })
      // Once the lock has passed, the next attempt starts a new series.
      expect(await countLoginAttempt(store.db, 'admin', later(11 * MIN), WINDOW)).toEqual({ attempt: 1, lockedUntil: null })
      expect(await countLoginAttempt(store.db, 'admin', later(11 * MIN + WINDOW + 1), WINDOW)).toEqual({ attempt: 1, lockedUntil: null })
    })

    it('give parallel attempts distinct numbers (one atomic upsert each)', async () => {
      const got = await Promise.all(Array.from({ length: 40 }, () => countLoginAttempt(store.db, 'burst', T0, WINDOW)))
      expect(got.map((g) => g.attempt).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      // A second store on the database, as another process, continues the same series.
      const again = await countLoginAttempt(h.openAnother().db, 'burst', T0, WINDOW)
      expect(again.attempt).toBe(41)
    })

    it('forget the attempts up to a successful one, keeping those counted after it', async () => {
      for (let i = 0; i < 6; i++) await countLoginAttempt(store.db, 'admin', T0, WINDOW)
      await forgetLoginAttempts(store.db, 'admin', 4, T0)
      expect(await getLockout(store.db, 'admin', T0)).toEqual({ failures: 2, lockedUntil: null })
      await forgetLoginAttempts(store.db, 'admin', 2, T0)
      expect(await getLockout(store.db, 'admin', T0)).toBeNull()
    })
  })
})
