/**
 * @module bench/autosync.bench
 * `npm run bench:autosync`: how long a change made in QuickBooks takes to reach Salesforce with
 * automatic sync (contract §11, issue 10's goal: median under 2 s by webhook). A generated company
 * (10,000 customers by default) in the in-process sandbox with latency per request, imported once,
 * then `tally start` (not demo mode: the sandbox's connection variables) with the sandbox's webhooks
 * posting to the Hub; 20 changes, one after another, each made through the QBO API (a sparse
 * update of Notes) and timed until the record in Salesforce has it. Then the same with webhooks off,
 * the sweep alone (every `--interval` seconds). The changes start a minute after the import (see below). Prints a markdown table; writes
 * bench/results/autosync.{md,json}.
 *
 * Flags: --size 10000 · --changes 20 · --latency-ms 50 · --interval 10
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSandbox } from '../emulators/sandbox.js'
import { runCli } from '../src/cli/index.js'
import { freePort } from '../test/helpers/e2e-system.js'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    changes: { type: 'string', default: '20' },
    'latency-ms': { type: 'string', default: '50' },
    interval: { type: 'string', default: '10' },
  },
})
const size = Number(values.size)
const changes = Number(values.changes)
const latencyMs = Number(values['latency-ms'])
const interval = Number(values.interval)
const log = (s: string) => process.stderr.write(`${s}\n`)

const sb = await startSandbox({ generate: size, randomSeed: 7, latencyMs })
const dir = mkdtempSync(join(tmpdir(), 'tally-bench-autosync-'))
const env = { ...sb.env(), TALLY_DB: join(dir, 'tally.db'), TALLY_SYNC_INTERVAL: String(interval), TALLY_ADMIN_PASSWORD: 'bench-password' }
const io = (out: (s: string) => void, stop = new AbortController().signal) => ({ env, cwd: dir, stdout: out, stderr: (s: string) => void process.stderr.write(s), stderrIsTty: false, stopSignal: stop })

log(`— ${size} customers, latency ${latencyMs} ms: importing…`)
let out = ''
if ((await runCli(['import', '--json', '--create-accounts'], io((s) => void (out += s)))) !== 0) throw new Error(`import failed: ${out}`)

const port = await freePort()
const stop = new AbortController()
let startOut = ''
const started = runCli(['start', '--port', String(port)], io((s) => void (startOut += s), stop.signal))
while (!/Sign in as admin/.test(startOut)) await new Promise((r) => setTimeout(r, 50))
const hubUrl = /Tally Hub: (\S+)/.exec(startOut)?.[1] ?? `http://127.0.0.1:${port}`

const realm = sb.qbo.emulator.realmId
const token = sb.qbo.emulator.issueTokens(realm).access_token
const targets = sb.qbo.emulator.customers(realm).filter((c) => c['Active'] !== false).slice(0, changes * 2)
// Record Ids by key, read once after the import: listing 100,000 records on every poll would hold
// the event loop the sandbox and the Hub share with this bench.
const idByKey = new Map(sb.salesforce.emulator.list('QBO_Customer__c').map((r) => [String(r['QBO_Key__c']), String(r['Id'])]))
const record = (id: string) => {
  const sfId = idByKey.get(`${realm}-${id}`)
  return sfId ? sb.salesforce.emulator.get('QBO_Customer__c', sfId) : undefined
}

async function change(c: Record<string, unknown>, note: string): Promise<number> {
  const current = sb.qbo.emulator.customer(String(c['Id']), realm)
  const res = await fetch(`${sb.qbo.url}/v3/company/${realm}/customer?minorversion=75`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ Id: c['Id'], SyncToken: current?.['SyncToken'], sparse: true, Notes: note }),
  })
  if (!res.ok) throw new Error(`QBO update: ${res.status} ${await res.text()}`)
  const t0 = performance.now()
  for (;;) {
    if (record(String(c['Id']))?.['Notes__c'] === note) return performance.now() - t0
    if (performance.now() - t0 > 10 * interval * 1000 + 60_000) throw new Error(`the change of ${String(c['Id'])} never arrived`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b)
  const median = s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2
  return { median: Math.round(median), worst: Math.round(s[s.length - 1] as number), best: Math.round(s[0] as number) }
}

// Steady state: a sync reads again what changed in the org since its checkpoint, with a minute of
// overlap for clock skew — within a minute of the import that is every record the import wrote.
// The changes start past that minute (the first sweep at start has finished by then too).
await new Promise((r) => setTimeout(r, 65_000))
sb.setWebhookUrl(`${hubUrl}/webhooks/qbo`)
log(`  ${changes} changes with webhooks…`)
const byWebhook: number[] = []
for (let i = 0; i < changes; i++) byWebhook.push(await change(targets[i] as Record<string, unknown>, `webhook change ${i}`))
sb.setWebhookUrl(null)
log(`  ${changes} changes with the sweep alone (every ${interval} s)…`)
const bySweep: number[] = []
for (let i = 0; i < changes; i++) bySweep.push(await change(targets[changes + i] as Record<string, unknown>, `sweep change ${i}`))
stop.abort()
await started
await sb.close()
rmSync(dir, { recursive: true, force: true })

const w = stats(byWebhook)
const s = stats(bySweep)
const md = [
  `Automatic sync, ${size} customers, sandbox latency ${latencyMs} ms per request, ${changes} changes one after another; time from QuickBooks' answer to the update until the record in Salesforce has it.`,
  '',
  '| trigger | median | worst | best |',
  '|---|--:|--:|--:|',
  `| webhook | ${(w.median / 1000).toFixed(2)} s | ${(w.worst / 1000).toFixed(2)} s | ${(w.best / 1000).toFixed(2)} s |`,
  `| sweep alone, every ${interval} s | ${(s.median / 1000).toFixed(2)} s | ${(s.worst / 1000).toFixed(2)} s | ${(s.best / 1000).toFixed(2)} s |`,
  '',
].join('\n')
process.stdout.write(md)
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results')
mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'autosync.md'), md)
writeFileSync(join(outDir, 'autosync.json'), JSON.stringify({ size, changes, latencyMs, interval, byWebhook, bySweep }, null, 2))
