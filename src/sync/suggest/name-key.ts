/**
 * @module sync/suggest/name-key
 * A name reduced to the words that tell one organisation or person from another (contract §10):
 * accents, case and punctuation gone, "&" read as "and" and dropped with it, a leading "The"
 * dropped, legal forms of the US, UK, DE, FR, NL and other countries dropped (also in dotted forms
 * such as "L.L.C." or "S.A.R.L."), "Last, First" read as "First Last", and common abbreviations
 * written out; a person's titles ("Dr.", "Mrs") and letters ("DDS", "CPA") are dropped. It also records what it changed, so a suggestion can say why two names agree.
 */

/** Legal forms; keys are the form with dots and spaces removed, values how a reason shows them. */
const LEGAL_FORMS: ReadonlyMap<string, string> = new Map([
  // US / UK / Ireland / Commonwealth
  ['inc', 'Inc.'], ['incorporated', 'Incorporated'], ['corp', 'Corp.'], ['corporation', 'Corporation'],
  ['co', 'Co.'], ['company', 'Company'], ['llc', 'LLC'], ['llp', 'LLP'], ['lp', 'LP'], ['lllp', 'LLLP'],
  ['pllc', 'PLLC'], ['pc', 'P.C.'], ['pa', 'P.A.'], ['ltd', 'Ltd'], ['limited', 'Limited'], ['plc', 'PLC'],
  ['cic', 'CIC'], ['pty', 'Pty'], ['ulc', 'ULC'],
  // Germany / Austria / Switzerland
  ['gmbh', 'GmbH'], ['ag', 'AG'], ['kg', 'KG'], ['ohg', 'OHG'], ['gbr', 'GbR'], ['ug', 'UG'],
  ['haftungsbeschrankt', '(haftungsbeschränkt)'], ['ek', 'e.K.'], ['ev', 'e.V.'], ['eg', 'eG'], ['kgaa', 'KGaA'],
  // France / Belgium / Luxembourg
  ['sarl', 'SARL'], ['sas', 'SAS'], ['sasu', 'SASU'], ['eurl', 'EURL'], ['sa', 'S.A.'], ['sci', 'SCI'],
  ['snc', 'SNC'], ['sprl', 'SPRL'], ['srl', 'SRL'],
  // Netherlands / Belgium
  ['bv', 'B.V.'], ['nv', 'N.V.'], ['vof', 'V.O.F.'], ['cv', 'C.V.'],
  // Southern and northern Europe
  ['spa', 'S.p.A.'], ['sl', 'S.L.'], ['slu', 'S.L.U.'], ['lda', 'Lda.'], ['ab', 'AB'], ['oy', 'Oy'],
  ['aps', 'ApS'], ['asa', 'ASA'],
])

/** A person's titles before the name and letters after it ("Dr. Jane Doe, DDS" is "Jane Doe"); they
 * are dropped like legal forms. "Jr"/"Sr" stay: they tell two people apart. */
const TITLES: ReadonlyMap<string, string> = new Map([
  ['mr', 'Mr'], ['mrs', 'Mrs'], ['ms', 'Ms'], ['miss', 'Miss'], ['dr', 'Dr.'], ['prof', 'Prof.'],
  ['herr', 'Herr'], ['frau', 'Frau'], ['mme', 'Mme'], ['dhr', 'Dhr.'], ['mevr', 'Mevr.'],
])
const POST_NOMINALS: ReadonlyMap<string, string> = new Map([
  ['md', 'MD'], ['dds', 'DDS'], ['dmd', 'DMD'], ['dvm', 'DVM'], ['cpa', 'CPA'], ['esq', 'Esq.'], ['phd', 'PhD'],
])

/** Forms that also start a name ("SARL Dupont", "SAS Martin"); others are only dropped at the end,
 * so that "AG Builders" keeps its "AG". */
const LEADING_FORMS: ReadonlySet<string> = new Set(['sarl', 'sas', 'sasu', 'eurl', 'sci', 'snc', 'bv', 'vof'])

/** Abbreviations written out (as lower-case words). "St" in a name is "Saint" ("St. Mary's Clinic");
 * in a street it is "Street" (see street-key). */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['mfg', 'manufacturing'], ['mfrs', 'manufacturers'], ['mfr', 'manufacturer'],
  ['svc', 'service'], ['svcs', 'services'], ['srvcs', 'services'], ['servs', 'services'],
  ['mgmt', 'management'], ['mgt', 'management'], ['intl', 'international'], ['int\'l', 'international'],
  ['natl', 'national'], ['st', 'saint'], ['ste', 'sainte'], ['mt', 'mount'], ['ft', 'fort'],
  ['bros', 'brothers'], ['assoc', 'associates'], ['assocs', 'associates'], ['assn', 'association'],
  ['dept', 'department'], ['ctr', 'center'], ['centre', 'center'], ['dist', 'distribution'],
  ['distrib', 'distribution'], ['eng', 'engineering'], ['engr', 'engineering'], ['elec', 'electric'],
  ['equip', 'equipment'], ['hldgs', 'holdings'], ['grp', 'group'], ['ind', 'industries'],
  ['inds', 'industries'], ['lab', 'laboratory'], ['labs', 'laboratories'], ['med', 'medical'],
  ['prod', 'products'], ['prods', 'products'], ['sys', 'systems'], ['tech', 'technology'],
  ['univ', 'university'], ['vet', 'veterinary'], ['hosp', 'hospital'], ['contr', 'contractors'], ['constr', 'construction'],
])

