/**
 * @module jobs/alerts/report
 * What each outcome means for the alerts (contract §11), in one place: a run that failed raises
 * `run-failed` — or, when a vendor refused Tally's authorization, the reconnect problem of that
 * connection instead (the cause, said once); a run whose records failed raises `records-failed`;
 * a run that completed resolves what it proves is over. A connection that works again resolves
 * its reconnect problem.
 */
import { AppError, describeError } from '../../lib/errors.js'
import { QboAuthError } from '../../qbo/index.js'
import { SalesforceAuthError } from '../../salesforce/index.js'
import type { RunSummary } from '../../sync/run.js'
import { reconnectQbo, reconnectSalesforce, recordsFailed, runFailed, type AlertSink, type Company } from './problem.js'

/** How many failed records an alert names (the Hub lists them all). */
const EXAMPLES = 3

/** The vendor's own reason, short: `invalid_grant`, or the error's code. */
function reason(e: AppError): string {
  const code = e instanceof SalesforceAuthError ? e.errorCode : e.code
  return code && !/\s/.test(code) ? code.replace(/^salesforce\./, '') : 'authorization refused'
}

/**
 * A run finished (succeeded or partial): its summary says which problems it ended or started.
 * `refusedRecords`: the company's records still held refused in the store — a sync that read
 * only changes did not see them, so its clean summary does not mean they recovered.
 */
export async function reportRunFinished(sink: AlertSink | undefined, company: Company & { realmId: string }, summary: RunSummary, refusedRecords: () => Promise<number>): Promise<void> {
  // A dry run writes nothing: it proves little about records, and a person watches it anyway.
  if (!sink || summary.dryRun) return
  // The run completed: both vendors answered with the grants Tally holds.
  await sink.resolve('run-failed', company)
  await sink.resolve('reconnect-qbo', company)
  await sink.resolve('reconnect-salesforce', { realmId: null })
  const errors = summary.errors.filter((e) => e.level === 'error')
  const failed = Math.max(summary.customers.failed, new Set(errors.map((e) => e.qboId)).size)
  if (summary.status === 'partial' && failed > 0) {
    const seen = new Set<string>()
    const examples: string[] = []
    for (const e of errors) {
      if (seen.has(e.qboId) || examples.length >= EXAMPLES) continue
      seen.add(e.qboId)
      examples.push(`${e.displayName}: ${e.field ? `${e.field} ` : ''}${e.code}`)
    }
    await sink.raise(recordsFailed(company, failed, examples))
  } else if (summary.read === 'all' || (await refusedRecords()) === 0) {
    await sink.resolve('records-failed', company)
  }
}

/** A run could not complete. `notConnected`: a connection was never made or a person disconnected
 * it — the run's own answer says so, nothing is alerted. */
export async function reportRunFailed(sink: AlertSink | undefined, company: Company & { realmId: string }, error: unknown, o: { dryRun: boolean; notConnected: boolean }): Promise<void> {
  if (!sink || o.dryRun || o.notConnected) return
  // invalid_client is the app's own credentials (configuration), not a grant to reconnect.
  if (error instanceof QboAuthError && error.code !== 'invalid_client') return sink.raise(reconnectQbo(company, reason(error)))
  if (error instanceof SalesforceAuthError) return sink.raise(reconnectSalesforce(reason(error)))
  await sink.raise(runFailed(company, error instanceof AppError ? error.toText() : describeError(error)))
}

/** A call with a connection failed or worked (outside runs: connecting, naming a company). */
export async function reportConnection(sink: AlertSink | undefined, company: Company, error: unknown | null): Promise<void> {
  if (!sink) return
  if (error === null) {
    await sink.resolve(company.realmId === null ? 'reconnect-salesforce' : 'reconnect-qbo', company)
    return
  }
  if (error instanceof QboAuthError && error.code !== 'invalid_client' && company.realmId !== null) await sink.raise(reconnectQbo({ ...company, realmId: company.realmId }, reason(error)))
  else if (error instanceof SalesforceAuthError) await sink.raise(reconnectSalesforce(reason(error)))
}
