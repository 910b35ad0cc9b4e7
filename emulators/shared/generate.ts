/**
 * @module emulators/shared/generate
 * Deterministic synthetic sandbox data (`tally sandbox --generate N`): N QBO customers that obey
 * QBO's own rules (unique fully qualified names, no `:`/tab/newline in names, field lengths, at
 * most 4 levels of sub-customers — I-CUST) and about 0.8·N Salesforce Accounts, of which about
 * half the customers match one exactly, some only by case or spacing, and some names appear on
 * several Accounts. Names include apostrophes, accents, Japanese, Greek and Cyrillic script, and
 * the characters that break naive query escaping: `%`, `_`, `\` and quotes.
 *
 * With `companies: K`, K QuickBooks companies of N customers each (each its own realm, name and
 * Ids from 1), where about a fifth of every further company's top-level customers bear a name of
 * the first company's — the same client billed by two entities, which is what makes several
 * companies in one org hard (the Accounts are the org's, contract §5.10). The Accounts are
 * generated from the companies' distinct names together.
 */
import type { SandboxData, WireObject } from './data.js'
import { pick, seededRandom, type Random } from './random.js'

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'Li', 'Wei', 'Aisha', 'Carlos', 'Zoë', 'José',
  'Siobhán', 'Björn', 'François', 'Renée', 'Ngozi', 'Priya', 'Mateo', 'Olga', 'Yuki', 'Hiroshi',
  'Νίκος', 'Ελένη', 'Дмитрий', 'Анна', '太郎', '花子', "D'Arcy", 'Ève', 'Łukasz', 'Søren']
const LAST = ['Smith', 'Johnson', "O'Brien", 'García', 'Müller', 'Nguyen', 'Kowalski', 'Dubois',
  'Rossi', 'Okafor', 'Patel', 'Tanaka', 'Suzuki', 'Παπαδόπουλος', 'Иванов', 'Смирнова', '山田',
  '佐藤', "D'Angelo", 'van der Berg', 'Ó Súilleabháin', 'Å berg', 'Nuñez', 'Chen', 'Kim']
const COMPANY_A = ['Acme', 'Blue Sky', 'Golden Gate', 'Redwood', 'Summit', 'Pacific', 'Harbor',
  'Evergreen', 'Sierra', 'Coastal', 'Northwind', 'Café Olé', 'Crème', 'Ōsaka', 'Αθήνα', 'Москва',
  "Bob's", "Amy's", 'Mom & Pop', 'Fifty%Off', 'Under_Score', 'Back\\Slash', 'The "Quoted"', '東京']
const COMPANY_B = ['Landscaping', 'Design', 'Bakery', 'Consulting', 'Motors', 'Dental', 'Books',
  'Hardware', 'Florist', 'Plumbing', 'Studios', 'Logistics', 'Vineyards', 'Pet Supplies', 'Fitness']
const COMPANY_C = ['', '', '', ' LLC', ' Inc.', ' Co.', ' & Sons', ' Ltd', ' GmbH', ' S.A.']
const CITIES: [string, string, string][] = [['San Francisco', 'CA', '94103'], ['Austin', 'TX', '78701'],
  ['Portland', 'OR', '97205'], ['Denver', 'CO', '80202'], ['Boston', 'MA', '02108'],
  ['Chicago', 'IL', '60601'], ['Seattle', 'WA', '98101'], ['Miami', 'FL', '33101'], ['Tucson', 'AZ', '85719']]
const STREETS = ['Main St.', 'Oak Ave.', 'Pine Rd.', 'Market St.', 'Elm St.', 'Cedar Ln.', 'Broadway']
const PROJECTS = ['Kitchen Remodel', 'Spring Cleanup', 'Patio', 'Annual Audit', 'Website', 'Phase 2',
  'Warehouse Fit-out', 'Backyard', 'Office Move', 'Q3 Campaign']
