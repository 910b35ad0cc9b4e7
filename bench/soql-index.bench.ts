/**
 * @module bench/soql-index.bench
 * `npm run bench:soql`: the Salesforce sandbox's SOQL planner (emulators/salesforce/soql/plan.ts)
 * on a big org — N Accounts and N QBO_Customer__c records (default 100,000 each, named as the
 * sandbox's generated company names its customers, emulators/shared/generate.ts) — against the
 * scan it replaces (`setQueryIndexes(false)`), over real HTTP through jsforce 3.10.16 as Tally
 * talks to it. Per query: the scan (median of a few runs), the first indexed run (which builds the
 * index it needs) and the indexed median. The queries are the ones Tally sends in an import: the
 * Account name lookups `planAccountNameQueries` plans for 200 names (one-word names in
 * `Name IN (…)`, the others as `Name LIKE 'w1%w2…'` ORed to it), a plain `Name IN (200 names)`,
 * `QBO_Source_Key__c IN (…)`, `Id IN (…)`, the realm's records `QBO_Realm_Id__c = '…'` and
 * `QBO_Key__c IN (…)`. Every indexed answer is checked against the scanned one.
 *
 * Flags: --records 100000 · --names 200 · --runs 15 (indexed) · --scan-runs 3
 */
import { parseArgs } from 'node:util'
import { Connection } from 'jsforce'
import { startSalesforceEmulator } from '../emulators/salesforce/index.js'
import { generateSandboxData } from '../emulators/shared/generate.js'
import { planAccountNameQueries } from '../src/salesforce/account-names.js'
import { quoteSoql } from '../src/salesforce/soql.js'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    names: { type: 'string', default: '200' },
    runs: { type: 'string', default: '15' },
    'scan-runs': { type: 'string', default: '3' },
  },
})
const n = Number(values.records)
const nNames = Number(values.names)
const runs = Number(values.runs)
const scanRuns = Number(values['scan-runs'])
const log = (s: string) => process.stderr.write(`${s}\n`)

let seed = 1
const rand = (): number => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T

// The names of the sandbox's own generated company (`tally sandbox --generate`): the Accounts
// bear its top-level customers' names (businesses and people, unique as QuickBooks requires:
// `Summit Plumbing 37`), which are what Tally looks Accounts up by; the QBO_Customer__c records
// are its customers, sub-customer projects included.
log(`Generating and loading ${n.toLocaleString('en')} Accounts and ${n.toLocaleString('en')} QBO_Customer__c records…`)
const loadStart = performance.now()
const all = generateSandboxData({ customers: Math.ceil(n * 1.6), seed: 1 }).qbo.customers
const topLevel = all.filter((c) => !c.ParentRef).slice(0, n)
if (topLevel.length < n) throw new Error(`The generator made only ${topLevel.length} top-level customers`)
const generated = all.slice(0, n)
const REALM = '9130350000000001'
const OTHER_REALM = '9130350000000002'
const accounts = topLevel.map((c, i) => ({ Name: String(c.DisplayName), QBO_Source_Key__c: `${REALM}:${i}` }))
const qboCustomers = generated.map((c, i) => ({
  Name: String(c.DisplayName).slice(0, 80),
  // A tenth in a second company (realm), as in an org that several companies sync into.
  QBO_Key__c: `${i % 10 === 0 ? OTHER_REALM : REALM}:${String(c.Id)}`,
  QBO_Realm_Id__c: i % 10 === 0 ? OTHER_REALM : REALM,
  QBO_Id__c: String(c.Id),
}))
const sandbox = await startSalesforceEmulator({ data: { accounts, qboCustomers } })
log(`  loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`)
const conn = new Connection({ oauth2: { clientId: 'sandbox-sf-client-id', clientSecret: 'sandbox-sf-client-secret', loginUrl: sandbox.url }, version: '62.0' })
await conn.authorize({ grant_type: 'client_credentials' })

