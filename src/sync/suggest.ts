/**
 * @module sync/suggest
 * Suggested Accounts for a customer the exact rules of §5 leave `Unmapped` or `Ambiguous`
 * (contract §10): up to three Accounts, best first, each with a score from 0 to 100 and the reasons
 * in words. Pure: an index built once per run from the Accounts' profiles, then one call per customer.
 *
 * What a score means (design notes "Suggestions"): 90 or more is a promise that a person can accept
 * without looking twice. The name alone reaches it only when the names are the same after
 * normalising (see suggest/name-key) and nothing contradicts it; a spelling difference, a shared word
 * or a name contained in a longer one (a franchise "Sunrise Dental" against "Sunrise Dental – Austin")
 * stays below unless the phone, the street address or the e-mail domain confirms it. A signal that
 * several Accounts share (one brand's website for all its locations) counts for less, and when two
 * Accounts fit equally well neither is promised.
 *
 * Candidates come from blocking, not from scoring every Account: the Accounts that share a name word
 * (or its first four letters, for a spelling difference) or the run-together name — at most
 * MAX_NAME_CANDIDATES of them, those sharing the most and the rarest words, so that common words
 * ("services", "group") cannot flood the scorer — and every Account of the same website domain,
 * phone or postal code and street.
 */
import { distance } from 'fastest-levenshtein'
import { normalizeName } from '../lib/names.js'
import { matchableName } from './link.js'
import type { SourceCustomer } from './model.js'
import { emailDomain, phoneKey, postalKey, streetKey, websiteDomain } from './suggest/contact-keys.js'
import { nameKey, type NameKey } from './suggest/name-key.js'

/** What the suggestions need of an Account (the Account's Name, Website, Phone, BillingStreet and
 * BillingPostalCode). */
export interface AccountProfile {
  id: string
  name: string
  website?: string | null
  phone?: string | null
  billingStreet?: string | null
  billingPostalCode?: string | null
  /** `QBO_Source_Key__c`: set on an Account Tally created (or is creating in this run). */
  sourceKey?: string | null
}

export interface Suggestion {
  accountId: string
  accountName: string
  /** 0–100; 90 or more: accept without looking twice. */
  score: number
  reasons: string[]
}

/** The score at or above which a suggestion is a promise (and `tally links accept`'s default). */
export const CONFIDENT_SCORE = 90

/** A name in the forms it is compared in, computed once. */
interface Keyed {
  key: NameKey
  /** normalizeName of the name as written. */
  exact: string
  /** The words joined: in order, sorted, and run together. */
  joined: string
  sorted: string
  compact: string
}

function keyed(text: string, key: NameKey): Keyed {
  return { key, exact: normalizeName(text), joined: key.tokens.join(' '), sorted: [...key.tokens].sort().join(' '), compact: key.tokens.join('') }
}

interface Prepared extends Keyed {
  profile: AccountProfile
  domain?: string
  phone?: string
  postal?: string
  street?: string
}

function prepare(profile: AccountProfile, key: NameKey = nameKey(profile.name)): Prepared {
  return {
    profile,
    ...keyed(profile.name, key),
    domain: websiteDomain(profile.website ?? undefined),
    phone: phoneKey(profile.phone ?? undefined),
    postal: postalKey(profile.billingPostalCode ?? undefined),
    street: streetKey(firstLine(profile.billingStreet ?? undefined)),
  }
}

/** The Accounts filed under one key, by number: one number for a key only one Account has (most
 * phones, streets and run-together names), a list for the rest. At 100,000 Accounts a list of one
 * for each of those keys was some 20 MB (README, "Memory"). */
type Postings = number | number[]

const sizeOf = (p: Postings | undefined): number => (p === undefined ? 0 : typeof p === 'number' ? 1 : p.length)

function eachOf(p: Postings | undefined, fn: (i: number) => void): void {
  if (p === undefined) return
  if (typeof p === 'number') fn(p)
  else for (const i of p) fn(i)
}

/** How many Accounts the index's cache of prepared Accounts holds, by default, before it starts again. */
const PREPARED_CACHE = 4_096

