/**
 * @module sync/plan
 * `planSync` is a pure function of three snapshots (QBO customers, the `QBO_Customer__c` records
 * in Salesforce now, the Accounts the mapping needs), Tally's memory of what it wrote, and the
 * settings. It returns one item per customer — create, update or unchanged, the link and why —
 * and the Accounts to create. A dry run is this plan without `applyPlan`; it is also the oracle
 * the tests hold the written state to.
 */
import { LINK_FIELDS, SUGGESTION } from './fields.js'
import {
  decideLinks,
  editedInOrg,
  linkChange,
  linkBasis,
  matchableName,
  NAME_KEY_PREFIX,
  suggestionFields,
  type AccountIndex,
  type LinkContext,
  type LinkSubject,
  type PlannedLink,
} from './link.js'
import { mapCustomer, sameValue, type FieldIssue } from './map.js'
import {
  customerKey,
  type AccountFate,
  type ExistingRecord,
  type FieldValue,
  type LinkStatus,
  type RecordState,
  type Refusal,
  type SourceCustomer,
  type TargetFields,
} from './model.js'
import type { AccountCreate, RecordWrite, WriteSpool } from './ports.js'
import { inObject } from '../lib/objects.js'
import type { SuggestionIndex } from './suggest.js'

export { accountSourceKey, accountsToCheck, NAME_KEY_PREFIX, type PlannedLink } from './link.js'

const SUGGESTED_ACCOUNT = SUGGESTION.account

export interface SyncSettings {
  createAccounts: boolean
  /** Switchable fields that are on (see SWITCHABLE_FIELDS). */
  enabledFields: ReadonlySet<string>
}

export interface PlanInput {
  realmId: string
  /** The customers to plan for: all of them for an import, the changed ones for a sync. */
  customers: readonly SourceCustomer[]
  /** Every record of this realm in Salesforce now, by `QBO_Key__c`. */
  existing: ReadonlyMap<string, ExistingRecord>
  states: ReadonlyMap<string, RecordState>
  /** Accounts for the names that need matching (see `namesToMatch`). */
  accounts: AccountIndex
  settings: SyncSettings
  /** ISO instant written to `Last_Synced__c`. */
  now: string
  /** Keys QBO no longer has (an import: every record whose customer was not read; a sync: the
   * ids change data capture reports as Deleted). QBO never deletes customers, but a merge makes
   * one disappear. */
  goneKeys?: ReadonlySet<string>
  /** What became of the Accounts Tally last wrote to records that no longer point at them
   * (`accountsToCheck`), by Id; an Id missing here was purged. Without it, every such change is a
   * person's. */
  accountFates?: ReadonlyMap<string, AccountFate>
  /** The customers are only those QBO reported changed (a sync of CDC's changes), and `existing`
   * may hold only the records they and Salesforce's changes can touch (sync/read-changed). */
  incremental?: boolean
  /** Send again what Salesforce refused before (`RecordState.refused`): after its cause was fixed. */
  retryRefused?: boolean
  /** Called after every PACE_ITEMS items made: a big run frees what planning let go of as it goes
   * (lib/heap), not only once the whole plan is made (README, "Memory"). */
  pace?: () => void
  /** Where the items' write values are kept until they are sent (a big run's: `WriteSpool`). */
  spool?: WriteSpool
}

/** Items made between two calls of `PlanInput.pace`. */
export const PACE_ITEMS = 10_000

export interface PlanItem {
  key: string
  qboId: string
  displayName: string
  level: number
  /** The record's Id in Salesforce now (null when it is to be created). */
  existingId: string | null
  action: 'create' | 'update' | 'unchanged'
  /** Present when something is written. Once Salesforce took it (`applyPlan`), its `fields` are
   * empty: a run does not hold what it sent. */
  write?: RecordWrite
  changedFields: string[]
  link: PlannedLink
  issues: FieldIssue[]
  /** The customer is no longer in QuickBooks (merged away): its record is only marked inactive. */
  gone?: boolean
  /** The link the record has in Salesforce now (absent for a new record). */
  linkNow?: { accountId: string | null; status: LinkStatus | null } | undefined
  /** With `held`: the refused write's fingerprint (see `writeFingerprint`; `fingerprintOf` gives
   * any item's). (An Account refused before is `link.refused`: the record itself is written as usual.) */
  fingerprint?: string
  /** Salesforce refused this very write before, for a reason that repeats: it is not sent again
   * (the item counts as failed, with these errors), until the write changes or a run retries. */
  held?: Refusal['errors']
}

