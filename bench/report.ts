/**
 * @module bench/report
 * The bench's results as JSON and as the markdown table of issue 13: per size, Tally's first
 * import, the import again with nothing changed and the sync of one change — Salesforce and QBO
 * calls, wall time and the peak resident set of the `tally` process — next to the fewest calls the
 * APIs allow by REST and with Bulk API 2.0, and a naive per-record baseline; the calls by
 * operation below the table.
 */
import type { DatasetFacts } from './dataset.js'
import type { Measured, ProcessRun, RunSummary } from './measure.js'
import type { MinimumBreakdown } from './minimum-calls.js'
import type { NaiveResult } from './naive-baseline.js'

export interface SizeResult {
  size: number
  facts: DatasetFacts
  first: ProcessRun<RunSummary>
  second: ProcessRun<RunSummary>
  /** The first `tally sync` after the import (within the checkpoint's overlap: it rereads). */
  firstSync: ProcessRun<RunSummary>
  /** `tally sync` after one customer's Notes were edited in QBO, the checkpoint set to now. */
  oneChange: ProcessRun<RunSummary>
  minimum: { first: MinimumBreakdown; second: MinimumBreakdown }
  /** In-process (its RSS includes the sandbox); null when skipped, with the reason. */
  naive: Measured<NaiveResult> | null
  naiveSkipped?: string
}

export interface BenchResult {
  date: string
  machine: { cpus: number; cpuModel: string; node: string; platform: string; memoryGb: number }
  latencyMs: number
  /** `tally --help` as a child process (after a warm-up): what a tally process costs doing nothing. */
  processBaseline: { wallMs: number; rssPeakMb: number | null }
  sizes: SizeResult[]
}

/** Issue 13's goals, at 100,000 customers. */
export const GOALS = { importSalesforceCalls: 80, peakRssMb: 300, oneChangeSalesforceCalls: 6 }

