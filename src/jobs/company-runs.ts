/**
 * @module jobs/company-runs
 * A run over several QuickBooks companies (contract §9): `tally import`/`sync` run every connected
 * company, one after another (each its own run, run lock and checkpoint, all sharing one Salesforce
 * sign-in and package check), or only the one `--company` names. The result adds up the companies'
 * summaries: top-level counts are totals and `companies` holds each company's part.
 */
import { randomUUID } from 'node:crypto'
import { AppError, describeError } from '../lib/errors.js'
import type { RunResult, RunSummary, SummaryError } from '../sync/run.js'
import { defaultRealm, isRunnable, nameQboConnection, NotConnectedError, qboCompanies } from './connections.js'
import { salesforceSession, type ProgressEvent, type RunRequest, type RunService } from './runs.js'
import type { Tally } from './tally.js'

/** One company's part of a multi-company summary (contract §9). */
export interface CompanySummary {
  realmId: string
  companyName: string | null
  runId: string | null
  status: RunSummary['status']
  read: RunSummary['read']
  customers: RunSummary['customers']
  links: RunSummary['links']
  accountsCreated: number
  goneFromQbo: number
  apiCalls: RunSummary['apiCalls']
  errors: SummaryError[]
  /** Why the company's run could not complete (status `failed`). */
  error?: string
}

export interface MultiSummary extends Omit<RunSummary, 'errors'> {
  /** Every company's errors, each naming its company. */
  errors: (SummaryError & { realmId: string })[]
  companies: CompanySummary[]
}

export type CompaniesOutcome =
  /** One company: exactly today's single-company result. */
  | { kind: 'single'; result: RunResult & { runId: string; realmId: string | null } }
  | { kind: 'multi'; summary: MultiSummary; results: Map<string, RunResult>; failures: { realmId: string; companyName: string | null; error: unknown }[] }

export class UnknownCompanyError extends AppError {
  constructor(realmId: string, known: string[]) {
    super(
      'qbo_unknown_company',
      `No QuickBooks company with realm id ${realmId} is connected${known.length > 0 ? ` (connected: ${known.join(', ')})` : ''}: check --company, or add the company on the Hub's Connections page.`,
    )
  }
}

const zeroCustomers = () => ({ seen: 0, created: 0, updated: 0, unchanged: 0, failed: 0 })
const zeroLinks = () => ({ matched: 0, created: 0, inherited: 0, manual: 0, unmapped: 0, ambiguous: 0, ignored: 0 })

/** The companies a run is for: the one `realmId` names, or every runnable company. */
export async function companiesToRun(t: Tally, realmId?: string): Promise<{ realmId: string; companyName: string | null }[]> {
  const all = await qboCompanies(t)
  if (realmId !== undefined) {
    const c = all.find((x) => x.company === realmId)
    if (!c) throw new UnknownCompanyError(realmId, all.map((x) => x.company))
    return [{ realmId, companyName: c.label }]
  }
  const runnable = all.filter(isRunnable)
  if (runnable.length <= 1) return runnable.map((c) => ({ realmId: c.company, companyName: c.label }))
  // Several companies are told apart by name: a company connected headless has none until its
  // CompanyInfo is read (once; the name is kept on the connection).
  const out: { realmId: string; companyName: string | null }[] = []
  for (const c of runnable) {
    const named = c.label && !c.label.startsWith('QuickBooks company ') ? c.label : await nameQboConnection(t, c.company).catch(() => c.label)
    out.push({ realmId: c.company, companyName: named })
  }
  return out
}

/**
 * Runs `req` for every company (or `realmId`'s). With one company (or none: the run then fails
 * as it always did, saying what to connect) the outcome is the single run's, unchanged.
 */