/** Identifies a record write by what it would change, so that the same write is recognised in a
 * later run: every value but `Last_Synced__c` (which moves with each run), the Account to be
 * created and the parent to be written first. Keys are sorted, so field order never matters. */
export function writeFingerprint(w: RecordWrite): string {
  const fields = Object.entries(w.fields)
    .filter(([k]) => k !== LINK_FIELDS.lastSynced)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([fields, w.accountSourceKey ?? null, w.parentKey ?? null, w.suggestedSourceKey ?? null])
}

export interface Plan {
  items: PlanItem[]
  accountsToCreate: AccountCreate[]
}

/** Parent links: by the customers being planned, else by the records already in Salesforce. */
interface Tree {
  parentOf(qboId: string): string | undefined
}

function buildTree(input: PlanInput, byId: Map<string, SourceCustomer>): Tree {
  const existingParent = new Map<string, string>()
  for (const e of input.existing.values()) {
    const p = e.fields['Parent_QBO_Id__c']
    if (typeof p === 'string' && p !== '') existingParent.set(String(e.fields['QBO_Id__c'] ?? ''), p)
  }
  const known = (id: string) => byId.has(id) || input.existing.has(customerKey(input.realmId, id))
  return {
    parentOf(qboId) {
      const c = byId.get(qboId)
      const p = c ? (c.isSubCustomer ? c.parentQboId : undefined) : existingParent.get(qboId)
      // A parent QBO no longer returns makes the customer top-level for the mapping.
      return p !== undefined && known(p) ? p : undefined
    },
  }
}

/** A top-level customer read in this run, as its link is decided. */
function customerSubject(input: Omit<PlanInput, 'accounts' | 'now'>, c: SourceCustomer): LinkSubject {
  const key = customerKey(input.realmId, c.qboId)
  const e = input.existing.get(key)
  const change = e ? linkChange(e, input.states.get(key), input.accountFates) : 'none'
  return { qboId: c.qboId, key, displayName: c.displayName, active: c.active, e, change, customer: c }
}

function topSubjects(input: Omit<PlanInput, 'accounts' | 'now'>, byId: Map<string, SourceCustomer>, tree: Tree): LinkSubject[] {
  const out: LinkSubject[] = []
  for (const c of input.customers) {
    if (tree.parentOf(c.qboId) === undefined) out.push(customerSubject(input, c))
  }
  for (const t of recordSubjects(input, byId, tree)) out.push(t)
  return out
}

/** The top-level records not read in this run whose link is decided again: those `topSubjects`
 * has besides the customers. */
function recordSubjects(input: Omit<PlanInput, 'accounts' | 'now'>, byId: Map<string, SourceCustomer>, tree: Tree): LinkSubject[] {
  const out: LinkSubject[] = []
  for (const e of input.existing.values()) {
    const qboId = String(e.fields['QBO_Id__c'] ?? '')
    if (byId.has(qboId) || input.goneKeys?.has(e.key) || tree.parentOf(qboId) !== undefined) continue
    // Its Account was deleted (linked again by the rules), or a person changed its link in the org
    // (kept as theirs: Manual, or Ignored; the history records who, once).
    const s = input.states.get(e.key)
    const change = linkChange(e, s, input.accountFates)
    if (change !== 'deleted' && !editedInOrg(e, s, change)) continue
    const displayName = String(e.fields['Display_Name__c'] ?? '')
    out.push({ qboId, key: e.key, displayName, active: e.fields['Active__c'] !== false, e, change })
  }
  return out
}

/** The names whose Accounts the plan needs: top-level customers not linked already. The run
 * looks these up (or reads every Account, whichever costs fewer calls). */
export function namesToMatch(input: Omit<PlanInput, 'accounts' | 'now'>): string[] {
  const byId = new Map(input.customers.map((c) => [c.qboId, c]))
  const tree = buildTree({ ...input, accounts: new Map(), now: '' }, byId)
  const names = new Set<string>()
  for (const t of topSubjects(input, byId, tree)) {
    if (linkBasis(t.e, t.change) === 'match') names.add(matchableName(t.displayName, t.active))
  }
  return [...names]
}