const INDUSTRIES = ['Retail', 'Consulting', 'Construction', 'Hospitality', 'Healthcare', 'Technology',
  'Manufacturing', 'Education', 'Media', 'Agriculture']

/**
 * Past change times, deterministic: between 1 June and 28 September 2025, all Pacific daylight
 * time, written as QBO writes them ("2025-06-01T10:00:00-07:00", api-facts A.0).
 */
function metaData(rnd: Random): WireObject {
  const base = Date.UTC(2025, 5, 1, 7)
  const created = base + Math.floor(rnd() * 60 * 86_400) * 1000
  const updated = created + Math.floor(rnd() * 59 * 86_400) * 1000
  const fmt = (ms: number) => `${new Date(ms - 7 * 3_600_000).toISOString().slice(0, 19)}-07:00`
  return { CreateTime: fmt(created), LastUpdatedTime: fmt(updated) }
}

export interface GenerateOptions {
  /** Customers per company. */
  customers: number
  seed?: number
  /** QuickBooks companies; default 1. */
  companies?: number
}

/** Share of a further company's top-level customers named as one of the first company's. */
export const SHARED_NAME_SHARE = 0.2
const REALM_BASE = 9341452631925553n
const COMPANY_NAMES = ['Generated Sandbox Company', 'Generated Sandbox Company (Canada)', 'Generated Sandbox Company (UK)',
  'Generated Sandbox Holdings', 'Generated Sandbox Services']

interface Gen {
  rnd: Random
  used: Set<string>
}

function uniqueName(g: Gen, base: string, prefix = ''): string {
  let name = base
  for (let n = 2; g.used.has(`${prefix}${name}`.toLowerCase()); n += 1) name = `${base} ${n}`
  g.used.add(`${prefix}${name}`.toLowerCase())
  return name
}

const phone = (rnd: Random) =>
  `(${200 + Math.floor(rnd() * 700)}) 555-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`

const asciiSlug = (s: string) => s.normalize('NFD').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'contact'

function contactFields(g: Gen, c: WireObject, richness: number, emailName: string): void {
  const { rnd } = g
  if (richness > 0.2) c.PrimaryEmailAddr = { Address: `${asciiSlug(emailName)}${Math.floor(rnd() * 1000)}@example.com` }
  if (richness > 0.3) c.PrimaryPhone = { FreeFormNumber: phone(rnd) }
  if (richness > 0.7) c.Mobile = { FreeFormNumber: phone(rnd) }
  if (richness > 0.85) c.Fax = { FreeFormNumber: phone(rnd) }
  if (richness > 0.9) c.AlternatePhone = { FreeFormNumber: phone(rnd) }
  if (richness > 0.6) c.WebAddr = { URI: `https://www.${asciiSlug(emailName)}.example.com` }
  if (richness > 0.4) {
    const [City, CountrySubDivisionCode, PostalCode] = pick(rnd, CITIES)
    const Line1 = `${1 + Math.floor(rnd() * 9999)} ${pick(rnd, STREETS)}`
    c.BillAddr = { Line1, City, CountrySubDivisionCode, PostalCode, ...(richness > 0.8 ? { Country: 'USA' } : {}) }
    if (richness > 0.5) c.ShipAddr = { ...(c.BillAddr as WireObject) }
  }
  if (richness > 0.75) c.Notes = pick(rnd, ['Net 30.', 'Call before delivery.', 'Prefers e-mail invoices.', 'VIP — handle with care.'])
  if (richness > 0.8) c.PreferredDeliveryMethod = pick(rnd, ['Print', 'Email', 'None'])
  if (richness > 0.5) c.Balance = Math.round(rnd() * 500_000) / 100
  c.Taxable = richness > 0.35
}

