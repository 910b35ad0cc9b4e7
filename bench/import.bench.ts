/**
 * @module bench/import.bench
 * `npm run bench`: Tally's import against the in-process sandbox (latency per request, generated
 * data, seed 1) for each size — first import, then the same import again with nothing changed —
 * next to the fewest calls the APIs allow for that data and a naive per-record jsforce baseline
 * run on a fresh sandbox with the same data. Prints a markdown table and writes
 * bench/results/latest.{md,json}.
 *
 * Flags: --sizes 1000,10000 · --latency-ms 50 · --skip-naive · --naive-concurrency N (default: 1
 * up to 1,000 customers, 10 above, so the whole bench stays within about ten minutes).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSandbox, type Sandbox } from '../emulators/sandbox.js'
import { firstImportInput, rerunInput, type SandboxState } from './dataset.js'
import { measure, tallyAgainst } from './measure.js'
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

function stateOf(sb: Sandbox): SandboxState {
  return {
    realmId: sb.qbo.emulator.realmId,
    customers: sb.qbo.emulator.customers(),
    accounts: sb.salesforce.emulator.list('Account'),
    records: sb.salesforce.emulator.list('QBO_Customer__c'),
  }
}

async function benchSize(size: number): Promise<SizeResult> {
  log(`— ${size} customers: starting the sandbox`)
  const sb = await startSandbox({ generate: size, randomSeed: 1, latencyMs })
  const tally = tallyAgainst(sb)
  let result: Omit<SizeResult, 'naive'>
  try {
    const { input, facts } = firstImportInput(stateOf(sb))
    const minFirst = minimumCalls(input)
    log(`  Tally import…`)
    const first = await measure(sb, () => tally.import())
    log(`  ${(first.wallMs / 1000).toFixed(1)} s; again with nothing changed…`)
    const minSecond = minimumCalls(rerunInput(stateOf(sb)))
    const second = await measure(sb, () => tally.import())
    log(`  ${(second.wallMs / 1000).toFixed(1)} s`)
    result = { size, facts, first, second, minimum: { first: minFirst, second: minSecond } }
  } finally {
    tally.close()
    await sb.close()
  }
  if (values['skip-naive']) return { ...result, naive: null }
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
  sizes: [],
}
for (const size of sizes) result.sizes.push(await benchSize(size))

const md = toMarkdown(result)
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'latest.md'), `${md}\n`)
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`)
process.stdout.write(`${md}\n`)
