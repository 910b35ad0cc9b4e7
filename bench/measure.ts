/**
 * @module bench/measure
 * How one run is measured: wall time, resident memory, and the calls each emulator received (its
 * `/__sandbox/stats` counters, OAuth included).
 *
 * Two ways. `tallyProcess` (what `npm run bench` uses) runs `tally` as its own child process,
 * `node --max-semi-space-size=8 -- bin/tally.js …` (the options of its `#!` line), and reads that process's peak resident set (`VmHWM` of
 * `/proc/<pid>/status`, proc(5)), so the figure is Tally's alone while the sandbox answers from the
 * bench's process. `measure` + `tallyAgainst` run Tally in-process through its CLI entry, as the
 * test harness does, with the process's RSS sampled every 50 ms (sandbox included); the companies
 * bench and the naive baseline use them.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Sandbox } from '../emulators/sandbox.js'
import { runCli } from '../src/cli/index.js'

export interface Calls {
  requests: number
  byOperation: Record<string, number>
}

export interface Measured<T> {
  value: T
  wallMs: number
  rssBaselineMb: number
  rssPeakMb: number
  /** Peak minus the level just before the run. */
  rssDeltaMb: number
  /** What each emulator received during the run. */
  sandbox: { qbo: Calls; salesforce: Calls }
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10

/** Runs `fn` with the sandbox's counters reset first, sampling RSS every 50 ms. */
export async function measure<T>(sandbox: Sandbox, fn: () => Promise<T>): Promise<Measured<T>> {
  sandbox.qbo.emulator.stats.reset()
  sandbox.salesforce.emulator.stats.reset()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const t0 = performance.now()
  try {
    const value = await fn()
    const wallMs = Math.round(performance.now() - t0)
    peak = Math.max(peak, process.memoryUsage().rss)
    return {
      value,
      wallMs,
      rssBaselineMb: mb(baseline),
      rssPeakMb: mb(peak),
      rssDeltaMb: mb(peak - baseline),
      sandbox: { qbo: sandbox.qbo.emulator.stats.toJSON(), salesforce: sandbox.salesforce.emulator.stats.toJSON() },
    }
  } finally {
    clearInterval(timer)
  }
}

/** The part of `tally import --json`'s summary (contract §6) the bench reads. */
export interface ImportSummary {
  status: string
  customers: { seen: number; created: number; updated: number; unchanged: number; failed: number }
  links: Record<string, number>
  accountsCreated: number
  apiCalls: { qbo: number; salesforce: number }
  durationMs: number
}

/** An import's or a sync's summary: a sync says whether it read the changes or every customer. */
export interface RunSummary extends ImportSummary {
  read?: 'changes' | 'all'
}

