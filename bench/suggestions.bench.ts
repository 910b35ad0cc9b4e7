/**
 * @module bench/suggestions.bench
 * `npm run bench:suggestions`: the suggestion scorer (contract §10) on the labelled set of
 * test/fixtures/suggestions — precision and recall by score band and for "accept everything at or
 * above N" — then its speed on a generated org: 2,000 customers against 50,000 Accounts (index
 * build, suggestions, candidates scored per customer, heap). Flags: --customers N --accounts N.
 * The generated names are made from word lists with a seeded random source, so runs compare.
 */
import { parseArgs } from 'node:util'
import { buildSuggestionIndex, suggestAccounts, type AccountProfile } from '../src/sync/suggest.js'
import type { SourceCustomer } from '../src/sync/model.js'
import { evaluate } from '../test/fixtures/suggestions/evaluate.js'
import { accounts as labelledAccounts, customers as labelledCustomers } from '../test/fixtures/suggestions/labelled-set.js'

const { values } = parseArgs({ options: { customers: { type: 'string', default: '2000' }, accounts: { type: 'string', default: '50000' } } })
const nCustomers = Number(values.customers)
const nAccounts = Number(values.accounts)

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`)

// 1. Quality on the labelled set.
const e = evaluate(labelledAccounts, labelledCustomers)
console.log(`## Labelled set: ${labelledCustomers.length} customers (${e.withMatch} with a true Account), ${labelledAccounts.length} Accounts\n`)
console.log(`Top-1 recall (best suggestion is the true Account, any score): ${pct(e.top1Recall)}\n`)
console.log('| best suggestion scores | customers | correct | precision |')
console.log('|---|---:|---:|---:|')
for (const b of e.bands) console.log(`| ${b.min}–${Math.min(b.max, 100) - (b.max > 100 ? 0 : 1)} | ${b.suggested} | ${b.correct} | ${pct(b.precision)} |`)
const none = e.outcomes.filter((o) => o.suggestions.length === 0).length
console.log(`| no suggestion | ${none} | — | — |\n`)
console.log('| accept all at or above | accepted | correct | precision | recall |')
console.log('|---:|---:|---:|---:|---:|')
for (const a of e.atOrAbove) console.log(`| ${a.threshold} | ${a.accepted} | ${a.correct} | ${pct(a.precision)} | ${pct(a.recall)} |`)
console.log(`\nNear-misses suggested at 90 or more: ${e.nearMissesAt90.length}${e.nearMissesAt90.map((n) => `\n  ${n.customer} → ${n.account} (${n.score})`).join('')}`)
const byKind = new Map<string, { n: number; top1: number; at90: number }>()
for (const o of e.outcomes) {
  if (o.labelled.expect === null) continue
  const k = byKind.get(o.labelled.kind) ?? { n: 0, top1: 0, at90: 0 }
  k.n++
  if (o.top1Correct) k.top1++
  if (o.top1Correct && o.suggestions[0]!.score >= 90) k.at90++
  byKind.set(o.labelled.kind, k)
}
console.log('\n| kind (true matches) | customers | top-1 correct | correct at ≥ 90 |')
console.log('|---|---:|---:|---:|')
for (const [kind, k] of byKind) console.log(`| ${kind} | ${k.n} | ${k.top1} | ${k.at90} |`)

// 2. Speed on a generated org.
let seed = 1
const rand = (): number => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
const FIRST = ['Acme', 'Summit', 'Pinnacle', 'Evergreen', 'Blue Ridge', 'Lakeside', 'Harbor', 'Cedar', 'Granite', 'Maple', 'Oakwood', 'Riverside', 'Sunrise', 'Northstar', 'Golden', 'Silver', 'Iron', 'Liberty', 'Patriot', 'Coastal', 'Prairie', 'Mountain', 'Valley', 'Eagle', 'Falcon', 'Heritage', 'Keystone', 'Pioneer', 'Frontier', 'Atlas', 'Apex', 'Vertex', 'Crescent', 'Horizon', 'Meridian', 'Beacon', 'Redwood', 'Willow', 'Aspen', 'Sierra']
const SECOND = ['', '', 'Bay', 'Creek', 'Hill', 'Point', 'Park', 'Field', 'Stone', 'Brook', 'Ridge', 'Grove', 'Peak', 'Springs']
const TRADE = ['Plumbing', 'Roofing', 'Electric', 'Dental', 'Logistics', 'Landscaping', 'Construction', 'Consulting', 'Accounting', 'Bakery', 'Auto Repair', 'Veterinary Clinic', 'Property Management', 'Manufacturing', 'HVAC Services', 'Cleaning Services', 'Insurance Agency', 'Law Group', 'Realty', 'Printing', 'Catering', 'Fitness', 'Pediatrics', 'Hardware', 'Pest Control']
const FORM = ['', '', 'Inc', 'LLC', 'Ltd', 'Corp', 'Co.', 'GmbH', 'B.V.', 'SARL', 'PLLC', 'LLP']
const GIVEN = ['John', 'Mary', 'Anjali', 'Klaus', 'Sophie', 'Wei', 'Maria', 'Luis', 'Fatima', 'Tom', 'Emma', 'Pieter', 'Claire', 'Jan', 'Aisha']
const FAMILY = ['Melton', 'Patel', 'Becker', 'Dupont', 'Chen', 'Gonzalez', 'Nguyen', 'de Vries', 'Smith', 'Jones', 'Müller', 'Martin', 'Jansen', 'Kim', 'Okafor', 'Rossi', 'Schmidt']
const slug = (s: string): string => s.toLowerCase().normalize('NFD').replace(/[^a-z0-9]/gu, '')

