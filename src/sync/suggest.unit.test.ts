import { describe, expect, it } from 'vitest'
import { accounts, customers } from '../../test/fixtures/suggestions/labelled-set.js'
import { evaluate } from '../../test/fixtures/suggestions/evaluate.js'
import type { SourceCustomer } from './model.js'
import { buildSuggestionIndex, CONFIDENT_SCORE, suggestAccounts, type AccountProfile } from './suggest.js'
import { emailDomain, phoneKey, postalKey, registrableDomain, streetKey, websiteDomain } from './suggest/contact-keys.js'
import { nameKey } from './suggest/name-key.js'
import { isPublicMailDomain } from './suggest/public-mail-domains.js'

const words = (name: string, person?: { given?: string; family?: string }): string => nameKey(name, person).tokens.join(' ')

function customer(displayName: string, extra: Partial<SourceCustomer> = {}): SourceCustomer {
  return {
    realmId: '1', qboId: '1', displayName, isSubCustomer: false, level: 0, billWithParent: false,
    taxable: false, isProject: false, active: true, syncToken: '0', ...extra,
  }
}

function best(name: string, accountNames: (string | AccountProfile)[], extra: Partial<SourceCustomer> = {}) {
  const profiles = accountNames.map((a, i) => (typeof a === 'string' ? { id: `A${i}`, name: a } : a))
  return suggestAccounts(customer(name, extra), buildSuggestionIndex(profiles))
}

describe('the labelled set (test/fixtures/suggestions)', () => {
  const e = evaluate(accounts, customers)

  it('is large enough and every label names an Account of the set', () => {
    expect(customers.length).toBeGreaterThanOrEqual(60)
    expect(accounts.length).toBeGreaterThanOrEqual(80)
    const ids = new Set(accounts.map((a) => a.id))
    expect(ids.size).toBe(accounts.length)
    for (const c of customers) {
      for (const id of [c.expect, ...c.nearMisses]) if (id !== null) expect(ids, `${c.customer.displayName}: ${id}`).toContain(id)
    }
    expect(customers.filter((c) => c.expect === null).length).toBeGreaterThanOrEqual(20)
  })

  it('finds the true Account first for at least 85% of the customers that have one', () => {
    expect(e.top1Recall).toBeGreaterThanOrEqual(0.85)
  })

  it('is right at least 95% of the time at a score of 90 or more', () => {
    const at90 = e.atOrAbove.find((a) => a.threshold === CONFIDENT_SCORE)!
    expect(at90.accepted).toBeGreaterThan(0)
    expect(at90.precision).toBeGreaterThanOrEqual(0.95)
  })

  it('never suggests a near-miss at 90 or more', () => {
    expect(e.nearMissesAt90).toEqual([])
  })
})

describe('name key', () => {
  it('drops legal forms of many countries, dotted or not, at the end (and French forms at the start)', () => {
    expect(words('Acme, Inc.')).toBe('acme')
    expect(words('Keller & Wright Manufacturing, L.L.C.')).toBe('keller wright manufacturing')
    expect(words('Schneider Elektrotechnik GmbH & Co. KG')).toBe('schneider elektrotechnik')
    expect(words('Van der Berg B.V.')).toBe('van der berg')
    expect(words('SARL Boulangerie Dupont')).toBe('boulangerie dupont')
    expect(words('Smith & Jones, P.C.')).toBe('smith jone')
    expect(words('AG Builders')).toBe('ag builder')
    expect(nameKey('Whitfield & Barnes Ltd').legalForms).toEqual(['Ltd'])
  })

  it('ignores case, accents, punctuation, "&"/"and" and a leading "The"', () => {
    expect(words('Müller & Söhne')).toBe(words('MUELLER AND SOEHNE'))
    expect(words('Lefèvre Électricité')).toBe('lefevre electricite')
    expect(words('The Lumber Yard')).toBe('lumber yard')
    expect(words("Sam's Deli")).toBe(words('Sams Deli'))
    expect(words('Straße')).toBe('strasse')
  })

  it('reads "Last, First" as a person\'s name, with or without QBO\'s given and family names', () => {
    expect(words('Melton, John')).toBe('john melton')
    expect(nameKey('Melton, John').reordered).toBe(true)
    expect(words('de Vries, Anna Maria', { given: 'Anna Maria', family: 'de Vries' })).toBe('anna maria de vrie')
    expect(nameKey('Acme, Inc').reordered).toBe(false)
    expect(words('Dr. Jane Doe, DDS')).toBe('jane doe')
    expect(words('John Smith Jr')).toBe('john smith jr')
  })

  it('writes out common abbreviations', () => {
    expect(words('Globex Intl Mfg')).toBe('globex international manufacturing')
    expect(words('Pinnacle Property Mgmt Svcs')).toBe('pinnacle property management service')
    expect(words("St. Mary's Clinic")).toBe(words("Saint Mary's Clinic"))
  })
})

