/**
 * @module test/helpers/e2e-system
 * The real system for the end-to-end tests: `tally start` run in-process through `runCli` in demo
 * mode (a fresh temp dir, no QBO_/SF_ variables, so it starts the sandbox with the sample company
 * and connects to it), plus plain-HTTP clients of the sandbox's QuickBooks and Salesforce APIs to
 * check and change data behind the Hub's back, exactly as an admin or another system would.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { runCli } from '../../src/cli/index.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SF_API = '/services/data/v62.0'

export interface E2eSystem {
  hubUrl: string
  qboUrl: string
  sfUrl: string
  password: string
  realmId: string
  /** Everything `tally start` printed on stdout. */
  stdout: string
  dir: string
  sf: SalesforceApi
  qbo: QboApi
  /** Reads Tally's own SQLite store (demo mode keeps it in `<cwd>/data/demo/tally.db`). */
  storeQuery<T>(sql: string, ...params: unknown[]): T[]
  stop(): Promise<number>
}

/** A port the OS just gave out. `tally start --port 0` cannot be used from a browser (see
 * test/e2e/known-bugs.test.ts), so the system gets a concrete free port; a lost race is retried. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** The Hub serves web/dist: build it when it is missing or older than web/src (one worker at a
 * time, under a lock directory, since both vitest workers may get here together). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(ROOT, 'web/dist/index.html')
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'web/src'))
  if (fresh()) return
  const lock = join(tmpdir(), 'tally-e2e-web-build.lock')
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (i > 600) throw new Error(`Stale lock ${lock}: remove it and run the tests again.`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    if (fresh()) return
    // A production build, as `npm run build:web` makes (vitest sets NODE_ENV=test, which would
    // give React's development build and StrictMode's doubled effects).
    const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } })
    if (r.status !== 0) throw new Error(`npm run build:web failed:\n${r.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** Starts `tally start --port <free port>` in demo mode and waits for its three lines. */
/** `autoSync`: run the demo's automatic sync (contract §11). Off by default: the other flows'
 * tests change QuickBooks behind the Hub's back and look at what a person's Start Import does. */
export async function startSystem(o: { port?: number; env?: Record<string, string>; companies?: number; autoSync?: boolean } = {}): Promise<E2eSystem> {
  await ensureWebBuilt()
  for (let attempt = 0; ; attempt++) {
    const port = o.port ?? (await freePort())
    const dir = mkdtempSync(join(tmpdir(), 'tally-e2e-'))
    const stop = new AbortController()
    let stdout = ''
    let stderr = ''
    const exited = runCli(['start', '--port', String(port), ...(o.companies ? ['--demo-companies', String(o.companies)] : []), ...(o.autoSync ? [] : ['--no-auto-sync'])], {
      env: { ...o.env },
      cwd: dir,
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      stderrIsTty: false,
      stopSignal: stop.signal,
    })
    let code: number | undefined
    void exited.then((c) => (code = c))
    while (code === undefined && !/Sign in as admin/.test(stdout)) await new Promise((r) => setTimeout(r, 25))
    if (code !== undefined) {
      rmSync(dir, { recursive: true, force: true })
      if (/in use/.test(stderr) && attempt < 3 && o.port === undefined) continue
      throw new Error(`tally start exited with ${code}: ${stderr}`)
    }
    const hubUrl = match(stdout, /^Tally Hub: (\S+)$/m)
    const demo = /QuickBooks (\S+), Salesforce (\S+)\)\./.exec(stdout)
    if (!demo?.[1] || !demo[2]) throw new Error(`tally start did not print demo mode: ${stdout}`)
    const qbo = await qboApi(demo[1])
    const dbFile = join(dir, 'data/demo/tally.db')
    return {
      hubUrl,
      qboUrl: demo[1],
      sfUrl: demo[2],
      password: match(stdout, /^Sign in as admin with password: (\S+)$/m),
      realmId: qbo.realmId,
      stdout,
      dir,
      sf: salesforceApi(demo[2]),
      qbo,
      storeQuery<T>(sql: string, ...params: unknown[]) {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true })
        try {
          return db.prepare(sql).all(...params) as T[]
        } finally {
          db.close()
        }
      },
      async stop() {
        stop.abort()
        const c = await exited
        rmSync(dir, { recursive: true, force: true })
        return c
      },
    }
  }
}

