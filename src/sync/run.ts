/**
 * @module sync/run
 * One run: read → plan → apply → summary (design notes, "The shape of a run"). Reading gathers
 * the QBO customers, the records in Salesforce now and Tally's memory, then only the Accounts the
 * mapping needs, by whichever of "read them all" and "look the names up" costs fewer calls.
 */
import { applyPlan, type ItemOutcome } from './apply.js'
import { LINK_FIELDS, SUGGESTION_FIELDS, SYNCED_FIELDS } from './fields.js'
import { editedInOrg, indexAccounts, linkChange, matchableName, normalizeName, type AccountIndex } from './link.js'
import { readChangedRecords } from './read-changed.js'
import { buildSuggestionIndex, suggestionTerms, type SuggestionIndex } from './suggest.js'
import { customerKey, type TargetFields, type AccountFate, type AccountRef, type ExistingRecord, type LinkStatus, type RecordState, type SourceCustomer } from './model.js'
import { accountsToCheck, namesToMatch, planLinks, planSync, compactRecords, waitingForSuggestions, withSuggestedLinks, type LinkPlan, type Plan, type PlanInput, type SyncSettings } from './plan.js'
import type { CustomerSource, OwnWrites, Progress, SalesforceTarget, Spool, SyncStateStore, WriteSpool } from './ports.js'
import { CustomerReader, wholeCustomer } from './spooled-customer.js'

export interface RunDeps {
  source: CustomerSource
  target: SalesforceTarget
  state: SyncStateStore
  /** Makes a spool (`name`: what it keeps): a run of at least BIG_RUN customers keeps its customers
   * whole in one until planned, and, when it writes, its planned writes' values in another until
   * they are sent (without it, the run holds both). */
  spool?: <T>(name: string) => Spool<T>
}

export interface RunOptions {
  runId: string
  mode: 'import' | 'sync'
  dryRun: boolean
  settings: SyncSettings
  /** For a sync: read what changed in QBO since this instant. */
  since?: Date
  /** With `since`: the last run's own writes to Salesforce (made as this user, none later than
   * `until`), which the read of what changed in Salesforce since skips (sync/read-changed). */
  ownWrites?: OwnWrites
  /** Send again the writes Salesforce refused in earlier runs (after their cause was fixed). */
  retryRefused?: boolean
  /** Read every record of the company from Salesforce even when reading QBO's changes (tests
   * compare the two reads' outcomes; see sync/read-changed). */
  readAllRecords?: boolean
  /** Compute suggestions for Unmapped and Ambiguous customers (default true; contract §10). */
  suggest?: boolean
  now?: () => Date
  onProgress?: (p: Progress) => void
  /** Frees what the run has let go of, at once (a full GC: lib/heap): called in a run of at least
   * BIG_RUN customers each time a large structure has just been dropped. */
  releaseMemory?: () => void
}

/** From this many customers a run asks for memory back at its phases (`releaseMemory`): below it,
 * what it holds is small and the collections would only cost time. */
export const BIG_RUN = 10_000

export interface SummaryError {
  qboId: string
  displayName: string
  field: string | null
  code: string
  message: string
  /** `error`: the record failed. `warning`: it synced, but a value did not fit its field. */
  level: 'error' | 'warning'
}

/** The summary of contract §6 (`tally import --json`). */
export interface RunSummary {
  runId: string
  mode: 'import' | 'sync'
  dryRun: boolean
  status: 'succeeded' | 'partial' | 'failed'
  customers: { seen: number; created: number; updated: number; unchanged: number; failed: number }
  /** `ignored` is added to contract §6's counts (§5.11). */
  links: { matched: number; created: number; inherited: number; manual: number; unmapped: number; ambiguous: number; ignored: number }
  accountsCreated: number
  /** Records whose customer QBO no longer has (merged away), marked inactive in this run. */
  goneFromQbo: number
  /** What was read from QBO: CDC's `changes` since the checkpoint, or `all` customers (an import,
   * a first sync, or a sync whose changes exceeded what CDC returns). */
  read: 'changes' | 'all'
  apiCalls: { qbo: number; salesforce: number }
  /** The org's daily API usage after the run, from Salesforce's Sforce-Limit-Info header. */
  salesforceApiUsage?: { used: number; max: number }
  durationMs: number
  errors: SummaryError[]
}