export interface SuggestionIndex {
  /** The Accounts, by number. */
  readonly profiles: readonly AccountProfile[]
  readonly byToken: ReadonlyMap<string, Postings>
  readonly byPrefix: ReadonlyMap<string, Postings>
  readonly byCompact: ReadonlyMap<string, Postings>
  readonly byDomain: ReadonlyMap<string, Postings>
  readonly byPhone: ReadonlyMap<string, Postings>
  readonly byPostal: ReadonlyMap<string, Postings>
  readonly byAddress: ReadonlyMap<string, Postings>
  /** The Accounts scored lately, prepared (their name's forms and contact keys), by number: made
   * again when scored after they left it. Holding every Account prepared took 1.2 KB each, the
   * largest thing a 100,000-customer import held (README, "Memory"). */
  readonly prepared: Map<number, Prepared>
  readonly preparedCache: number
}

function preparedOf(index: SuggestionIndex, i: number): Prepared {
  const known = index.prepared.get(i)
  if (known) return known
  if (index.prepared.size >= index.preparedCache) index.prepared.clear()
  const p = prepare(index.profiles[i] as AccountProfile)
  index.prepared.set(i, p)
  return p
}

function push(map: Map<string, Postings>, key: string | undefined, i: number): void {
  if (!key) return
  const list = map.get(key)
  if (list === undefined) map.set(key, i)
  else if (typeof list === 'number') {
    if (list !== i) map.set(key, [list, i])
  } else if (list[list.length - 1] !== i) list.push(i)
}

const prefixOf = (t: string): string | undefined => (t.length >= 5 && !/\d/u.test(t) ? t.slice(0, 4) : undefined)

/** What a few customers look Accounts up by: an Account that has none of these keys can be no
 * candidate of theirs, nor change a count their scores read (each count is of one of these keys). */
function lookupKeys(customers: Iterable<SourceCustomer>): Set<string> {
  const keys = new Set<string>()
  for (const c of customers) {
    const cp = customerProfile(c)
    for (const n of cp.names) {
      for (const t of n.key.tokens) {
        keys.add(`t|${t}`)
        const pre = prefixOf(t)
        if (pre) keys.add(`p|${pre}`)
      }
      keys.add(`c|${n.compact}`)
    }
    for (const d of cp.domains) keys.add(`d|${d}`)
    for (const ph of cp.phones) keys.add(`f|${ph}`)
    if (cp.postal) keys.add(`z|${cp.postal}`)
  }
  return keys
}

/**
 * Builds the index once per run; the same Account twice (by Id) counts once. With `forCustomers`,
 * only the Accounts that share a lookup key with one of them are kept: the same suggestions for
 * those customers, from an index a fraction of the size (at 100,000 Accounts and a few thousand
 * customers waiting, the whole index would be the largest thing an import holds).
 */
export function buildSuggestionIndex(accounts: Iterable<AccountProfile>, forCustomers?: Iterable<SourceCustomer>, o: { preparedCache?: number } = {}): SuggestionIndex {
  const wanted = forCustomers ? lookupKeys(forCustomers) : null
  const profiles: AccountProfile[] = []
  const seen = new Set<string>()
  const byToken = new Map<string, Postings>()
  const byPrefix = new Map<string, Postings>()
  const byCompact = new Map<string, Postings>()
  const byDomain = new Map<string, Postings>()
  const byPhone = new Map<string, Postings>()
  const byPostal = new Map<string, Postings>()
  const byAddress = new Map<string, Postings>()
  for (const profile of accounts) {
    if (seen.has(profile.id)) continue
    seen.add(profile.id)
    const key = nameKey(profile.name)
    // Prepared to be filed, then let go (preparedOf makes it again for the scorer).
    const p = prepare(profile, key)
    if (wanted && !sharesKey(p, wanted)) continue
    const i = profiles.push(profile) - 1
    for (const t of key.tokens) {
      push(byToken, t, i)
      push(byPrefix, prefixOf(t), i)
      // "Müller" is indexed as "mueller"; someone who typed "Muller" should still find it.
      const plain = t.replace(/([aou])e/gu, '$1')
      if (plain !== t) push(byToken, plain, i)
    }
    push(byCompact, p.compact, i)
    push(byDomain, p.domain, i)
    push(byPhone, p.phone, i)
    push(byPostal, p.postal, i)
    if (p.postal && p.street) push(byAddress, `${p.postal}|${p.street}`, i)
  }
  return { profiles, byToken, byPrefix, byCompact, byDomain, byPhone, byPostal, byAddress, prepared: new Map(), preparedCache: Math.max(1, o.preparedCache ?? PREPARED_CACHE) }
}