export function generateSandboxData({ customers: n, seed = 1, companies = 1 }: GenerateOptions): SandboxData {
  if (companies <= 1) {
    const one = generateCompany(n, seed)
    return {
      qbo: { realmId: String(REALM_BASE), companyName: COMPANY_NAMES[0] as string, customers: one.customers, vendors: one.vendors, employees: one.employees },
      salesforce: { accounts: generateAccounts(one.rnd, one.topLevel, n), qboCustomers: [] },
    }
  }
  const made = Array.from({ length: companies }, (_, k) => generateCompany(n, seed + k * 7919))
  const first = made[0] as Company
  const firstNames = first.topLevel.filter((c) => c.Active !== false).map((c) => String(c.DisplayName))
  const rnd = seededRandom(seed + 1)
  for (const co of made.slice(1)) {
    for (const c of co.topLevel) {
      if (rnd() >= SHARED_NAME_SHARE || firstNames.length === 0) continue
      const name = pick(rnd, firstNames)
      if (co.used.has(name.toLowerCase())) continue
      co.used.delete(String(c.DisplayName).toLowerCase())
      co.used.add(name.toLowerCase())
      c.DisplayName = name
      if (c.CompanyName !== undefined) c.CompanyName = name.slice(0, 100)
    }
  }
  // The org's Accounts, from every distinct top-level name (a recurring name counts once).
  const seen = new Set<string>()
  const distinct = made.flatMap((co) => co.topLevel).filter((c) => {
    const k = String(c.DisplayName).toLowerCase()
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
  const qboCompanies = made.map((co, k) => ({
    realmId: String(REALM_BASE + BigInt(k)),
    companyName: COMPANY_NAMES[k] ?? `Generated Sandbox Company ${k + 1}`,
    customers: co.customers,
    vendors: co.vendors,
    employees: co.employees,
  }))
  return {
    qbo: qboCompanies[0] as SandboxData['qbo'],
    qboCompanies,
    salesforce: { accounts: generateAccounts(rnd, distinct, n * companies), qboCustomers: [] },
  }
}

interface Company {
  rnd: Random
  used: Set<string>
  customers: WireObject[]
  topLevel: WireObject[]
  vendors: WireObject[]
  employees: WireObject[]
}

function generateCompany(n: number, seed: number): Company {
  const g: Gen = { rnd: seededRandom(seed), used: new Set() }
  const { rnd } = g
  const customers: WireObject[] = []
  const levelOf = new Map<string, number>()
  const fqnOf = new Map<string, string>()
  const hasChildren = new Set<string>()
  const topLevel: WireObject[] = []
  let lastSub: WireObject | undefined

  for (let i = 0; i < n; i += 1) {
    const Id = String(i + 1)
    const richness = rnd()
    const c: WireObject = { Id, MetaData: metaData(rnd) }
    const parents = customers.length > 10 ? customers : []
    if (parents.length > 0 && rnd() < 0.15) {
      // Sub-customer or project, under a parent at most at level 3 (so children stay ≤ 4).
      // Now and then continue the latest chain, so hierarchies reach the full four levels.
      let parent = lastSub && rnd() < 0.35 ? lastSub : pick(rnd, parents)
      for (let tries = 0; (levelOf.get(String(parent.Id)) ?? 0) >= 4 && tries < 5; tries += 1) parent = pick(rnd, parents)
      const pid = String(parent.Id)
      const level = (levelOf.get(pid) ?? 0) + 1
      if (level <= 4) {
        const name = uniqueName(g, pick(rnd, PROJECTS), `${fqnOf.get(pid)}:`)
        c.DisplayName = name
        c.ParentRef = { value: pid }
        c.Job = true
        c.BillWithParent = rnd() < 0.5
        c.IsProject = rnd() < 0.4
        levelOf.set(Id, level)
        fqnOf.set(Id, `${fqnOf.get(pid)}:${name}`)
        hasChildren.add(pid)
        contactFields(g, c, richness * 0.6, name)
        customers.push(c)
        lastSub = level < 4 ? c : undefined
        continue
      }
    }
    if (rnd() < 0.4) {
      const given = pick(rnd, FIRST)
      const family = pick(rnd, LAST)
      c.GivenName = given
      c.FamilyName = family
      if (richness > 0.8) c.Title = pick(rnd, ['Mr.', 'Ms.', 'Dr.', 'Mx.'])
      if (richness > 0.9) c.MiddleName = pick(rnd, ['A.', 'J.', 'Marie', 'Lee'])
      if (richness > 0.95) c.Suffix = pick(rnd, ['Jr.', 'Sr.', 'III'])
      c.DisplayName = uniqueName(g, `${given} ${family}`)
      contactFields(g, c, richness, `${given}${family}`)
    } else {
      const company = `${pick(rnd, COMPANY_A)} ${pick(rnd, COMPANY_B)}${pick(rnd, COMPANY_C)}`
      c.DisplayName = uniqueName(g, company)
      c.CompanyName = company.slice(0, 100)
      if (richness > 0.5) {
        c.GivenName = pick(rnd, FIRST)
        c.FamilyName = pick(rnd, LAST)
      }
      contactFields(g, c, richness, company)
    }
    levelOf.set(Id, 0)
    fqnOf.set(Id, String(c.DisplayName))
    topLevel.push(c)
    customers.push(c)
  }
  // About 5% inactive, only among customers without sub-customers (an inactive parent's children
  // could not be loaded: QBO refuses an inactive ParentRef).
  for (const c of customers) if (!hasChildren.has(String(c.Id)) && rnd() < 0.05) c.Active = false

  const vendors: WireObject[] = []
  for (let i = 0; i < Math.max(3, Math.floor(n / 50)); i += 1) {
    const name = uniqueName(g, `${pick(rnd, COMPANY_A)} ${pick(rnd, ['Supply', 'Wholesale', 'Rentals', 'Utilities'])}`)
    vendors.push({ Id: String(n + i + 1), MetaData: metaData(rnd), DisplayName: name, CompanyName: name.slice(0, 100) })
  }
  const employees: WireObject[] = []
  for (let i = 0; i < Math.max(2, Math.floor(n / 200)); i += 1) {
    const given = pick(rnd, FIRST)
    const family = pick(rnd, LAST)
    employees.push({ Id: String(n + vendors.length + i + 1), MetaData: metaData(rnd), DisplayName: uniqueName(g, `${given} ${family}`), GivenName: given, FamilyName: family })
  }

  return { rnd, used: g.used, customers, topLevel, vendors, employees }
}

function generateAccounts(rnd: Random, topLevel: WireObject[], n: number): WireObject[] {
  const accounts: WireObject[] = []
  const account = (Name: string): WireObject => {
    const [BillingCity, BillingState, BillingPostalCode] = pick(rnd, CITIES)
    return { Name: Name.slice(0, 255), BillingCity, BillingState, BillingPostalCode, Industry: pick(rnd, INDUSTRIES) }
  }
  const active = topLevel.filter((c) => c.Active !== false)
  for (const c of active) {
    const name = String(c.DisplayName)
    const r = rnd()
    if (r < 0.5) accounts.push(account(name))
    else if (r < 0.6) accounts.push(account(rnd() < 0.5 ? name.toUpperCase() : `  ${name.replace(/ /g, '  ')} `))
    else if (r < 0.65) accounts.push(account(name), account(name.toLowerCase()))
  }
  // The rest of the ~0.8·N Accounts match no customer.
  for (let i = 0; accounts.length < Math.round(0.8 * n); i += 1) {
    accounts.push(account(`${pick(rnd, ['Prospect', 'Lead', 'Partner', 'Reseller'])} ${pick(rnd, COMPANY_A)} ${pick(rnd, COMPANY_B)} #${i + 1}`))
  }
  return accounts.slice(0, Math.max(Math.round(0.8 * n), accounts.length))
}
