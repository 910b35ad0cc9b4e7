/**
 * @module config/env
 * One schema for every variable of contract §3. `parseConfig` runs once in `src/main.ts` (the
 * only reader of the environment) and throws one ConfigError that lists every problem, each
 * naming the variable and what to do. The result is frozen and passed down.
 */
import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigError } from '../lib/errors.js'

const url = (name: string) =>
  z.string().refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: `${name} must be an http(s) URL` })
const opt = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))

const schema = z.object({
  TALLY_DB: opt,
  DATABASE_URL: opt.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'DATABASE_URL must start with postgres:// (or leave it unset to use SQLite)',
  }),
  TALLY_SECRET_KEY: opt,
  TALLY_ADMIN_PASSWORD: opt,
  PORT: opt.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'PORT must be a port number' }),
  QBO_CLIENT_ID: opt,
  QBO_CLIENT_SECRET: opt,
  QBO_REALM_ID: opt.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'QBO_REALM_ID is the company id: digits only' }),
  QBO_REFRESH_TOKEN: opt,
  QBO_CONNECTIONS: opt,
  QBO_API_URL: opt.pipe(url('QBO_API_URL').optional()),
  QBO_TOKEN_URL: opt.pipe(url('QBO_TOKEN_URL').optional()),
  QBO_AUTHORIZE_URL: opt.pipe(url('QBO_AUTHORIZE_URL').optional()),
  QBO_WEBHOOK_VERIFIER: opt,
  SF_LOGIN_URL: opt.pipe(url('SF_LOGIN_URL').optional()),
  SF_CLIENT_ID: opt,
  SF_CLIENT_SECRET: opt,
  SF_REFRESH_TOKEN: opt,
  TALLY_SF_PACKAGE_DIR: opt,
  TALLY_PUBLIC_URL: opt.pipe(url('TALLY_PUBLIC_URL').optional()),
  TALLY_ALERT_WEBHOOK: opt.pipe(url('TALLY_ALERT_WEBHOOK').optional()),
  // The message never echoes the value: it holds the SMTP password.
  TALLY_SMTP_URL: opt.refine((v) => v === undefined || isSmtpUrl(v), {
    message: 'TALLY_SMTP_URL must be an SMTP URL: smtp://user:password@host:port (smtps:// for TLS from the start)',
  }),
  TALLY_ALERT_EMAIL: opt,
  TALLY_SYNC_INTERVAL: opt.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1), {
    message: 'TALLY_SYNC_INTERVAL is the seconds between change-data-capture sweeps: a whole number, at least 1',
  }),
  TALLY_SF_API_BUDGET: opt.refine((v) => v === undefined || (/^\d*\.?\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 1), {
    message: 'TALLY_SF_API_BUDGET is a share of the org\'s daily API limit between 0 and 1 (0.8 for 80%)',
  }),
})

function isSmtpUrl(v: string): boolean {
  try {
    const u = new URL(v)
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== ''
  } catch {
    return false
  }
}

/** A plain address check (something@domain): the SMTP server has the last word. */
const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+$/

export interface Config {
  /** Folder for the SQLite file and the generated secret key. */
  dataDir: string
  sqlitePath: string
  databaseUrl: string | undefined
  secretKey: string | undefined
  adminPassword: string | undefined
  port: number
  publicUrl: string | undefined
  qbo: {
    clientId: string | undefined
    clientSecret: string | undefined
    realmId: string | undefined
    refreshToken: string | undefined
    /** Every company authorized headless: QBO_REALM_ID/QBO_REFRESH_TOKEN first, then each pair
     * of QBO_CONNECTIONS (contract §3, §9). */
    companies: readonly { realmId: string; refreshToken: string }[]
    apiUrl: string
    tokenUrl: string
    authorizeUrl: string
    webhookVerifier: string | undefined
  }
  salesforce: {
    loginUrl: string
    clientId: string | undefined
    clientSecret: string | undefined
    refreshToken: string | undefined
    /** The package `tally salesforce deploy` deploys (TALLY_SF_PACKAGE_DIR, the folder of its
     * sfdx-project.json); default the one shipped with Tally. */
    packageDir: string | undefined
  }
  /** Where alerts go (contract §11); each channel is off when not configured. */
  alerts: {
    /** An incoming-webhook URL that takes `{"text": "…"}` (Slack's, Teams'). */
    webhookUrl: string | undefined
    /** E-mail through this SMTP server to these addresses (both set, or neither). */
    email: { smtpUrl: string; to: readonly string[] } | undefined
  }
  /** Automatic sync (contract §11). */
  autoSync: {
    /** Seconds between change-data-capture sweeps (TALLY_SYNC_INTERVAL). */
    intervalSeconds: number
    /** The largest share of the org's daily API limit automatic syncs may use (TALLY_SF_API_BUDGET). */
    apiBudget: number
  }
}

export const DEFAULTS = {
  qboApiUrl: 'https://quickbooks.api.intuit.com',
  qboTokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  qboAuthorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
  sfLoginUrl: 'https://login.salesforce.com',
  sqlitePath: './data/tally.db',
  port: 3000,
  syncIntervalSeconds: 300,
  sfApiBudget: 0.8,
} as const

