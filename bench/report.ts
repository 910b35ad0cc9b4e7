/**
 * @module bench/report
 * The bench's results as JSON and as the markdown table of the issue: per dataset and system,
 * Tally's calls next to the minimum the APIs allow and a naive per-record baseline, with wall time
 * and peak memory.
 */
import type { DatasetFacts } from './dataset.js'
import type { Measured, ImportSummary } from './measure.js'
import type { MinimumBreakdown } from './minimum-calls.js'
import type { NaiveResult } from './naive-baseline.js'

export interface SizeResult {
  size: number
  facts: DatasetFacts
  first: Measured<ImportSummary>
  second: Measured<ImportSummary>
  minimum: { first: MinimumBreakdown; second: MinimumBreakdown }
  naive: Measured<NaiveResult> | null
}

export interface BenchResult {
  date: string
  machine: { cpus: number; cpuModel: string; node: string; platform: string; memoryGb: number }
  latencyMs: number
  sizes: SizeResult[]
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '—' : '∞') : `${(a / b).toFixed(2)}×`)
const ops = (by: Record<string, number>) =>
  Object.entries(by).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')

function tallyCalls(m: Measured<ImportSummary>, system: 'qbo' | 'salesforce'): string {
  const seen = m.sandbox[system].requests
  const own = m.value.apiCalls[system]
  return seen === own ? String(seen) : `${seen} (summary: ${own})`
}

export function toMarkdown(r: BenchResult): string {
  const out: string[] = []
  out.push(`# Import benchmark — ${r.date}`, '')
  out.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node} (${r.machine.platform}). Sandbox in-process, latency ${r.latencyMs} ms per API request, seed 1.`, '')
  out.push('| dataset | run | system | Tally calls | minimum (strict / with package check / with the run\'s record in the org) | Tally / minimum (strict / with check / with record) | naive calls | wall time (Tally / naive) | peak RSS Tally (above baseline / absolute) |')
  out.push('|---|---|---|--:|--:|--:|--:|--:|--:|')
  for (const s of r.sizes) {
    const label = `${s.size.toLocaleString('en-US')} customers, ${s.facts.accounts.toLocaleString('en-US')} Accounts`
    for (const [run, m, min] of [['first import', s.first, s.minimum.first], ['again, nothing changed', s.second, s.minimum.second]] as const) {
      const naive = run === 'first import' ? s.naive : null
      const wall = `${secs(m.wallMs)} / ${naive ? `${secs(naive.wallMs)}${naive.value.concurrency > 1 ? ` (concurrency ${naive.value.concurrency})` : ''}` : '—'}`
      const mem = `${m.rssDeltaMb} MB / ${m.rssPeakMb} MB`
      const q = m.sandbox.qbo.requests
      const sf = m.sandbox.salesforce.requests
      out.push(`| ${label} | ${run} | QBO | ${tallyCalls(m, 'qbo')} | ${min.qbo.total} | ${ratio(q, min.qbo.total)} | ${naive ? naive.sandbox.qbo.requests : '—'} | ${wall} | ${mem} |`)
      out.push(`| | | Salesforce | ${tallyCalls(m, 'salesforce')} | ${min.salesforce.strict} / ${min.salesforce.withPackageCheck} / ${min.salesforce.withOrgRun} | ${ratio(sf, min.salesforce.strict)} / ${ratio(sf, min.salesforce.withPackageCheck)} / ${ratio(sf, min.salesforce.withOrgRun)} | ${naive ? naive.sandbox.salesforce.requests : '—'} | | |`)
    }
  }
  out.push('', '## Details', '')
  for (const s of r.sizes) {
    const f = s.facts
    const m1 = s.minimum.first.salesforce
    out.push(`### ${s.size.toLocaleString('en-US')} customers`, '')
    out.push(`Data: ${f.topLevel} top-level customers and ${f.subCustomers} sub-customers (deepest level ${f.maxLevel}); ${f.accounts} Accounts; ${f.matchOne} top-level customers match exactly one Account, ${f.matchMany} several; ${f.accountsToCreate} Accounts to create (Tally created ${s.first.value.accountsCreated}).`, '')
    out.push(`Minimum, first import, Salesforce: OAuth ${m1.oauth} + existing records ${m1.existing} + Accounts ${m1.accounts} (read all ${m1.accountsReadAll}, name lookups ${m1.accountNameLookups}) + Account upserts ${m1.accountUpserts} + record upserts ${m1.recordUpserts} (level-sorted packing: ${m1.recordUpsertsLevelSorted}) = ${m1.strict}; + package check ${m1.packageCheck} = ${m1.withPackageCheck}; + the run's record in the org ${m1.orgRun} = ${m1.withOrgRun}. QBO: OAuth ${s.minimum.first.qbo.oauth} + pages ${s.minimum.first.qbo.pages}.`, '')
    const m2 = s.minimum.second.salesforce
    out.push(`Minimum, again: QBO ${s.minimum.second.qbo.total} (token held, ${s.minimum.second.qbo.pages} pages); Salesforce OAuth ${m2.oauth} + existing ${m2.existing} + Accounts ${m2.accounts} (read all ${m2.accountsReadAll}, lookups ${m2.accountNameLookups}) = ${m2.strict} (+ check ${m2.withPackageCheck}; + the run's record ${m2.withOrgRun}).`, '')
    out.push(`Tally, first import: ${s.first.value.customers.created} created, ${s.first.value.customers.failed} failed, status ${s.first.value.status}; QBO ${ops(s.first.sandbox.qbo.byOperation)}; Salesforce ${ops(s.first.sandbox.salesforce.byOperation)}.`, '')
    out.push(`Tally, again: ${s.second.value.customers.unchanged} unchanged, ${s.second.value.customers.created + s.second.value.customers.updated} written; QBO ${ops(s.second.sandbox.qbo.byOperation)}; Salesforce ${ops(s.second.sandbox.salesforce.byOperation)}.`, '')
    if (s.naive) {
      const n = s.naive.value
      out.push(`Naive (jsforce, one lookup + one upsert per customer, concurrency ${n.concurrency}): ${n.upserted} upserted, ${n.failed} failed${n.firstError ? ` (first error: ${n.firstError.slice(0, 200)})` : ''}; QBO ${ops(s.naive.sandbox.qbo.byOperation)}; Salesforce ${ops(s.naive.sandbox.salesforce.byOperation)}; its own count: QBO ${n.calls.qbo}, Salesforce ${n.calls.salesforce}; peak RSS ${s.naive.rssDeltaMb} MB above baseline.`, '')
    }
  }
  return out.join('\n')
}
