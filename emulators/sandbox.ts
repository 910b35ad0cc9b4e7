/**
 * @module emulators/sandbox
 * Both emulators together: what `tally sandbox` runs and what demo mode and the tests start
 * in-process. One data file (contract §7), the sample company by default, or `generate`.
 */
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { loadDataFile, qboCompaniesOf, type SandboxData } from './shared/data.js'
import { generateSandboxData } from './shared/generate.js'
import { sampleSandboxData } from './shared/sample-data.js'
import { DEFAULT_QBO_CLIENT_ID, DEFAULT_QBO_CLIENT_SECRET, startQboEmulator, type QboEmulator } from './qbo/index.js'
import { startSalesforceEmulator, type SalesforceEmulator } from './salesforce/index.js'

export const DEFAULT_SF_CLIENT_ID = 'sandbox-sf-client-id'
export const DEFAULT_SF_CLIENT_SECRET = 'sandbox-sf-client-secret'

export interface SandboxOptions {
  qboPort?: number
  sfPort?: number
  /** A data file path, or the data itself. */
  data?: string | SandboxData
  /** N synthetic customers (per company) and ~0.8·N Accounts (per company). */
  generate?: number
  /** K QuickBooks companies in the one QBO sandbox (contract §9); with no `generate`, 30
   * customers each. The data file's companies when `data` is given. */
  companies?: number
  randomSeed?: number
  latencyMs?: number
  faultRate?: number
  throttle?: boolean
  tokenTtlSeconds?: number
  dailyApiLimit?: number
  /** false: the Salesforce org starts without Tally's package (`--no-package`). */
  package?: boolean
  /** Deliver QBO webhooks for every change made through the sandbox's API to this URL
   * (`--webhook-url`, contract §2), signed with the verifier token `env()` gives as QBO_WEBHOOK_VERIFIER. */
  webhookUrl?: string
}

export interface Sandbox {
  qbo: { url: string; emulator: QboEmulator }
  salesforce: { url: string; emulator: SalesforceEmulator }
  data: SandboxData
  /** Every QuickBooks company of the QBO sandbox, the first first. */
  companies: { realmId: string; companyName: string }[]
  /** Every variable of contract §3 set to reach this sandbox (a fresh QBO refresh token per
   * company; several companies go in QBO_CONNECTIONS). */
  env(): Record<string, string>
  /** The token the sandbox signs its webhooks with (QBO_WEBHOOK_VERIFIER). */
  webhookVerifier: string
  /** Deliver webhooks to this URL from now on (null: none). */
  setWebhookUrl(url: string | null): void
  close(): Promise<void>
}

/** Customers per company when several companies are asked for without `generate`. */
export const DEFAULT_CUSTOMERS_PER_COMPANY = 30

export async function resolveSandboxData(o: Pick<SandboxOptions, 'data' | 'generate' | 'randomSeed' | 'companies'>): Promise<SandboxData> {
  if (typeof o.data === 'string') return loadDataFile(o.data)
  if (o.data) return o.data
  const companies = o.companies ?? 1
  if (o.generate !== undefined || companies > 1) {
    return generateSandboxData({ customers: o.generate ?? DEFAULT_CUSTOMERS_PER_COMPANY, seed: o.randomSeed ?? 1, companies })
  }
  return sampleSandboxData()
}

export async function startSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const data = await resolveSandboxData(o)
  const common = {
    ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}),
    ...(o.faultRate !== undefined ? { faultRate: o.faultRate } : {}),
    ...(o.randomSeed !== undefined ? { randomSeed: o.randomSeed } : {}),
    ...(o.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: o.tokenTtlSeconds } : {}),
  }
  // Intuit gives each app one verifier token (api-facts A.4); the sandbox makes one per start.
  const webhookVerifier = randomUUID()
  const hook = (url: string) => ({ url, verifierToken: webhookVerifier, format: 'cloudevents' as const })
  const qbo = await startQboEmulator({ ...common, data: data.qbo, companies: qboCompaniesOf(data), port: o.qboPort ?? 0, ...(o.throttle !== undefined ? { throttle: o.throttle } : {}), ...(o.webhookUrl ? { webhook: hook(o.webhookUrl) } : {}) })
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>
  try {
    sf = await startSalesforceEmulator({ ...common, data: data.salesforce, port: o.sfPort ?? 0, ...(o.dailyApiLimit !== undefined ? { dailyApiLimit: o.dailyApiLimit } : {}), ...(o.package === false ? { package: false } : {}) })
  } catch (e) {
    await qbo.close()
    throw e
  }
  return {
    qbo: { url: qbo.url, emulator: qbo.emulator },
    salesforce: { url: sf.url, emulator: sf.emulator },
    data,
    companies: qbo.emulator.companies(),
    env() {
      const companies = qbo.emulator.companies()
      // One company: QBO_REALM_ID/QBO_REFRESH_TOKEN as always; several: QBO_CONNECTIONS.
      const grants: Record<string, string> = companies.length === 1
        ? { QBO_REALM_ID: qbo.emulator.realmId, QBO_REFRESH_TOKEN: qbo.emulator.issueTokens().refresh_token }
        : { QBO_CONNECTIONS: companies.map((co) => `${co.realmId}:${qbo.emulator.issueTokens(co.realmId).refresh_token}`).join(',') }
      return {
        QBO_CLIENT_ID: DEFAULT_QBO_CLIENT_ID,
        QBO_CLIENT_SECRET: DEFAULT_QBO_CLIENT_SECRET,
        ...grants,
        QBO_API_URL: qbo.url,
        QBO_TOKEN_URL: `${qbo.url}/oauth2/v1/tokens/bearer`,
        QBO_AUTHORIZE_URL: `${qbo.url}/connect/oauth2`,
        SF_LOGIN_URL: sf.url,
        SF_CLIENT_ID: DEFAULT_SF_CLIENT_ID,
        SF_CLIENT_SECRET: DEFAULT_SF_CLIENT_SECRET,
        QBO_WEBHOOK_VERIFIER: webhookVerifier,
      }
    },
    webhookVerifier,
    setWebhookUrl: (url) => qbo.emulator.setWebhook(url ? hook(url) : undefined),
    async close() {
      await Promise.all([qbo.close(), sf.close()])
    },
  }
}

export async function writeEnvFile(path: string, env: Record<string, string>): Promise<void> {
  const lines = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  await writeFile(path, `# Written by \`tally sandbox --env-out\`: every variable Tally needs to reach this sandbox.\n${lines.join('\n')}\n`, { mode: 0o600 })
}
