/**
 * @module store/connections.repository
 * The OAuth connections to QBO and Salesforce. Tokens are encrypted with the `Cipher` on the way
 * in and decrypted on the way out; the table holds ciphertext only.
 */
import { sha256Hex } from '../lib/crypto.js'
import type { Cipher } from '../lib/crypto.js'
import { fromIsoOrNull, toIso, toIsoOrNull } from './codec.js'
import type { Db } from './database.js'
import type { Provider } from './lock.js'
import type { ConnectionRow, ConnectionRowUpdate } from './tables/connections.table.js'

export type ConnectionStatus = 'connected' | 'error' | 'reauth_required' | 'disconnected'

export interface Connection {
  provider: Provider
  /** realmId (QBO) / orgId (Salesforce). */
  externalId: string | null
  /** Company name (QBO) / org name (Salesforce). */
  label: string | null
  apiBaseUrl: string | null
  instanceUrl: string | null
  loginUrl: string | null
  accessToken: string | null
  accessTokenExpiresAt: Date | null
  /** When the access token was issued; null when unknown (written before migration 0005). */
  accessTokenIssuedAt: Date | null
  refreshToken: string | null
  refreshTokenExpiresAt: Date | null
  status: ConnectionStatus
  lastSuccessAt: Date | null
  lastError: string | null
  lastErrorAt: Date | null
  connectedAt: Date
  updatedAt: Date
}

/** What `saveConnection` writes; omitted fields keep their stored value. */
export interface ConnectionInput {
  externalId?: string | null
  label?: string | null
  apiBaseUrl?: string | null
  instanceUrl?: string | null
  loginUrl?: string | null
  status?: ConnectionStatus
}

export interface TokenSet {
  accessToken: string | null
  accessTokenExpiresAt: Date | null
  accessTokenIssuedAt?: Date | null
  /** Omitted: keep the stored refresh token (e.g. Salesforce does not rotate it). */
  refreshToken?: string | null
  refreshTokenExpiresAt?: Date | null
}

function rowToConnection(row: ConnectionRow, cipher: Cipher): Connection {
  return {
    provider: row.provider as Provider,
    externalId: row.external_id,
    label: row.label,
    apiBaseUrl: row.api_base_url,
    instanceUrl: row.instance_url,
    loginUrl: row.login_url,
    accessToken: row.access_token_enc === null ? null : cipher.decrypt(row.access_token_enc),
    accessTokenExpiresAt: fromIsoOrNull(row.access_token_expires_at),
    accessTokenIssuedAt: fromIsoOrNull(row.access_token_issued_at),
    refreshToken: row.refresh_token_enc === null ? null : cipher.decrypt(row.refresh_token_enc),
    refreshTokenExpiresAt: fromIsoOrNull(row.refresh_token_expires_at),
    status: row.status as ConnectionStatus,
    lastSuccessAt: fromIsoOrNull(row.last_success_at),
    lastError: row.last_error,
    lastErrorAt: fromIsoOrNull(row.last_error_at),
    connectedAt: new Date(row.connected_at),
    updatedAt: new Date(row.updated_at),
  }
}

/** The connection of `provider`, tokens decrypted; null when never connected. */
export async function getConnection(db: Db, cipher: Cipher, provider: Provider): Promise<Connection | null> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('provider', '=', provider)
    .executeTakeFirst()
  return row ? rowToConnection(row, cipher) : null
}

/** Inserts or updates the row: every given column is written, `updated_at` always. */
async function upsert(db: Db, provider: Provider, set: ConnectionRowUpdate, now: Date): Promise<void> {
  const at = toIso(now)
  const values = { ...set, updated_at: at }
  await db
    .insertInto('connections')
    .values({ provider, status: 'connected', connected_at: at, ...values })
    .onConflict((oc) => oc.column('provider').doUpdateSet(values))
    .execute()
}

function tokenColumns(cipher: Cipher, t: TokenSet): ConnectionRowUpdate {
  const set: ConnectionRowUpdate = {
    access_token_enc: t.accessToken === null ? null : cipher.encrypt(t.accessToken),
    access_token_expires_at: toIsoOrNull(t.accessTokenExpiresAt),
    // Always with the access token it belongs to, so an old issue time never outlives its token.
    access_token_issued_at: toIsoOrNull(t.accessTokenIssuedAt ?? null),
  }
  if (t.refreshToken !== undefined) {
    set.refresh_token_enc = t.refreshToken === null ? null : cipher.encrypt(t.refreshToken)
  }
  if (t.refreshTokenExpiresAt !== undefined) {
    set.refresh_token_expires_at = toIsoOrNull(t.refreshTokenExpiresAt)
  }
  return set
}

/**
 * Saves a connection made in the Hub (or by a client-credentials login): metadata and, when
 * given, tokens. The first save sets `connected_at`.
 */