export function parseConfig(env: Record<string, string | undefined>, cwd: string): Readonly<Config> {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`The configuration has ${lines.length} problem(s):\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const pairs: [string | undefined, string | undefined, string, string][] = [
    [e.QBO_CLIENT_ID, e.QBO_CLIENT_SECRET, 'QBO_CLIENT_ID', 'QBO_CLIENT_SECRET'],
    [e.SF_CLIENT_ID, e.SF_CLIENT_SECRET, 'SF_CLIENT_ID', 'SF_CLIENT_SECRET'],
  ]
  const problems: string[] = []
  for (const [a, b, na, nb] of pairs) {
    if (a && !b) problems.push(`- ${nb}: ${na} is set but ${nb} is not; set both (your app's credentials)`)
    if (b && !a) problems.push(`- ${na}: ${nb} is set but ${na} is not; set both (your app's credentials)`)
  }
  if (e.QBO_REFRESH_TOKEN && !e.QBO_REALM_ID) problems.push('- QBO_REALM_ID: QBO_REFRESH_TOKEN is set, so set the company (realm) id it belongs to as well')
  const companies = parseCompanies(e.QBO_REALM_ID, e.QBO_REFRESH_TOKEN, e.QBO_CONNECTIONS, problems)
  const alertTo = (e.TALLY_ALERT_EMAIL ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '')
  const badTo = alertTo.filter((a) => !EMAIL.test(a))
  if (badTo.length > 0) problems.push(`- TALLY_ALERT_EMAIL: ${badTo.map((a) => `"${a}"`).join(', ')} ${badTo.length === 1 ? 'is not an e-mail address' : 'are not e-mail addresses'}; give addresses separated by commas`)
  if (e.TALLY_SMTP_URL && alertTo.length === 0) problems.push('- TALLY_ALERT_EMAIL: TALLY_SMTP_URL is set, so set the addresses (comma-separated) that receive alerts as well')
  if (!e.TALLY_SMTP_URL && alertTo.length > 0) problems.push('- TALLY_SMTP_URL: TALLY_ALERT_EMAIL is set, so set the SMTP server that sends the alerts (smtp://user:password@host:port) as well')
  if (problems.length > 0) throw new ConfigError(`The configuration has ${problems.length} problem(s):\n${problems.join('\n')}`)

  const sqlitePath = resolve(cwd, e.TALLY_DB ?? DEFAULTS.sqlitePath)
  return Object.freeze({
    dataDir: resolve(sqlitePath, '..'),
    sqlitePath,
    databaseUrl: e.DATABASE_URL,
    secretKey: e.TALLY_SECRET_KEY,
    adminPassword: e.TALLY_ADMIN_PASSWORD,
    port: e.PORT ? Number(e.PORT) : DEFAULTS.port,
    publicUrl: e.TALLY_PUBLIC_URL,
    qbo: Object.freeze({
      clientId: e.QBO_CLIENT_ID,
      clientSecret: e.QBO_CLIENT_SECRET,
      realmId: e.QBO_REALM_ID,
      refreshToken: e.QBO_REFRESH_TOKEN,
      companies,
      apiUrl: (e.QBO_API_URL ?? DEFAULTS.qboApiUrl).replace(/\/+$/, ''),
      tokenUrl: e.QBO_TOKEN_URL ?? DEFAULTS.qboTokenUrl,
      authorizeUrl: e.QBO_AUTHORIZE_URL ?? DEFAULTS.qboAuthorizeUrl,
      webhookVerifier: e.QBO_WEBHOOK_VERIFIER,
    }),
    salesforce: Object.freeze({
      loginUrl: (e.SF_LOGIN_URL ?? DEFAULTS.sfLoginUrl).replace(/\/+$/, ''),
      clientId: e.SF_CLIENT_ID,
      clientSecret: e.SF_CLIENT_SECRET,
      refreshToken: e.SF_REFRESH_TOKEN,
      packageDir: e.TALLY_SF_PACKAGE_DIR ? resolve(cwd, e.TALLY_SF_PACKAGE_DIR) : undefined,
    }),
    alerts: Object.freeze({
      webhookUrl: e.TALLY_ALERT_WEBHOOK,
      email: e.TALLY_SMTP_URL && alertTo.length > 0 ? Object.freeze({ smtpUrl: e.TALLY_SMTP_URL, to: Object.freeze(alertTo) }) : undefined,
    }),
    autoSync: Object.freeze({
      intervalSeconds: e.TALLY_SYNC_INTERVAL ? Number(e.TALLY_SYNC_INTERVAL) : DEFAULTS.syncIntervalSeconds,
      apiBudget: e.TALLY_SF_API_BUDGET ? Number(e.TALLY_SF_API_BUDGET) : DEFAULTS.sfApiBudget,
    }),
  })
}

/**
 * `QBO_CONNECTIONS`: `realmId:refreshToken` pairs separated by commas (contract §3). Intuit's
 * refresh tokens hold no comma or colon, realm ids are digits; a realm given twice with two
 * different tokens is a mistake the operator must resolve.
 */
function parseCompanies(
  realmId: string | undefined,
  refreshToken: string | undefined,
  list: string | undefined,
  problems: string[],
): { realmId: string; refreshToken: string }[] {
  const out: { realmId: string; refreshToken: string }[] = []
  if (realmId && refreshToken) out.push({ realmId, refreshToken })
  for (const [i, raw] of (list ?? '').split(',').entries()) {
    const pair = raw.trim()
    if (pair === '') continue
    const m = /^(\d+):(\S+)$/.exec(pair)
    if (!m) {
      problems.push(`- QBO_CONNECTIONS: entry ${i + 1} is not realmId:refreshToken (digits, a colon, then the company's refresh token)`)
      continue
    }
    const [, realm, token] = m as unknown as [string, string, string]
    const same = out.find((c) => c.realmId === realm)
    if (same && same.refreshToken !== token) problems.push(`- QBO_CONNECTIONS: the company ${realm} is given twice with different refresh tokens; keep one`)
    else if (!same) out.push({ realmId: realm, refreshToken: token })
  }
  return out
}

/** True when nothing points Tally at a real QBO or Salesforce: `tally start` runs the demo. */
export function isDemo(config: Config): boolean {
  return !config.qbo.clientId && !config.salesforce.clientId
}
