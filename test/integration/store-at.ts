/**
 * @module test/integration/store-at
 * A store migrated only up to a given migration, on either dialect (SQLite in a temp folder,
 * Postgres in a schema of its own, dropped afterwards): the state an older install has, for tests
 * of the migrations that follow.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator, sql } from 'kysely'
import pg from 'pg'
import { createStore, type Store, type StoreDialect } from '../../src/store/index.js'
import { migrationProvider } from '../../src/store/migrations/index.js'

const PG_URL = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export async function openStoreAt(dialect: StoreDialect, migration: string): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tally-store-at-'))
    const store = createStore({ sqlitePath: join(dir, 'tally.db') })
    const r = await new Migrator({ db: store.db, provider: migrationProvider('sqlite') }).migrateTo(migration)
    if (r.error) throw r.error
    return { store, dispose: async () => { await store.close(); await rm(dir, { recursive: true, force: true }) } }
  }
  const schema = `tally_test_${randomBytes(6).toString('hex')}`
  const store = createStore({ databaseUrl: PG_URL, schema })
  await sql`create schema ${sql.id(schema)}`.execute(store.db)
  const r = await new Migrator({ db: store.db, provider: migrationProvider('postgres'), migrationTableSchema: schema }).migrateTo(migration)
  if (r.error) throw r.error
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