describe('contact keys', () => {
  it('takes the registrable domain of an address or website, never a public mail domain', () => {
    expect(emailDomain('ap@billing.acme.co.uk')).toBe('acme.co.uk')
    expect(emailDomain('someone@gmail.com')).toBeUndefined()
    expect(emailDomain('someone@uk.yahoo.com')).toBeUndefined()
    expect(websiteDomain('https://www.Acme-Corp.com/contact?x=1')).toBe('acme-corp.com')
    expect(websiteDomain('yahoo.com')).toBeUndefined()
    expect(registrableDomain('localhost')).toBeUndefined()
    expect(isPublicMailDomain('web.de')).toBe(true)
    expect(isPublicMailDomain('weber-logistik.de')).toBe(false)
  })

  it('compares phones by their national number, without country code, trunk 0 or extension', () => {
    expect(phoneKey('+44 (0)20 7946 0011')).toBe(phoneKey('020 7946 0011'))
    expect(phoneKey('+33 1 45 22 10 10')).toBe(phoneKey('01 45 22 10 10'))
    expect(phoneKey('+1 (512) 555-0123 x204')).toBe(phoneKey('512.555.0123'))
    expect(phoneKey('+49 89 1234567')).toBe(phoneKey('089 1234567'))
    expect(phoneKey('+31 20 555 0123')).toBe(phoneKey('020 555 0123'))
    expect(phoneKey('1-440-555-0100')).toBe(phoneKey('440-555-0100'))
    expect(phoneKey('212-555-0100')).not.toBe(phoneKey('312-555-0100'))
    expect(phoneKey('555-12')).toBeUndefined()
  })

  it('compares postal codes without spaces (a ZIP+4 as its ZIP) and streets without the unit', () => {
    expect(postalKey('ec2v 6aa')).toBe('EC2V6AA')
    expect(postalKey('98926-3301')).toBe('98926')
    expect(streetKey('Hauptstr. 5')).toBe(streetKey('Hauptstraße 5'))
    expect(streetKey('3900 South Maryland Parkway, Suite 200')).toBe(streetKey('3900 S Maryland Pkwy'))
    expect(streetKey('12 Main St')).not.toBe(streetKey('14 Main St'))
  })
})