/** The fields the plan reads of a record besides its diff (the tree, the top-level subjects, the
 * records QBO no longer has): kept by `compactRecords` whatever their value. */
const STRUCTURE_FIELDS: ReadonlySet<string> = new Set(['QBO_Id__c', 'Display_Name__c', 'Level__c', 'Active__c', 'Parent_QBO_Id__c'])

/**
 * Makes each record read from Salesforce as small as the plan allows, in place, as the records are
 * read: a synced field whose value is what this run's customer maps to is left out of `fields` and
 * named in `sameAsMapped` (the plan takes it as unchanged: the same customer, mapped with the same
 * settings, gives the same value), and the store's copy of its key, Id and Account is used. A
 * re-import of 100,000 unchanged customers held each record's 47 values (a 0.4 KB object, and
 * values of its own) through planning, when it holds the most (README, "Memory"). A record whose
 * customer was not read keeps every field. It maps each customer once more than planning does.
 */
export function compactRecords(customers: readonly SourceCustomer[], states: ReadonlyMap<string, RecordState>, settings: SyncSettings): RecordCompactor {
  const byId = new Map(customers.map((c) => [c.qboId, c]))
  /** One set per distinct list of fields left out: most records share one. */
  const lists = new Map<string, ReadonlySet<string>>()
  let unchanged = 0
  const onRecord = (e: ExistingRecord) => {
    // What Tally remembers of the record names it the same: its key, Id and Account, once.
    const s = states.get(e.key)
    if (s) {
      e.key = s.key
      if (s.salesforceId === e.id) e.id = s.salesforceId
      if (s.accountWritten !== null && s.accountWritten === e.accountId) e.accountId = s.accountWritten
    }
    const c = byId.get(String(e.fields['QBO_Id__c'] ?? ''))
    if (!c) return
    const { fields: mapped } = mapCustomer(c, settings.enabledFields)
    const kept: TargetFields = {}
    const same: string[] = []
    /** Mapped values Salesforce holds as they are mapped (read, and the same). */
    let equal = 0
    for (const name in e.fields) {
      const value = e.fields[name] as FieldValue
      const ours = mapped[name]
      if (ours === undefined || !sameValue(ours, value)) {
        kept[name] = value
        continue
      }
      equal += 1
      // The customer's copy of an equal text: held once, not once per side.
      if (STRUCTURE_FIELDS.has(name)) kept[name] = typeof value === 'string' && value === ours ? ours : value
      else same.push(name)
    }
    if (equal === Object.keys(mapped).length) unchanged += 1
    if (same.length === 0) return
    const id = same.join(',')
    let set = lists.get(id)
    if (!set) lists.set(id, (set = new Set(same)))
    // Copied once built, every value in the object (lib/objects; one shape per field list).
    e.fields = inObject(kept)
    e.sameAsMapped = set
  }
  return { onRecord, unchanged: () => unchanged }
}

/** `compactRecords`' hook, and what it found. */
export interface RecordCompactor {
  /** Makes one record read compact, in place (`SalesforceTarget.listExistingRecords`' `onRecord`). */
  onRecord(e: ExistingRecord): void
  /** How many records read so far hold every value their customer maps to. */
  unchanged(): number
}

/** The top-level customers' links and the Accounts to create: the first step of a plan, made
 * before any item so that a run can give the waiting ones their suggestions (`withSuggestedLinks`)
 * and then make every item once (`planSync`). */
export interface LinkPlan {
  links: Map<string, PlannedLink>
  accountsToCreate: AccountCreate[]
}

/** What deciding the links reads of the plan's input. */
const linkContext = (input: PlanInput): LinkContext => ({ realmId: input.realmId, accounts: input.accounts, createAccounts: input.settings.createAccounts, states: input.states, retryRefused: input.retryRefused ?? false })

export function planLinks(input: PlanInput): LinkPlan {
  const byId = new Map(input.customers.map((c) => [c.qboId, c]))
  const subjects = topSubjects(input, byId, buildTree(input, byId))
  return decideLinks(subjects, linkContext(input))
}

/**
 * The customers read in this run whose link waits for a person and whose record is written anyway
 * (new, or changed in QuickBooks): what a run suggests for (contract §10). A record that is unchanged
 * keeps its suggestion, so a run with nothing changed costs no call and no write for them. Only
 * these customers' items are made to tell (the rest are made once, by `planSync`).
 */
