/**
 * @module bench/naive-baseline
 * The per-record import a first version usually is, written with jsforce 3.10.16 as its README
 * shows: read QBO customers with plain fetch (pages of 1,000), then for each customer one SOQL
 * lookup of the Account by name and one single-record upsert of its `QBO_Customer__c` on
 * `QBO_Key__c`. It creates no Accounts. Parents go before their children (level by level), so the
 * parent reference by external ID resolves. Run against a fresh sandbox with the same data.
 */
import { Connection } from 'jsforce'
import type { Sandbox } from '../emulators/sandbox.js'

export interface NaiveResult {
  customers: number
  upserted: number
  failed: number
  /** Calls the baseline itself made, by system (the sandbox's stats are the reference). */
  calls: { qbo: number; salesforce: number }
  wallMs: number
  concurrency: number
  firstError?: string
}

type Wire = Record<string, unknown>

/** QBO OAuth 2.0 refresh grant, then `SELECT * FROM Customer` pages of 1,000, inactive included.
 * https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
 * https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries */
async function readQbo(env: Record<string, string>, count: () => void): Promise<Wire[]> {
  const basic = Buffer.from(`${env.QBO_CLIENT_ID}:${env.QBO_CLIENT_SECRET}`).toString('base64')
  count()
  const tokenRes = await fetch(env.QBO_TOKEN_URL as string, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: env.QBO_REFRESH_TOKEN as string }),
  })
  if (!tokenRes.ok) throw new Error(`QBO token: HTTP ${tokenRes.status}`)
  const { access_token: token } = (await tokenRes.json()) as { access_token: string }
  const out: Wire[] = []
  for (let start = 1; ; start += 1000) {
    const q = `SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION ${start} MAXRESULTS 1000`
    count()
    const res = await fetch(`${env.QBO_API_URL}/v3/company/${env.QBO_REALM_ID}/query?query=${encodeURIComponent(q)}&minorversion=75`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
    if (!res.ok) throw new Error(`QBO query: HTTP ${res.status}`)
    const rows = ((await res.json()) as { QueryResponse: { Customer?: Wire[] } }).QueryResponse.Customer ?? []
    out.push(...rows)
    if (rows.length < 1000) return out
  }
}

/** SOQL string literal: backslash and quote escaped (SOQL reference, "Quoted String Escape Sequences"). */
const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

async function pool<T>(items: readonly T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

export async function runNaive(sandbox: Sandbox, o: { concurrency: number }): Promise<NaiveResult> {
  const env = sandbox.env()
  const started = performance.now()
  const calls = { qbo: 0, salesforce: 0 }
  const customers = await readQbo(env, () => void calls.qbo++)
  const realm = env.QBO_REALM_ID as string

  // A plain Connection with client credentials (jsforce's authorize passes any grant_type on).
  const conn = new Connection({
    oauth2: { clientId: env.SF_CLIENT_ID as string, clientSecret: env.SF_CLIENT_SECRET as string, loginUrl: env.SF_LOGIN_URL as string },
    version: '62.0',
  })
  calls.salesforce++
  await conn.authorize({ grant_type: 'client_credentials' })

  const byId = new Map(customers.map((c) => [String(c.Id), c]))
  const parentOf = (c: Wire): Wire | undefined => (c.Job === true ? byId.get(String((c.ParentRef as { value: string }).value)) : undefined)
  const rootOf = (c: Wire): Wire => {
    let cur = c
    for (let p = parentOf(cur); p; p = parentOf(cur)) cur = p
    return cur
  }
  const levels: Wire[][] = []
  for (const c of customers) (levels[Number(c.Level ?? 0)] ??= []).push(c)

  let upserted = 0
  let failed = 0
  let firstError: string | undefined
  const one = async (c: Wire) => {
    try {
      const root = rootOf(c)
      calls.salesforce++
      const found = await conn.query<{ Id: string }>(`SELECT Id FROM Account WHERE Name = ${quote(String(root.DisplayName))}`)
      const accountId = found.records.length === 1 ? (found.records[0] as { Id: string }).Id : null
      const parent = parentOf(c)
      const record: Record<string, unknown> = {
        QBO_Key__c: `${realm}-${String(c.Id)}`,
        Name: String(c.DisplayName).slice(0, 80),
        QBO_Id__c: String(c.Id),
        QBO_Realm_Id__c: realm,
        Display_Name__c: c.DisplayName,
        Active__c: c.Active !== false,
        Level__c: Number(c.Level ?? 0),
        Is_Sub_Customer__c: c.Job === true,
        Email__c: (c.PrimaryEmailAddr as { Address?: string } | undefined)?.Address ?? null,
        Phone__c: (c.PrimaryPhone as { FreeFormNumber?: string } | undefined)?.FreeFormNumber ?? null,
        Billing_City__c: (c.BillAddr as { City?: string } | undefined)?.City ?? null,
        Account__c: accountId,
        Link_Status__c: parent ? 'Inherited' : accountId ? 'Matched' : found.records.length > 1 ? 'Ambiguous' : 'Unmapped',
        Last_Synced__c: new Date().toISOString(),
        ...(parent ? { Parent_QBO_Id__c: String(parent.Id), Parent_Customer__r: { QBO_Key__c: `${realm}-${String(parent.Id)}` } } : {}),
      }
      calls.salesforce++
      const r = await conn.sobject('QBO_Customer__c').upsert(record, 'QBO_Key__c')
      if (r.success) upserted++
      else {
        failed++
        firstError ??= JSON.stringify(r.errors)
      }
    } catch (e) {
      failed++
      firstError ??= e instanceof Error ? e.message : String(e)
    }
  }
  for (const level of levels) if (level) await pool(level, o.concurrency, one)
  return {
    customers: customers.length,
    upserted,
    failed,
    calls,
    wallMs: performance.now() - started,
    concurrency: o.concurrency,
    ...(firstError !== undefined ? { firstError } : {}),
  }
}
