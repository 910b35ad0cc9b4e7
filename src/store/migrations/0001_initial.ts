/**
 * @module store/migrations/0001_initial
 * Every table of the first release. Written once for both dialects with portable types only
 * (text, integer; instants as ISO text, booleans as 0/1); the one difference is how an
 * auto-increment key is spelled, which the dialect parameter decides.
 */
import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../dialect.js'

export function initial(dialect: StoreDialect): Migration {
  return {
    // Kysely's migrations are untyped by design: they must not depend on today's Database type.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('connections')
        .addColumn('provider', 'text', (c) => c.primaryKey())
        .addColumn('external_id', 'text')
        .addColumn('label', 'text')
        .addColumn('api_base_url', 'text')
        .addColumn('instance_url', 'text')
        .addColumn('login_url', 'text')
        .addColumn('access_token_enc', 'text')
        .addColumn('refresh_token_enc', 'text')
        .addColumn('access_token_expires_at', 'text')
        .addColumn('refresh_token_expires_at', 'text')
        .addColumn('env_refresh_token_hash', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('last_success_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('connected_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text')
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .addColumn('error', 'text')
        .execute()
      await db.schema.createIndex('runs_started_at_idx').on('runs').column('started_at').execute()
      await db.schema.createIndex('runs_status_idx').on('runs').column('status').execute()

      await db.schema
        .createTable('run_messages')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('qbo_id', 'text')
        .addColumn('display_name', 'text')
        .addColumn('field', 'text')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('run_messages_run_id_idx').on('run_messages').column('run_id').execute()

      await db.schema
        .createTable('record_states')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('realm_id', 'text', (c) => c.notNull())
        .addColumn('salesforce_id', 'text')
        .addColumn('account_written', 'text')
        .addColumn('link_status', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('record_states_realm_idx').on('record_states').column('realm_id').execute()

      await db.schema
        .createTable('checkpoints')
        .addColumn('realm_id', 'text', (c) => c.primaryKey())
        .addColumn('last_sync_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_expires_at_idx').on('sessions').column('expires_at').execute()

      await db.schema
        .createTable('login_attempts')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute()
    },
  }
}
