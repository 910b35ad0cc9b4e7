/**
 * @module bench/measure
 * How one run is measured: wall time, resident memory sampled every 50 ms (peak and peak above
 * the level just before the run), and the calls each emulator received (its `/__sandbox/stats`
 * counters, OAuth included). Tally runs through its CLI entry exactly as the test harness does.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