/** Whether an Account is filed under one of these keys in the index below (the same keys). */
function sharesKey(p: Prepared, wanted: ReadonlySet<string>): boolean {
  for (const t of p.key.tokens) {
    const pre = prefixOf(t)
    if (wanted.has(`t|${t}`) || (pre && wanted.has(`p|${pre}`)) || wanted.has(`t|${t.replace(/([aou])e/gu, '$1')}`)) return true
  }
  return wanted.has(`c|${p.compact}`) || (!!p.domain && wanted.has(`d|${p.domain}`)) || (!!p.phone && wanted.has(`f|${p.phone}`)) || (!!p.postal && wanted.has(`z|${p.postal}`))
}

/** Salesforce's BillingStreet holds every line, separated by newlines; the first names the street. */
function firstLine(street: string | undefined): string | undefined {
  return street?.split(/\r?\n/u).find((l) => l.trim().length > 0)
}

interface CustomerProfile {
  /** `via`: the name is not the customer's own but its top-level customer's. */
  names: (Keyed & { text: string; via?: string })[]
  domains: string[]
  phones: string[]
  postal?: string
  street?: string
}

function customerProfile(c: SourceCustomer): CustomerProfile {
  const person = { given: c.givenName, family: c.familyName }
  const texts = new Map<string, string | undefined>()
  const add = (t: string | undefined, via?: string): void => {
    const s = t === undefined ? undefined : matchableName(t, c.active).trim()
    if (s && !texts.has(s)) texts.set(s, via)
  }
  add(c.displayName)
  add(c.companyName)
  // A sub-customer or project belongs to its top-level customer's Account (contract §5).
  if (c.isSubCustomer && c.fullyQualifiedName?.includes(':')) {
    const top = c.fullyQualifiedName.split(':')[0]
    add(top, top)
  }
  if (c.givenName && c.familyName) add(`${c.givenName} ${c.familyName}`)
  const names = [...texts]
    .map(([text, via]) => ({ text, via, ...keyed(text, nameKey(text, person)) }))
    .filter((n) => n.key.tokens.length > 0)
  const domains = [...new Set([emailDomain(c.email), websiteDomain(c.website)].filter((d): d is string => !!d))]
  const phones = [...new Set([c.phone, c.mobile, c.otherPhone].map(phoneKey).filter((p): p is string => !!p))]
  return { names, domains, phones, postal: postalKey(c.billing?.postalCode), street: streetKey(c.billing?.lines[0]) }
}

/** At most this many Accounts are scored per customer by name: those sharing the most and the
 * rarest words. Accounts found by website, phone or street address are always scored. */
const MAX_NAME_CANDIDATES = 100
/** Past this many Accounts, a prefix is looked up only for words no Account has. */
const PREFIX_CROWD = 500

/** Per index, the weights `candidates` adds up, by Account number, and which it touched: one array
 * for every customer scored, cleared after each. A Map per customer, thousands of entries wide for a
 * common word, went straight to V8's large-object space, which only a full GC frees: 100 KB a
 * customer, 1 GB of garbage for the 8,000 customers waiting in a 100,000-customer import. */
const scratch = new WeakMap<SuggestionIndex, { weight: Float64Array; touched: number[] }>()

