import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { describe, expect, it } from 'vitest'
import { encodeSoqlParam } from './soql.js'
import { MAX_QUERY_PATH_BYTES, normalizeAccountName, planAccountNameQueries, sameAccountName } from './account-names.js'

const prefix = '/services/data/v62.0/query?q='
const pathBytes = (q: string) => prefix.length + encodeSoqlParam(q).length

describe('planAccountNameQueries', () => {
  it('puts one-word names in IN and several-word names in LIKE, escaped', () => {
    const [q, ...rest] = planAccountNameQueries(['Acme', "  O'Brien   & Sons ", '50%_Off', 'ACME'], { prefixBytes: prefix.length })
    expect(rest).toEqual([])
    expect(q).toBe(`SELECT Id, Name, QBO_Source_Key__c FROM Account WHERE Name IN ('Acme', '50%_Off') OR Name LIKE 'O\\'Brien%&%Sons'`)
    expect(isQueryValid(q as string)).toBe(true)
  })

  it('skips empty names and returns nothing for no names', () => {
    expect(planAccountNameQueries(['', '   '], { prefixBytes: prefix.length })).toEqual([])
  })

  it('packs thousands of names into as few URLs as fit, each within the limit', () => {
    const names = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `Company ${i} Ltd` : `Firm${i}`))
    const qs = planAccountNameQueries(names, { prefixBytes: prefix.length })
    const total = qs.reduce((n, q) => n + pathBytes(q), 0)
    expect(qs.length).toBe(Math.ceil(total / MAX_QUERY_PATH_BYTES))
    for (const q of qs) {
      expect(pathBytes(q)).toBeLessThanOrEqual(MAX_QUERY_PATH_BYTES)
      expect(isQueryValid(q)).toBe(true)
    }
    const joined = qs.join('\n')
    for (const n of ['Firm1', 'Firm4999']) expect(joined).toContain(`'${n}'`)
    expect(joined).toContain(`'Company%4998%Ltd'`)
  })

  it('sizes by the encoded length, so non-Latin names make smaller batches', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `日本語${i}`)
    const qs = planAccountNameQueries(names, { prefixBytes: prefix.length })
    expect(qs.length).toBeGreaterThan(1)
    for (const q of qs) expect(pathBytes(q)).toBeLessThanOrEqual(MAX_QUERY_PATH_BYTES)
  })
})

describe('sameAccountName', () => {
  it('trims, collapses white space and ignores case', () => {
    expect(normalizeAccountName('  Acme \t  Inc ')).toBe('acme inc')
    expect(sameAccountName('ÉCOLE  du Nord', 'école du nord')).toBe(true)
    expect(sameAccountName('Acme Inc', 'Acme, Inc')).toBe(false)
    // The engine's matching (src/sync/link.ts) compares in NFC; the lookups must agree with it.
    expect(sameAccountName('École du Nord', 'E\u0301cole du Nord')).toBe(true)
  })
})
