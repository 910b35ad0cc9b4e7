/**
 * @module bench/sync.bench
 * `npm run bench:sync`: the cost of a `tally sync` of one change (a customer's Notes edited in QBO)
 * at each size, against the in-process sandbox (generated data, seed 7): Salesforce and QBO calls
 * and wall time. Before it: an import, then a first sync (which rereads what the import wrote), and
 * the checkpoint set to now, as when the last sync ran more than the checkpoint's minute of overlap
 * after the import. Prints a markdown table.
 *
 * Flags: --sizes 10000,100000 · --latency-ms 50
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runCli } from '../src/cli/index.js'
import { startSandbox } from '../emulators/sandbox.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000' }, 'latency-ms': { type: 'string', default: '50' } } })
const sizes = values.sizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0)
const latencyMs = Number(values['latency-ms'])
const log = (s: string) => process.stderr.write(`${s}\n`)

interface Summary { read: string; customers: Record<string, number>; apiCalls: { qbo: number; salesforce: number } }

async function benchSize(size: number) {
  const sb = await startSandbox({ generate: size, randomSeed: 7, latencyMs })
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-sync-'))
  const env = { ...sb.env(), TALLY_DB: join(dir, 'tally.db') }
  const tally = async (...args: string[]): Promise<Summary> => {
    let stdout = ''
    let stderr = ''
    const code = await runCli(args, { env, cwd: dir, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), stderrIsTty: false, stopSignal: new AbortController().signal })
    if (code !== 0) throw new Error(`tally ${args[0]} exited ${code}: ${stderr.slice(0, 2000)}`)
    return JSON.parse(stdout) as Summary
  }
  try {
    log(`— ${size} customers: import…`)
    // The change right after the import: its own writes are not read back (sync/read-changed).
    await tally('import', '--json')
    const parents = new Set(sb.qbo.emulator.customers().map((x) => (x['ParentRef'] as { value?: string } | undefined)?.value))
    const c = sb.qbo.emulator.customers().find((x) => x['Job'] !== true && x['Active'] !== false && !parents.has(String(x['Id'])))
    if (!c) throw new Error('no top-level customer')
    // The edit through QBO's API (a sparse update).
    const res = await fetch(`${sb.qbo.url}/v3/company/${sb.qbo.emulator.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: 'one change' }),
    })
    if (res.status !== 200) throw new Error(`QBO update: ${res.status}`)
    sb.salesforce.emulator.stats.reset()
    const t0 = performance.now()
    const s = await tally('sync', '--json')
    const wallMs = Math.round(performance.now() - t0)
    const stats = sb.salesforce.emulator.stats.toJSON()
    return { size, read: s.read, updated: s.customers['updated'] ?? 0, salesforce: s.apiCalls.salesforce, qbo: s.apiCalls.qbo, sandboxSalesforce: stats.requests, byOperation: stats.byOperation, wallMs }
  } finally {
    await sb.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows = []
for (const size of sizes) rows.push(await benchSize(size))
const out = ['| customers | read | updated | Salesforce calls | QBO calls | time |', '|--:|:-:|--:|--:|--:|--:|']
for (const r of rows) out.push(`| ${r.size.toLocaleString('en-US')} | ${r.read} | ${r.updated} | ${r.salesforce} | ${r.qbo} | ${(r.wallMs / 1000).toFixed(2)} s |`)
process.stdout.write(`${out.join('\n')}\n`)
// What the sandbox received, by operation (OAuth included): where the Salesforce calls go.
for (const r of rows) {
  const ops = Object.entries(r.byOperation).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`)
  process.stdout.write(`\n${r.size.toLocaleString('en-US')} customers, Salesforce calls by operation (${r.sandboxSalesforce}): ${ops.join(', ')}\n`)
}
