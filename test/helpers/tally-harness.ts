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
  /** Write operations the Salesforce sandbox received so far (a Composite request that wrote is
   * one), but for the run's own bookkeeping in the org (Tally_Run__c, Tally_Run_Error__c,
   * Tally_Settings__c: see orgRunWrites). */
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
      // A Composite request is a write when one of its subrequests wrote (the sandbox logs it so).
      const composites = sandbox.salesforce.emulator.writeRequests().filter((w) => w.operation === 'composite').length
      return all + composites - orgRunWrites()
    },
    orgRunWrites,
    async close() {
      await sandbox.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** What a run leaves in Salesforce, without Ids and timestamps: each record with its Account,
 * suggested Account and parent by name and key (Ids differ between two sandboxes), and the Accounts. */
export function orgSnapshot(h: Harness): { recs: string[]; accs: string[] } {
  const accounts = h.accounts()
  const byId = new Map(accounts.map((a) => [a['Id'], a]))
  const accountOf = (id: unknown) => {
    const a = byId.get(id)
    return a ? `${String(a['Name'])}|${String(a['QBO_Source_Key__c'] ?? '')}` : null
  }
  const records = h.records()
  const keyOf = new Map(records.map((r) => [r['Id'], r['QBO_Key__c']]))
  const recs = records
    .map((r) => {
      const { Id: _i, Last_Synced__c: _l, CreatedDate: _c, LastModifiedDate: _m, SystemModstamp: _s, CreatedById: _cb, LastModifiedById: _mb, OwnerId: _o, Account__c, Parent_Customer__c, Suggested_Account__c, ...rest } = r
      return JSON.stringify({ ...rest, account: accountOf(Account__c), suggested: accountOf(Suggested_Account__c), parent: Parent_Customer__c ? keyOf.get(Parent_Customer__c) : null })
    })
    .sort()
  const accs = accounts.map((a) => `${String(a['Name'])}|${String(a['QBO_Source_Key__c'] ?? '')}`).sort()
  return { recs, accs }
}

/** Creates a customer through the QBO API, as QuickBooks would. */
export async function qboCreate(h: Harness, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 200) throw new Error(`QBO create: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { Customer: Record<string, unknown> }).Customer
}