export interface RunResult {
  summary: RunSummary
  plan: Plan
  outcomes: ItemOutcome[] | null
  /** The customers that were read, as much of them as is used after the run (`CustomerBrief`). */
  customers: CustomerBrief[]
  /** The latest `LastUpdatedTime` of the customers read (ms since the epoch), or null when none
   * says: the automatic sync's lag starts there. */
  lastUpdatedAt: number | null
  /** Names of the Accounts this run saw or created, by Id (for the Hub's view). */
  accountNames: Map<string, string>
  /** When the QBO read started (a sync's next `since`). */
  readAt: Date
  /** The link changes this run made or saw (contract §10's history); none for a dry run. Made as
   * they are read, each time: a first import's 100,000 are never held at once (README, "Memory"). */
  linkChanges: () => Iterable<LinkChangeRecord>
}

/** What a run keeps of a customer it read once the plan is made: what the Hub's view of the
 * records uses. The whole customer is only needed to map its fields; a big run does not hold
 * 100,000 of them through its writes (README, "Memory"). */
export type CustomerBrief = Pick<SourceCustomer, 'qboId' | 'displayName' | 'active' | 'isSubCustomer' | 'parentQboId' | 'email'>

function briefOf(c: SourceCustomer): CustomerBrief {
  // Every property in one literal, absent ones undefined: all held in the object (properties added
  // after it is made go to an array of their own, 40 bytes a customer: lib/objects).
  return { qboId: c.qboId, displayName: c.displayName, active: c.active, isSubCustomer: c.isSubCustomer, parentQboId: c.parentQboId, email: c.email }
}

/** The later of `latest` and when QBO last updated this customer. */
function laterUpdate(latest: number | null, c: SourceCustomer): number | null {
  const at = c.updatedAt ? Date.parse(c.updatedAt) : NaN
  return Number.isFinite(at) && (latest === null || at > latest) ? at : latest
}

/** One change of a record's link, as the history records it (the store adds when and an id). */
export interface LinkChangeRecord {
  /** `tally` for the run, `salesforce:<user>` for an edit in the org that the run saw. */
  who: string
  qboKey: string
  qboId: string
  displayName: string
  fromAccountId: string | null
  fromAccountName: string | null
  toAccountId: string | null
  toAccountName: string | null
  fromStatus: string | null
  toStatus: string | null
  reason: string
}

/** Every field the plan compares: the synced ones plus the parent lookup. */
export const DIFFED_FIELDS: readonly string[] = [...SYNCED_FIELDS.map((f) => f.name), LINK_FIELDS.parent, ...SUGGESTION_FIELDS]

const LINK_KEYS: Record<LinkStatus, keyof RunSummary['links']> = {
  Matched: 'matched',
  Created: 'created',
  Inherited: 'inherited',
  Manual: 'manual',
  Unmapped: 'unmapped',
  Ambiguous: 'ambiguous',
  Ignored: 'ignored',
}

export async function runSync(deps: RunDeps, opts: RunOptions): Promise<RunResult> {
  // The customers' spool, once a big read makes it: closed however the run ends (a read or a call
  // that fails, too), since a long-running Hub runs many.
  const spools: { customers: CustomerReader | null } = { customers: null }
  try {
    return await readAndRun(deps, opts, spools)
  } finally {
    spools.customers?.close()
  }
}

