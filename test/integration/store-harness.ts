/**
 * @module test/integration/store-harness
 * Opens a fresh, migrated store per dialect for the store suites: SQLite in a temp folder, and
 * Postgres (`TALLY_TEST_DATABASE_URL`, default the local trust-auth server) in a schema of its
 * own, dropped afterwards, so parallel runs never collide.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createStore } from '../../src/store/index.js'
import type { Store, StoreDialect } from '../../src/store/index.js'

export const STORE_DIALECTS: readonly StoreDialect[] = ['sqlite', 'postgres']

const PG_URL = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface StoreHarness {
  store: Store
  /** Another store on the same database, as a second process would open it. */
  openAnother(): Store
  /** SQLite only: the database file (its `-wal` sibling holds recent writes). */
  sqlitePath?: string
  /** Empties every table (between tests). */
  clear(): Promise<void>
  dispose(): Promise<void>
}

const TABLES = [
  'run_messages',
  'runs',
  'connections',
  'settings',
  'company_settings',
  'record_states',
  'checkpoints',
  'sessions',
  'customer_views',
  'login_attempts',
  'alert_problems',
  'alerts',
  'link_history',
  'qbo_inflight',
  'qbo_minutes',
  'auto_sync_companies',
  'api_budget',
] as const

export async function openStoreHarness(dialect: StoreDialect): Promise<StoreHarness> {
  const extra: Store[] = []
  let options: Parameters<typeof createStore>[0]
  let cleanup: () => Promise<void>
  let sqlitePath: string | undefined
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tally-store-'))
    sqlitePath = join(dir, 'data', 'tally.db')
    options = { sqlitePath }
    cleanup = () => rm(dir, { recursive: true, force: true })
  } else {
    const schema = `tally_test_${randomBytes(6).toString('hex')}`
    options = { databaseUrl: PG_URL, schema }
    cleanup = async () => {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      try {
        // A parallel run's DDL can make this a deadlock victim: try again rather than leave it.
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`drop schema if exists "${schema}" cascade`)
            break
          } catch (e) {
            if (attempt >= 5) throw e
            await new Promise((r) => setTimeout(r, 100 * attempt))
          }
        }
      } finally {
        await client.end()
      }
    }
  }
  const store = createStore(options)
  await store.migrate()
  return {
    store,
    ...(sqlitePath ? { sqlitePath } : {}),
    openAnother() {
      const s = createStore(options)
      extra.push(s)
      return s
    },
    async clear() {
      for (const t of TABLES) await store.db.deleteFrom(t).execute()
    },
    async dispose() {
      for (const s of extra) await s.close()
      await store.close()
      await cleanup()
    },
  }
}