function candidates(cp: CustomerProfile, index: SuggestionIndex): Set<number> {
  const out = new Set<number>()
  const addAll = (list: Postings | undefined): void => eachOf(list, (i) => out.add(i))
  let s = scratch.get(index)
  if (!s) scratch.set(index, (s = { weight: new Float64Array(index.profiles.length), touched: [] }))
  const { weight, touched } = s
  // The last customer's weights go first (so none is left over, however that call ended).
  for (const i of touched) weight[i] = 0
  touched.length = 0
  // Each shared key counts more the rarer it is; a common word alone cannot flood the scorer.
  const vote = (list: Postings | undefined, w = 1): void => {
    if (list === undefined) return
    const v = w / Math.log2(2 + sizeOf(list))
    eachOf(list, (i) => {
      if (weight[i] === 0) touched.push(i)
      weight[i] = (weight[i] as number) + v
    })
  }
  for (const n of cp.names) {
    for (const t of n.key.tokens) {
      const exact = index.byToken.get(t)
      vote(exact)
      // The word may be misspelt (even into another Account's word): look it up by its first four
      // letters too, unless that brings in a crowd.
      const pre = prefixOf(t)
      const byPre = pre ? index.byPrefix.get(pre) : undefined
      if (byPre !== undefined && (exact === undefined || sizeOf(byPre) <= PREFIX_CROWD)) vote(byPre, 0.5)
    }
    vote(index.byCompact.get(n.compact), 2)
  }
  // In the order first found: ties rank as they were met (the sort is stable).
  if (touched.length <= MAX_NAME_CANDIDATES) for (const i of touched) out.add(i)
  else {
    const ranked = touched.map((i) => [i, weight[i] as number] as const).sort((x, y) => y[1] - x[1])
    for (let k = 0; k < MAX_NAME_CANDIDATES; k++) out.add(ranked[k]![0])
  }
  for (const d of cp.domains) addAll(index.byDomain.get(d))
  for (const p of cp.phones) addAll(index.byPhone.get(p))
  if (cp.postal && cp.street) addAll(index.byAddress.get(`${cp.postal}|${cp.street}`))
  return out
}

/** Words one letter or two from another that mean something else: "Northeast" is not "Northwest". */
const DISTINCT: ReadonlySet<string> = new Set([
  'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'northern',
  'southern', 'eastern', 'western', 'upper', 'lower', 'central', 'first', 'second', 'third',
])

/** Edits one word may differ by and still be "the same word misspelt": none for short words and
 * numbers ("Store 12" is not "Store 14"), one from five letters, two from nine. */
function allowedEdits(a: string, b: string): number {
  if (/\d/u.test(a) || /\d/u.test(b) || a[0] !== b[0] || DISTINCT.has(a) || DISTINCT.has(b)) return 0
  const len = Math.min(a.length, b.length)
  return len >= 9 ? 2 : len >= 5 ? 1 : 0
}

interface NameScore {
  score: number
  reasons: string[]
}

const quote = (s: string): string => `'${s}'`

function sameNameReasons(c: NameKey, a: NameKey, cText: string): string[] {
  const reasons: string[] = []
  const forms = [...new Set([...c.legalForms, ...a.legalForms])]
  if (forms.length > 0) reasons.push(`name without ${forms.map(quote).join(', ')}`)
  const abbr = [...new Set([...c.abbreviations, ...a.abbreviations])]
  if (abbr.length > 0) reasons.push(`${abbr.map((x) => quote(x.charAt(0).toUpperCase() + x.slice(1))).join(', ')} written out`)
  if (c.reordered) reasons.push(`${quote(cText)} read as first name, last name`)
  if (a.reordered) reasons.push('Account name read as first name, last name')
  if (reasons.length === 0) reasons.push('same name apart from case, accents and punctuation')
  return reasons
}