export function waitingForSuggestions(input: PlanInput, linkPlan: LinkPlan): SourceCustomer[] {
  const byId = new Map(input.customers.map((c) => [c.qboId, c]))
  const fieldLists = new Map<string, string[]>()
  return input.customers.filter((c) => {
    const link = linkPlan.links.get(c.qboId)
    if (!link || (link.status !== 'Unmapped' && link.status !== 'Ambiguous')) return false
    const e = input.existing.get(customerKey(input.realmId, c.qboId))
    return !e || planItem(input, c, e, link, byId, fieldLists).action !== 'unchanged'
  })
}

/**
 * The links with suggestions for these customers (the waiting ones, `waitingForSuggestions`): their
 * links decided again with the Accounts the index suggests; every other link and the Accounts to
 * create as they were. The index is needed only here: a big import drops it before its 100,000
 * items are made (README, "Memory").
 */
export function withSuggestedLinks(input: PlanInput, linkPlan: LinkPlan, suggestions: SuggestionIndex, waiting: readonly SourceCustomer[]): LinkPlan {
  const decided = decideLinks(
    waiting.map((c) => customerSubject(input, c)),
    { ...linkContext(input), suggestions },
  )
  const links = new Map(linkPlan.links)
  for (const [id, link] of decided.links) links.set(id, link)
  return { links, accountsToCreate: linkPlan.accountsToCreate }
}

/** The plan: one item per customer, from the top-level links (`planLinks`, by default decided here). */
export function planSync(input: PlanInput, linkPlan: LinkPlan = planLinks(input)): Plan {
  const { realmId, existing, states } = input
  const byId = new Map(input.customers.map((c) => [c.qboId, c]))
  const tree = buildTree(input, byId)
  // 1. Top-level customers' links, and the Accounts to create (sync/link).
  const topLinks = linkPlan.links

  // 2. Every customer's link: sub-customers inherit their top-level parent's (contract §5.2).
  const rootOf = (qboId: string): string => {
    let id = qboId
    for (let depth = 0; depth < 10; depth++) {
      const p = tree.parentOf(id)
      if (p === undefined) return id
      id = p
    }
    return id
  }
  const rootLink = (rootId: string): PlannedLink | undefined => {
    const planned = topLinks.get(rootId)
    if (planned) return planned
    const e = existing.get(customerKey(realmId, rootId))
    return e ? { status: e.linkStatus ?? 'Unmapped', accountId: e.accountId, reason: '' } : undefined
  }
  const rootName = (rootId: string): string =>
    byId.get(rootId)?.displayName ?? String(existing.get(customerKey(realmId, rootId))?.fields['Display_Name__c'] ?? rootId)

  const items: PlanItem[] = []
  /** The distinct lists of changed fields, each shared by the items that have it. */
  const fieldLists = new Map<string, string[]>()
  for (const c of input.customers) {
    const key = customerKey(realmId, c.qboId)
    const e = existing.get(key)
    let link = topLinks.get(c.qboId)
    if (!link) {
      if (e && linkChange(e, states.get(e.key), input.accountFates) === 'manual') {
        link = { status: 'Manual', accountId: e.accountId, reason: 'linked by a person; Tally leaves it as it is' }
      } else {
        const rootId = rootOf(c.qboId)
        const root = rootLink(rootId)
        const has = root && (root.accountId !== null || root.accountSourceKey !== undefined)
        link = {
          status: 'Inherited',
          accountId: root?.accountId ?? null,
          ...(root?.accountSourceKey !== undefined ? { accountSourceKey: root.accountSourceKey } : {}),
          reason: has ? `inherits the Account of "${rootName(rootId)}"` : `its top-level parent "${rootName(rootId)}" has no Account yet`,
        }
      }
    }
    items.push(planItem(input, c, e, link, byId, fieldLists, input.spool))
    if (input.pace && items.length % PACE_ITEMS === 0) input.pace()
  }

  // 3. Records not being planned whose top-level parent's link changed (a sync reads only what
  //    changed in QBO): they follow the parent (contract §5.2).
  items.push(...recordSubjects(input, byId, tree).flatMap((t) => relinkRecord(input, t, topLinks.get(t.qboId))))
  if (input.incremental || input.customers.length < existing.size) items.push(...followParents(input, byId, tree, rootOf, rootLink))
  items.push(...markGone(input, byId))

  return {
    items,
    accountsToCreate: linkPlan.accountsToCreate,
  }
}

