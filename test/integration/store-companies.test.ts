/**
 * @module test/integration/store-companies.test
 * Several QuickBooks companies in one store (contract §9), on both dialects: the migration from a
 * single-company store keeps its data; connections, tokens and locks are per company; runs and
 * the run lock are per company; settings are per company, the first company's being the default
 * of the next.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCipher } from '../../src/lib/crypto.js'
import { migrationProvider } from '../../src/store/migrations/index.js'
import {
  createRun,
  createStore,
  getCompanySettings,
  getConnection,
  getRunningRun,
  getSettings,
  initCompanySettings,
  listConnections,
  listRuns,
  qboCompany,
  qboTokenStore,
  saveCompanySettings,
  saveConnection,
  saveTokens,
  withConnectionLock,
} from '../../src/store/index.js'
import type { Store, StoreDialect } from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const cipher = createCipher(randomBytes(32))
const PG_URL = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const A = '9341452631925553'
const B = '9341452631925554'
const T0 = new Date('2025-03-01T10:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

/** A store migrated only up to `0007_run_lock`: what a single-company install has today. */
async function openLegacyStore(dialect: StoreDialect): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tally-legacy-'))
    const store = createStore({ sqlitePath: join(dir, 'tally.db') })
    await new Migrator({ db: store.db, provider: migrationProvider('sqlite') }).migrateTo('0007_run_lock')
    return { store, dispose: async () => { await store.close(); await rm(dir, { recursive: true, force: true }) } }
  }
  const schema = `tally_test_${randomBytes(6).toString('hex')}`
  const store = createStore({ databaseUrl: PG_URL, schema })
  await sql`create schema ${sql.id(schema)}`.execute(store.db)
  await new Migrator({ db: store.db, provider: migrationProvider('postgres'), migrationTableSchema: schema }).migrateTo('0007_run_lock')
  return {
    store,
    dispose: async () => {
      await store.close()
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end())
    },
  }
}

