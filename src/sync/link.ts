/**
 * @module sync/link
 * The whole link decision of a top-level customer, in one place (contract §5 and §10): a person's
 * link (Manual, or Ignored) is kept; a Matched or Created link keeps its Account; a link Salesforce
 * changed (a merged or deleted Account) follows it; otherwise the one Account of the same name
 * (compared as Salesforce compares: case-insensitive, white space collapsed — lib/names), several
 * (Ambiguous), or none: a new Account with Create Accounts on, else Unmapped. An Unmapped or
 * Ambiguous customer gets up to three suggested Accounts (sync/suggest), never a link. Pure.
 */
import { sha256Hex } from '../lib/crypto.js'
import { collapseSpaces, normalizeName } from '../lib/names.js'
import type { SUGGESTION_FIELDS} from './fields.js';
import { ACCOUNT_NAME_LENGTH, LINK_FIELDS, SUGGESTION, SUGGESTION_REASON_LENGTH } from './fields.js'
import type { FieldIssue } from './map.js'
import type { AccountFate, AccountRef, ExistingRecord, LinkStatus, RecordState, Refusal, SourceCustomer } from './model.js'
import type { AccountCreate } from './ports.js'
import { suggestAccounts, type Suggestion, type SuggestionIndex } from './suggest.js'

export { normalizeName }

/** QBO appends " (deleted)" to the DisplayName of an inactive customer (api-facts A.0); the
 * Account it belongs to is named without it. */
const DELETED_SUFFIX = /\s*\(deleted\)\s*$/i

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

export type MatchResult = { kind: 'one'; account: AccountRef } | { kind: 'many'; candidates: AccountRef[] } | { kind: 'none' }

export function findMatch(index: AccountIndex, name: string): MatchResult {
  const found = index.get(normalizeName(name)) ?? []
  if (found.length === 1) return { kind: 'one', account: found[0] as AccountRef }
  if (found.length > 1) return { kind: 'many', candidates: found }
  return { kind: 'none' }
}

export interface PlannedLink {
  status: LinkStatus
  accountId: string | null
  /** The Account will be created in this run with this `QBO_Source_Key__c`. */
  accountSourceKey?: string
  candidates?: AccountRef[]
  /** Up to three suggested Accounts of an `Unmapped` or `Ambiguous` link, best first (contract
   * §10); absent when the run did not compute them. */
  suggestions?: Suggestion[]
  reason: string
  /** A problem with the link's Account that did not stop it (a name shortened to fit). */
  issues?: FieldIssue[]
  /** Salesforce refused to create this Account before: it is not asked again this run. */
  refused?: Refusal['errors']
}

/** The prefix of the source keys Tally gives the Accounts it creates (contract §4). */
export const NAME_KEY_PREFIX = 'name:'

/**
 * `QBO_Source_Key__c` of the Account Tally creates for a name: from the normalised name, not
 * from a company's customer, so that every company's run — also two at the same time — creates
 * the same one Account for it (contract §5.10; design notes "Several companies"). The field is
 * Text(50), External ID, Unique and case-insensitive: a hex SHA-256 (case-proof) cut to fit,
 * 180 bits, and the same length for a name of any length.
 */
export function accountSourceKey(normalizedName: string): string {
  return `${NAME_KEY_PREFIX}${sha256Hex(normalizedName).slice(0, 50 - NAME_KEY_PREFIX.length)}`
}

/**
 * An Account Tally created: keyed by name (any company's run), or by the old per-customer key
 * `<realmId>-<Id>` of this company (before several companies, the key was the customer's), so
 * a link to it is `Created`, also when a run resumes after the Account was created.
 */
function createdByTally(sourceKey: string | null | undefined, realmId: string): boolean {
  return typeof sourceKey === 'string' && (sourceKey.startsWith(NAME_KEY_PREFIX) || sourceKey.startsWith(`${realmId}-`))
}

/** Why a record's link is not what Tally last wrote (contract §5.1, §5.8, §5.11): nothing changed;
 * a person changed it (in the Hub it is written as Manual; in Salesforce we see that `Account__c`
 * is not what Tally wrote — clearing it counts too); a person marked it Ignored; Salesforce merged
 * the Account into another and moved the lookup to the survivor; or the Account was deleted and
 * Salesforce cleared the lookup. */
export type LinkChange = 'none' | 'manual' | 'ignored' | 'merged' | 'deleted'