/** How well one of the customer's names fits an Account's name, 0–100, and why. */
function scoreName(cText: string, cn: Keyed, a: Keyed): NameScore {
  const c = cn.key
  if (cn.exact === a.exact) return { score: 100, reasons: ['same name'] }
  const ct = c.tokens
  const at = a.key.tokens
  if (cn.joined === a.joined) return { score: 96, reasons: sameNameReasons(c, a.key, cText) }
  if (cn.sorted === a.sorted) {
    return { score: 93, reasons: [...sameNameReasons(c, a.key, cText).filter((r) => !r.startsWith('same name')), 'same words in another order'] }
  }
  if (cn.compact === a.compact) return { score: 93, reasons: ['same name written with different spacing'] }

  // Align word by word: equal words first, then misspelt ones (by index, so reasons show the words
  // as written).
  const cs = c.shown
  const as = a.key.shown
  const free = at.map(() => true)
  const matched: number[] = []
  const misspelt: [number, number][] = []
  let edits = 0
  const pending: number[] = []
  ct.forEach((t, i) => {
    const j = at.findIndex((x, k) => free[k] && x === t)
    if (j >= 0) {
      free[j] = false
      matched.push(i)
    } else pending.push(i)
  })
  const unmatchedC: number[] = []
  for (const i of pending) {
    const t = ct[i]!
    let best = -1
    let bestD = Infinity
    at.forEach((x, k) => {
      if (!free[k]) return
      const d = distance(t, x)
      if (d <= allowedEdits(t, x) && d < bestD) {
        best = k
        bestD = d
      }
    })
    if (best >= 0) {
      free[best] = false
      misspelt.push([i, best])
      edits += bestD
    } else unmatchedC.push(i)
  }
  const unmatchedA = at.map((_, k) => k).filter((k) => free[k])
  const isInitial = (t: string): boolean => t.length === 1 && !/\d/u.test(t)
  const spelling = misspelt.length > 0 ? [`small spelling difference (${misspelt.map(([i, k]) => `${quote(cs[i]!)} / ${quote(as[k]!)}`).join(', ')})`] : []

  if (unmatchedC.length === 0 && unmatchedA.length === 0) {
    return { score: Math.max(75, 88 - 3 * (edits - 1)), reasons: spelling }
  }
  // "John A. Melton" and "John Melton": only an initial is extra.
  if ([...unmatchedC.map((i) => ct[i]!), ...unmatchedA.map((k) => at[k]!)].every(isInitial) && matched.length + misspelt.length >= 2) {
    return { score: misspelt.length > 0 ? 82 : 88, reasons: [...spelling, 'same name apart from an initial'] }
  }
  const common = matched.length + misspelt.length * 0.8
  if (common === 0) return { score: 0, reasons: [] }
  const dice = (2 * common) / (ct.length + at.length)
  const shared = [...matched, ...misspelt.map(([i]) => i)].sort((x, y) => x - y).map((i) => quote(cs[i]!))
  const reasons = [`shares ${shared.join(', ')}`, ...spelling]
  const onlyC = unmatchedC.map((i) => quote(cs[i]!)).join(', ')
  const onlyA = unmatchedA.map((k) => quote(as[k]!)).join(', ')
  // One name is the other with words added ("Sunrise Dental" — "Sunrise Dental Austin").
  if (unmatchedC.length === 0 || unmatchedA.length === 0) {
    return { score: Math.round(45 + 30 * dice), reasons: [...reasons, `but not ${onlyC || onlyA}`] }
  }
  return { score: Math.round(60 * dice), reasons: [...reasons, `but ${onlyC} against ${onlyA}`] }
}

/** How much each contact signal closes the gap to 100 when it agrees, before it is shared. */
const WEIGHT = { domain: 0.65, phone: 0.75, address: 0.75, postal: 0.15, domainName: 0.4 }
/** What a contradicting signal takes off (both sides have a value and they differ). */
const CONFLICT = { domain: 6, phone: 4, postal: 4 }

function bestName(cp: CustomerProfile, a: Prepared): NameScore {
  let best: NameScore = { score: 0, reasons: [] }
  for (const n of cp.names) {
    const s = scoreName(n.text, n, a)
    if (s.score > best.score) best = n.via ? { score: s.score, reasons: [`by its top-level customer ${quote(n.via)}`, ...s.reasons] } : s
  }
  return best
}

function scoreAccount(cp: CustomerProfile, a: Prepared, best: NameScore, index: SuggestionIndex): Suggestion {
  const reasons = [...best.reasons]
  let keep = 1 // the product of (1 − weight) over agreeing signals
  let conflict = 0
  const shared = (list: Postings | undefined): number => Math.max(1, sizeOf(list))

  if (a.domain && cp.domains.includes(a.domain)) {
    const n = shared(index.byDomain.get(a.domain))
    keep *= 1 - WEIGHT.domain / n
    reasons.push(n > 1 ? `same e-mail domain (${a.domain}), as ${n} Accounts have` : `same e-mail domain (${a.domain})`)
  } else if (a.domain && cp.domains.length > 0) {
    conflict += CONFLICT.domain
    reasons.push(`different e-mail domain (${cp.domains[0]} / ${a.domain})`)
  } else if (!a.domain && cp.domains.some((d) => d.split('.')[0] === a.compact)) {
    keep *= 1 - WEIGHT.domainName
    reasons.push('e-mail domain spells the name')
  }

  if (a.phone && cp.phones.includes(a.phone)) {
    const n = shared(index.byPhone.get(a.phone))
    keep *= 1 - WEIGHT.phone / n
    reasons.push(n > 1 ? `same phone, as ${n} Accounts have` : 'same phone')
  } else if (a.phone && cp.phones.length > 0) {
    conflict += CONFLICT.phone
    reasons.push('different phone')
  }

  if (a.postal && cp.postal === a.postal) {
    if (a.street && cp.street && a.street === cp.street) {
      const n = shared(index.byAddress.get(`${a.postal}|${a.street}`))
      keep *= 1 - WEIGHT.address / n
      reasons.push(n > 1 ? `same postal code and street, as ${n} Accounts have` : 'same postal code and street')
    } else {
      keep *= 1 - WEIGHT.postal / shared(index.byPostal.get(a.postal))
      reasons.push('same postal code')
    }
  } else if (a.postal && cp.postal) {
    conflict += CONFLICT.postal
    reasons.push('different postal code')
  }

  const raw = best.score + (100 - best.score) * (1 - keep) - conflict
  const score = Math.max(0, Math.min(100, Math.round(raw)))
  return { accountId: a.profile.id, accountName: a.profile.name, score, reasons }
}