export async function saveConnection(
  db: Db,
  cipher: Cipher,
  provider: Provider,
  input: ConnectionInput & { tokens?: TokenSet },
  now: Date = new Date(),
): Promise<void> {
  const set: ConnectionRowUpdate = {}
  if (input.externalId !== undefined) set.external_id = input.externalId
  if (input.label !== undefined) set.label = input.label
  if (input.apiBaseUrl !== undefined) set.api_base_url = input.apiBaseUrl
  if (input.instanceUrl !== undefined) set.instance_url = input.instanceUrl
  if (input.loginUrl !== undefined) set.login_url = input.loginUrl
  if (input.status !== undefined) set.status = input.status
  await upsert(db, provider, { ...set, ...(input.tokens ? tokenColumns(cipher, input.tokens) : {}) }, now)
}

/** Persists new tokens (a refresh's result) at once; creates the row if there is none. */
export async function saveTokens(
  db: Db,
  cipher: Cipher,
  provider: Provider,
  tokens: TokenSet,
  now: Date = new Date(),
): Promise<void> {
  await upsert(db, provider, tokenColumns(cipher, tokens), now)
}

/** A call with the connection worked: status back to `connected`, error cleared. */
export async function recordSuccess(db: Db, provider: Provider, now: Date = new Date()): Promise<void> {
  const at = toIso(now)
  await db
    .updateTable('connections')
    .set({ status: 'connected', last_success_at: at, last_error: null, last_error_at: null, updated_at: at })
    .where('provider', '=', provider)
    .execute()
}

/** A call failed; `reauth_required` when a person must connect again (refresh token rejected). */
export async function recordFailure(
  db: Db,
  provider: Provider,
  message: string,
  options: { status?: 'error' | 'reauth_required'; now?: Date } = {},
): Promise<void> {
  const at = toIso(options.now ?? new Date())
  await db
    .updateTable('connections')
    .set({ status: options.status ?? 'error', last_error: message, last_error_at: at, updated_at: at })
    .where('provider', '=', provider)
    .execute()
}

/** Forgets the connection and its tokens entirely. */
export async function deleteConnection(db: Db, provider: Provider): Promise<void> {
  await db.deleteFrom('connections').where('provider', '=', provider).execute()
}

/**
 * A person disconnected in the Hub: the tokens go, the row stays as `disconnected` with the
 * marker of the environment token it was imported from, so that token is not silently imported
 * again (a new value in the environment, or Connect in the Hub, connects it again).
 */
export async function disconnectConnection(db: Db, provider: Provider, now: Date = new Date()): Promise<void> {
  const at = toIso(now)
  await db
    .updateTable('connections')
    .set({
      access_token_enc: null,
      refresh_token_enc: null,
      access_token_expires_at: null,
      access_token_issued_at: null,
      refresh_token_expires_at: null,
      status: 'disconnected',
      last_error: null,
      last_error_at: null,
      updated_at: at,
    })
    .where('provider', '=', provider)
    .execute()
}

export type EnvImportOutcome = 'imported' | 'kept-stored'

/**
 * Applies contract §3 to a refresh token from the environment (`QBO_REFRESH_TOKEN`,
 * `SF_REFRESH_TOKEN`): "a stored token newer than the one in the environment wins, unless the
 * environment's value changed since it was imported". The row remembers a hash of the value it
 * was imported from, so:
 * - nothing stored (or no refresh token stored) → import;
 * - stored row imported from this very value (same hash, same external id) → keep the stored,
 *   possibly rotated, token;
 * - the same value, but a person disconnected the connection in the Hub → keep it disconnected;
 * - the environment's value (or its realm/org id) differs from the one last imported, or the
 *   row never came from the environment (connected in the Hub) → import: the operator set a new
 *   token on purpose. The old access token is dropped, since it belonged to the old grant.
 * Run it inside `withConnectionLock` so a concurrent refresh cannot interleave.
 */
export async function importEnvRefreshToken(
  db: Db,
  cipher: Cipher,
  provider: Provider,
  token: string,
  options: { externalId?: string; now?: Date } = {},
): Promise<EnvImportOutcome> {
  const hash = sha256Hex(token)
  const row = await db
    .selectFrom('connections')
    .select(['env_refresh_token_hash', 'external_id', 'refresh_token_enc', 'status'])
    .where('provider', '=', provider)
    .executeTakeFirst()
  const sameSource =
    row !== undefined &&
    (row.refresh_token_enc != null || row.status === 'disconnected') &&
    row.env_refresh_token_hash === hash &&
    (options.externalId === undefined || options.externalId === row.external_id)
  if (sameSource) return 'kept-stored'
  const set: ConnectionRowUpdate = {
    ...tokenColumns(cipher, {
      accessToken: null,
      accessTokenExpiresAt: null,
      refreshToken: token,
      refreshTokenExpiresAt: null,
    }),
    env_refresh_token_hash: hash,
    status: 'connected',
    last_error: null,
    last_error_at: null,
  }
  if (options.externalId !== undefined) set.external_id = options.externalId
  await upsert(db, provider, set, options.now ?? new Date())
  return 'imported'
}