async function readAndRun(deps: RunDeps, opts: RunOptions, spools: { customers: CustomerReader | null }): Promise<RunResult> {
  const now = opts.now ?? (() => new Date())
  const started = now().getTime()
  const { source, target, state } = deps
  const progress = opts.onProgress ?? (() => {})

  // Read. A sync's next window starts where this read started (not ended), so nothing changed
  // while reading is missed.
  const readAt = now()
  progress({ phase: 'reading', done: 0, total: 0 })
  let customers: SourceCustomer[] = []
  let deletedIds: string[] | null = null
  // A sync reads CDC's changes; with no checkpoint, or when CDC's answer may be incomplete (its
  // cap of 1,000 objects, which it reaches without saying what it dropped), it reads every
  // customer: the plan then writes only what differs (README, "Incremental sync").
  const changes = opts.mode === 'sync' && opts.since ? await source.listChangedCustomers(opts.since) : null
  /** Taken as the customers are read: a customer held afterwards does not keep its update time. */
  let lastUpdatedAt: number | null = null
  if (changes) {
    // The run's own array (it empties it once planned).
    customers = [...changes.customers]
    deletedIds = changes.deletedIds
    for (const c of customers) lastUpdatedAt = laterUpdate(lastUpdatedAt, c)
  } else {
    for await (const page of source.listAllCustomers()) {
      for (const c of page) {
        lastUpdatedAt = laterUpdate(lastUpdatedAt, c)
        customers.push(spools.customers ? spools.customers.keep(c) : c)
      }
      // A big run's customers are read back whole only as they are used (sync/spooled-customer):
      // from BIG_RUN on, those read so far too.
      if (!spools.customers && customers.length >= BIG_RUN && deps.spool) {
        const reader = (spools.customers = new CustomerReader(deps.spool<SourceCustomer>('customers')))
        for (let i = 0; i < customers.length; i += 1) customers[i] = reader.keep(customers[i] as SourceCustomer)
      }
      progress({ phase: 'reading', done: customers.length, total: 0 })
    }
  }
  const big = customers.length >= BIG_RUN
  const release = () => {
    if (big) opts.releaseMemory?.()
  }
  // The pages' wire objects and their parse are garbage now.
  release()
  const states = await state.loadRecordStates(source.realmId)
  // A sync of QBO's changes reads only the records those changes and Salesforce's own changes since
  // the last sync can touch (sync/read-changed); a full read of QBO reads every record.
  const partial = changes && opts.since && !opts.readAllRecords
    ? await readChangedRecords(target, { realmId: source.realmId, customers, deletedIds: deletedIds ?? [], since: opts.since, ...(opts.ownWrites ? { ownWrites: opts.ownWrites } : {}), states, fieldNames: DIFFED_FIELDS })
    : null
  const { records: existingList, settled } = partial ? { records: partial.existing, settled: false } : await readRecords(target, source.realmId, customers, states, opts.settings)
  const existing = new Map(existingList.map((e) => [e.key, e]))
  // A full read's pages (or Bulk query results) are garbage now.
  release()
  // What QBO no longer has: a full read knows it by absence, a sync from CDC's Deleted entries.
  const goneKeys = goneFromQbo(source.realmId, customers, existingList, deletedIds)

  // Links Salesforce changed itself (contract §5.8): only when a record's Account__c is not what
  // Tally wrote does the Recycle Bin tell a merge or a delete from a person's edit — one queryAll
  // for all of them, and no call at all when there are none (nor for the Accounts an incremental
  // read already knows were deleted since the last sync).
  const toCheck = accountsToCheck(existing, states)
  const known = new Map((partial?.deletedAccounts ?? []).map((f) => [f.id, f]))
  const unknown = toCheck.filter((id) => !known.has(id))
  const fetched = unknown.length > 0 ? await target.accountFates(unknown) : []
  const accountFates = new Map([...toCheck.filter((id) => known.has(id)).map((id) => [id, known.get(id) as AccountFate] as const), ...fetched.map((f) => [f.id, f] as const)])

  progress({ phase: 'planning', done: 0, total: customers.length })
  // A big run's writes keep their values out of the heap until each wave is sent (ports WriteSpool).
  const spool = big && !opts.dryRun ? deps.spool?.<TargetFields>('writes') : undefined
  try {
    return await planAndApply({ realmId: source.realmId, customers, existing, existingList, states, goneKeys, accountFates, target, incremental: changes !== null, settled, opts, big, now, release, ...(spool ? { spool } : {}) }, { deps, readAt, started, lastUpdatedAt })
  } finally {
    spool?.close()
  }
}

