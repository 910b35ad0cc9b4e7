/**
 * @module bench/links.bench
 * `npm run bench:links`: what suggestions (contract §10) cost in Salesforce API calls. A generated
 * company of 10,000 customers whose top-level names have Accounts but for 2,000 (half of those with a
 * near-miss Account: a legal form added), in an org of 50,000 Accounts; `tally import --json` with
 * Create Accounts off, once with suggestions and once with `--no-suggestions`, each into a fresh
 * org; then a sync of one changed Unmapped customer, both ways. Prints a markdown table and writes
 * bench/results/links.{md,json}.
 *
 * Flags: --size 10000 · --unmapped 2000 · --accounts 50000 · --latency-ms 0
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { resolveSandboxData, startSandbox, type Sandbox } from '../emulators/sandbox.js'
import type { SandboxData, WireObject } from '../emulators/shared/data.js'
import { runCli } from '../src/cli/index.js'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    unmapped: { type: 'string', default: '2000' },
    accounts: { type: 'string', default: '50000' },
    'latency-ms': { type: 'string', default: '0' },
  },
})
const size = Number(values.size)
const unmapped = Number(values.unmapped)
const totalAccounts = Number(values.accounts)
const latencyMs = Number(values['latency-ms'])
const log = (s: string) => process.stderr.write(`${s}\n`)

/** The company, and an org whose Accounts match all top-level names but `unmapped` of them. */
async function dataset(): Promise<SandboxData> {
  const data = await resolveSandboxData({ generate: size, randomSeed: 7 })
  const top = data.qbo.customers.filter((c) => c['Job'] !== true && c['Active'] !== false)
  const waiting = new Set(top.slice(0, unmapped).map((c) => String(c['DisplayName'])))
  const accounts: WireObject[] = []
  for (const c of top) {
    const name = String(c['DisplayName'])
    if (!waiting.has(name)) accounts.push({ Name: name })
  }
  let i = 0
  for (const name of waiting) if (i++ % 2 === 0) accounts.push({ Name: `${name}, Inc.` })
  // Filler Accounts of names no customer has (distinct words, so none is a suggestion).
  for (let n = 0; accounts.length < totalAccounts; n += 1) accounts.push({ Name: `Zq${n.toString(36)} Holdings` })
  return { ...data, salesforce: { accounts, qboCustomers: [] } }
}

interface Summary { links: Record<string, number>; apiCalls: { qbo: number; salesforce: number }; durationMs: number }

async function run(sb: Sandbox, dir: string, args: string[]): Promise<Summary> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    env: { ...sb.env(), TALLY_DB: join(dir, 'tally.db') },
    cwd: dir,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stderrIsTty: false,
    stopSignal: new AbortController().signal,
  })
  if (code !== 0 && code !== 2) throw new Error(`tally ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`)
  return JSON.parse(stdout) as Summary
}

async function measureWay(data: SandboxData, suggestions: boolean) {
  const sb = await startSandbox({ data, latencyMs })
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-links-'))
  try {
    const flag = suggestions ? [] : ['--no-suggestions']
    const imp = await run(sb, dir, ['import', '--json', '--no-create-accounts', ...flag])
    const suggested = sb.salesforce.emulator.list('QBO_Customer__c').filter((r) => r['Suggested_Account__c']).length
    // One waiting customer changes in QuickBooks: the sync reads it and suggests for it alone.
    const realm = sb.qbo.emulator.realmId
    const c = sb.qbo.emulator.customers(realm).find((x) => x['Job'] !== true && x['Active'] !== false && String(x['DisplayName']) === String(data.qbo.customers.find((y) => y['Job'] !== true && y['Active'] !== false)?.['DisplayName']))
    if (!c) throw new Error('no customer to change')
    // A sparse update through the QBO API, as a QuickBooks user's edit arrives.
    const token = sb.qbo.emulator.issueTokens(realm).access_token
    const res = await fetch(`${sb.qbo.url}/v3/company/${realm}/customer?minorversion=75`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: 'changed for the bench' }),
    })
    if (!res.ok) throw new Error(`QBO update: ${res.status} ${await res.text()}`)
    const sync = await run(sb, dir, ['sync', '--json', '--no-create-accounts', ...flag])
    return { import: imp, suggested, sync }
  } finally {
    await sb.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const data = await dataset()
log(`— ${size} customers, ${unmapped} without an Account of their name, ${data.salesforce.accounts.length} Accounts`)
log('  with suggestions…')
const on = await measureWay(data, true)
log('  without…')
const off = await measureWay(data, false)

const rows = [
  ['first import: Salesforce calls', off.import.apiCalls.salesforce, on.import.apiCalls.salesforce],
  ['first import: time (ms)', off.import.durationMs, on.import.durationMs],
  ['records Unmapped / Ambiguous', off.import.links['unmapped']! + off.import.links['ambiguous']!, on.import.links['unmapped']! + on.import.links['ambiguous']!],
  ['records with a suggestion in Salesforce', off.suggested, on.suggested],
  ['sync of 1 changed Unmapped customer: Salesforce calls', off.sync.apiCalls.salesforce, on.sync.apiCalls.salesforce],
]
const md = [
  `Suggestions' cost: ${size} customers (${unmapped} without an Account of their name), ${data.salesforce.accounts.length} Accounts, Create Accounts off, sandbox latency ${latencyMs} ms.`,
  '',
  '| | without suggestions | with suggestions |',
  '|---|--:|--:|',
  ...rows.map(([k, a, b]) => `| ${k} | ${a} | ${b} |`),
  '',
].join('\n')
process.stdout.write(md)
const out = join(dirname(fileURLToPath(import.meta.url)), 'results')
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'links.md'), md)
writeFileSync(join(out, 'links.json'), JSON.stringify({ size, unmapped, accounts: data.salesforce.accounts.length, latencyMs, on, off }, null, 2))