function planItem(
  input: PlanInput,
  c: SourceCustomer,
  e: ExistingRecord | undefined,
  link: PlannedLink,
  byId: Map<string, SourceCustomer>,
  fieldLists: Map<string, string[]>,
  /** Where its write's values go (`planSync` only: the items made to tell who waits are dropped). */
  spool?: WriteSpool,
): PlanItem {
  const { realmId, existing, settings } = input
  const key = customerKey(realmId, c.qboId)
  const { fields: mapped, issues } = mapCustomer(c, settings.enabledFields)
  const desired: TargetFields = { ...mapped, [LINK_FIELDS.linkStatus]: link.status }
  if (link.status !== 'Manual' && link.accountSourceKey === undefined) desired[LINK_FIELDS.account] = link.accountId
  // The best suggestion goes onto the record, and is cleared once it is linked or ignored (contract
  // §4); a run that did not compute suggestions leaves a waiting record's as they are.
  let suggestedSourceKey: string | undefined
  if (link.status !== 'Unmapped' && link.status !== 'Ambiguous') Object.assign(desired, suggestionFields(undefined))
  else if (link.suggestions) {
    Object.assign(desired, suggestionFields(link.suggestions[0]))
    // An Account this run creates (the suggestion index names it by its source key until then).
    const id = desired[SUGGESTED_ACCOUNT]
    if (typeof id === 'string' && id.startsWith(NAME_KEY_PREFIX)) {
      suggestedSourceKey = id
      delete desired[SUGGESTED_ACCOUNT]
    }
  }

  let parentKey: string | undefined
  if (settings.enabledFields.has(LINK_FIELDS.parent)) {
    const pk = c.isSubCustomer && c.parentQboId ? customerKey(realmId, c.parentQboId) : null
    const pe = pk ? existing.get(pk) : undefined
    if (pe) desired[LINK_FIELDS.parent] = pe.id
    else if (pk && c.parentQboId && byId.has(c.parentQboId)) parentKey = pk
    else desired[LINK_FIELDS.parent] = null
  }

  const changed: string[] = []
  const write: TargetFields = {}
  // `for…in` over the plain object: no array of [name, value] pairs per customer.
  for (const name in desired) {
    // Salesforce holds what this customer maps to (`compactRecords`).
    if (e?.sameAsMapped?.has(name)) continue
    const value = desired[name] as FieldValue
    const current: FieldValue | undefined = !e
      ? null
      : name === LINK_FIELDS.account
        ? e.accountId
        : name === LINK_FIELDS.linkStatus
          ? e.linkStatus
          : e.fields[name]
    if (!e ? value !== null : !sameValue(value, current)) {
      changed.push(name)
      write[name] = value
    }
  }
  if (link.accountSourceKey !== undefined) changed.push(LINK_FIELDS.account)
  if (parentKey !== undefined) changed.push(LINK_FIELDS.parent)
  if (suggestedSourceKey !== undefined) changed.push(SUGGESTED_ACCOUNT)

  // Every item below is one object literal of one shape (no spread, no accessor): V8 keeps it in
  // fast mode, about a third of what the spread-and-getter object took (README, "Memory").
  const linkNow = e ? { accountId: e.accountId, status: e.linkStatus } : undefined
  if (e && changed.length === 0) {
    return { key, qboId: c.qboId, displayName: c.displayName, level: c.level, existingId: e.id, link, linkNow, action: 'unchanged', changedFields: NO_FIELDS, issues: NO_ISSUES }
  }
  issues.push(...(link.issues ?? []))
  write[LINK_FIELDS.lastSynced] = input.now
  const recordWrite: RecordWrite = {
    key,
    // Copied once built: V8 keeps an object whose properties were added by computed key in
    // dictionary mode past a dozen of them (about 1.6 KB for 30 fields, against 0.3 KB for the
    // copy), and a big import holds one per customer until it is written (README, "Memory").
    fields: { ...write },
    isNew: !e,
    ...(link.accountSourceKey !== undefined ? { accountSourceKey: link.accountSourceKey } : {}),
    ...(parentKey !== undefined ? { parentKey } : {}),
    ...(suggestedSourceKey !== undefined ? { suggestedSourceKey } : {}),
  }
  const action = e ? 'update' : 'create'
  // Most records change the same fields (every one, for a create): they share one list.
  const changedFields = shared(fieldLists, changed)
  // The very write Salesforce refused last time, for a reason that repeats: not sent again.
  const before = input.states.get(key)?.refused
  if (!input.retryRefused && before?.write && before.write === writeFingerprint(recordWrite)) {
    return { key, qboId: c.qboId, displayName: c.displayName, level: c.level, existingId: e?.id ?? null, link, linkNow, action, changedFields, issues: NO_ISSUES, fingerprint: before.write, held: before.errors }
  }
  // No fingerprint here: it is a JSON of every value, made (`fingerprintOf`) only when a refusal
  // is to be remembered; held for every item, it would be the largest thing a big import keeps.
  const sent = spool ? spooled(recordWrite, spool) : recordWrite
  return { key, qboId: c.qboId, displayName: c.displayName, level: c.level, existingId: e?.id ?? null, link, linkNow, action, changedFields, issues: issues.length > 0 ? issues : NO_ISSUES, write: sent }
}