/** Words that join and do not distinguish ("Smith & Jones" = "Smith and Jones" = "Smith Jones"). */
const CONNECTORS: ReadonlySet<string> = new Set(['and', 'und', 'et', 'y'])

/** Letters NFD does not decompose. */
const FOLD: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' }

const UMLAUT: Readonly<Record<string, string>> = { ä: 'a', ö: 'o', ü: 'u' }

export interface NameKey {
  /** The distinguishing words, in order, each with a plural "s" taken off. */
  tokens: string[]
  /** The same words as written (after folding), for reasons: "dallas" where `tokens` has "dalla". */
  shown: string[]
  /** What normalising changed, for reasons. */
  legalForms: string[]
  abbreviations: string[]
  reordered: boolean
}

/** Lower case, umlauts written out, other accents and ligatures folded, apostrophes and dotted
 * initials joined. */
export function foldText(text: string): string {
  return text
    .normalize('NFC')
    // German umlauts as Germans write them without the dots ("Müller" is "Mueller"), before the
    // other accents go.
    .replace(/[äöüÄÖÜ]/gu, (c) => `${UMLAUT[c.toLowerCase()]}e`)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/gu, (c) => FOLD[c] ?? c)
    .replace(/['’`]/gu, '')
    // "L.L.C.", "S.A.R.L.", "e.V.", "P.C." → "llc", "sarl", "ev", "pc"
    .replace(/\b(?:[a-z]\.){2,}/gu, (m) => m.replace(/\./gu, ' ').replace(/ /gu, '') + ' ')
    .replace(/\b([a-z])\.([a-z])\b/gu, '$1$2')
}

function words(text: string): string[] {
  return text.replace(/&/gu, ' and ').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0)
}

/** Plural "s" off, so "Services"/"Service" and "Brothers"/"Brother" agree; digits kept as they are. */
function stem(w: string): string {
  return w.length > 4 && w.endsWith('s') && !w.endsWith('ss') && !/\d/u.test(w) ? w.slice(0, -1) : w
}

function stripForms(ws: string[], forms: string[]): string[] {
  const out = [...ws]
  const trailing = (w: string): string | undefined => LEGAL_FORMS.get(w) ?? POST_NOMINALS.get(w)
  const leading = (w: string): string | undefined => (LEADING_FORMS.has(w) ? LEGAL_FORMS.get(w) : TITLES.get(w))
  while (out.length > 1 && trailing(out[out.length - 1]!)) forms.unshift(trailing(out.pop()!)!)
  while (out.length > 1 && leading(out[0]!)) forms.push(leading(out.shift()!)!)
  return out
}

/**
 * The key of one name. `person` gives the customer's given and family names when QBO has them, so
 * "Melton, John" is recognised as a person even when the part after the comma is more than a word.
 */
export function nameKey(name: string, person?: { given?: string; family?: string }): NameKey {
  const legalForms: string[] = []
  const abbreviations: string[] = []
  let reordered = false
  const folded = foldText(name)
  const parts = folded.split(',').map((p) => words(p)).filter((p) => p.length > 0)
  let ws: string[]
  // "Acme, Inc." — the part after the comma is only a legal form.
  const tail = parts.slice(1).every((p) => p.every((w) => LEGAL_FORMS.has(w) || POST_NOMINALS.has(w)))
  if (parts.length === 2 && !tail && isPersonComma(parts[0]!, parts[1]!, person)) {
    ws = [...stripForms(parts[1]!, legalForms), ...parts[0]!]
    reordered = true
  } else {
    ws = parts.flat()
  }
  ws = stripForms(ws, legalForms)
  if (ws.length > 1 && ws[0] === 'the') ws = ws.slice(1)
  const tokens: string[] = []
  const shown: string[] = []
  for (const w of ws) {
    if (CONNECTORS.has(w)) continue
    const full = ABBREVIATIONS.get(w)
    if (full) abbreviations.push(w)
    for (const x of (full ?? w).split(' ')) {
      tokens.push(stem(x))
      shown.push(x)
    }
  }
  // "Acme & Co" → the "Co" is a form even when it was not last before "&" went.
  while (tokens.length > 1 && LEGAL_FORMS.has(tokens[tokens.length - 1]!)) {
    legalForms.unshift(LEGAL_FORMS.get(tokens.pop()!)!)
    shown.pop()
  }
  return { tokens, shown, legalForms, abbreviations, reordered }
}

/** "Last, First": one or two words before the comma and one to three after, none of them a legal form
 * or a digit — or exactly the customer's own family and given names. */
function isPersonComma(before: string[], after: string[], person?: { given?: string; family?: string }): boolean {
  if (person?.family && person.given) {
    const fam = words(foldText(person.family)).join(' ')
    const giv = words(foldText(person.given)).join(' ')
    if (before.join(' ') === fam && after.join(' ').startsWith(giv)) return true
  }
  const plain = (ws: string[]): boolean => ws.every((w) => !LEGAL_FORMS.has(w) && !/\d/u.test(w))
  return before.length <= 2 && after.length <= 3 && plain(before) && plain(after)
}
