/**
 * @module sync/match
 * Account matching (contract §5.3–5.5): a customer links to the one Account whose Name equals its
 * DisplayName compared as Salesforce compares text (case-insensitively), after trimming and
 * collapsing white space. Pure.
 */
import { normalizeName } from '../lib/names.js'
import type { AccountRef } from './model.js'

/** QBO appends " (deleted)" to the DisplayName of an inactive customer (api-facts A.0); the
 * Account it belongs to is named without it. */
const DELETED_SUFFIX = /\s*\(deleted\)\s*$/i

/** The form two names are compared in (shared with the Salesforce client's lookups). */
export { normalizeName }

/** The name an inactive customer is matched by. */
export function matchableName(displayName: string, active: boolean): string {
  return active ? displayName : displayName.replace(DELETED_SUFFIX, '')
}

/** Accounts grouped by normalised name. */
export type AccountIndex = Map<string, AccountRef[]>

export function indexAccounts(accounts: Iterable<AccountRef>): AccountIndex {
  const index: AccountIndex = new Map()
  const seen = new Set<string>()
  for (const a of accounts) {
    if (seen.has(a.id)) continue // lookups may return one Account twice
    seen.add(a.id)
    const k = normalizeName(a.name)
    const list = index.get(k)
    if (list) list.push(a)
    else index.set(k, [a])
  }
  for (const list of index.values()) list.sort((x, y) => x.name.localeCompare(y.name) || x.id.localeCompare(y.id))
  return index
}

export type MatchResult =
  | { kind: 'one'; account: AccountRef }
  | { kind: 'many'; candidates: AccountRef[] }
  | { kind: 'none' }

export function findMatch(index: AccountIndex, name: string): MatchResult {
  const found = index.get(normalizeName(name)) ?? []
  if (found.length === 1) return { kind: 'one', account: found[0] as AccountRef }
  if (found.length > 1) return { kind: 'many', candidates: found }
  return { kind: 'none' }
}
