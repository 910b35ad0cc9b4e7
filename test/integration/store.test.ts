/**
 * @module test/integration/store.test
 * The store suite, run on both dialects (SQLite file, Postgres schema): migrations, connections
 * and the environment refresh-token rule, encryption at rest, the cross-process connection lock
 * and the QBO token store.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DecryptError, createCipher } from '../../src/lib/crypto.js'
import {
  deleteConnection,
  getConnection,
  importEnvRefreshToken,
  disconnectConnection,
  qboTokenStore,
  recordFailure,
  recordSuccess,
  saveConnection,
  saveTokens,
  withConnectionLock,
} from '../../src/store/index.js'
import type { Store } from '../../src/store/index.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

const cipher = createCipher(randomBytes(32))
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`
const T0 = new Date('2025-03-01T10:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

describe.each(STORE_DIALECTS)('store on %s', (dialect) => {
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

  describe('migrations', () => {
    it('create every table from empty, and running them again changes nothing', async () => {
      // Postgres introspection lists every schema's tables: keep this store's own.
      const ownTables = async () =>
        (await store.db.introspection.getTables())
          .filter((t) => t.schema === store.schema || dialect === 'sqlite')
          .map((t) => t.name)
      const tables = await ownTables()
      for (const t of ['connections', 'settings', 'runs', 'run_messages', 'record_states', 'checkpoints', 'sessions', 'login_attempts']) {
        expect(tables).toContain(t)
      }
      await store.migrate()
      await h.openAnother().migrate()
      const again = await ownTables()
      expect(again.sort()).toEqual(tables.sort())
    })

    it('opens SQLite in WAL mode (created in a folder that did not exist), Postgres in its schema', async () => {
      if (dialect === 'sqlite') {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db)
        expect(mode.rows[0]?.journal_mode).toBe('wal')
      } else {
        const path = await sql<{ s: string }>`select current_schema() as s`.execute(store.db)
        expect(path.rows[0]?.s).toBe(store.schema)
        expect(store.schema).toMatch(/^tally_test_/)
      }
    })
  })

  describe('connections', () => {
    it('saves, reads back, records success and failure, and deletes', async () => {
      expect(await getConnection(store.db, cipher, 'qbo')).toBeNull()
      await saveConnection(
        store.db,
        cipher,
        'qbo',
        {
          externalId: '9341452631925553',
          label: "Craig's Design",
          apiBaseUrl: 'http://127.0.0.1:4101',
          tokens: { accessToken: 'at-1', accessTokenExpiresAt: later(3600_000), refreshToken: 'rt-1', refreshTokenExpiresAt: later(86400_000) },
        },
        T0,
      )
      let c = await getConnection(store.db, cipher, 'qbo')
      expect(c).toMatchObject({
        provider: 'qbo',
        externalId: '9341452631925553',
        label: "Craig's Design",
        apiBaseUrl: 'http://127.0.0.1:4101',
        instanceUrl: null,
        accessToken: 'at-1',
        refreshToken: 'rt-1',
        status: 'connected',
        connectedAt: T0,
      })
      expect(c?.accessTokenExpiresAt).toEqual(later(3600_000))

      // Salesforce-style refresh: no new refresh token, the stored one stays.
      await saveTokens(store.db, cipher, 'qbo', { accessToken: 'at-2', accessTokenExpiresAt: later(7200_000) }, later(1000))
      c = await getConnection(store.db, cipher, 'qbo')
      expect(c).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-1', connectedAt: T0, updatedAt: later(1000) })

      await recordFailure(store.db, 'qbo', 'invalid_grant', { status: 'reauth_required', now: later(2000) })
      c = await getConnection(store.db, cipher, 'qbo')
      expect(c).toMatchObject({ status: 'reauth_required', lastError: 'invalid_grant', lastErrorAt: later(2000) })
      await recordSuccess(store.db, 'qbo', later(3000))
      c = await getConnection(store.db, cipher, 'qbo')
      expect(c).toMatchObject({ status: 'connected', lastError: null, lastErrorAt: null, lastSuccessAt: later(3000) })

      await saveConnection(store.db, cipher, 'salesforce', { externalId: '00D000000000001', instanceUrl: 'http://127.0.0.1:4102' })
      await deleteConnection(store.db, 'qbo')
      expect(await getConnection(store.db, cipher, 'qbo')).toBeNull()
      expect((await getConnection(store.db, cipher, 'salesforce'))?.instanceUrl).toBe('http://127.0.0.1:4102')
    })

    it('keeps tokens encrypted at rest and refuses to read them with another key', async () => {
      const access = secret('access')
      const refresh = secret('refresh')
      await saveConnection(store.db, cipher, 'salesforce', {
        externalId: 'org',
        tokens: { accessToken: access, accessTokenExpiresAt: later(1), refreshToken: refresh },
      })
      const raw = await store.db.selectFrom('connections').selectAll().where('provider', '=', 'salesforce').executeTakeFirstOrThrow()
      const rawText = JSON.stringify(raw)
      expect(raw.access_token_enc).toMatch(/^v1:/)
      expect(rawText).not.toContain(access)
      expect(rawText).not.toContain(refresh)
      if (h.sqlitePath) {
        const bytes = Buffer.concat([
          await readFile(h.sqlitePath),
          await readFile(`${h.sqlitePath}-wal`).catch(() => Buffer.alloc(0)),
        ])
        expect(bytes.includes(Buffer.from('v1:'))).toBe(true) // the file does hold the ciphertext
        expect(bytes.includes(Buffer.from(access))).toBe(false)
        expect(bytes.includes(Buffer.from(refresh))).toBe(false)
      }
      await expect(getConnection(store.db, createCipher(randomBytes(32)), 'salesforce')).rejects.toThrow(DecryptError)
    })
  })

  describe('importEnvRefreshToken (contract §3)', () => {
    const refresh = (rt: string) => saveTokens(store.db, cipher, 'qbo', { accessToken: 'at', accessTokenExpiresAt: later(3600_000), refreshToken: rt })
    const stored = async () => (await getConnection(store.db, cipher, 'qbo'))?.refreshToken

    it('imports the environment token when nothing is stored', async () => {
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })).toBe('imported')
      const c = await getConnection(store.db, cipher, 'qbo')
      expect(c).toMatchObject({ refreshToken: 'env-1', externalId: 'realm-1', accessToken: null, status: 'connected' })
    })

    it('keeps a newer (rotated) stored token while the environment still holds the imported value', async () => {
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })
      await refresh('rotated-2')
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })).toBe('kept-stored')
      expect(await stored()).toBe('rotated-2')
      expect((await getConnection(store.db, cipher, 'qbo'))?.accessToken).toBe('at')
    })

    it('takes the environment token when its value changed since it was imported', async () => {
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })
      await refresh('rotated-2')
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-2', { externalId: 'realm-1' })).toBe('imported')
      expect(await stored()).toBe('env-2')
      expect((await getConnection(store.db, cipher, 'qbo'))?.accessToken).toBeNull()
      // …and from then on the rotated successor of env-2 wins again.
      await refresh('rotated-3')
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-2', { externalId: 'realm-1' })).toBe('kept-stored')
      expect(await stored()).toBe('rotated-3')
    })

    it('takes the environment token when the realm changed, or the connection was made in the Hub', async () => {
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-2' })).toBe('imported')
      expect((await getConnection(store.db, cipher, 'qbo'))?.externalId).toBe('realm-2')

      await saveConnection(store.db, cipher, 'salesforce', {
        externalId: 'org',
        tokens: { accessToken: 'a', accessTokenExpiresAt: later(1), refreshToken: 'hub-rt' },
      })
      expect(await importEnvRefreshToken(store.db, cipher, 'salesforce', 'env-sf')).toBe('imported')
      expect((await getConnection(store.db, cipher, 'salesforce'))?.refreshToken).toBe('env-sf')
    })

    it('stays disconnected after a Hub disconnect until the environment value changes', async () => {
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })
      await disconnectConnection(store.db, 'qbo')
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1', { externalId: 'realm-1' })).toBe('kept-stored')
      expect(await getConnection(store.db, cipher, 'qbo')).toMatchObject({ status: 'disconnected', refreshToken: null, accessToken: null })
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-2', { externalId: 'realm-1' })).toBe('imported')
      expect(await getConnection(store.db, cipher, 'qbo')).toMatchObject({ status: 'connected', refreshToken: 'env-2' })
    })

    it('re-imports after the connection is deleted, and a Hub reconnect keeps the import marker', async () => {
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1')
      await deleteConnection(store.db, 'qbo')
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1')).toBe('imported')
      await saveConnection(store.db, cipher, 'qbo', {
        tokens: { accessToken: 'a', accessTokenExpiresAt: later(1), refreshToken: 'hub-rt' },
      })
      expect(await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-1')).toBe('kept-stored')
      expect(await stored()).toBe('hub-rt')
    })
  })

  describe('withConnectionLock', () => {
    async function holdersSerialise(a: Store, b: Store) {
      const events: string[] = []
      const hold = (s: Store, name: string) =>
        withConnectionLock(s, 'qbo', async (trx) => {
          events.push(`${name}:in`)
          await sleep(60)
          await trx.selectFrom('connections').selectAll().execute()
          events.push(`${name}:out`)
          return name
        })
      const results = await Promise.all([hold(a, 'A'), hold(b, 'B'), hold(a, 'C')])
      expect(results).toEqual(['A', 'B', 'C'])
      expect(events).toHaveLength(6)
      for (let i = 0; i < 6; i += 2) {
        expect(events[i]!.endsWith(':in')).toBe(true)
        expect(events[i + 1]).toBe(events[i]!.replace(':in', ':out'))
      }
    }

    it('serialises holders in one process', async () => {
      await holdersSerialise(store, store)
    })

    it('serialises holders across processes (two stores on one database)', async () => {
      await holdersSerialise(store, h.openAnother())
    })

    it('commits the writes of the callback, rolls them back when it throws, keeps checkpoints', async () => {
      await withConnectionLock(store, 'qbo', (trx) => saveTokens(trx, cipher, 'qbo', { accessToken: 'kept', accessTokenExpiresAt: T0 }))
      await expect(
        withConnectionLock(store, 'qbo', async (trx) => {
          await saveTokens(trx, cipher, 'qbo', { accessToken: 'lost', accessTokenExpiresAt: T0 })
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect((await getConnection(store.db, cipher, 'qbo'))?.accessToken).toBe('kept')
      await expect(
        withConnectionLock(store, 'qbo', async (trx, lock) => {
          await saveTokens(trx, cipher, 'qbo', { accessToken: 'checkpointed', accessTokenExpiresAt: T0 })
          await lock.checkpoint()
          throw new Error('after the checkpoint')
        }),
      ).rejects.toThrow('after the checkpoint')
      expect((await getConnection(store.db, cipher, 'qbo'))?.accessToken).toBe('checkpointed')
    })

    it('times out clearly while another process holds the lock', async () => {
      const other = h.openAnother()
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let entered!: () => void
      const inLock = new Promise<void>((r) => (entered = r))
      const holder = withConnectionLock(other, 'qbo', async () => {
        entered()
        await held
      })
      await inLock
      await expect(withConnectionLock(store, 'qbo', async () => 'never', { timeoutMs: 100 })).rejects.toThrow(/Timed out/)
      release()
      await holder
      expect(await withConnectionLock(store, 'qbo', async () => 'now')).toBe('now')
    })
  })

  describe('qboTokenStore', () => {
    const tokens = (n: number, expires: Date) => ({
      accessToken: `at-${n}`,
      accessTokenExpiresAt: expires,
      refreshToken: `rt-${n}`,
      refreshTokenExpiresAt: later(100 * 86400_000),
    })

    it('reads null, then what was written; an environment import reads as expired', async () => {
      const ts = qboTokenStore(store, cipher)
      expect(await ts.read()).toBeNull()
      await ts.write(tokens(1, later(3600_000)))
      expect(await ts.read()).toEqual(tokens(1, later(3600_000)))
      await importEnvRefreshToken(store.db, cipher, 'qbo', 'env-rt')
      expect(await ts.read()).toEqual({ accessToken: '', accessTokenExpiresAt: new Date(0), refreshToken: 'env-rt' })
    })

    it('persists a rotated token written inside the lock even if the callback fails afterwards', async () => {
      const ts = qboTokenStore(store, cipher)
      await ts.write(tokens(1, T0))
      await expect(
        ts.withLock(async () => {
          await ts.write(tokens(2, later(3600_000)))
          throw new Error('crash right after the token arrived')
        }),
      ).rejects.toThrow('crash')
      // Read through another connection, as a restarted process would.
      expect((await qboTokenStore(h.openAnother(), cipher).read())?.refreshToken).toBe('rt-2')
    })

    it('lets only one of two processes refresh; the other sees the new token', async () => {
      await qboTokenStore(store, cipher).write(tokens(1, T0)) // expired
      let refreshes = 0
      const refreshIfExpired = (ts: ReturnType<typeof qboTokenStore>) =>
        ts.withLock(async () => {
          const t = await ts.read()
          if (!t || t.accessTokenExpiresAt > T0) return t?.refreshToken
          await sleep(50) // the HTTP call to Intuit
          refreshes++
          await ts.write(tokens(refreshes + 1, later(3600_000)))
          return `rt-${refreshes + 1}`
        })
      const [a, b] = await Promise.all([
        refreshIfExpired(qboTokenStore(store, cipher)),
        refreshIfExpired(qboTokenStore(h.openAnother(), cipher)),
      ])
      expect(refreshes).toBe(1)
      expect([a, b]).toEqual(['rt-2', 'rt-2'])
      const raw = await sql<{ n: number }>`select count(*) as n from connections`.execute(store.db)
      expect(Number(raw.rows[0]?.n)).toBe(1)
    })

    it('holds no lock or transaction while refreshing: another process locks and writes meanwhile', async () => {
      await qboTokenStore(store, cipher).write(tokens(1, T0))
      const other = h.openAnother()
      const ts = qboTokenStore(store, cipher)
      const seen = await ts.withLock(async () => {
        // Where the call to Intuit happens: another process's short critical section and plain
        // write go through at once instead of waiting for the refresh to finish.
        await withConnectionLock(other, 'qbo', (trx) => saveTokens(trx, cipher, 'salesforce', { accessToken: 'sf', accessTokenExpiresAt: T0 }), { timeoutMs: 100 })
        await recordSuccess(other.db, 'salesforce', later(1))
        return (await getConnection(other.db, cipher, 'salesforce'))?.accessToken
      })
      expect(seen).toBe('sf')
    })

    it('takes over the lease of a holder that died, once it expires', async () => {
      await qboTokenStore(store, cipher).write(tokens(1, T0))
      const dead = qboTokenStore(h.openAnother(), cipher, { leaseTtlMs: 200 })
      // A holder that never releases (its process died mid-refresh).
      await new Promise<void>((entered) => void dead.withLock(() => new Promise(() => entered())))
      const ts = qboTokenStore(store, cipher, { waitMs: 5_000 })
      expect(await ts.withLock(async () => (await ts.read())?.refreshToken)).toBe('rt-1')
      const impatient = qboTokenStore(store, cipher, { waitMs: 50 })
      const blocker = qboTokenStore(h.openAnother(), cipher)
      let release!: () => void
      let held!: Promise<void>
      await new Promise<void>((entered) => {
        held = blocker.withLock(() => new Promise<void>((r) => {
          release = r
          entered()
        }))
      })
      await expect(impatient.withLock(async () => 'never')).rejects.toThrow(/Timed out waiting for another Tally process/)
      release()
      await held
    })
  })
})