/**
 * Every record of the company, each made compact as it is read (`compactRecords`), and whether
 * every customer read has one holding every value it maps to (a re-import of a company that did
 * not change: none is left waiting for a suggestion unless its link changes). In a function of its
 * own: the compactor's map of every customer goes when it returns, not with the run (README, "Memory").
 */
async function readRecords(target: SalesforceTarget, realmId: string, customers: readonly SourceCustomer[], states: ReadonlyMap<string, RecordState>, settings: SyncSettings): Promise<{ records: ExistingRecord[]; settled: boolean }> {
  const compact = compactRecords(customers, states, settings)
  const records = await target.listExistingRecords(realmId, DIFFED_FIELDS, compact.onRecord)
  return { records, settled: customers.length > 0 && compact.unchanged() === customers.length }
}

/** The run from its plan on: planned, written, summed up. */
async function planAndApply(r: PlanRunInput, run: { deps: RunDeps; readAt: Date; started: number; lastUpdatedAt: number | null }): Promise<RunResult> {
  const { opts, customers, existing, states, accountFates, target, release, now, spool } = r
  const { source, state } = run.deps
  const progress = opts.onProgress ?? (() => {})
  // In a function of its own: what planning holds (every Account read, the suggestion index) goes
  // when it returns. Held in this one's locals, an async function's frame would keep it through
  // the writes, whatever the locals are set to after (README, "Memory").
  const { plan, accountNames } = await planRun(r)
  // From here the customers are needed only as the result keeps them: the whole customers are
  // garbage now, with planning's own work (the subjects, the tree, the mapped fields).
  const kept = customers.map(briefOf)
  // One array, which the plan's input (and a sync's CDC answer) hold too: emptied, not replaced.
  customers.length = 0
  release()
  let outcomes: ItemOutcome[] | null = null
  let accountsCreated = plan.accountsToCreate.length
  if (!opts.dryRun) {
    const total = plan.items.filter((i) => i.write).length
    progress({ phase: 'writing', done: 0, total })
    const applied = await applyPlan(plan, target, {
      realmId: source.realmId,
      state,
      known: states,
      onProgress: (done, t) => progress({ phase: 'writing', done, total: t }),
      afterJob: release,
      ...(spool ? { spool } : {}),
    })
    outcomes = applied.outcomes
    accountsCreated = applied.accountsCreated
  }

  const summary = summarize(opts, plan, outcomes, accountsCreated, {
    read: r.incremental ? 'changes' : 'all',
    // The ports count from their clients' creation (made per run), so connecting and the package
    // check are in these figures.
    apiCalls: { qbo: source.apiCalls(), salesforce: target.apiCalls() },
    durationMs: now().getTime() - run.started,
    usage: target.apiUsage(),
  })
  progress({ phase: 'done', done: plan.items.length, total: plan.items.length })
  const createdNames = new Map(plan.accountsToCreate.map((a) => [a.sourceKey, a.name]))
  for (const o of outcomes ?? []) {
    const sk = o.item.write?.accountSourceKey
    if (o.accountId && sk && createdNames.has(sk)) accountNames.set(o.accountId, createdNames.get(sk) as string)
  }
  const linkChanges = () => (outcomes ? linkChangesOf(outcomes, existing, states, accountFates, accountNames) : [])
  return { summary, plan, outcomes, readAt: run.readAt, customers: kept, lastUpdatedAt: run.lastUpdatedAt, accountNames, linkChanges }
}

/** What planning reads besides the ports. */
interface PlanRunInput {
  realmId: string
  customers: SourceCustomer[]
  existing: ReadonlyMap<string, ExistingRecord>
  existingList: readonly ExistingRecord[]
  states: ReadonlyMap<string, RecordState>
  goneKeys: ReadonlySet<string>
  accountFates: ReadonlyMap<string, AccountFate>
  target: SalesforceTarget
  /** A sync of QBO's changes (not every customer). */
  incremental: boolean
  /** Every customer read has a record that holds every value it maps to (`RecordCompactor`). */
  settled: boolean
  opts: RunOptions
  big: boolean
  now: () => Date
  release: () => void
  spool?: WriteSpool
}

