/**
 * @module jobs/connections
 * Builds the QBO and Salesforce clients from the stored connections (connected in the Hub) or
 * from the environment (headless use, contract §3), and keeps each connection's health. Every
 * QuickBooks company is a connection of its own (contract §9); Salesforce is the one org.
 */
import { AppError } from '../lib/errors.js'
import { createQboOAuth, QBO_LIMITS, QboClient, type QboOAuth } from '../qbo/index.js'
import { createSalesforceClient, type SalesforceClient } from '../salesforce/index.js'
import {
  getConnection,
  createQboGate,
  importEnvRefreshToken,
  initCompanySettings,
  listConnections,
  LockTimeoutError,
  qboCompany,
  qboTokenStore,
  saveConnection,
  recordFailure,
  recordSuccess,
  saveTokens,
  withConnectionLock,
  type Connection,
  type Provider,
} from '../store/index.js'
import { SQLITE_BUSY_TIMEOUT_MS } from '../store/dialect.js'
import { sqliteStoreError } from '../store/errors.js'
import { reportConnection } from './alerts/index.js'
import type { Tally } from './tally.js'

export class NotConnectedError extends AppError {
  constructor(provider: Provider, hint: string) {
    super(`${provider}_not_connected`, hint)
  }
}

export function qboOAuth(t: Tally): QboOAuth {
  const { clientId, clientSecret, tokenUrl, authorizeUrl } = t.config.qbo
  if (!clientId || !clientSecret) {
    throw new NotConnectedError('qbo', 'QuickBooks Online is not configured: set QBO_CLIENT_ID and QBO_CLIENT_SECRET (your Intuit app\'s keys), or run `tally sandbox --env-out .env.sandbox` and pass `--env-file .env.sandbox`.')
  }
  return createQboOAuth({ clientId, clientSecret, tokenUrl, authorizeUrl })
}

/**
 * Imports the environment's companies (QBO_REALM_ID/QBO_REFRESH_TOKEN and QBO_CONNECTIONS) into
 * their connections, by the rule of contract §3 (a rotated stored token wins unless the
 * environment's value changed), each under its own company's lock. A company imported for the
 * first time starts with the first company's settings (contract §9).
 */
export async function importEnvCompanies(t: Tally): Promise<void> {
  const { apiUrl } = t.config.qbo
  for (const { realmId, refreshToken } of t.config.qbo.companies) {
    const ref = qboCompany(realmId)
    // A short write: on SQLite wait no longer than for any other write (the file's busy timeout),
    // and since the lock is the file's write lock there, say the file is locked, naming it.
    const sqlite = t.store.sqlitePath
    const outcome = await withConnectionLock(t.store, ref, async (trx) => {
      const o = await importEnvRefreshToken(trx, t.cipher, ref, refreshToken, { externalId: realmId })
      if (o === 'imported') await saveConnection(trx, t.cipher, ref, { externalId: realmId, apiBaseUrl: apiUrl, status: 'connected' })
      return o
    }, sqlite ? { timeoutMs: SQLITE_BUSY_TIMEOUT_MS } : {}).catch((e: unknown) => {
      throw sqlite && e instanceof LockTimeoutError ? (sqliteStoreError({ code: 'SQLITE_BUSY' }, sqlite, SQLITE_BUSY_TIMEOUT_MS) ?? e) : e
    })
    if (outcome === 'imported') await initCompanySettings(t.store.db, realmId)
  }
}

/** Every QuickBooks company Tally knows (environment imported first), the first connected first;
 * disconnected ones included (the Hub lists them; runs skip them). */
export async function qboCompanies(t: Tally): Promise<Connection[]> {
  await importEnvCompanies(t)
  return (await listConnections(t.store.db, t.cipher, 'qbo')).filter((c) => c.company !== '')
}

/** A company that can run: connected (not disconnected by a person) and holding a grant. */
export function isRunnable(c: Connection): boolean {
  return c.status !== 'disconnected' && c.refreshToken !== null
}

/**
 * The realm a run without `--company` is for when only one company may be meant: the only
 * runnable company (or the first). Null when none is connected.
 */
export async function defaultRealm(t: Tally): Promise<string | null> {
  const all = await qboCompanies(t)
  return (all.find(isRunnable) ?? all[0])?.company ?? null
}

