/**
 * @module bench/import.bench
 * `npm run bench`: for each size, Tally against the sandbox (latency per request, generated data,
 * seed 1) — the first import, the same import again with nothing changed, then a first sync and a
 * sync of one change — each run a `tally` child process (`node -- bin/tally.js …`) whose peak
 * resident set is read from /proc, while the sandbox answers from this process and counts the
 * calls. Beside them: the fewest calls the APIs allow for that data by REST and with Bulk API 2.0
 * (minimum-calls.ts), and up to 10,000 customers a naive per-record jsforce baseline on a fresh
 * sandbox with the same data. Prints a markdown table and writes bench/results/latest.{md,json}.
 *
 * Flags: --sizes 1000,10000 (up to 100000) · --latency-ms 50 · --skip-naive · --naive-concurrency N
 * (default: 1 up to 1,000 customers, 10 above, so the whole bench stays within about ten minutes).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSandbox, type Sandbox } from '../emulators/sandbox.js'
import type { WireObject } from '../emulators/shared/data.js'
import { firstImportInput, rerunInput, type SandboxState } from './dataset.js'
import { measure, spawnTally, tallyProcess, type RunSummary } from './measure.js'
import { minimumCalls } from './minimum-calls.js'
import { runNaive } from './naive-baseline.js'
import { toMarkdown, type BenchResult, type SizeResult } from './report.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    'latency-ms': { type: 'string', default: '50' },
    'skip-naive': { type: 'boolean', default: false },
    'naive-concurrency': { type: 'string' },
  },
})
const sizes = values.sizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0)
const latencyMs = Number(values['latency-ms'])
const log = (s: string) => process.stderr.write(`${s}\n`)

/** Above this the naive baseline is not run: at 100,000 customers it is 200,000 calls (hours). */
const NAIVE_MAX_SIZE = 10_000

function stateOf(sb: Sandbox, customers?: readonly WireObject[]): SandboxState {
  return {
    realmId: sb.qbo.emulator.realmId,
    customers: customers ?? sb.qbo.emulator.customers(),
    accounts: sb.salesforce.emulator.list('Account'),
    records: sb.salesforce.emulator.list('QBO_Customer__c'),
  }
}

/** A top-level, active customer without sub-customers: its change touches one record. */
function oneTopLevelCustomer(customers: readonly WireObject[]): string {
  const parents = new Set(customers.map((x) => (x['ParentRef'] as { value?: string } | undefined)?.value))
  const c = customers.find((x) => x['Job'] !== true && x['Active'] !== false && !parents.has(String(x['Id'])))
  if (!c) throw new Error('no top-level customer without sub-customers')
  return String(c['Id'])
}

/** Notes of one customer edited through QBO's API, a sparse update (as a person would in QBO).
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#sparse-update-a-customer */
async function editNotes(sb: Sandbox, id: string): Promise<void> {
  const c = sb.qbo.emulator.customer(id)
  if (!c) throw new Error(`QBO customer ${id} is gone`)
  const res = await fetch(`${sb.qbo.url}/v3/company/${sb.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: 'one change' }),
  })
  if (res.status !== 200) throw new Error(`QBO update: ${res.status} ${await res.text()}`)
}

async function benchSize(size: number): Promise<SizeResult> {
  log(`— ${size} customers: starting the sandbox`)
  const sb = await startSandbox({ generate: size, randomSeed: 1, latencyMs })
  const tally = tallyProcess(sb)
  let result: Omit<SizeResult, 'naive' | 'naiveSkipped'>
  try {
    // The emulators' lists are copied once before the import; QBO's customers do not change in
    // the runs, so the re-run's input reuses them with Salesforce's lists after the import.
    const before = stateOf(sb)
    const customers = before.customers
    const { input, facts } = firstImportInput(before)
    const minFirst = minimumCalls(input)
    const changed = oneTopLevelCustomer(customers)
    log('  Tally import…')
    const first = await tally.run<RunSummary>(['import', '--json', '--create-accounts'])
    log(`  ${(first.wallMs / 1000).toFixed(1)} s, ${first.rssPeakMb} MB; again with nothing changed…`)
    const minSecond = minimumCalls(rerunInput(stateOf(sb, customers)))
    const second = await tally.run<RunSummary>(['import', '--json', '--create-accounts'])
    log(`  ${(second.wallMs / 1000).toFixed(1)} s, ${second.rssPeakMb} MB; a first sync…`)
    // Right after the import, within its checkpoint's overlap: the records it wrote are its own
    // writes, not read back (sync/read-changed).
    const firstSync = await tally.run<RunSummary>(['sync', '--json'])
    log(`  ${(firstSync.wallMs / 1000).toFixed(1)} s, ${firstSync.sandbox.salesforce.requests} Salesforce calls; one change, then sync…`)
    await editNotes(sb, changed)
    const oneChange = await tally.run<RunSummary>(['sync', '--json'])
    log(`  ${(oneChange.wallMs / 1000).toFixed(2)} s, ${oneChange.sandbox.salesforce.requests} Salesforce calls`)
    result = { size, facts, first, second, firstSync, oneChange, minimum: { first: minFirst, second: minSecond } }
  } finally {
    tally.close()
    await sb.close()
  }
  if (values['skip-naive']) return { ...result, naive: null, naiveSkipped: '--skip-naive' }
  if (size > NAIVE_MAX_SIZE) {
    log(`  naive baseline skipped above ${NAIVE_MAX_SIZE.toLocaleString('en-US')} customers`)
    return { ...result, naive: null, naiveSkipped: `not run above ${NAIVE_MAX_SIZE.toLocaleString('en-US')} customers` }
  }
  const concurrency = values['naive-concurrency'] ? Number(values['naive-concurrency']) : size <= 1000 ? 1 : 10
  log(`  naive baseline on a fresh sandbox (concurrency ${concurrency})…`)
  const fresh = await startSandbox({ generate: size, randomSeed: 1, latencyMs })
  try {
    const naive = await measure(fresh, () => runNaive(fresh, { concurrency }))
    log(`  ${(naive.wallMs / 1000).toFixed(1)} s`)
    return { ...result, naive }
  } finally {
    await fresh.close()
  }
}

// `tally` compiles Tally's sources on its first start after a change (bin/compile.js): one unmeasured `tally --help` first,
// so that the first measured run does not carry a cold cache; a second one measures what a
// `tally` process costs before any work (Node and Tally's modules, compiled by bin/compile.js).
const processBaseline = await (async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-warm-'))
  try {
    const env = { PATH: process.env['PATH'] ?? '' }
    await spawnTally(['--help'], { cwd: dir, env })
    const r = await spawnTally(['--help'], { cwd: dir, env })
    return { wallMs: r.wallMs, rssPeakMb: r.rssPeakKb === null ? null : Math.round((r.rssPeakKb / 1024) * 10) / 10 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()

const result: BenchResult = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
  },
  latencyMs,
  processBaseline,
  sizes: [],
}
for (const size of sizes) result.sizes.push(await benchSize(size))

const md = toMarkdown(result)
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'latest.md'), `${md}\n`)
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`)
process.stdout.write(`${md}\n`)