/** Suggestions below this are noise, not help. */
const MIN_SCORE = 30
/** Two Accounts closer than this fit "equally well". */
const TIE_MARGIN = 3
/** Where the name alone leaves a customer when several Accounts have the same name: only the
 * contact signals can then tell them apart. */
const SHARED_NAME_SCORE = 85

/** Up to `limit` (3) suggested Accounts for one customer, best first. */
export function suggestAccounts(customer: SourceCustomer, index: SuggestionIndex, limit = 3): Suggestion[] {
  const cp = customerProfile(customer)
  const named = [...candidates(cp, index)].map((i) => {
    const a = preparedOf(index, i)
    return { a, name: bestName(cp, a) }
  })
  const sameName = named.filter((n) => n.name.score >= CONFIDENT_SCORE).length
  const scored: Suggestion[] = []
  for (const { a, name } of named) {
    const capped = sameName > 1 && name.score > SHARED_NAME_SCORE
      ? { score: SHARED_NAME_SCORE, reasons: [...name.reasons, `${sameName} Accounts have this name`] }
      : name
    const s = scoreAccount(cp, a, capped, index)
    if (s.score >= MIN_SCORE) scored.push(s)
  }
  // Ties go the same way whether an Account Tally creates in this run exists yet (named by its
  // source key until then) or not: the one Tally created after the others, then by Id.
  const ours = new Set(named.filter((n) => n.a.profile.sourceKey).map((n) => n.a.profile.id))
  scored.sort((x, y) => y.score - x.score || x.accountName.localeCompare(y.accountName) || Number(ours.has(x.accountId)) - Number(ours.has(y.accountId)) || x.accountId.localeCompare(y.accountId))
  const [first, second] = scored
  // No promise when another Account fits as well: a person has to choose.
  if (first && second && first.score >= CONFIDENT_SCORE && first.score - second.score < TIE_MARGIN) {
    for (const s of scored) {
      if (s.score < CONFIDENT_SCORE) break
      s.score = CONFIDENT_SCORE - 1
      s.reasons.push('another Account fits as well')
    }
  }
  return scored.slice(0, limit)
}

/** What to look Accounts up by for the suggestions of a few customers, when the run did not read
 * every Account (sync/run): the name's words (a word of five letters or more by its first four, as
 * the blocking above finds a misspelt one), the e-mail and website domains, the billing postal
 * code. The phone is not among them: Salesforce stores it as typed, and SOQL cannot compare digits. */
export interface SuggestionTerms {
  nameParts: string[]
  domains: string[]
  postalCodes: string[]
}

export function suggestionTerms(customers: Iterable<SourceCustomer>): SuggestionTerms {
  const nameParts = new Set<string>()
  const domains = new Set<string>()
  const postalCodes = new Set<string>()
  for (const c of customers) {
    const cp = customerProfile(c)
    // The words folded (as the scorer compares) and as written: SOQL's LIKE ignores case but not
    // accents, so "Renée" is found by "rené", not by "rene".
    const part = (t: string): void => {
      const chars = [...t]
      const p = chars.length >= 5 && !/\d/u.test(t) ? chars.slice(0, 4).join('') : t
      if ([...p].length >= 3) nameParts.add(p)
    }
    for (const n of cp.names) {
      for (const t of n.key.shown) part(t)
      for (const w of n.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w) part(w)
    }
    for (const d of cp.domains) domains.add(d)
    const raw = c.billing?.postalCode?.trim()
    if (raw) postalCodes.add(raw)
  }
  return { nameParts: [...nameParts], domains: [...domains], postalCodes: [...postalCodes] }
}
