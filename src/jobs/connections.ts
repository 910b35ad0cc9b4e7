/**
 * @module jobs/connections
 * Builds the QBO and Salesforce clients from the stored connections (connected in the Hub) or
 * from the environment (headless use, contract §3), and keeps each connection's health.
 */
import { AppError } from '../lib/errors.js'
import { createQboOAuth, QboClient, type QboOAuth } from '../qbo/index.js'
import { createSalesforceClient, type SalesforceClient } from '../salesforce/index.js'
import {
  getConnection,
  importEnvRefreshToken,
  qboTokenStore,
  saveConnection,
  recordFailure,
  recordSuccess,
  saveTokens,
  withConnectionLock,
  type Provider,
} from '../store/index.js'
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

/** The QBO client of the connected company. The environment's refresh token is imported by the
 * rule of contract §3 (a rotated stored token wins unless the environment's value changed). */
export async function qboClient(t: Tally): Promise<QboClient> {
  const oauth = qboOAuth(t)
  const { realmId, refreshToken, apiUrl } = t.config.qbo
  if (realmId && refreshToken) {
    await withConnectionLock(t.store, 'qbo', async (trx) => {
      const outcome = await importEnvRefreshToken(trx, t.cipher, 'qbo', refreshToken, { externalId: realmId })
      if (outcome === 'imported') await saveConnection(trx, t.cipher, 'qbo', { externalId: realmId, apiBaseUrl: apiUrl, status: 'connected' })
    })
  }
  const c = await getConnection(t.store.db, t.cipher, 'qbo')
  if (c?.status === 'disconnected') {
    throw new NotConnectedError('qbo', 'QuickBooks Online was disconnected in the Hub: connect it again on the Connections page (or set a new QBO_REFRESH_TOKEN).')
  }
  if (!c?.externalId || !c.refreshToken) {
    throw new NotConnectedError('qbo', 'QuickBooks Online is not connected: connect it on the Hub\'s Connections page (`tally start`), or set QBO_REALM_ID and QBO_REFRESH_TOKEN.')
  }
  return new QboClient({
    apiUrl: c.apiBaseUrl ?? apiUrl,
    realmId: c.externalId,
    oauth,
    tokens: qboTokenStore(t.store, t.cipher),
    logger: t.logger,
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
  } catch (e) {
    await recordFailure(t.store.db, 'salesforce', e instanceof AppError ? e.toText() : String(e))
    throw e
  }
}

/** Names the QBO connection after the company (one CompanyInfo read), when it has no name yet. */
export async function nameQboConnection(t: Tally): Promise<void> {
  // The client first: it is what imports the environment's token into a new connection.
  const client = await qboClient(t)
  const c = await getConnection(t.store.db, t.cipher, 'qbo')
  if (!c || (c.label && !c.label.startsWith('QuickBooks company '))) return
  const name = await client.companyName()
  await recordSuccess(t.store.db, 'qbo')
  if (name) await saveConnection(t.store.db, t.cipher, 'qbo', { label: name })
}