function match(text: string, re: RegExp): string {
  const m = re.exec(text)
  if (!m?.[1]) throw new Error(`Expected ${re} in:\n${text}`)
  return m[1]
}

async function ok(res: Response, what: string): Promise<unknown> {
  const text = await res.text()
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text}`)
  return text === '' ? null : (JSON.parse(text) as unknown)
}

export type SfRecord = Record<string, unknown> & { Id: string }

export interface SalesforceApi {
  query<T = SfRecord>(soql: string): Promise<T[]>
  patch(sobject: string, id: string, body: Record<string, unknown>): Promise<void>
  /** Creates one record; returns its Id. */
  create(sobject: string, body: Record<string, unknown>): Promise<string>
  /** Write requests the sandbox has received (its own `/__sandbox/stats`). */
  writes(): Promise<number>
  setValidationRules(rules: { object: string; field: string; pattern: string; message: string }[]): Promise<void>
}

/** The Salesforce sandbox as any API client sees it: a client-credentials token, then REST.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm */
export function salesforceApi(sfUrl: string): SalesforceApi {
  let token: string | null = null
  const auth = async () => {
    if (token) return token
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-sf-client-id', client_secret: 'sandbox-sf-client-secret' })
    const r = (await ok(await fetch(`${sfUrl}/services/oauth2/token`, { method: 'POST', body }), 'Salesforce token')) as { access_token: string }
    token = r.access_token
    return token
  }
  const headers = async () => ({ Authorization: `Bearer ${await auth()}`, 'Content-Type': 'application/json' })
  return {
    async query<T>(soql: string) {
      const out: T[] = []
      let next: string | null = `${SF_API}/query?q=${encodeURIComponent(soql)}`
      while (next) {
        const page = (await ok(await fetch(`${sfUrl}${next}`, { headers: await headers() }), `SOQL ${soql}`)) as { records: T[]; nextRecordsUrl?: string }
        out.push(...page.records)
        next = page.nextRecordsUrl ?? null
      }
      return out
    },
    async patch(sobject, id, body) {
      await ok(await fetch(`${sfUrl}${SF_API}/sobjects/${sobject}/${id}`, { method: 'PATCH', headers: await headers(), body: JSON.stringify(body) }), `PATCH ${sobject}/${id}`)
    },
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
    async create(sobject, body) {
      const r = (await ok(await fetch(`${sfUrl}${SF_API}/sobjects/${sobject}`, { method: 'POST', headers: await headers(), body: JSON.stringify(body) }), `POST ${sobject}`)) as { id: string }
      return r.id
    },
    async writes() {
      const stats = (await ok(await fetch(`${sfUrl}/__sandbox/stats`), 'Salesforce sandbox stats')) as { byOperation: Record<string, number> }
      // A Composite request is a write when one of its subrequests wrote (the sandbox's write log).
      const log = (await ok(await fetch(`${sfUrl}/__sandbox/writes`), 'Salesforce sandbox writes')) as { writes: { operation: string }[] }
      const composites = log.writes.filter((w) => w.operation === 'composite').length
      return composites + Object.entries(stats.byOperation)
        .filter(([op]) => /patch|update|upsert|create|insert|delete/i.test(op))
        .reduce((n, [, v]) => n + v, 0)
    },
    async setValidationRules(rules) {
      await ok(await fetch(`${sfUrl}/__sandbox/validation-rules`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rules) }), 'validation rules')
    },
  }
}

export type QboCustomer = Record<string, unknown> & { Id: string; SyncToken: string; DisplayName: string }

export interface QboApi {
  realmId: string
  /** Every customer, active or not (QBO hides inactive ones from plain queries). */
  customers(): Promise<QboCustomer[]>
  /** A sparse update: only the given fields change (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#sparse-update-a-customer). */
  update(id: string, fields: Record<string, unknown>): Promise<QboCustomer>
  /** Creates a customer (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#create-a-customer). */
  create(fields: Record<string, unknown>): Promise<QboCustomer>
  /** Extra latency on every API request, to watch a run's progress. */
  setLatency(ms: number): Promise<void>
}

/** The QBO sandbox over the Accounting API v3, with a token from the sandbox's own shortcut. */
export async function qboApi(qboUrl: string): Promise<QboApi> {
  const t = (await ok(await fetch(`${qboUrl}/__sandbox/tokens`, { method: 'POST' }), 'QBO sandbox tokens')) as { realmId: string; access_token: string }
  const base = `${qboUrl}/v3/company/${t.realmId}`
  const headers = { Authorization: `Bearer ${t.access_token}`, Accept: 'application/json', 'Content-Type': 'application/json' }
  const read = async (id: string) =>
    ((await ok(await fetch(`${base}/customer/${id}?minorversion=75`, { headers }), `QBO customer ${id}`)) as { Customer: QboCustomer }).Customer
  return {
    realmId: t.realmId,
    async customers() {
      const q = encodeURIComponent('select * from Customer where Active IN (true, false) startposition 1 maxresults 1000')
      const r = (await ok(await fetch(`${base}/query?query=${q}&minorversion=75`, { headers }), 'QBO query')) as { QueryResponse: { Customer?: QboCustomer[] } }
      return r.QueryResponse.Customer ?? []
    },
    async update(id, fields) {
      const current = await read(id)
      const body = JSON.stringify({ Id: id, SyncToken: current.SyncToken, sparse: true, ...fields })
      return ((await ok(await fetch(`${base}/customer?minorversion=75`, { method: 'POST', headers, body }), `QBO update ${id}`)) as { Customer: QboCustomer }).Customer
    },
    async create(fields) {
      return ((await ok(await fetch(`${base}/customer?minorversion=75`, { method: 'POST', headers, body: JSON.stringify(fields) }), 'QBO create')) as { Customer: QboCustomer }).Customer
    },
    async setLatency(ms) {
      await ok(await fetch(`${qboUrl}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ latencyMs: ms }) }), 'QBO latency')
    },
  }
}