export function linkChange(e: ExistingRecord, s: RecordState | undefined, fates: ReadonlyMap<string, AccountFate> | undefined): LinkChange {
  // A person who linked an Ignored record (in the org) made it theirs: Manual.
  if (e.linkStatus === 'Ignored') return (e.accountId ?? null) === null ? 'ignored' : 'manual'
  if (e.linkStatus === 'Manual') return 'manual'
  if (s === undefined || s.salesforceId === null) return 'none'
  const now = e.accountId ?? null
  const wrote = s.accountWritten ?? null
  if (now === wrote) return 'none'
  if (wrote !== null && fates !== undefined) {
    const fate = fates.get(wrote)
    if (fate?.deleted && fate.masterRecordId !== null && fate.masterRecordId === now) return 'merged'
    // Deleted (in the Recycle Bin, or purged from it) and the lookup cleared by SetNull.
    if ((fate === undefined || fate.deleted) && now === null) return 'deleted'
  }
  return 'manual'
}

/** A person changed this record's link in Salesforce since Tally last wrote it (the next run
 * records who, contract §10): not a merge or a delete, and not what Tally wrote. */
export function editedInOrg(e: ExistingRecord, s: RecordState | undefined, change: LinkChange): boolean {
  if (change !== 'manual' && change !== 'ignored') return false
  if (!s || s.salesforceId === null) return false
  return (e.accountId ?? null) !== (s.accountWritten ?? null) || (e.linkStatus ?? null) !== (s.linkStatus ?? null)
}

/** The Accounts whose fate decides a record's link: the one Tally last wrote, for every record
 * whose `Account__c` is something else and that no person marked Manual. The run reads these
 * (one `queryAll`) only when there are any. */
export function accountsToCheck(existing: ReadonlyMap<string, ExistingRecord>, states: ReadonlyMap<string, RecordState>): string[] {
  const ids = new Set<string>()
  for (const e of existing.values()) {
    const s = states.get(e.key)
    if (e.linkStatus === 'Manual' || e.linkStatus === 'Ignored' || !s || s.salesforceId === null || !s.accountWritten) continue
    if ((e.accountId ?? null) !== s.accountWritten) ids.add(s.accountWritten)
  }
  return [...ids]
}

/** How a top-level customer's link is decided: left to the person, kept, or matched by name. */
export type LinkBasis = 'manual' | 'ignored' | 'keep' | 'match'

export function linkBasis(e: ExistingRecord | undefined, change: LinkChange): LinkBasis {
  if (!e) return 'match'
  if (change === 'manual') return 'manual'
  if (change === 'ignored') return 'ignored'
  if (change === 'deleted') return 'match'
  if ((e.linkStatus === 'Matched' || e.linkStatus === 'Created') && e.accountId) return 'keep'
  return 'match'
}

/** A top-level customer whose link is decided: one QBO returned, or (a sync reads only what
 * changed) a record whose Account was deleted, to be linked again from what Salesforce holds. */
export interface LinkSubject {
  qboId: string
  key: string
  displayName: string
  active: boolean
  e: ExistingRecord | undefined
  change: LinkChange
  /** The customer as QBO returned it in this run (absent for a record not read): what the
   * suggestions compare. */
  customer?: SourceCustomer
}

export interface LinkContext {
  realmId: string
  accounts: AccountIndex
  createAccounts: boolean
  states: ReadonlyMap<string, RecordState>
  retryRefused: boolean
  /** The Accounts' profiles, when the run read them: Unmapped and Ambiguous customers then get
   * suggestions. */
  suggestions?: SuggestionIndex
}

/** The name's spelling, white space collapsed as it is compared (contract §5.3), for a new
 * Account: fitted to Account Name's 255 characters (contract §4). */
function accountName(name: string): string {
  return [...collapseSpaces(name)].slice(0, ACCOUNT_NAME_LENGTH).join('').trimEnd()
}

/** The refusal remembered for this customer's Account, when it is for this very name. */
function refusedAccount(ctx: LinkContext, key: string, name: string): Refusal | null {
  if (ctx.retryRefused) return null
  const r = ctx.states.get(key)?.refused
  return r && r.accountName !== null && r.accountName === accountName(name) ? r : null
}

/** Does this subject's link need the Accounts of its name (see `namesToMatch` in sync/plan)? */
export function needsMatch(t: LinkSubject): boolean {
  return linkBasis(t.e, t.change) === 'match'
}

/**
 * Every top-level customer's link, and the Accounts to create: one per name, keyed by the name, so
 * a retry, a crash or another company's run creates the same Account, never two (the customer with
 * the lowest Id gives the Name's spelling).
 */