describe('suggestAccounts', () => {
  it('promises the same name after normalising, and says why', () => {
    const [s] = best('Acme Corp', ['ACME Corporation', 'Acme Plumbing LLC'])
    expect(s!.accountName).toBe('ACME Corporation')
    expect(s!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
    expect(s!.reasons).toContain("name without 'Corp.', 'Corporation'")
  })

  it('keeps a shared common word well below 90', () => {
    const acme = best('Acme Plumbing', ['Acme Roofing'])
    expect(acme[0]!.score).toBeLessThan(60)
    const star = best('North Star', ['South Star'])
    expect(star[0]?.score ?? 0).toBeLessThan(60)
    const dir = best('Northeast Plumbing Supply', ['Northwest Plumbing Supply'])
    expect(dir[0]!.score).toBeLessThan(60)
  })

  it('finds a small spelling difference but does not promise it without another signal', () => {
    const [s] = best('Brightwater Landscapng', ['Brightwater Landscaping Co.'])
    expect(s!.score).toBeGreaterThanOrEqual(80)
    expect(s!.score).toBeLessThan(CONFIDENT_SCORE)
    expect(s!.reasons).toContain("small spelling difference ('landscapng' / 'landscaping')")
    const confirmed = best('Brightwater Landscapng', [{ id: 'b', name: 'Brightwater Landscaping Co.', phone: '919-555-0111' }], { phone: '(919) 555-0111' })
    expect(confirmed[0]!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
    expect(confirmed[0]!.reasons).toContain('same phone')
  })

  it('uses the e-mail domain against the Website, but never a public mail domain', () => {
    const acct = { id: 'c', name: 'Chen Family Dentistry', website: 'www.chenfamilydentistry.com' }
    const own = best('Wei Chen', [acct], { email: 'wei@chenfamilydentistry.com' })
    expect(own[0]!.reasons).toContain('same e-mail domain (chenfamilydentistry.com)')
    const publicAcct = { id: 'k', name: "Kim's Dry Cleaning", website: 'yahoo.com' }
    expect(best('Lee Family Laundry', [publicAcct], { email: 'lee@yahoo.com' })).toEqual([])
  })

  it('lifts a franchise location only by its own address or phone, not by the brand\'s shared website', () => {
    const locs: AccountProfile[] = ['Austin', 'Dallas'].map((city, i) => ({
      id: city, name: `Sunrise Dental - ${city}`, website: 'sunrisedental.com', billingStreet: `${100 + i} Main St`, billingPostalCode: `7870${i}`,
    }))
    const byDomain = best('Sunrise Dental', locs, { email: 'desk@sunrisedental.com' })
    expect(byDomain.every((s) => s.score < CONFIDENT_SCORE)).toBe(true)
    const byAddress = best('Sunrise Dental', locs, { billing: { lines: ['101 Main Street'], postalCode: '78701' } })
    expect(byAddress[0]!.accountId).toBe('Dallas')
    expect(byAddress[0]!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
    expect(byAddress[0]!.reasons).toContain('same postal code and street')
  })

  it('promises neither of two Accounts of one name unless a signal tells them apart', () => {
    const two: AccountProfile[] = [
      { id: 'c1', name: 'Coastal Catering', phone: '843-555-0127' },
      { id: 'c2', name: 'Coastal Catering', phone: '843-555-0190' },
    ]
    expect(best('Coastal Catering', two).every((s) => s.score < CONFIDENT_SCORE)).toBe(true)
    const [first, second] = best('Coastal Catering', two, { phone: '843 555 0127' })
    expect(first!.accountId).toBe('c1')
    expect(first!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
    expect(second!.score).toBeLessThan(CONFIDENT_SCORE)
  })

  it('marks Accounts that fit equally well as a choice for a person', () => {
    const s = best('Acme', ['Acme Inc', 'Acme LLC'])
    expect(s).toHaveLength(2)
    expect(s.every((x) => x.score < CONFIDENT_SCORE)).toBe(true)
  })

  it('reads a "Last, First" customer and a project by its top-level customer', () => {
    expect(best('Melton, John', ['John Melton'])[0]!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
    const project = best('Kitchen Remodel', ['Melton Builders'], { isSubCustomer: true, fullyQualifiedName: 'Melton Builders:Kitchen Remodel' })
    expect(project[0]!.reasons[0]).toBe("by its top-level customer 'Melton Builders'")
  })

  it('returns at most three, best first, and counts an Account listed twice once', () => {
    const names = ['Acme Plumbing', 'Acme Plumbing Supply', 'Acme Plumbing West', 'Acme Plumbing & Heating']
    const s = best('Acme Plumbing Co', [...names, 'Acme Plumbing'].map((n, i) => ({ id: `A${i % 4}`, name: n })))
    expect(s).toHaveLength(3)
    expect(s.map((x) => x.score)).toEqual([...s.map((x) => x.score)].sort((a, b) => b - a))
    expect(new Set(s.map((x) => x.accountId)).size).toBe(3)
  })

  it('matches an inactive customer without QBO\'s " (deleted)"', () => {
    const [s] = best('Acme Corp (deleted)', ['ACME Corporation'], { active: false })
    expect(s!.score).toBeGreaterThanOrEqual(CONFIDENT_SCORE)
  })
})

describe('an index kept to the Accounts a few customers can find', () => {
  it('gives each of those customers the same suggestions as the whole index, from fewer Accounts', () => {
    const whole = buildSuggestionIndex(accounts)
    // Every third customer of the labelled set, as if only they waited for a person.
    const few = customers.filter((_, i) => i % 3 === 0).map((c) => c.customer)
    const kept = buildSuggestionIndex(accounts, few)
    expect(kept.profiles.length).toBeLessThan(whole.profiles.length)
    expect(kept.profiles.length).toBeGreaterThan(0)
    for (const c of few) expect(suggestAccounts(c, kept), c.displayName).toEqual(suggestAccounts(c, whole))
  })

  it('scores the same when the Accounts it prepares for scoring do not stay in its cache', () => {
    const whole = buildSuggestionIndex(accounts)
    const forgetful = buildSuggestionIndex(accounts, undefined, { preparedCache: 1 })
    for (const { customer } of customers) expect(suggestAccounts(customer, forgetful), customer.displayName).toEqual(suggestAccounts(customer, whole))
    expect(forgetful.prepared.size).toBe(1)
    expect(whole.prepared.size).toBeGreaterThan(1)
  })
})
