/**
 * @module cli/summary
 * The readable summary printed after a run (without --json), and the dry-run plan listing.
 */
import type { Plan } from '../sync/plan.js'
import type { RunSummary } from '../sync/run.js'

export function formatSummary(s: RunSummary): string {
  const c = s.customers
  const l = s.links
  const head = s.dryRun ? 'Dry run — nothing was written to Salesforce.' : `${s.mode === 'import' ? 'Import' : 'Sync'} ${s.status}.`
  const lines = [
    head,
    `Customers: ${c.seen} seen, ${c.created} ${s.dryRun ? 'to create' : 'created'}, ${c.updated} ${s.dryRun ? 'to update' : 'updated'}, ${c.unchanged} unchanged, ${c.failed} failed.`,
    `Links: ${l.matched} matched, ${l.created} to new Accounts, ${l.inherited} inherited, ${l.manual} manual, ${l.unmapped} unmapped, ${l.ambiguous} ambiguous.`,
    `Accounts ${s.dryRun ? 'to create' : 'created'}: ${s.accountsCreated}.`,
    ...(s.goneFromQbo > 0 ? [`No longer in QuickBooks (merged away): ${s.goneFromQbo} record(s) ${s.dryRun ? 'to mark' : 'marked'} inactive.`] : []),
    `API calls: QuickBooks ${s.apiCalls.qbo}, Salesforce ${s.apiCalls.salesforce}. Took ${(s.durationMs / 1000).toFixed(1)} s.`,
  ]
  if (s.salesforceApiUsage) {
    const { used, max } = s.salesforceApiUsage
    lines.push(`Salesforce API usage of the org (last 24 h): ${used.toLocaleString('en-US')} of ${max.toLocaleString('en-US')}.`)
  }
  const errors = s.errors.filter((e) => e.level === 'error')
  const warnings = s.errors.filter((e) => e.level === 'warning')
  if (errors.length > 0) {
    lines.push('', `Records that failed (${errors.length}):`)
    for (const e of errors.slice(0, 50)) lines.push(`  - ${e.displayName} (QBO ${e.qboId})${e.field ? `, ${e.field}` : ''}: ${e.code}: ${e.message}`)
    if (errors.length > 50) lines.push(`  … and ${errors.length - 50} more (see --json or the Hub).`)
  }
  if (warnings.length > 0) {
    lines.push('', `Values that did not fit their Salesforce field (${warnings.length}; the records synced):`)
    for (const e of warnings.slice(0, 20)) lines.push(`  - ${e.displayName} (QBO ${e.qboId}), ${e.field}: ${e.message}`)
    if (warnings.length > 20) lines.push(`  … and ${warnings.length - 20} more (see --json or the Hub).`)
  }
  return lines.join('\n')
}

/** What a dry run would do, one line per customer that would change, and why. */
export function formatPlan(plan: Plan, limit = 200): string {
  const lines: string[] = []
  for (const a of plan.accountsToCreate.slice(0, limit)) lines.push(`create Account "${a.name}" (QBO_Source_Key__c ${a.sourceKey})`)
  const changing = plan.items.filter((i) => i.action !== 'unchanged' || i.link.status === 'Unmapped' || i.link.status === 'Ambiguous')
  for (const i of changing.slice(0, limit)) {
    const what = i.action === 'unchanged' ? 'leave' : i.action
    const fields = i.action === 'update' ? ` [${i.changedFields.join(', ')}]` : ''
    lines.push(`${what} ${i.displayName} (QBO ${i.qboId})${fields}: ${i.link.status} — ${i.link.reason}`)
  }
  if (changing.length > limit) lines.push(`… and ${changing.length - limit} more`)
  return lines.join('\n')
}
