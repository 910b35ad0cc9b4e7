/**
 * @module store/migrations/0008_companies
 * Several QuickBooks companies in one store (contract §9). A connection is keyed by provider and
 * company (a QBO company's realm id; '' for Salesforce), runs name their company, and settings
 * are per company. Today's single-company data is kept: the one QBO connection becomes the
 * connection of its realm, its runs are attributed to that realm, and the saved settings become
 * that company's (and stay in `settings` as the org-wide default). Record states, checkpoints and
 * customer views were keyed by realm already.
 *
 * SQLite cannot change a primary key in place, so `connections` is rebuilt (create, copy, drop,
 * rename) — the same statements on both dialects, inside the migration's transaction.
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

export const companies: Migration = {
  // Kysely's migrations are untyped by design: they must not depend on today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('connections_by_company')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('company_key', 'text', (c) => c.notNull())
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
      .addColumn('refresh_lease_owner', 'text')
      .addColumn('refresh_lease_expires_at', 'text')
      .addColumn('access_token_issued_at', 'text')
      .addPrimaryKeyConstraint('connections_by_company_pk', ['provider', 'company_key'])
      .execute()
    // The QBO connection's company is its realm; one without a realm yet keeps ''.
    await sql`
      insert into connections_by_company
        (provider, company_key, external_id, label, api_base_url, instance_url, login_url,
         access_token_enc, refresh_token_enc, access_token_expires_at, refresh_token_expires_at,
         env_refresh_token_hash, status, last_success_at, last_error, last_error_at, connected_at, updated_at,
         refresh_lease_owner, refresh_lease_expires_at, access_token_issued_at)
      select provider, case when provider = 'qbo' then coalesce(external_id, '') else '' end,
         external_id, label, api_base_url, instance_url, login_url,
         access_token_enc, refresh_token_enc, access_token_expires_at, refresh_token_expires_at,
         env_refresh_token_hash, status, last_success_at, last_error, last_error_at, connected_at, updated_at,
         refresh_lease_owner, refresh_lease_expires_at, access_token_issued_at
      from connections`.execute(db)
    await db.schema.dropTable('connections').execute()
    await db.schema.alterTable('connections_by_company').renameTo('connections').execute()

    await db.schema.alterTable('runs').addColumn('realm_id', 'text').execute()
    // Every run so far was the one company's.
    await sql`
      update runs set realm_id = (select external_id from connections where provider = 'qbo' and external_id is not null)
      where realm_id is null`.execute(db)
    // Each company has its own run lock (0007's unique index on running runs' lock_key).
    await sql`update runs set lock_key = realm_id where realm_id is not null`.execute(db)
    await db.schema.createIndex('runs_realm_started_idx').on('runs').columns(['realm_id', 'started_at']).execute()

    await db.schema
      .createTable('company_settings')
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('company_settings_pk', ['realm_id', 'key'])
      .execute()
    await sql`
      insert into company_settings (realm_id, key, value, updated_at)
      select c.external_id, s.key, s.value, s.updated_at
      from settings s cross join connections c
      where c.provider = 'qbo' and c.external_id is not null`.execute(db)
  },
}
