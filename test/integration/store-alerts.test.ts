/**
 * @module test/integration/store-alerts.test
 * The alert state (contract §11) on both dialects: a problem is alerted once while it lasts, even
 * when two processes raise it at once; it recovers once; recovering what is not open sends nothing;
 * a store of 0008 migrates to it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { closeProblem, listAlerts, listOpenProblems, openProblem, recordAlertDeliveries } from '../../src/store/index.js'
import { migrationProvider } from '../../src/store/migrations/index.js'
import { Migrator } from 'kysely'
import { openStoreAt } from './store-at.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const A = '9341452631925553'
const T0 = new Date('2026-03-01T10:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

describe.each(STORE_DIALECTS)('alerts in the store on %s', (dialect) => {
  let h: StoreHarness
  beforeAll(async () => {
    h = await openStoreHarness(dialect)
  })
  afterAll(async () => {
    await h.dispose()
  })
  beforeEach(async () => {
    await h.clear()
  })

  it('raising a problem twice alerts once; resolving it alerts "recovered" once', async () => {
    const db = h.store.db
    const first = await openProblem(db, { kind: 'run-failed', realmId: A, companyName: 'North Ltd', text: 'The run failed.', now: T0 })
    expect(first).toMatchObject({ kind: 'run-failed', realmId: A, companyName: 'North Ltd', state: 'raised', text: 'The run failed.' })
    expect(await openProblem(db, { kind: 'run-failed', realmId: A, text: 'The run failed again.', now: later(1000) })).toBeNull()
    // Another kind, or the same kind for the org, is another problem.
    expect(await openProblem(db, { kind: 'records-failed', realmId: A, text: 'Records failed.', now: later(2000) })).not.toBeNull()
    expect(await openProblem(db, { kind: 'reconnect-salesforce', realmId: null, text: 'Reconnect Salesforce.', now: later(3000) })).toMatchObject({ realmId: null })
    expect((await listOpenProblems(db)).map((p) => [p.kind, p.realmId])).toEqual([['run-failed', A], ['records-failed', A], ['reconnect-salesforce', null]])

    const recovered = await closeProblem(db, { kind: 'run-failed', realmId: A, companyName: 'North Ltd', text: (open) => `Recovered from: ${open.text}`, now: later(4000) })
    expect(recovered).toMatchObject({ state: 'recovered', text: 'Recovered from: The run failed.', realmId: A })
    expect(await closeProblem(db, { kind: 'run-failed', realmId: A, text: () => 'again', now: later(5000) })).toBeNull()

    const alerts = await listAlerts(db, 10)
    expect(alerts.map((a) => [a.kind, a.state])).toEqual([
      ['run-failed', 'recovered'],
      ['reconnect-salesforce', 'raised'],
      ['records-failed', 'raised'],
      ['run-failed', 'raised'],
    ])
    expect(alerts[0]?.at).toEqual(later(4000))
    // Once recovered, the same problem is a new one: alerted again.
    expect(await openProblem(db, { kind: 'run-failed', realmId: A, text: 'Failed once more.', now: later(6000) })).not.toBeNull()
  })

  it('resolving a problem that is not open records nothing', async () => {
    expect(await closeProblem(h.store.db, { kind: 'records-failed', realmId: A, text: () => 'x' })).toBeNull()
    expect(await listAlerts(h.store.db)).toEqual([])
  })

  it('of two processes raising (and resolving) the same problem at once, one alerts', async () => {
    const other = h.openAnother()
    const raised = await Promise.all(
      Array.from({ length: 8 }, (_, i) => openProblem(i % 2 ? other.db : h.store.db, { kind: 'reconnect-qbo', realmId: A, text: `Reconnect (${i}).` })),
    )
    expect(raised.filter((a) => a !== null)).toHaveLength(1)
    const closed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => closeProblem(i % 2 ? other.db : h.store.db, { kind: 'reconnect-qbo', realmId: A, text: () => 'Recovered.' })),
    )
    expect(closed.filter((a) => a !== null)).toHaveLength(1)
    expect((await listAlerts(h.store.db)).map((a) => a.state).sort()).toEqual(['raised', 'recovered'])
  })

  it('keeps what each channel answered', async () => {
    const a = await openProblem(h.store.db, { kind: 'budget-paused', realmId: null, text: 'Paused.' })
    if (!a) throw new Error('not raised')
    const deliveries = [
      { channel: 'webhook' as const, ok: true, at: T0.toISOString() },
      { channel: 'email' as const, ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9', at: T0.toISOString() },
    ]
    await recordAlertDeliveries(h.store.db, a.id, deliveries)
    expect((await listAlerts(h.store.db))[0]?.deliveries).toEqual(deliveries)
  })

  it('migrates a store of 0008_companies to the alert tables', async () => {
    const old = await openStoreAt(dialect, '0008_companies')
    try {
      const r = await new Migrator({ db: old.store.db, provider: migrationProvider(dialect), ...(old.store.schema ? { migrationTableSchema: old.store.schema } : {}) }).migrateToLatest()
      expect(r.error).toBeUndefined()
      expect(await openProblem(old.store.db, { kind: 'run-failed', realmId: A, text: 'x' })).not.toBeNull()
    } finally {
      await old.dispose()
    }
  })
})
