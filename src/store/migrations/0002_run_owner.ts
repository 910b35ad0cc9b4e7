/**
 * @module store/migrations/0002_run_owner
 * Which process runs a run (`<host>:<pid>`), so that a run whose process died is recognised at
 * once on the same machine instead of after its heartbeat goes stale.
 */
import type { Kysely, Migration } from 'kysely'

export const runOwner: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('owner', 'text').execute()
  },
}