/** The plan, from the Accounts the mapping needs and the waiting customers' suggestions
 * (`runLinks`); and the names of the Accounts it links records to. The Accounts (100,000 of
 * them, with what suggestions compare) are gone before the items are made: they are read and
 * let go in a function of its own (README, "Memory"). */
async function planRun(r: PlanRunInput): Promise<{ plan: Plan; accountNames: Map<string, string> }> {
  const { input, links, accountNames } = await runLinks(r)
  r.release()
  return { plan: planSync(input, links), accountNames }
}

/** The Accounts these names need, by the cheaper of reading all and looking the names up; whether
 * they are every Account with what suggestions compare; and suggestion candidates read with them.
 * In a function of its own: every Account read goes when it returns, where only some are kept. */
async function readAccounts(r: PlanRunInput, names: readonly string[]): Promise<{ accounts: AccountRef[]; readAll: boolean; early: { candidates: AccountRef[]; forIds: Set<string> } | null }> {
  let accounts: AccountRef[] = []
  let readAll = false
  /** Suggestion candidates read with the name lookup, and for which customers. */
  let early: { candidates: AccountRef[]; forIds: Set<string> } | null = null
  if (names.length > 0) {
    const { target, customers } = r
    // Probing costs one call and saves at most lookupCalls − 1, so it is only worth it from 3 up.
    const lookupCalls = target.nameLookupCalls(names)
    const all = lookupCalls <= 2 ? null : await target.listAllAccounts(lookupCalls)
    readAll = all !== null
    // A sync of a few customers not linked yet: the candidates of their suggestions come in the
    // same call as their names' Accounts, in case they are left waiting (a superset of what the
    // waiting ones alone would read, which scores them the same: sync/suggest).
    const unlinked = !all && r.incremental && r.opts.suggest !== false && target.findAccountsAndCandidates ? customersNamed(customers, names) : []
    const both = unlinked.length > 0 ? await target.findAccountsAndCandidates?.(names, suggestionTerms(unlinked)) : null
    if (both) early = { candidates: both.candidates, forIds: new Set(unlinked.map((c) => c.qboId)) }
    accounts = all ?? both?.accounts ?? (await target.findAccountsByNames(names))
    // Nothing changed in the company: what suggestions compare is needed only for a customer whose
    // link changes (its candidates are then read: `suggestionProfiles`), so only the Accounts the
    // names can match are kept, without it (a re-import of 100,000 held 80,000 with it while its
    // links were decided: README, "Memory").
    if (all && r.settled) {
      accounts = forMatching(all, names, r.existing, r.states)
      readAll = false
    }
  }
  return { accounts, readAll, early }
}

/** Every top-level link, with the suggestions of the customers left waiting, and the names of the
 * Accounts the links name; the plan's input, without the Accounts (the links are decided). */
async function runLinks(r: PlanRunInput): Promise<{ input: PlanInput; links: LinkPlan; accountNames: Map<string, string> }> {
  const { input, decided, accountNames, scoring } = await topLinks(r)
  // Scored after every Account read is gone: of them only those the waiting customers can find
  // (the suggestion index) and those their names match are held while they are scored, which at
  // 100,000 customers takes longer than any phase but the writes (README, "Memory").
  const links = scoring ? withSuggestedLinks(input, decided, scoring.index, scoring.waiting) : decided
  return { input: { ...input, accounts: new Map() }, links, accountNames }
}

/**
 * The top-level links as the Accounts the mapping needs decide them (`planLinks`), the names of
 * the Accounts they name, and what the customers left waiting are scored from: the suggestion index
 * from the Accounts' profiles (read with every Account at no call more when the run read them all;
 * else the Accounts that share a name part, domain or postal code with those customers, or every
 * Account, whichever costs fewer calls), and the plan's input with only the Accounts their names
 * match (they are decided again with their suggestions: `withSuggestedLinks`). In a function of its
 * own: every Account read goes when it returns.
 */