/** A Tally home (temporary SQLite database) bound to one sandbox; `import` runs the CLI entry. */
export function tallyAgainst(sandbox: Sandbox): { import(): Promise<ImportSummary>; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'))
  const env = { ...sandbox.env(), TALLY_DB: join(dir, 'tally.db') }
  return {
    async import() {
      let stdout = ''
      let stderr = ''
      const code = await runCli(['import', '--json', '--create-accounts'], {
        env,
        cwd: dir,
        stdout: (s) => void (stdout += s),
        stderr: (s) => void (stderr += s),
        stderrIsTty: false,
        stopSignal: new AbortController().signal,
      })
      if (code !== 0) throw new Error(`tally import exited ${code}: ${stderr.slice(0, 2000)}`)
      return JSON.parse(stdout) as ImportSummary
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The repository's `bin/tally.js`, so the child runs from a temporary directory. */
const TALLY_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'tally.js')

/** The options `tally` gives Node on its `#!` line (`--max-semi-space-size`), so the child runs as
 * `tally` does; the bench spawns Node itself to read the child's own memory. */
export const TALLY_NODE_OPTIONS: readonly string[] = (() => {
  const line = readFileSync(TALLY_BIN, 'utf8').split('\n')[0] ?? ''
  const m = /^#!\/usr\/bin\/env -S node((?: --?[\w-]+(?:=\S+)?)*?) --$/.exec(line)
  if (!m) throw new Error(`bin/tally.js: an unexpected first line: ${line}`)
  return (m[1] ?? '').trim().split(/\s+/).filter(Boolean)
})()

/** Tally's own record-keeping objects in the org (contract §12), left out of "writes". */
const BOOKKEEPING = new Set(['Tally_Run__c', 'Tally_Run_Error__c', 'Tally_Settings__c'])

/** One `tally` child process, measured. */
export interface ProcessRun<T> {
  value: T
  wallMs: number
  /** Peak resident set of the tally process (VmHWM), MB; null where /proc is not there. */
  rssPeakMb: number | null
  /** What each emulator received during the run. */
  sandbox: { qbo: Calls; salesforce: Calls }
  /** REST requests that changed records other than Tally's bookkeeping (runs, run errors,
   * settings), from the emulator's write log, and the Bulk API 2.0 ingest jobs whose processing
   * changed such records (the log has one entry per processed chunk; counted here per job run). */
  salesforceWrites: { requests: number; ingestJobs: number }
}

/** The peak resident set so far of a live process, in kB, or undefined once it is gone (a zombie's
 * status has no VmHWM line). VmHWM only grows, so the last value read is the peak up to then. */
export function readVmHwmKb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

/** The environment of the child: the sandbox's variables and TALLY_DB, and only what Node itself
 * needs from the bench's own environment (so no proxy, DATABASE_URL or Tally variable of the shell
 * reaches it). */
function childEnv(sandbox: Sandbox, db: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const v = process.env[k]
    if (v !== undefined) env[k] = v
  }
  return { ...env, ...sandbox.env(), TALLY_DB: db }
}

/** Spawns `node <TALLY_NODE_OPTIONS> -- bin/tally.js ARGS`, polling its VmHWM every 25 ms until it exits. */
export function spawnTally(args: readonly string[], o: { cwd: string; env: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string; wallMs: number; rssPeakKb: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [...TALLY_NODE_OPTIONS, '--', TALLY_BIN, ...args], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let peak: number | null = null
    const poll = () => {
      if (child.pid === undefined) return
      const kb = readVmHwmKb(child.pid)
      if (kb !== undefined) peak = kb
    }
    poll()
    const timer = setInterval(poll, 25)
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => {
      clearInterval(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearInterval(timer)
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: Math.round(performance.now() - t0),
        rssPeakKb: peak,
      })
    })
  })
}

/** A Tally home (temporary directory and SQLite database) bound to one sandbox, whose runs are
 * `tally` child processes measured by `run`. */
export function tallyProcess(sandbox: Sandbox): {
  db: string
  run<T>(args: readonly string[]): Promise<ProcessRun<T>>
  close(): void
} {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'))
  const db = join(dir, 'tally.db')
  const env = childEnv(sandbox, db)
  return {
    db,
    async run<T>(args: readonly string[]): Promise<ProcessRun<T>> {
      sandbox.qbo.emulator.stats.reset()
      sandbox.salesforce.emulator.stats.reset()
      const r = await spawnTally(args, { cwd: dir, env })
      if (r.code !== 0) throw new Error(`tally ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`)
      const data = sandbox.salesforce.emulator.writeRequests().filter((w) => !w.objects.every((x) => BOOKKEEPING.has(x)))
      const bulkWrote = data.some((w) => w.operation === 'bulk2.ingest.process')
      const writes = {
        requests: data.filter((w) => w.operation !== 'bulk2.ingest.process').length,
        ingestJobs: bulkWrote ? (sandbox.salesforce.emulator.stats.byOperation['bulk2.ingest.create'] ?? 0) : 0,
      }
      return {
        value: JSON.parse(r.stdout) as T,
        wallMs: r.wallMs,
        rssPeakMb: r.rssPeakKb === null ? null : Math.round((r.rssPeakKb / 1024) * 10) / 10,
        sandbox: { qbo: sandbox.qbo.emulator.stats.toJSON(), salesforce: sandbox.salesforce.emulator.stats.toJSON() },
        salesforceWrites: writes,
      }
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  }
}