const orgAccounts: AccountProfile[] = []
for (let i = 0; i < nAccounts; i++) {
  const person = rand() < 0.15
  const core = person ? `${pick(GIVEN)} ${pick(FAMILY)}` : `${pick(FIRST)}${pick(SECOND) ? ' ' + pick(SECOND) : ''} ${pick(TRADE)}${rand() < 0.3 ? ' ' + i : ''}`
  const name = person ? core : `${core} ${pick(FORM)}`.trim()
  orgAccounts.push({
    id: `001GEN${String(i).padStart(12, '0')}`,
    name,
    website: person || rand() < 0.3 ? null : `${slug(core)}${i}.com`,
    phone: rand() < 0.8 ? `555-${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}` : null,
    billingStreet: `${1 + Math.floor(rand() * 9000)} ${pick(['Main', 'Oak', 'Market', 'Elm', 'Hauptstraße', 'rue de la Paix', 'Keizersgracht'])} ${pick(['St', 'Ave', 'Rd', ''])}`.trim(),
    billingPostalCode: String(10000 + Math.floor(rand() * 900)),
  })
}
const typo = (s: string): string => {
  const i = 1 + Math.floor(rand() * (s.length - 2))
  return s.slice(0, i) + s.slice(i + 1)
}
const orgCustomers: SourceCustomer[] = []
for (let i = 0; i < nCustomers; i++) {
  const a = pick(orgAccounts)
  const r = rand()
  const displayName = r < 0.3 ? `${a.name} Inc.` : r < 0.5 ? typo(a.name) : r < 0.7 ? a.name.toUpperCase() : `${pick(FIRST)} ${pick(TRADE)} Group`
  orgCustomers.push({
    realmId: 'bench', qboId: String(i), displayName, isSubCustomer: false, level: 0, billWithParent: false,
    taxable: false, isProject: false, active: true, syncToken: '0',
    email: rand() < 0.5 ? `ap@${rand() < 0.5 ? 'gmail.com' : slug(displayName) + '.com'}` : undefined,
    phone: rand() < 0.3 ? a.phone ?? undefined : undefined,
    billing: rand() < 0.5 ? { lines: [a.billingStreet ?? ''], postalCode: a.billingPostalCode ?? undefined } : undefined,
  })
}

globalThis.gc?.()
const heap0 = process.memoryUsage().heapUsed
const t0 = performance.now()
const index = buildSuggestionIndex(orgAccounts)
const t1 = performance.now()
const heap1 = process.memoryUsage().heapUsed
let withSuggestion = 0
let at90 = 0
for (const c of orgCustomers) {
  const s = suggestAccounts(c, index)
  if (s.length > 0) withSuggestion++
  if ((s[0]?.score ?? 0) >= 90) at90++
}
const t2 = performance.now()
console.log(`\n## Speed: ${nCustomers.toLocaleString('en-US')} customers × ${nAccounts.toLocaleString('en-US')} Accounts (generated, seed 1)\n`)
console.log('| measure | value |')
console.log('|---|---:|')
console.log(`| index build | ${(t1 - t0).toFixed(0)} ms |`)
console.log(`| index heap (approx.) | ${((heap1 - heap0) / 1048576).toFixed(0)} MiB |`)
console.log(`| suggestions for all customers | ${(t2 - t1).toFixed(0)} ms |`)
console.log(`| per customer | ${((t2 - t1) / nCustomers).toFixed(2)} ms |`)
console.log(`| customers with a suggestion / best at ≥ 90 | ${withSuggestion} / ${at90} |`)
console.log(`| naive pairs (N·A) avoided by blocking | ${(nCustomers * nAccounts).toLocaleString('en-US')} |`)
