/**
 * @module bench/companies.bench
 * `npm run bench:companies`: several QuickBooks companies imported into one org (contract §9) —
 * K generated companies of N customers each (a fifth of the names recurring across companies) in
 * the in-process sandbox with latency per request; Tally's real `tally import --json
 * --create-accounts` (every company, one after another), then the same again with nothing
 * changed; next to the fewest calls the APIs allow for the whole org, computed from the data.
 * Prints a markdown table and writes bench/results/companies.{md,json}.
 *
 * Flags: --companies 3 · --size 10000 · --latency-ms 50
 *
 * The minimum for several companies (bench/README.md, "Several companies"): QBO per company (its
 * own grant, its own pages); Salesforce once for the org — one sign-in and package check, the
 * existing records of every company in as few pages as they fill, the Accounts read once (or the
 * union of the names looked up), one Account per name to create, and the records in the fewest
 * Collections.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSandbox, type Sandbox } from '../emulators/sandbox.js'
import { firstImportInput, normalize, rerunInput, type SandboxState } from './dataset.js'
import { measure, tallyAgainst, type Measured } from './measure.js'
import { minimumCalls, type MinimumInput } from './minimum-calls.js'

const { values } = parseArgs({
  options: {
    companies: { type: 'string', default: '3' },
    size: { type: 'string', default: '10000' },
    'latency-ms': { type: 'string', default: '50' },
  },
})
const k = Number(values.companies)
const size = Number(values.size)
const latencyMs = Number(values['latency-ms'])
const log = (s: string) => process.stderr.write(`${s}\n`)

function states(sb: Sandbox): SandboxState[] {
  const accounts = sb.salesforce.emulator.list('Account')
  const records = sb.salesforce.emulator.list('QBO_Customer__c')
  return sb.companies.map((co) => ({ realmId: co.realmId, customers: sb.qbo.emulator.customers(co.realmId), accounts, records }))
}

/** The org-wide minimum: Salesforce as one input over every company, QBO per company. */
function orgMinimum(inputs: MinimumInput[], accountsToCreate: number) {
  const union = new Map<string, string>()
  for (const i of inputs) for (const n of i.namesToMatch) if (!union.has(normalize(n))) union.set(normalize(n), n)
  const all: MinimumInput = {
    customers: inputs.reduce((n, i) => n + i.customers, 0),
    existingRecords: inputs.reduce((n, i) => n + i.existingRecords, 0),
    accounts: inputs[0]?.accounts ?? 0,
    namesToMatch: [...union.values()],
    accountsToCreate,
    writes: inputs.flatMap((i) => i.writes),
    ...(inputs[0]?.qboTokenHeld ? { qboTokenHeld: true } : {}),
  }
  const sf = minimumCalls(all).salesforce
  const qbo = inputs.reduce((n, i) => n + minimumCalls(i).qbo.total, 0)
  return { qbo, salesforce: sf }
}

log(`— ${k} companies × ${size} customers: starting the sandbox`)
const sb = await startSandbox({ generate: size, companies: k, randomSeed: 1, latencyMs })
const tally = tallyAgainst(sb)
const before = states(sb)
const firsts = before.map((s) => firstImportInput(s))
// One Account per name across the companies: the distinct names no Account matches.
const toCreate = new Set(firsts.flatMap((f, i) => {
  const byNorm = new Set((before[i]?.accounts ?? []).map((a) => normalize(String(a['Name'] ?? ''))))
  return (before[i]?.customers ?? [])
    .filter((c) => !(c['Job'] === true) && c['Active'] !== false)
    .map((c) => normalize(String(c['DisplayName'] ?? '')))
    .filter((n) => n !== '' && !byNorm.has(n))
}))
const minFirst = orgMinimum(firsts.map((f) => f.input), toCreate.size)
log('  Tally import…')
let first: Measured<unknown>
let second: Measured<unknown>
let minSecond: ReturnType<typeof orgMinimum>
try {
  first = await measure(sb, () => tally.import())
  log(`  ${(first.wallMs / 1000).toFixed(1)} s; again with nothing changed…`)
  minSecond = orgMinimum(states(sb).map((s) => rerunInput(s)), 0)
  second = await measure(sb, () => tally.import())
  log(`  ${(second.wallMs / 1000).toFixed(1)} s`)
} finally {
  tally.close()
  await sb.close()
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
const accounts = before[0]?.accounts.length ?? 0
const row = (label: string, m: Measured<unknown>, min: ReturnType<typeof orgMinimum>) => [
  `| ${label} | QBO | ${m.sandbox.qbo.requests} | ${min.qbo} | ${ratio(m.sandbox.qbo.requests, min.qbo)} | ${(m.wallMs / 1000).toFixed(1)} s | ${m.rssDeltaMb} MB / ${m.rssPeakMb} MB |`,
  `| | Salesforce | ${m.sandbox.salesforce.requests} | ${min.salesforce.strict} / ${min.salesforce.withPackageCheck} | ${ratio(m.sandbox.salesforce.requests, min.salesforce.strict)} / ${ratio(m.sandbox.salesforce.requests, min.salesforce.withPackageCheck)} | | |`,
]
const md = [
  `${k} companies × ${size.toLocaleString('en-US')} customers, ${accounts.toLocaleString('en-US')} Accounts, latency ${latencyMs} ms, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| run | system | Tally calls | minimum (strict / with package check) | Tally / minimum | wall time | peak RSS (above baseline / absolute) |',
  '|---|---|--:|--:|--:|--:|--:|',
  ...row('first import', first, minFirst),
  ...row('again, nothing changed', second, minSecond),
].join('\n')
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'companies.md'), `${md}\n`)
writeFileSync(join(dir, 'companies.json'), `${JSON.stringify({ companies: k, size, latencyMs, accounts, first: { ...first, value: undefined }, second: { ...second, value: undefined }, minimum: { first: minFirst, second: minSecond }, byOperation: { first: first.sandbox, second: second.sandbox } }, null, 2)}\n`)
process.stdout.write(`${md}\n`)
