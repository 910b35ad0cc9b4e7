/**
 * The LIKE index rests on `likeFold` (literals.ts): whenever the case-insensitive RegExp a LIKE
 * pattern compiles to matches one code unit with another, the two must fold alike, or the index
 * would miss a record the scan finds. Checked here for every UTF-16 code unit, on this engine.
 */
import { describe, expect, it } from 'vitest'
import { compileLike, likeFold } from './literals.js'

describe('likeFold', () => {
  it('folds alike every pair of code units a case-insensitive RegExp matches', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join('')
    const mismatches: string[] = []
    let checked = 0
    for (let a = 0; a < 0x10000; a++) {
      const ch = String.fromCharCode(a)
      // A code unit with no case mapping matches only itself and code units that map to it;
      // those have a mapping and are checked from their side (the relation is symmetric).
      if (ch.toUpperCase() === ch && ch.toLowerCase() === ch) continue
      const re = new RegExp(`\\u${a.toString(16).padStart(4, '0')}`, 'gi')
      for (let m = re.exec(all); m; m = re.exec(all)) {
        checked++
        if (likeFold(ch) !== likeFold(m[0])) mismatches.push(`U+${a.toString(16)} ~ U+${m.index.toString(16)}`)
      }
    }
    expect(checked).toBeGreaterThan(2000)
    expect(mismatches).toEqual([])
  })

  it('keeps the length, so the fold of a prefix is a prefix of the fold', () => {
    for (const s of ['straße', 'İstanbul', 'ǅemal', 'ﬀoo', 'ΣΊΣΥΦΟΣ', '\u212Aelvin', '\ud83d\ude00x']) {
      expect(likeFold(s)).toHaveLength(s.length)
      expect(likeFold(s).startsWith(likeFold(s.slice(0, 3)))).toBe(true)
    }
  })
})

describe('compileLike', () => {
  it('gives the literal text before the first wildcard and after the last, escapes decoded', () => {
    expect(compileLike("'Acme%Corp'").prefix).toBe('Acme')
    expect(compileLike("'50\\% Off\\_Store%'").prefix).toBe('50% Off_Store')
    expect(compileLike("'O\\'Br_en'").prefix).toBe("O'Br")
    expect(compileLike("'\\u0041b%'").prefix).toBe('Ab')
    expect(compileLike("'%acme'").prefix).toBe('')
    expect(compileLike("'exact'")).toMatchObject({ prefix: 'exact', suffix: 'exact' })
    expect(compileLike("'Blue%Ridge%Co\\_'")).toMatchObject({ prefix: 'Blue', suffix: 'Co_' })
    expect(compileLike("'Blue%'").suffix).toBe('')
    expect(compileLike("'a_c'").suffix).toBe('c')
    expect(compileLike("'a_c%'").re.test('ABCdef')).toBe(true)
  })
})