export interface HubApi {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  /** Starts an import through the API and waits for it to end; returns the run. */
  runImport(): Promise<{ status: string; error: string | null }>
}

/** The Hub's own API, signed in as admin, as the page calls it (session cookie, CSRF token and
 * the Hub's origin). For checks a page cannot express; the flows themselves go through Chromium. */
export async function hubApi(sys: E2eSystem): Promise<HubApi> {
  const login = await fetch(`${sys.hubUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: sys.hubUrl },
    body: JSON.stringify({ username: 'admin', password: sys.password }),
  })
  const { csrfToken } = (await ok(login, 'Hub sign-in')) as { csrfToken: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: sys.hubUrl, 'Content-Type': 'application/json' }
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const r = await fetch(`${sys.hubUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await r.text()
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T }
  }
  return {
    call,
    async runImport() {
      const started = await call<{ runId: string }>('POST', '/api/runs', {})
      if (started.status !== 202) throw new Error(`POST /api/runs: ${started.status} ${JSON.stringify(started.body)}`)
      for (;;) {
        const run = await call<{ status: string; error: string | null }>('GET', `/api/runs/${started.body.runId}`)
        if (run.body.status !== 'running') return run.body
        await new Promise((r) => setTimeout(r, 50))
      }
    },
  }
}