async function topLinks(r: PlanRunInput): Promise<{ input: PlanInput; decided: LinkPlan; accountNames: Map<string, string>; scoring: { index: SuggestionIndex; waiting: SourceCustomer[] } | null }> {
  const { realmId, customers, existing, existingList, states, goneKeys, accountFates, target, opts, big, now, release } = r
  // Accounts: only the names that need matching, by the cheaper of the two ways. Reading all
  // starts with its first page, whose totalSize says whether the rest is worth it; only when
  // looking the names up is cheaper does that one call go to waste (as a COUNT() would).
  const names = namesToMatch({ realmId, customers, existing, states, settings: opts.settings, goneKeys, accountFates })
  const { accounts, readAll, early } = await readAccounts(r, names)

  // The Accounts' pages (or a Bulk query's sets) are garbage now.
  release()
  const input: PlanInput = {
    realmId,
    customers,
    existing,
    states,
    accounts: indexAccounts(accounts),
    settings: opts.settings,
    now: now().toISOString(),
    goneKeys,
    accountFates,
    retryRefused: opts.retryRefused ?? false,
    incremental: r.incremental,
    ...(big && opts.releaseMemory ? { pace: opts.releaseMemory } : {}),
    ...(r.spool ? { spool: r.spool } : {}),
  }
  // Suggestions for the customers left Unmapped or Ambiguous (contract §10) are given before any
  // item is made, so a big import never holds its plan and the suggestion index at once (README,
  // "Memory").
  const decided = planLinks(input)
  // What deciding them took (every customer's subject, the tree) is garbage now: a re-import holds
  // the most here, its customers, records and Accounts at once (README, "Memory").
  release()
  // A suggestion links nothing: the links' Accounts are those decided here.
  const accountNames = namesOfLinked(decided, states, existingList, accounts)
  // Whole: scoring reads a customer's names, contacts and address many times over (a few thousand
  // of a big run's customers, read back from its spool once each).
  const waiting = opts.suggest !== false ? waitingForSuggestions(input, decided).map(wholeCustomer) : []
  if (waiting.length === 0) return { input: { ...input, accounts: new Map() }, decided, accountNames, scoring: null }
  // The items made to tell which wait are garbage before the index is built.
  release()
  const profiles = readAll ? accounts : early && waiting.every((c) => early.forIds.has(c.qboId)) ? early.candidates : await suggestionProfiles(target, waiting)
  const index = suggestionIndex(accounts, profiles, decided.accountsToCreate, waiting)
  return { input: { ...input, accounts: accountsNamed(input.accounts, waiting) }, decided, accountNames, scoring: { index, waiting } }
}

/** The entries of a name index these customers' names find (those `decideLinks` reads for them). */
function accountsNamed(index: AccountIndex, customers: readonly SourceCustomer[]): AccountIndex {
  const out: AccountIndex = new Map()
  for (const c of customers) {
    const k = normalizeName(matchableName(c.displayName, c.active))
    const found = index.get(k)
    if (found) out.set(k, found)
  }
  return out
}

/** The names of the Accounts the result can show (the Hub's view of the records, the link
 * history): those the top-level links name (a sub-customer inherits one of them, or its parent's
 * record's, whose name was read with it), and those Tally last wrote to the records, as this run
 * read them; the Accounts it creates are named once created. */
function namesOfLinked(links: LinkPlan, states: ReadonlyMap<string, RecordState>, existing: readonly ExistingRecord[], accounts: readonly AccountRef[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const e of existing) if (e.accountId && e.accountName) names.set(e.accountId, e.accountName)
  const wanted = new Set<string>()
  for (const link of links.links.values()) if (link.accountId) wanted.add(link.accountId)
  for (const s of states.values()) if (s.accountWritten) wanted.add(s.accountWritten)
  for (const a of accounts) if (wanted.has(a.id)) names.set(a.id, a.name)
  return names
}