/** The fields of a write whose values are elsewhere: in the spool, or sent (read only: frozen). */
export const NO_VALUES: TargetFields = Object.freeze({}) as TargetFields

/** The write with its values kept in the spool. */
function spooled(w: RecordWrite, spool: WriteSpool): RecordWrite {
  return {
    key: w.key,
    fields: NO_VALUES,
    isNew: w.isNew,
    ...(w.accountSourceKey !== undefined ? { accountSourceKey: w.accountSourceKey } : {}),
    ...(w.parentKey !== undefined ? { parentKey: w.parentKey } : {}),
    ...(w.suggestedSourceKey !== undefined ? { suggestedSourceKey: w.suggestedSourceKey } : {}),
    spooled: spool.put(w.fields),
  }
}

/** A write with its values, wherever they are kept. */
export function plannedWrite(w: RecordWrite, spool?: WriteSpool): RecordWrite {
  if (w.spooled === undefined) return w
  if (!spool) throw new Error(`The write of ${w.key} is spooled, and no spool was given`)
  const { spooled: _, ...rest } = w
  return { ...rest, fields: spool.get(w.spooled) }
}

/** The list of changed fields, one array per distinct list (read only, never changed after). */
function shared(lists: Map<string, string[]>, fields: string[]): string[] {
  const id = fields.join(',')
  const known = lists.get(id)
  if (known) return known
  lists.set(id, fields)
  return fields
}

const NO_FIELDS: string[] = []
/** The issues of an item that has none, one array for all (read only: frozen). A big import's
 * 100,000 empty arrays were 3 MB. */
export const NO_ISSUES: FieldIssue[] = Object.freeze([]) as unknown as FieldIssue[]

/** What identifies an item's write (see `writeFingerprint`): the refused write it holds back, or
 * the one it would send (its values read back from the spool they are kept in). */
export function fingerprintOf(item: PlanItem, spool?: WriteSpool): string | undefined {
  return item.fingerprint ?? (item.write ? writeFingerprint(plannedWrite(item.write, spool)) : undefined)
}

function followParents(
  input: PlanInput,
  byId: Map<string, SourceCustomer>,
  tree: Tree,
  rootOf: (id: string) => string,
  rootLink: (id: string) => PlannedLink | undefined,
): PlanItem[] {
  const out: PlanItem[] = []
  for (const e of input.existing.values()) {
    const qboId = String(e.fields['QBO_Id__c'] ?? '')
    if (byId.has(qboId) || tree.parentOf(qboId) === undefined) continue
    if (linkChange(e, input.states.get(e.key), input.accountFates) === 'manual') continue
    const root = rootLink(rootOf(qboId))
    if (!root) continue
    const write: TargetFields = {}
    if (root.accountSourceKey === undefined && !sameValue(root.accountId, e.accountId)) write[LINK_FIELDS.account] = root.accountId
    if (e.linkStatus !== 'Inherited') write[LINK_FIELDS.linkStatus] = 'Inherited'
    if (Object.keys(write).length === 0 && root.accountSourceKey === undefined) continue
    write[LINK_FIELDS.lastSynced] = input.now
    out.push({
      key: e.key,
      qboId,
      displayName: String(e.fields['Display_Name__c'] ?? e.key),
      level: Number(e.fields['Level__c'] ?? 1),
      existingId: e.id,
      action: 'update',
      changedFields: Object.keys(write).filter((k) => k !== LINK_FIELDS.lastSynced),
      link: { status: 'Inherited', accountId: root.accountId, ...(root.accountSourceKey !== undefined ? { accountSourceKey: root.accountSourceKey } : {}), reason: 'follows its top-level parent' },
      issues: [],
      write: { key: e.key, fields: write, isNew: false, ...(root.accountSourceKey !== undefined ? { accountSourceKey: root.accountSourceKey } : {}) },
    })
  }
  return out
}