describe.each(STORE_DIALECTS)('several companies in the store on %s', (dialect) => {
  it('migrates a single-company store: its QBO connection, runs and settings become its realm\'s', async () => {
    const legacy = await openLegacyStore(dialect)
    try {
      const db = legacy.store.db
      const at = T0.toISOString()
      const rt = cipher.encrypt('rt-legacy')
      await sql`insert into connections (provider, external_id, label, refresh_token_enc, status, connected_at, updated_at)
        values ('qbo', ${A}, 'Craig''s Design', ${rt}, 'connected', ${at}, ${at}),
               ('salesforce', '00Dxx0000001gPL', 'admin@example.com', null, 'connected', ${at}, ${at})`.execute(db)
      await sql`insert into runs (id, mode, dry_run, status, done, total, started_at, heartbeat_at)
        values ('run-1', 'import', 0, 'succeeded', 0, 0, ${at}, ${at})`.execute(db)
      await sql`insert into settings (key, value, updated_at) values ('createAccounts', 'true', ${at}),
        ('enabledFields', '["names","billingAddress"]', ${at})`.execute(db)
      await sql`insert into checkpoints (realm_id, last_sync_at, updated_at) values (${A}, ${at}, ${at})`.execute(db)

      await legacy.store.migrate()

      const qbo = await getConnection(db, cipher, qboCompany(A))
      expect(qbo).toMatchObject({ provider: 'qbo', company: A, externalId: A, label: 'Craig\'s Design', refreshToken: 'rt-legacy', status: 'connected' })
      expect(await getConnection(db, cipher, 'salesforce')).toMatchObject({ company: '', externalId: '00Dxx0000001gPL' })
      expect((await listConnections(db, cipher, 'qbo')).map((c) => c.company)).toEqual([A])
      expect((await listRuns(db, 10, A)).map((r) => r.id)).toEqual(['run-1'])
      expect(await getCompanySettings(db, A)).toEqual({ createAccounts: true, enabledFields: ['names', 'billingAddress'] })
      expect(await getSettings(db)).toEqual({ createAccounts: true, enabledFields: ['names', 'billingAddress'] })
      // The token store of that company reads the migrated token.
      expect((await qboTokenStore(legacy.store, cipher, { realmId: A }).read())?.refreshToken).toBe('rt-legacy')
    } finally {
      await legacy.dispose()
    }
  })

  describe('on a migrated store', () => {
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

    it('keeps each company\'s connection and rotated tokens apart', async () => {
      await saveConnection(store.db, cipher, qboCompany(A), { externalId: A, label: 'US entity', tokens: { accessToken: 'at-a', accessTokenExpiresAt: later(3600_000), refreshToken: 'rt-a' } }, T0)
      await saveConnection(store.db, cipher, qboCompany(B), { externalId: B, label: 'Canada entity', tokens: { accessToken: 'at-b', accessTokenExpiresAt: later(3600_000), refreshToken: 'rt-b' } }, later(1000))
      await qboTokenStore(store, cipher, { realmId: B }).write({ accessToken: 'at-b2', accessTokenExpiresAt: later(7200_000), refreshToken: 'rt-b2' })
      expect(await getConnection(store.db, cipher, qboCompany(A))).toMatchObject({ label: 'US entity', accessToken: 'at-a', refreshToken: 'rt-a' })
      expect(await getConnection(store.db, cipher, qboCompany(B))).toMatchObject({ label: 'Canada entity', accessToken: 'at-b2', refreshToken: 'rt-b2' })
      expect((await listConnections(store.db, cipher, 'qbo')).map((c) => c.label)).toEqual(['US entity', 'Canada entity'])
    })

    // Postgres only: there each company's lock is an advisory lock of its own, while SQLite has one
    // write lock for the whole file (so the test is not defined there, rather than skipped).
    if (dialect === 'postgres') it('locks each company on its own: one held does not block another', async () => {
      const other = h.openAnother()
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      const holder = withConnectionLock(other, qboCompany(A), () => held)
      await new Promise((r) => setTimeout(r, 50))
      await expect(withConnectionLock(store, qboCompany(B), async (trx) => {
        await saveTokens(trx, cipher, qboCompany(B), { accessToken: 'x', accessTokenExpiresAt: T0 })
        return 'B is free'
      }, { timeoutMs: 2000 })).resolves.toBe('B is free')
      await expect(withConnectionLock(store, qboCompany(A), async () => 'never', { timeoutMs: 100 })).rejects.toThrow(/qbo \(company 9341452631925553\) connection lock/)
      release()
      await holder
    })

    it('has one run lock per company', async () => {
      await createRun(store.db, { mode: 'import', dryRun: false, id: 'run-a', realmId: A, now: T0 })
      expect((await getRunningRun(store.db, A))?.id).toBe('run-a')
      expect(await getRunningRun(store.db, B)).toBeNull()
      await createRun(store.db, { mode: 'sync', dryRun: false, id: 'run-b', realmId: B, now: later(1000) })
      expect((await getRunningRun(store.db, B))?.realmId).toBe(B)
      expect((await listRuns(store.db, 10)).map((r) => r.id)).toEqual(['run-b', 'run-a'])
      expect((await listRuns(store.db, 10, A)).map((r) => r.id)).toEqual(['run-a'])
    })

    it('keeps settings per company; a new company starts with the first company\'s', async () => {
      await saveConnection(store.db, cipher, qboCompany(A), { externalId: A }, T0)
      expect(await getCompanySettings(store.db, A)).toEqual({ createAccounts: false, enabledFields: null })
      await saveCompanySettings(store.db, A, { createAccounts: true, enabledFields: ['names'] })
      await saveConnection(store.db, cipher, qboCompany(B), { externalId: B }, later(1000))
      await initCompanySettings(store.db, B)
      expect(await getCompanySettings(store.db, B)).toEqual({ createAccounts: true, enabledFields: ['names'] })
      // From now on each is its own.
      await saveCompanySettings(store.db, B, { createAccounts: false })
      await saveCompanySettings(store.db, A, { enabledFields: ['names', 'website'] })
      expect(await getCompanySettings(store.db, A)).toEqual({ createAccounts: true, enabledFields: ['names', 'website'] })
      expect(await getCompanySettings(store.db, B)).toEqual({ createAccounts: false, enabledFields: ['names'] })
      // A reconnect keeps what the company has.
      await initCompanySettings(store.db, B)
      expect((await getCompanySettings(store.db, B)).createAccounts).toBe(false)
    })
  })
})
