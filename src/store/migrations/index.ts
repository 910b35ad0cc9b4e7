/**
 * @module store/migrations
 * The one ordered migration set, given to Kysely's `Migrator` as a static provider (no folder
 * scanning, so it works the same from source, a bundle or a test). Add `0002_…` below.
 */
import type { Migration, MigrationProvider } from 'kysely'
import type { StoreDialect } from '../dialect.js'
import { initial } from './0001_initial.js'

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initial(dialect),
      }
    },
  }
}
