/**
 * @module jobs/run-plan
 * What a dry run ("Preview" in the Hub) would do, per customer: the action, the link and the
 * engine's reason, read from the run's plan. Previews are kept in this process's memory, the
 * last few only: a preview is looked at right after it ran, and a plan of a big company is
 * megabytes that the store need not keep (the run's summary and messages are stored as for any run).
 */
import type { PlanFilter, PlanItemView } from '../hub/services.js'
import type { RunResult } from '../sync/run.js'

/** A customer of a preview as the Hub shows it, with the written fields by API name (the Hub adds
 * their labels). */
export type PlannedCustomer = Omit<PlanItemView, 'changedFields'> & { changedFields: string[] }

export function inCategory(p: PlannedCustomer, c: PlanFilter): boolean {
  switch (c) {
    case 'all':
      return true
    case 'create':
    case 'update':
    case 'unchanged':
      return p.action === c
    case 'link':
      return p.links
    case 'unmapped':
      return p.linkStatus === 'Unmapped' || p.linkStatus === 'Ambiguous'
  }
}

export function plannedCustomers(result: RunResult): PlannedCustomer[] {
  const created = new Map(result.plan.accountsToCreate.map((a) => [a.sourceKey, a.name]))
  return result.plan.items.map((item) => {
    const { link } = item
    const accountName = link.accountSourceKey !== undefined
      ? (created.get(link.accountSourceKey) ?? null)
      : link.accountId ? (result.accountNames.get(link.accountId) ?? null) : null
    return {
      key: item.key,
      qboId: item.qboId,
      displayName: item.displayName,
      action: item.action,
      changedFields: item.changedFields,
      linkStatus: link.status,
      accountId: link.accountId,
      accountName,
      links: item.changedFields.includes('Account__c') && (link.accountId !== null || link.accountSourceKey !== undefined),
      reason: link.reason,
      gone: item.gone === true,
      issues: item.issues.map((i) => ({ field: i.field, code: i.code, message: i.message })),
    }
  })
}

/** The plans of the last `max` previews, by run id. */
export class PreviewMemory {
  private readonly plans = new Map<string, PlannedCustomer[]>()
  constructor(private readonly max = 3) {}

  keep(runId: string, plan: PlannedCustomer[]): void {
    this.plans.set(runId, plan)
    while (this.plans.size > this.max) this.plans.delete(this.plans.keys().next().value as string)
  }

  get(runId: string): PlannedCustomer[] | null {
    return this.plans.get(runId) ?? null
  }
}