/** The keys of the records whose customer QBO no longer has: by absence from a full read, or from
 * CDC's Deleted entries. */
function goneFromQbo(realmId: string, customers: readonly SourceCustomer[], existing: readonly ExistingRecord[], deletedIds: readonly string[] | null): Set<string> {
  if (deletedIds !== null) return new Set(deletedIds.map((id) => customerKey(realmId, id)))
  const read = new Set(customers.map((c) => customerKey(realmId, c.qboId)))
  return new Set(existing.map((e) => e.key).filter((k) => !read.has(k)))
}

/**
 * What changed in the links, for the history (contract §10): an edit a person made in the org since
 * Tally last wrote the record (who = that Salesforce user; Tally then keeps it as Manual), and every
 * link the run itself set or changed (who = `tally`). A new record that waits unlinked is not a change.
 */
function* linkChangesOf(
  outcomes: readonly ItemOutcome[],
  existing: ReadonlyMap<string, ExistingRecord>,
  states: ReadonlyMap<string, RecordState>,
  fates: ReadonlyMap<string, AccountFate>,
  names: ReadonlyMap<string, string>,
): Generator<LinkChangeRecord> {
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null)
  for (const o of outcomes) {
    if (o.status === 'failed' || o.item.gone) continue
    const { key, qboId, displayName } = o.item
    const e = existing.get(key)
    const s = states.get(key)
    const base = { qboKey: key, qboId, displayName }
    if (e && editedInOrg(e, s, linkChange(e, s, fates))) {
      yield {
        ...base,
        who: `salesforce:${e.lastModifiedBy ?? 'unknown user'}`,
        fromAccountId: s?.accountWritten ?? null,
        fromAccountName: name(s?.accountWritten ?? null),
        toAccountId: o.accountId,
        toAccountName: name(o.accountId),
        fromStatus: s?.linkStatus ?? null,
        toStatus: o.linkStatus,
        reason: 'changed in Salesforce; Tally keeps it as a person\'s link',
      }
      continue
    }
    const before = o.item.linkNow ?? { accountId: null, status: null }
    if ((before.accountId ?? null) === (o.accountId ?? null) && before.status === o.linkStatus) continue
    if (!o.item.linkNow && o.accountId === null && o.linkStatus !== 'Ambiguous') continue
    yield {
      ...base,
      who: 'tally',
      fromAccountId: before.accountId ?? null,
      fromAccountName: name(before.accountId ?? null),
      toAccountId: o.accountId,
      toAccountName: name(o.accountId),
      fromStatus: before.status,
      toStatus: o.linkStatus,
      reason: o.item.link.reason,
    }
  }
}

/** The index the waiting customers' suggestions are scored from: the Accounts read with their
 * profiles, the name-matched ones (an Ambiguous customer's candidates, without their profiles when
 * the lookup did not read them), and the Accounts this run creates, named by their source key until
 * they exist (a run resumed after they were created, or the next run, then suggests the same). Only
 * the Accounts those customers can find are kept (`buildSuggestionIndex`). */
function suggestionIndex(accounts: readonly AccountRef[], profiles: readonly AccountRef[], accountsToCreate: LinkPlan['accountsToCreate'], waiting: readonly SourceCustomer[]) {
  const byId = new Map(accounts.map((a) => [a.id, a]))
  for (const p of profiles) byId.set(p.id, p)
  const created = new Set([...byId.values()].map((a) => a.sourceKey).filter(Boolean))
  for (const a of accountsToCreate) if (!created.has(a.sourceKey)) byId.set(a.sourceKey, { id: a.sourceKey, name: a.name, sourceKey: a.sourceKey })
  return buildSuggestionIndex(byId.values(), waiting)
}

/** The Accounts a plan can link by these names, and those Tally last linked records to that now
 * point elsewhere (the link history names them), without what suggestions compare. */