export async function runCompanies(
  t: Tally,
  runs: RunService,
  req: Omit<RunRequest, 'realmId'>,
  options: { realmId?: string; onProgress?: (e: ProgressEvent & { realmId: string | null }) => void } = {},
): Promise<CompaniesOutcome> {
  const companies = await companiesToRun(t, options.realmId)
  if (companies.length <= 1) {
    const realmId = companies[0]?.realmId ?? (await defaultRealm(t)) ?? undefined
    const result = await runs.execute({ ...req, ...(realmId ? { realmId } : {}) }, (e) => options.onProgress?.({ ...e, realmId: realmId ?? null }))
    return { kind: 'single', result }
  }
  const started = Date.now()
  const session = salesforceSession(t)
  const parts: CompanySummary[] = []
  const results = new Map<string, RunResult>()
  const failures: { realmId: string; companyName: string | null; error: unknown }[] = []
  let usage: RunSummary['salesforceApiUsage']
  for (const co of companies) {
    try {
      const r = await runs.execute({ ...req, realmId: co.realmId }, (e) => options.onProgress?.({ ...e, realmId: co.realmId }), session)
      results.set(co.realmId, r)
      const s = r.summary
      if (s.salesforceApiUsage) usage = s.salesforceApiUsage
      parts.push({
        realmId: co.realmId,
        companyName: co.companyName,
        runId: r.runId,
        status: s.status,
        read: s.read,
        customers: s.customers,
        links: s.links,
        accountsCreated: s.accountsCreated,
        goneFromQbo: s.goneFromQbo,
        apiCalls: s.apiCalls,
        errors: s.errors,
      })
    } catch (e) {
      // One company's failure (its grant was revoked, say) does not stop the others.
      failures.push({ realmId: co.realmId, companyName: co.companyName, error: e })
      const message = e instanceof AppError ? e.toText() : describeError(e)
      parts.push({
        realmId: co.realmId,
        companyName: co.companyName,
        runId: null,
        status: 'failed',
        read: req.mode === 'import' ? 'all' : 'changes',
        customers: zeroCustomers(),
        links: zeroLinks(),
        accountsCreated: 0,
        goneFromQbo: 0,
        apiCalls: { qbo: 0, salesforce: 0 },
        errors: [],
        error: message,
      })
      // Without Salesforce no company can run: the others would fail the same way.
      if (e instanceof NotConnectedError && e.code === 'salesforce_not_connected') break
    }
  }
  return { kind: 'multi', summary: addUp(req, parts, usage, Date.now() - started), results, failures }
}

function addUp(req: Omit<RunRequest, 'realmId'>, parts: CompanySummary[], usage: RunSummary['salesforceApiUsage'], durationMs: number): MultiSummary {
  const customers = zeroCustomers()
  const links = zeroLinks()
  const apiCalls = { qbo: 0, salesforce: 0 }
  let accountsCreated = 0
  let goneFromQbo = 0
  const errors: MultiSummary['errors'] = []
  for (const p of parts) {
    for (const k of Object.keys(customers) as (keyof typeof customers)[]) customers[k] += p.customers[k]
    for (const k of Object.keys(links) as (keyof typeof links)[]) links[k] += p.links[k]
    apiCalls.qbo += p.apiCalls.qbo
    apiCalls.salesforce += p.apiCalls.salesforce
    accountsCreated += p.accountsCreated
    goneFromQbo += p.goneFromQbo
    for (const e of p.errors) errors.push({ ...e, realmId: p.realmId })
  }
  const failed = parts.filter((p) => p.status === 'failed').length
  // Every company failed: the run failed. Some companies failed, or some records did: partial.
  const status: RunSummary['status'] = failed === parts.length ? 'failed' : failed > 0 || parts.some((p) => p.status === 'partial') ? 'partial' : 'succeeded'
  return {
    runId: randomUUID(),
    mode: req.mode,
    dryRun: req.dryRun ?? false,
    status,
    // A sync that read only changes in every company; `all` if any company read everything.
    read: parts.every((p) => p.read === 'changes') ? 'changes' : 'all',
    customers,
    links,
    accountsCreated,
    goneFromQbo,
    apiCalls,
    ...(usage ? { salesforceApiUsage: usage } : {}),
    durationMs,
    errors,
    companies: parts,
  }
}
