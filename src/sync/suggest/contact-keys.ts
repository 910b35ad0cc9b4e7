/**
 * @module sync/suggest/contact-keys
 * The forms in which an e-mail address, a website, a phone number, a postal code and a street line
 * are compared (contract §10). Each returns undefined when the value cannot be evidence.
 */
import { foldText } from './name-key.js'
import { isPublicMailDomain } from './public-mail-domains.js'

/** Second-level suffixes under which a registrable domain has three labels ("acme.co.uk"). */
const TWO_LEVEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co.uk', 'org.uk', 'ltd.uk', 'plc.uk', 'me.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au',
  'co.nz', 'co.za', 'com.br', 'co.jp', 'com.mx', 'co.in', 'com.sg', 'com.cn', 'com.tr', 'co.il',
])

/** The registrable part of a host name: "mail.acme.co.uk" → "acme.co.uk". */
export function registrableDomain(host: string): string | undefined {
  const labels = host.toLowerCase().replace(/\.$/u, '').split('.').filter((l) => l.length > 0)
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9-]+$/u.test(l))) return undefined
  const n = TWO_LEVEL_SUFFIXES.has(labels.slice(-2).join('.')) ? 3 : 2
  return labels.length >= n ? labels.slice(-n).join('.') : undefined
}

/** The domain of an e-mail address, unless it is a public mail domain. */
export function emailDomain(email: string | undefined): string | undefined {
  const at = email?.trim().lastIndexOf('@') ?? -1
  if (!email || at < 1) return undefined
  const host = email.trim().slice(at + 1)
  return isPublicMailDomain(host) ? undefined : registrableDomain(host)
}

/** The domain of a website as typed in QBO or Salesforce ("https://www.acme.com/contact", "acme.com"). */
export function websiteDomain(website: string | undefined): string | undefined {
  const w = website?.trim().toLowerCase()
  if (!w) return undefined
  const host = w.replace(/^[a-z][a-z0-9+.-]*:\/\//u, '').replace(/[/?#:].*$/u, '').replace(/^www\d?\./u, '')
  return isPublicMailDomain(host) ? undefined : registrableDomain(host)
}

/** Country calling codes of the countries Tally's customers are in (ITU-T E.164 assignments):
 * US/CA 1, UK 44, DE 49, FR 33, NL 31, BE 32, AT 43, CH 41, IE 353. */
const COUNTRY_CODES = ['353', '44', '49', '33', '31', '32', '43', '41']

/**
 * A phone number as its national significant number: without "+"/"00" and the country code, and
 * without the trunk "0", so "+44 (0)20 7946 0958" equals "020 7946 0958", "+33 1 45 22 10 10" equals
 * "01 45 22 10 10" and "+1 (555) 010-4477" equals "555.010.4477". An extension ("x12", "ext. 12") is
 * not part of it. Numbers of fewer than seven digits are no evidence.
 */
export function phoneKey(phone: string | undefined): string | undefined {
  if (!phone) return undefined
  const main = phone.toLowerCase().split(/\s*(?:x|ext\.?|extension|poste|durchwahl)\s*\d+\s*$/u)[0] ?? ''
  const international = /^\s*(?:\+|00)/u.test(main)
  let d = main.replace(/\D/gu, '')
  if (d.startsWith('00')) d = d.slice(2)
  if ((international && d.startsWith('1')) || (d.length === 11 && d.startsWith('1'))) d = d.slice(1) // NANP
  else if (international) {
    const cc = COUNTRY_CODES.find((c) => d.startsWith(c))
    if (cc) d = d.slice(cc.length)
  }
  d = d.replace(/^0/u, '')
  return d.length >= 7 ? d : undefined
}

/** A postal code in upper case without spaces; a US ZIP+4 as its five-digit ZIP. */
export function postalKey(code: string | undefined): string | undefined {
  const c = code?.toUpperCase().replace(/[\s-]/gu, '')
  if (!c || c.length < 4) return undefined
  return /^\d{9}$/u.test(c) ? c.slice(0, 5) : c
}

const STREET_WORDS: ReadonlyMap<string, string> = new Map([
  ['st', 'street'], ['str', 'strasse'], ['ave', 'avenue'], ['av', 'avenue'], ['rd', 'road'],
  ['blvd', 'boulevard'], ['bd', 'boulevard'], ['dr', 'drive'], ['ln', 'lane'], ['ct', 'court'],
  ['pl', 'place'], ['sq', 'square'], ['hwy', 'highway'], ['pkwy', 'parkway'], ['cres', 'crescent'],
  ['n', 'north'], ['s', 'south'], ['e', 'east'], ['w', 'west'], ['ne', 'northeast'], ['nw', 'northwest'],
  ['se', 'southeast'], ['sw', 'southwest'], ['bldg', 'building'],
])

/** Where the street ends and the unit begins ("Suite 400", "Unit 3", "#12", "2nd Floor"). */
const UNIT_WORDS = /^(?:suite|ste|unit|apt|apartment|floor|fl|room|rm|bldg|building|po|c\/o)$/u

/**
 * A street line as words: abbreviations written out ("St." → "street", "Str." → "strasse", so
 * "Hauptstr. 5" and "Hauptstraße 5" agree), and without the unit, which people write in many ways.
 */
export function streetKey(line: string | undefined): string | undefined {
  if (!line) return undefined
  const folded = foldText(line).replace(/([a-z])str\b\.?/gu, '$1 strasse').replace(/strasse\b/gu, ' strasse')
  const out: string[] = []
  for (const w of folded.split(/[^a-z0-9#]+/u).filter((x) => x.length > 0)) {
    if (UNIT_WORDS.test(w) || w.startsWith('#')) break
    out.push(STREET_WORDS.get(w) ?? w)
  }
  return out.length >= 2 ? out.join(' ') : undefined
}