function forMatching(accounts: readonly AccountRef[], names: readonly string[], existing: ReadonlyMap<string, ExistingRecord>, states: ReadonlyMap<string, RecordState>): AccountRef[] {
  const wanted = new Set(names.map(normalizeName))
  const named = new Set<string>()
  for (const e of existing.values()) {
    const written = states.get(e.key)?.accountWritten
    if (written && written !== e.accountId) named.add(written)
  }
  const out: AccountRef[] = []
  for (const a of accounts) if (wanted.has(normalizeName(a.name)) || named.has(a.id)) out.push({ id: a.id, name: a.name, sourceKey: a.sourceKey ?? null })
  return out
}

/** The top-level customers whose name is one of these (matchable) names: those a sync links by name. */
function customersNamed(customers: readonly SourceCustomer[], names: readonly string[]): SourceCustomer[] {
  const wanted = new Set(names)
  return customers.filter((c) => !c.isSubCustomer && wanted.has(matchableName(c.displayName, c.active)))
}

/** The Accounts a few customers' suggestions are scored from: those sharing a term with them, or
 * every Account when that takes fewer calls (the first page tells: one call more at most). */
export async function suggestionProfiles(target: SalesforceTarget, waiting: readonly SourceCustomer[]): Promise<AccountRef[]> {
  const terms = suggestionTerms(waiting)
  const calls = target.suggestionLookupCalls(terms)
  const all = calls <= 2 ? null : await target.listAllAccounts(calls)
  return all ?? (await target.findSuggestionCandidates(terms))
}

function summarize(
  opts: RunOptions,
  plan: Plan,
  outcomes: ItemOutcome[] | null,
  accountsCreated: number,
  run: { read: RunSummary['read']; apiCalls: RunSummary['apiCalls']; durationMs: number; usage: RunSummary['salesforceApiUsage'] | null },
): RunSummary {
  const customers = { seen: 0, created: 0, updated: 0, unchanged: 0, failed: 0 }
  const links = { matched: 0, created: 0, inherited: 0, manual: 0, unmapped: 0, ambiguous: 0, ignored: 0 }
  const errors: SummaryError[] = []
  let goneFromQbo = 0
  let goneFailed = 0
  // A dry run reports what the run would do: a write refused before would not be sent.
  const rows = outcomes ?? plan.items.map((item) => ({
    item,
    status: item.held ? 'failed' : item.action === 'create' ? 'created' : item.action === 'update' ? 'updated' : 'unchanged',
    linkStatus: item.link.status,
    errors: [...(item.held ?? []), ...(item.link.refused ?? [])],
    warnings: item.issues,
  }))
  for (const o of rows) {
    if (o.item.gone) {
      // Not a customer QBO returned: counted apart, and only when its record was (to be) written.
      if (o.status === 'updated') goneFromQbo += 1
      if (o.status === 'failed') goneFailed += 1
      for (const e of o.errors) errors.push({ qboId: o.item.qboId, displayName: o.item.displayName, field: e.field, code: e.code, message: e.message, level: 'error' })
      continue
    }
    customers.seen += 1
    customers[o.status as keyof typeof customers] += 1
    // A record that failed was not written, so nothing was linked.
    if (o.status !== 'failed') links[LINK_KEYS[o.linkStatus]] += 1
    const who = { qboId: o.item.qboId, displayName: o.item.displayName }
    for (const e of o.errors) errors.push({ ...who, field: e.field, code: e.code, message: e.message, level: 'error' })
    for (const w of o.warnings) errors.push({ ...who, field: w.field, code: w.code, message: w.message, level: 'warning' })
  }
  return {
    runId: opts.runId,
    mode: opts.mode,
    dryRun: opts.dryRun,
    // A record written without the Account it should have (its creation failed) is incomplete too.
    status: customers.failed + goneFailed > 0 || errors.some((e) => e.level === 'error') ? 'partial' : 'succeeded',
    customers,
    links,
    accountsCreated,
    goneFromQbo,
    read: run.read,
    apiCalls: run.apiCalls,
    ...(run.usage ? { salesforceApiUsage: run.usage } : {}),
    durationMs: run.durationMs,
    errors,
  }
}
