/** @module emulators/shared/generate.unit.test — generated and sample data are valid by QBO's rules. */
import { describe, expect, it } from 'vitest'
import { createQboEmulator } from '../qbo/index.js'
import { generateSandboxData } from './generate.js'
import { sampleSandboxData } from './sample-data.js'

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase()

describe('generateSandboxData', () => {
  it('is deterministic and loads into the emulator without a rule violation', () => {
    const a = generateSandboxData({ customers: 2000, seed: 3 })
    expect(generateSandboxData({ customers: 2000, seed: 3 })).toEqual(a)
    expect(generateSandboxData({ customers: 2000, seed: 4 })).not.toEqual(a)
    const emu = createQboEmulator({ data: a.qbo })
    const customers = emu.customers()
    expect(customers).toHaveLength(2000)
    expect(Math.max(...customers.map((c) => Number(c.Level ?? 0)))).toBe(4)
    expect(customers.some((c) => c.IsProject === true)).toBe(true)
    const inactive = customers.filter((c) => c.Active === false).length
    expect(inactive / 2000).toBeGreaterThan(0.02)
    expect(inactive / 2000).toBeLessThan(0.08)
    const names = customers.map((c) => String(c.DisplayName)).join('\n')
    for (const ch of ["'", '%', '_', '\\', '"', 'é', 'Ν', 'Д', '山']) expect(names).toContain(ch)
  })

  it('makes ~0.8·N Accounts: exact matches, case/spacing variants, duplicates and strangers', () => {
    const d = generateSandboxData({ customers: 1000, seed: 9 })
    expect(d.salesforce.accounts.length).toBe(800)
    const names = d.salesforce.accounts.map((a) => String(a.Name))
    const exact = new Set(names)
    const top = d.qbo.customers.filter((c) => !c.ParentRef && c.Active !== false).map((c) => String(c.DisplayName))
    const exactMatches = top.filter((n) => exact.has(n)).length
    expect(exactMatches / top.length).toBeGreaterThan(0.4)
    expect(names.some((n) => !exact.has(norm(n)) && top.some((t) => norm(t) === norm(n) && t !== n))).toBe(true)
    const counts = new Map<string, number>()
    for (const n of names) counts.set(norm(n), (counts.get(norm(n)) ?? 0) + 1)
    expect([...counts.values()].some((c) => c > 1)).toBe(true)
  })
})

describe('sampleSandboxData', () => {
  it("is Craig's company: 29 customers, 3 sub-customers, ambiguous and near-miss Accounts", () => {
    const d = sampleSandboxData()
    const emu = createQboEmulator({ data: d.qbo })
    expect(emu.realmId).toBe('9341452631925553')
    expect(emu.customers()).toHaveLength(29)
    expect(emu.customers().filter((c) => c.Job === true).map((c) => c.FullyQualifiedName).sort()).toEqual([
      'Freeman Sporting Goods:0969 Ocean View Road', 'Freeman Sporting Goods:55 Twin Lane', 'Shara Barnett:Barnett Design',
    ])
    const names = d.salesforce.accounts.map((a) => String(a.Name))
    expect(names.filter((n) => n === 'Gevelber Photography')).toHaveLength(2)
    expect(names).toContain("BILL'S WINDSURF SHOP")
  })
})