export function decideLinks(subjects: readonly LinkSubject[], ctx: LinkContext): { links: Map<string, PlannedLink>; accountsToCreate: AccountCreate[] } {
  const links = new Map<string, PlannedLink>()
  const toCreate = new Map<string, { sourceKey: string; name: string; minId: number }>()
  const waiting: { qboId: string; norm: string; displayName: string }[] = []
  const suggest = (t: LinkSubject, link: PlannedLink): PlannedLink =>
    ctx.suggestions && t.customer ? { ...link, suggestions: suggestAccounts(t.customer, ctx.suggestions) } : link
  for (const t of subjects) {
    const { key, e } = t
    const basis = linkBasis(e, t.change)
    if (basis === 'ignored') {
      links.set(t.qboId, { status: 'Ignored', accountId: null, reason: 'ignored by a person: never linked, suggested or given an Account until a person links it' })
      continue
    }
    if (basis === 'manual') {
      links.set(t.qboId, { status: 'Manual', accountId: e?.accountId ?? null, reason: 'linked by a person; Tally leaves it as it is' })
      continue
    }
    if (basis === 'keep' && e) {
      links.set(t.qboId, {
        status: e.linkStatus as LinkStatus,
        accountId: e.accountId,
        reason: t.change === 'merged' ? 'its Account was merged into this one in Salesforce; the link follows it' : 'keeps the Account it was linked to',
      })
      continue
    }
    const name = matchableName(t.displayName, t.active)
    const m = findMatch(ctx.accounts, name)
    const refused = ctx.createAccounts && t.active && name.trim() !== '' ? refusedAccount(ctx, key, name) : null
    if (m.kind === 'one') {
      // An Account Tally created for this name stays "Created" (also when a run is resumed after
      // the Account was created but before the record was written, or another company created it).
      const ours = createdByTally(m.account.sourceKey, ctx.realmId)
      links.set(t.qboId, {
        status: ours ? 'Created' : 'Matched',
        accountId: m.account.id,
        reason: ours ? `linked to the Account Tally created for "${m.account.name}"` : `the Account "${m.account.name}" has this name`,
      })
    } else if (m.kind === 'many') {
      links.set(t.qboId, suggest(t, {
        status: 'Ambiguous',
        accountId: null,
        candidates: m.candidates,
        reason: `${m.candidates.length} Accounts are named "${m.candidates[0]?.name ?? name}"; link one by hand`,
      }))
    } else if (refused) {
      links.set(t.qboId, suggest(t, {
        status: 'Unmapped',
        accountId: null,
        reason: `Salesforce refused to create the Account "${refused.accountName}" in an earlier run; it is asked again when the name changes, or with --retry-refused once the cause is fixed (or link it by hand)`,
        refused: refused.errors,
      }))
    } else if (ctx.createAccounts && t.active && name.trim() !== '') {
      const norm = normalizeName(name)
      const id = Number(t.qboId)
      const cur = toCreate.get(norm)
      if (!cur || id < cur.minId) toCreate.set(norm, { sourceKey: accountSourceKey(norm), name: accountName(name), minId: id })
      waiting.push({ qboId: t.qboId, norm, displayName: t.displayName })
    } else {
      links.set(t.qboId, suggest(t, {
        status: 'Unmapped',
        accountId: null,
        reason: !t.active
          ? 'no Account has this name; inactive customers never create one'
          : ctx.createAccounts
            ? 'no Account has this name'
            : 'no Account has this name and Create Accounts is off',
      }))
    }
  }
  for (const w of waiting) {
    const create = toCreate.get(w.norm)
    if (!create) continue
    const full = [...collapseSpaces(w.displayName)].length
    links.set(w.qboId, {
      status: 'Created',
      accountId: null,
      accountSourceKey: create.sourceKey,
      reason: `a new Account "${create.name}" is created`,
      ...(full > ACCOUNT_NAME_LENGTH
        ? { issues: [{ field: LINK_FIELDS.account, code: 'STRING_TOO_LONG' as const, message: `Account Name: the Display Name is ${full} characters; Salesforce holds ${ACCOUNT_NAME_LENGTH}; the new Account is named with the first ${ACCOUNT_NAME_LENGTH}.` }] }
        : {}),
    })
  }
  return { links, accountsToCreate: [...toCreate.values()].map(({ sourceKey, name }) => ({ sourceKey, name })) }
}

/** The best suggestion as the record's fields (contract §4): Suggested_Account__c, its score and
 * the reasons (Text 255), or all three empty. */
export function suggestionFields(s: Suggestion | undefined): Record<(typeof SUGGESTION_FIELDS)[number], string | number | null> {
  if (!s) return { [SUGGESTION.account]: null, [SUGGESTION.score]: null, [SUGGESTION.reason]: null }
  const reason = s.reasons.join('; ')
  const cut = [...reason].length > SUGGESTION_REASON_LENGTH ? `${[...reason].slice(0, SUGGESTION_REASON_LENGTH - 1).join('')}…` : reason
  return { [SUGGESTION.account]: s.accountId, [SUGGESTION.score]: s.score, [SUGGESTION.reason]: cut }
}
