import { describe, expect, it } from 'vitest'
import { normalizeName, sameName } from './names.js'

describe('normalizeName', () => {
  it('trims, collapses white space, ignores case, and treats composed and decomposed accents alike', () => {
    expect(normalizeName('E\u0301cole  du \t Nord ')).toBe('école du nord')
    expect(sameName('École du Nord', 'E\u0301COLE DU NORD')).toBe(true)
    expect(sameName('Acme Inc', 'Acme, Inc')).toBe(false)
  })
})