/** A record QBO reported no change for whose Account was deleted: only its link is written,
 * decided by the rules as for any customer (contract §5.8). */
function relinkRecord(input: PlanInput, t: LinkSubject, link: PlannedLink | undefined): PlanItem[] {
  const e = t.e
  if (!e || !link) return []
  const write: TargetFields = { [LINK_FIELDS.linkStatus]: link.status }
  if (link.accountSourceKey === undefined) write[LINK_FIELDS.account] = link.accountId
  // Linked or ignored: its suggestion goes (contract §4).
  if (link.status !== 'Unmapped' && link.status !== 'Ambiguous') Object.assign(write, suggestionFields(undefined))
  for (const k of Object.keys(write)) {
    const now = k === LINK_FIELDS.account ? e.accountId : k === LINK_FIELDS.linkStatus ? e.linkStatus : (e.fields[k] ?? null)
    if (sameValue(write[k] as FieldValue, now)) delete write[k]
  }
  if (Object.keys(write).length === 0 && link.accountSourceKey === undefined) {
    // A person's edit in the org that needs no write: remembered (unchanged), so it is seen once.
    if (t.change === 'deleted') return []
    return [{ key: e.key, qboId: t.qboId, displayName: t.displayName, level: Number(e.fields['Level__c'] ?? 0), existingId: e.id, action: 'unchanged', changedFields: [], link, issues: [], linkNow: { accountId: e.accountId, status: e.linkStatus } }]
  }
  const changed = Object.keys(write)
  if (link.accountSourceKey !== undefined) changed.push(LINK_FIELDS.account)
  write[LINK_FIELDS.lastSynced] = input.now
  return [
    {
      key: e.key,
      qboId: t.qboId,
      displayName: t.displayName,
      level: Number(e.fields['Level__c'] ?? 0),
      existingId: e.id,
      action: 'update',
      changedFields: changed,
      link,
      issues: link.issues ?? [],
      linkNow: { accountId: e.accountId, status: e.linkStatus },
      write: { key: e.key, fields: write, isNew: false, ...(link.accountSourceKey !== undefined ? { accountSourceKey: link.accountSourceKey } : {}) },
    },
  ]
}

/** Records of customers QBO no longer has: Tally never deletes a record (people may have linked
 * and used it), but marks it inactive once, so Salesforce does not show a live customer. */
function markGone(input: PlanInput, byId: Map<string, SourceCustomer>): PlanItem[] {
  const out: PlanItem[] = []
  for (const key of input.goneKeys ?? []) {
    const e = input.existing.get(key)
    if (!e || byId.has(String(e.fields['QBO_Id__c'] ?? ''))) continue
    const link: PlannedLink = { status: e.linkStatus ?? 'Unmapped', accountId: e.accountId, reason: 'no longer in QuickBooks (merged or deleted); marked inactive' }
    const base = {
      key,
      qboId: String(e.fields['QBO_Id__c'] ?? ''),
      displayName: String(e.fields['Display_Name__c'] ?? key),
      level: Number(e.fields['Level__c'] ?? 0),
      existingId: e.id,
      link,
      issues: [],
      gone: true,
    }
    if (e.fields['Active__c'] === false) {
      out.push({ ...base, action: 'unchanged', changedFields: [] })
      continue
    }
    out.push({
      ...base,
      action: 'update',
      changedFields: ['Active__c'],
      write: { key, fields: { Active__c: false, [LINK_FIELDS.lastSynced]: input.now }, isNew: false },
    })
  }
  return out
}
