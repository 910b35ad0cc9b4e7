/**
 * @module jobs/customer-view
 * After a run, the Hub's local copy of the records it wrote or checked (store `customer_views`),
 * so that browsing the QBO Customers page costs no Salesforce API calls. It shows Salesforce as
 * of the last sync (contract: a link changed in Salesforce shows after the next sync).
 */
import type { CustomerView } from '../store/index.js'
import type { RunResult } from '../sync/run.js'

/** One row per record the run wrote or checked, made as they are stored (a big run's 100,000 rows
 * are never all held at once). `held`: the suggestions the Hub's copy holds for the rows of
 * `keepSuggestions`, which they keep. */
export function* customerViews(result: RunResult, realmId: string, held: ReadonlyMap<string, CustomerView['suggestions']> = new Map()): Generator<CustomerView> {
  const byId = new Map(result.customers.map((c) => [c.qboId, c]))
  // One outcome per item, in the plan's order (sync/apply), or none for a dry run: walked beside
  // the items, not looked up by key (a map of 100,000 more while the rows are written); by key
  // only if two items share one (apply then keeps one outcome for both).
  const items = result.plan.items
  const outcomes = result.outcomes ?? []
  const byKey = outcomes.length > 0 && outcomes.length !== items.length ? new Map(outcomes.map((o) => [o.item.key, o])) : null
  for (const [i, item] of items.entries()) {
    const c = byId.get(item.qboId)
    if (!c) continue // a link-only follow-up of a record not read this run: its row stays
    const o = byKey ? byKey.get(item.key) : outcomes[i]
    // A write Salesforce refused changed nothing there: a new record does not exist (it must not
    // wait in the link queue, where linking it would fail), an existing one keeps its last row.
    if (o?.status === 'failed') continue
    const accountId = o ? o.accountId : item.link.accountId
    yield {
      key: item.key,
      realmId,
      salesforceId: o?.salesforceId ?? item.existingId,
      qboId: c.qboId,
      displayName: c.displayName,
      accountId,
      accountName: accountId ? (result.accountNames.get(accountId) ?? null) : null,
      linkStatus: o ? o.linkStatus : item.link.status,
      active: c.active,
      isSubCustomer: c.isSubCustomer,
      parentName: c.parentQboId ? (byId.get(c.parentQboId)?.displayName ?? null) : null,
      email: c.email ?? null,
      candidates: item.link.candidates ? item.link.candidates.map((a) => ({ id: a.id, name: a.name })) : null,
      // Waiting, with no suggestions computed in this run: the ones it has stay (see `keepSuggestions`).
      suggestions: item.link.suggestions ?? held.get(item.key) ?? null,
    }
  }
}

/** The rows of a run whose suggestions were not computed in it but still apply (the record waits
 * for a person): they keep what the Hub's copy holds. */
export function keepSuggestions(result: RunResult): Set<string> {
  return new Set(result.plan.items.filter((i) => !i.link.suggestions && (i.link.status === 'Unmapped' || i.link.status === 'Ambiguous')).map((i) => i.key))
}