/** The QBO client of one company (by default the first connected). */
export async function qboClient(t: Tally, realmId?: string): Promise<QboClient> {
  const oauth = qboOAuth(t)
  const { apiUrl } = t.config.qbo
  const realm = realmId ?? (await defaultRealm(t))
  if (realmId !== undefined) await importEnvCompanies(t)
  const c = realm ? await getConnection(t.store.db, t.cipher, qboCompany(realm)) : null
  if (realmId !== undefined && !c) {
    throw new NotConnectedError('qbo', `No QuickBooks company with realm id ${realmId} is connected: add it on the Hub's Connections page ("Add a QuickBooks company"), or list it in QBO_CONNECTIONS.`)
  }
  const which = c?.label ? `The QuickBooks company "${c.label}" (realm ${realm})` : `The QuickBooks company ${realm ?? ''}`.trim()
  if (c?.status === 'disconnected') {
    throw new NotConnectedError('qbo', `${which} was disconnected in the Hub: connect it again on the Connections page (or set a new refresh token for it in QBO_REFRESH_TOKEN or QBO_CONNECTIONS).`)
  }
  if (!c?.externalId || !c.refreshToken) {
    throw new NotConnectedError('qbo', 'QuickBooks Online is not connected: connect it on the Hub\'s Connections page (`tally start`), or set QBO_REALM_ID and QBO_REFRESH_TOKEN (or QBO_CONNECTIONS).')
  }
  return new QboClient({
    apiUrl: c.apiBaseUrl ?? apiUrl,
    realmId: c.externalId,
    oauth,
    tokens: qboTokenStore(t.store, t.cipher, { realmId: c.company }),
    logger: t.logger,
    // Intuit's limits per realm, counted with every other process of this Tally (the store's gate).
    gate: createQboGate(t.store.db, QBO_LIMITS),
  })
}

/** The Salesforce client: the Hub's web-server connection (refresh token) if there is one,
 * else the environment's client credentials (or SF_REFRESH_TOKEN). */
export async function salesforceClient(t: Tally): Promise<SalesforceClient> {
  const { clientId, clientSecret, loginUrl, refreshToken: envRefresh } = t.config.salesforce
  if (!clientId || !clientSecret) {
    throw new NotConnectedError('salesforce', 'Salesforce is not configured: set SF_CLIENT_ID and SF_CLIENT_SECRET (your external client app\'s credentials) and SF_LOGIN_URL (your My Domain URL), or run `tally sandbox --env-out .env.sandbox` and pass `--env-file .env.sandbox`.')
  }
  if (envRefresh) {
    await withConnectionLock(t.store, 'salesforce', async (trx) => {
      await importEnvRefreshToken(trx, t.cipher, 'salesforce', envRefresh)
    })
  }
  const stored = await getConnection(t.store.db, t.cipher, 'salesforce')
  if (stored?.status === 'disconnected') {
    throw new NotConnectedError('salesforce', 'Salesforce was disconnected in the Hub: connect it again on the Connections page.')
  }
  const refreshToken = stored?.refreshToken ?? undefined
  return createSalesforceClient({
    loginUrl: stored?.loginUrl ?? loginUrl,
    clientId,
    clientSecret,
    ...(refreshToken ? { refreshToken } : {}),
    logger: t.logger,
    onRefreshToken: (rt) => {
      void saveTokens(t.store.db, t.cipher, 'salesforce', { accessToken: null, accessTokenExpiresAt: null, refreshToken: rt })
    },
  })
}

/** Connects Salesforce and records the connection (org, instance), e.g. at Hub start. */
export async function connectSalesforce(t: Tally): Promise<void> {
  const sf = await salesforceClient(t)
  try {
    const info = await sf.connect()
    const who = await sf.identity().catch(() => null)
    const stored = await getConnection(t.store.db, t.cipher, 'salesforce')
    await saveConnection(t.store.db, t.cipher, 'salesforce', {
      externalId: info.orgId,
      label: who?.username ? `${who.username} · ${new URL(info.instanceUrl).host}` : (stored?.label ?? info.instanceUrl),
      instanceUrl: info.instanceUrl,
      loginUrl: stored?.loginUrl ?? t.config.salesforce.loginUrl,
      status: 'connected',
    })
    await recordSuccess(t.store.db, 'salesforce')
    await reportConnection(t.alerts, { realmId: null }, null)
  } catch (e) {
    await recordFailure(t.store.db, 'salesforce', e instanceof AppError ? e.toText() : String(e))
    await reportConnection(t.alerts, { realmId: null }, e)
    throw e
  }
}

/** Names a company's connection after the company (one CompanyInfo read), when it has no name
 * yet. Returns the name it has. */
export async function nameQboConnection(t: Tally, realmId: string): Promise<string | null> {
  // The client first: it is what imports the environment's token into a new connection.
  const client = await qboClient(t, realmId)
  const ref = qboCompany(realmId)
  const c = await getConnection(t.store.db, t.cipher, ref)
  if (!c || (c.label && !c.label.startsWith('QuickBooks company '))) return c?.label ?? null
  const name = await client.companyName().catch(async (e: unknown) => {
    await reportConnection(t.alerts, { realmId, companyName: c.label }, e)
    throw e
  })
  await recordSuccess(t.store.db, ref)
  await reportConnection(t.alerts, { realmId, companyName: name ?? c.label }, null)
  if (name) await saveConnection(t.store.db, t.cipher, ref, { label: name })
  return name ?? c.label
}

/** Names every company's connection that has no name yet (at start); one failure does not stop
 * the others, and is reported. */
export async function nameQboConnections(t: Tally, onError: (realmId: string, e: unknown) => void): Promise<void> {
  for (const c of await qboCompanies(t)) {
    if (!isRunnable(c)) continue
    await nameQboConnection(t, c.company).catch((e) => onError(c.company, e))
  }
}