const accountRecs = sandbox.emulator.list('Account')
const customerRecs = sandbox.emulator.list('QBO_Customer__c')
const sample = <T,>(xs: readonly T[], k: number): T[] => Array.from({ length: k }, () => pick(xs))
const names = sample(accountRecs, nNames).map((a) => String(a.Name))
const prefixBytes = `/services/data/v62.0/query?q=`.length
const quoted = (xs: string[]) => `(${xs.map(quoteSoql).join(', ')})`

const queries: { label: string; soql: string[] }[] = [
  { label: `Tally's Account name lookup, ${nNames} names (planAccountNameQueries)`, soql: planAccountNameQueries(names, { prefixBytes }).map((s) => s) },
  { label: `Account WHERE Name IN (${nNames} names)`, soql: [`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE Name IN ${quoted(names.map((x) => x.toUpperCase()))}`] },
  { label: `Account WHERE QBO_Source_Key__c IN (${nNames})`, soql: [`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE QBO_Source_Key__c IN ${quoted(sample(accountRecs, nNames).map((a) => String(a.QBO_Source_Key__c)))}`] },
  { label: `Account WHERE Id IN (${nNames})`, soql: [`SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id IN ${quoted(sample(accountRecs, nNames).map((a) => String(a.Id)))}`] },
  { label: `QBO_Customer__c WHERE QBO_Key__c IN (${nNames})`, soql: [`SELECT Id, QBO_Key__c, Account__c FROM QBO_Customer__c WHERE QBO_Key__c IN ${quoted(sample(customerRecs, nNames).map((c) => String(c.QBO_Key__c)))}`] },
  { label: 'QBO_Customer__c WHERE QBO_Realm_Id__c = (a realm of 10%)', soql: [`SELECT Id, QBO_Key__c FROM QBO_Customer__c WHERE QBO_Realm_Id__c = '${OTHER_REALM}'`] },
  { label: 'QBO_Customer__c WHERE QBO_Realm_Id__c = (a realm of 90%)', soql: [`SELECT Id, QBO_Key__c FROM QBO_Customer__c WHERE QBO_Realm_Id__c = '${REALM}'`] },
]

async function runAll(soql: string[]): Promise<{ ms: number; records: unknown[] }> {
  const start = performance.now()
  const records: unknown[] = []
  for (const s of soql) records.push(...(await conn.query(s, { autoFetch: true, maxFetch: 1_000_000 })).records)
  return { ms: performance.now() - start, records }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1))

console.log(`## SOQL planner: ${n.toLocaleString('en')} Accounts + ${n.toLocaleString('en')} QBO_Customer__c, over HTTP through jsforce\n`)
console.log('| query | statements | rows | scan (median ms) | indexed, first run incl. index build (ms) | indexed (median ms) | speed-up |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const q of queries) {
  // One untimed run each way first, so that neither is measured with cold code.
  sandbox.emulator.setQueryIndexes(false)
  await runAll(q.soql)
  const scans: number[] = []
  let scanned: unknown[] = []
  for (let i = 0; i < scanRuns; i++) {
    const r = await runAll(q.soql)
    scans.push(r.ms)
    scanned = r.records
  }
  sandbox.emulator.setQueryIndexes(true)
  const first = await runAll(q.soql)
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push((await runAll(q.soql)).ms)
  if (JSON.stringify(first.records) !== JSON.stringify(scanned)) throw new Error(`Indexed and scanned answers differ for ${q.label}`)
  const s = median(scans)
  const x = median(times)
  console.log(`| ${q.label} | ${q.soql.length} | ${scanned.length.toLocaleString('en')} | ${fmt(s)} | ${fmt(first.ms)} | ${fmt(x)} | ${(s / x).toFixed(0)}× |`)
}
const plans = sandbox.emulator.queryPlans()
console.log(`\nQueries answered from an index: ${plans.indexed}; by scanning: ${plans.scanned}.`)
await sandbox.close()
