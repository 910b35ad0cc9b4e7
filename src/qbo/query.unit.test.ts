import { describe, expect, it } from 'vitest'
import { countQuery, eq, escapeString, inList, literal, selectQuery, startsWith } from './query.js'

describe('QBO string literals', () => {
  it('backslash-escapes apostrophes (recorded form: Amy\\\'s)', () => {
    expect(literal("Amy's Bird Sanctuary")).toBe("'Amy\\'s Bird Sanctuary'")
  })
  it('escapes backslashes before quotes so a trailing backslash cannot close the literal', () => {
    expect(escapeString('C:\\dir\\')).toBe('C:\\\\dir\\\\')
    expect(literal("a\\'b")).toBe("'a\\\\\\'b'")
  })
  it('leaves %, _ and double quotes alone inside =', () => {
    expect(eq('DisplayName', '100% "Pure" _co')).toBe(`DisplayName = '100% "Pure" _co'`)
  })
  it('passes non-Latin text through and survives URL encoding', () => {
    const q = eq('DisplayName', 'Zoë Ørsted — 東京商事')
    expect(q).toBe("DisplayName = 'Zoë Ørsted — 東京商事'")
    expect(decodeURIComponent(encodeURIComponent(q))).toBe(q)
  })
  it('formats booleans, numbers and dates', () => {
    expect(inList('Active', [true, false])).toBe('Active IN (true, false)')
    expect(literal(12.5)).toBe('12.5')
    expect(literal(new Date('2024-01-02T03:04:05Z'))).toBe("'2024-01-02T03:04:05.000Z'")
    expect(() => literal(Number.NaN)).toThrow(RangeError)
  })
  it('refuses a literal % in LIKE (QBO has no escape for it)', () => {
    expect(startsWith('DisplayName', "Bill's")).toBe("DisplayName LIKE 'Bill\\'s%'")
    expect(() => startsWith('DisplayName', '50%')).toThrow(RangeError)
  })
  it('refuses property names that could inject', () => {
    expect(() => eq("DisplayName = 'x' OR Id", 1)).toThrow(RangeError)
    expect(eq('MetaData.LastUpdatedTime', 'x')).toBe("MetaData.LastUpdatedTime = 'x'")
  })
})

describe('selectQuery / countQuery', () => {
  it('builds a paged, ordered query with inactive customers', () => {
    expect(
      selectQuery('Customer', { where: [inList('Active', [true, false])], orderBy: 'Id', startPosition: 1001, maxResults: 1000 }),
    ).toBe('SELECT * FROM Customer WHERE Active IN (true, false) ORDERBY Id STARTPOSITION 1001 MAXRESULTS 1000')
  })
  it('joins conditions with AND and counts', () => {
    expect(countQuery('Customer', [eq('Active', true), eq('DisplayName', "O'Neil")])).toBe(
      "SELECT COUNT(*) FROM Customer WHERE Active = true AND DisplayName = 'O\\'Neil'",
    )
  })
  it('enforces 1-based STARTPOSITION and MAXRESULTS ≤ 1000', () => {
    expect(() => selectQuery('Customer', { startPosition: 0 })).toThrow(/1-based/)
    expect(() => selectQuery('Customer', { maxResults: 1001 })).toThrow(/MAXRESULTS/)
  })
})
