/**
 * A fresh Tally against a fresh sandbox, in-process: the sandbox on random ports, a temporary
 * SQLite file, and the `tally` CLI run through its entry function with captured output.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../emulators/sandbox.js'
import { runCli } from '../../src/cli/index.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json<T = Record<string, unknown>>(): T
}

export interface Harness {
  sandbox: Sandbox
  dir: string
  env: Record<string, string>
  tally(...args: string[]): Promise<CliRun>
  /** Records of QBO_Customer__c in the Salesforce sandbox. */
  records(): Record<string, unknown>[]
  accounts(): Record<string, unknown>[]
  /** Write operations the Salesforce sandbox received so far, but for the run's own bookkeeping
   * in the org (Tally_Run__c, Tally_Run_Error__c, Tally_Settings__c: see orgRunWrites). */
  sfWrites(): number
  /** Requests that wrote only Tally's bookkeeping objects (runs, run errors, settings). */
  orgRunWrites(): number
  close(): Promise<void>
}

const BOOKKEEPING = new Set(['Tally_Run__c', 'Tally_Run_Error__c', 'Tally_Settings__c'])

export async function startHarness(o: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox(o)
  const orgRunWrites = () => sandbox.salesforce.emulator.writeRequests().filter((w) => w.objects.every((x) => BOOKKEEPING.has(x))).length
  const dir = mkdtempSync(join(tmpdir(), 'tally-test-'))
  const env = { ...sandbox.env(), TALLY_DB: join(dir, 'tally.db') }
  return {
    sandbox,
    dir,
    env,
    async tally(...args) {
      let stdout = ''
      let stderr = ''
      const code = await runCli(args, {
        env,
        cwd: dir,
        stdout: (s) => void (stdout += s),
        stderr: (s) => void (stderr += s),
        stderrIsTty: false,
        stopSignal: new AbortController().signal,
      })
      return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }
    },
    records: () => sandbox.salesforce.emulator.list('QBO_Customer__c'),
    accounts: () => sandbox.salesforce.emulator.list('Account'),
    sfWrites() {
      const by = sandbox.salesforce.emulator.stats.toJSON().byOperation
      const all = Object.entries(by)
        .filter(([op]) => /upsert|create|update|delete|patch|insert/i.test(op))
        .reduce((n, [, v]) => n + v, 0)
      return all - orgRunWrites()
    },
    orgRunWrites,
    async close() {
      await sandbox.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