const secs = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`)
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '—' : '∞') : `${(a / b).toFixed(2)}×`)
const mbOf = (v: number | null) => (v === null ? '—' : `${v} MB`)
const n = (v: number) => v.toLocaleString('en-US')
const ops = (by: Record<string, number>) =>
  Object.entries(by).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')
const ok = (good: boolean) => (good ? '✓' : '✗')

function calls(m: ProcessRun<RunSummary>, system: 'qbo' | 'salesforce'): string {
  const seen = m.sandbox[system].requests
  const own = m.value.apiCalls[system]
  return seen === own ? String(seen) : `${seen} (summary: ${own})`
}

const plural = (k: number, one: string, many: string) => `${n(k)} ${k === 1 ? one : many}`
const written = (m: ProcessRun<RunSummary>) =>
  `${plural(m.value.customers.created + m.value.customers.updated, 'record', 'records')} (${plural(m.salesforceWrites.requests, 'write request', 'write requests')}${m.salesforceWrites.ingestJobs > 0 ? `, ${plural(m.salesforceWrites.ingestJobs, 'ingest job', 'ingest jobs')}` : ''})`

export function toMarkdown(r: BenchResult): string {
  const out: string[] = []
  out.push(`# Import benchmark — ${r.date}`, '')
  out.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node} (${r.machine.platform}). Sandbox in the bench's process, latency ${r.latencyMs} ms per API request, seed 1; each Tally run is its own \`tally\` process, whose peak RSS (VmHWM) is shown. For scale: \`tally --help\` takes ${secs(r.processBaseline.wallMs)} and peaks at ${mbOf(r.processBaseline.rssPeakMb)} (Node and Tally's modules, compiled: bin/compile.js).`, '')
  out.push('Minimums are "strict / with Tally\'s package check / with the run\'s record in the org"; the ratio is Tally\'s Salesforce calls over the last.', '')
  out.push('| dataset | run | Salesforce calls | REST minimum | Bulk-aware minimum | QBO calls (minimum) | written | wall time | peak RSS of tally |')
  out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|')
  for (const s of r.sizes) {
    const label = `${n(s.size)} customers, ${n(s.facts.accounts)} Accounts`
    const minCell = (m: { strict: number; withPackageCheck: number; withOrgRun: number }, sf: number) =>
      `${m.strict} / ${m.withPackageCheck} / ${m.withOrgRun} (${ratio(sf, m.withOrgRun)})`
    for (const [run, m, min] of [['first import', s.first, s.minimum.first], ['again, nothing changed', s.second, s.minimum.second]] as const) {
      const sf = m.sandbox.salesforce.requests
      out.push(`| ${run === 'first import' ? label : ''} | ${run} | ${calls(m, 'salesforce')} | ${minCell(min.salesforce, sf)} | ${minCell(min.salesforce.bulk, sf)} | ${calls(m, 'qbo')} (${min.qbo.total}) | ${written(m)} | ${secs(m.wallMs)} | ${mbOf(m.rssPeakMb)} |`)
    }
    const c = s.oneChange
    out.push(`| | sync of 1 change (read: ${c.value.read ?? '?'}) | ${calls(c, 'salesforce')} | — | — | ${calls(c, 'qbo')} | ${written(c)} | ${secs(c.wallMs)} | ${mbOf(c.rssPeakMb)} |`)
    if (s.naive) {
      const v = s.naive
      out.push(`| | naive baseline (jsforce, per record${v.value.concurrency > 1 ? `, concurrency ${v.value.concurrency}` : ''}) | ${n(v.sandbox.salesforce.requests)} | | | ${v.sandbox.qbo.requests} | ${plural(v.value.upserted, 'record', 'records')} | ${secs(v.wallMs)} | — (in-process) |`)
    } else {
      out.push(`| | naive baseline | — (${s.naiveSkipped ?? 'skipped'}) | | | | | | |`)
    }
  }
  out.push('', `Issue 13's goals are for 100,000 customers: first import ≤ ${GOALS.importSalesforceCalls} Salesforce calls and ≤ ${GOALS.peakRssMb} MB; the sync of one change ≤ ${GOALS.oneChangeSalesforceCalls} Salesforce calls. Peak RSS below is the highest of the four Tally runs.`, '')
  out.push('| customers | first import, Salesforce calls | peak RSS of tally | sync of 1 change, Salesforce calls |')
  out.push('|--:|--:|--:|--:|')
  for (const s of r.sizes) {
    const runs = [s.first, s.second, s.firstSync, s.oneChange]
    const peaks = runs.map((m) => m.rssPeakMb).filter((v): v is number => v !== null)
    const peak = peaks.length > 0 ? Math.max(...peaks) : null
    const sf = s.first.sandbox.salesforce.requests
    const one = s.oneChange.sandbox.salesforce.requests
    out.push(`| ${n(s.size)} | ${sf} ${ok(sf <= GOALS.importSalesforceCalls)} | ${mbOf(peak)} ${peak === null ? '' : ok(peak <= GOALS.peakRssMb)} | ${one} ${ok(one <= GOALS.oneChangeSalesforceCalls)} |`)
  }
  out.push('', '## Details', '')
  for (const s of r.sizes) {
    const f = s.facts
    const m1 = s.minimum.first.salesforce
    const b1 = m1.bulk
    out.push(`### ${n(s.size)} customers`, '')
    out.push(`Data: ${f.topLevel} top-level customers and ${f.subCustomers} sub-customers (deepest level ${f.maxLevel}); ${f.accounts} Accounts; ${f.matchOne} top-level customers match exactly one Account, ${f.matchMany} several; ${f.accountsToCreate} Accounts to create (Tally created ${s.first.value.accountsCreated}). Records written per level: ${b1.levels.join(', ')}.`, '')
    out.push(`REST minimum, first import, Salesforce: OAuth ${m1.oauth} + existing records ${m1.existing} + Accounts ${m1.accounts} (read all ${m1.accountsReadAll}, name lookups ${m1.accountNameLookups}) + Account upserts ${m1.accountUpserts} + record upserts ${m1.recordUpserts} (level-sorted packing: ${m1.recordUpsertsLevelSorted}) = ${m1.strict}; + package check ${m1.packageCheck} = ${m1.withPackageCheck}; + the run's record in the org ${m1.orgRun} = ${m1.withOrgRun}. QBO: OAuth ${s.minimum.first.qbo.oauth} + pages ${s.minimum.first.qbo.pages}.`, '')
    out.push(`Bulk-aware minimum, first import, Salesforce: OAuth ${m1.oauth} + existing ${b1.existing} + Accounts ${b1.accounts} + Account upserts ${b1.accountUpserts} + record upserts ${b1.recordUpserts} (levels by ${b1.recordLevelWays.join(', ')}; all REST ${b1.recordUpsertsRest}, one job per level ${b1.recordUpsertsAllBulk}) = ${b1.strict}; + package check = ${b1.withPackageCheck}; + the run's record ${b1.orgRun} = ${b1.withOrgRun}.`, '')
    const m2 = s.minimum.second.salesforce
    out.push(`Minimum, again: QBO ${s.minimum.second.qbo.total} (token held, ${plural(s.minimum.second.qbo.pages, 'page', 'pages')}); Salesforce REST: OAuth ${m2.oauth} + existing ${m2.existing} + Accounts ${m2.accounts} (read all ${m2.accountsReadAll}, lookups ${m2.accountNameLookups}) = ${m2.strict} (+ check ${m2.withPackageCheck}; + the run's record ${m2.withOrgRun}); Bulk-aware: existing ${m2.bulk.existing} + Accounts ${m2.bulk.accounts} → ${m2.bulk.strict} / ${m2.bulk.withPackageCheck} / ${m2.bulk.withOrgRun}.`, '')
    const line = (name: string, m: ProcessRun<RunSummary>) =>
      `${name}: ${m.value.customers.created} created, ${m.value.customers.updated} updated, ${m.value.customers.unchanged} unchanged, ${m.value.customers.failed} failed, status ${m.value.status}${m.value.read ? `, read ${m.value.read}` : ''}; ${secs(m.wallMs)}, peak RSS ${mbOf(m.rssPeakMb)}; QBO ${ops(m.sandbox.qbo.byOperation)}; Salesforce ${ops(m.sandbox.salesforce.byOperation)}.`
    out.push(line('Tally, first import', s.first), '')
    out.push(line('Tally, again', s.second), '')
    out.push(line('Tally, first sync after the import', s.firstSync), '')
    out.push(line('Tally, sync of 1 change', s.oneChange), '')
    if (s.naive) {
      const v = s.naive.value
      out.push(`Naive (jsforce, one lookup + one upsert per customer, concurrency ${v.concurrency}): ${v.upserted} upserted, ${v.failed} failed${v.firstError ? ` (first error: ${v.firstError.slice(0, 200)})` : ''}; QBO ${ops(s.naive.sandbox.qbo.byOperation)}; Salesforce ${ops(s.naive.sandbox.salesforce.byOperation)}; its own count: QBO ${v.calls.qbo}, Salesforce ${v.calls.salesforce}; peak RSS of the bench process ${s.naive.rssDeltaMb} MB above baseline.`, '')
    }
  }
  return out.join('\n')
}
