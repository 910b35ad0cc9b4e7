import { isQueryValid, parseQuery } from '@jetstreamapp/soql-parser-js'
import { describe, expect, it } from 'vitest'
import { escapeSoqlLike, escapeSoqlString, likePattern, quoteSoql, soql, soqlFields, soqlIdentifier } from './soql.js'

/** Reverses SOQL string escapes (B.1), to prove a literal round-trips. */
function unescape(literal: string): string {
  return literal.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.startsWith('u')) return String.fromCharCode(parseInt(c.slice(1), 16))
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[c] ?? c
  })
}

function literalOf(q: string): string {
  const where = parseQuery(q).where as { left: { value: string } }
  return where.left.value.slice(1, -1)
}

describe('escapeSoqlString', () => {
  it('escapes the reserved characters and the control characters with short escapes', () => {
    expect(escapeSoqlString(`O'Brien`)).toBe(`O\\'Brien`)
    expect(escapeSoqlString('back\\slash')).toBe('back\\\\slash')
    expect(escapeSoqlString('say "hi"')).toBe('say \\"hi\\"')
    expect(escapeSoqlString('a\nb\rc\td\be\ff')).toBe('a\\nb\\rc\\td\\be\\ff')
    expect(escapeSoqlString('\u0001')).toBe('\\u0001')
  })

  it('keeps %, _ and non-Latin letters outside LIKE', () => {
    expect(escapeSoqlString('100% _x_ Ünïcødé 日本 Ελλάδα')).toBe('100% _x_ Ünïcødé 日本 Ελλάδα')
  })

  it('escapes % and _ inside LIKE', () => {
    expect(escapeSoqlLike(`50%_off's`)).toBe(`50\\%\\_off\\'s`)
  })

  const nasty = [`O'Brien`, `\\'; DELETE`, `a\\`, `'`, `"quoted"`, `tab\there`, `line\nbreak`, `x\\'y`, `日本 'co'`]
  it.each(nasty)('a quoted literal of %j parses and round-trips', (v) => {
    const q = `SELECT Id FROM Account WHERE Name = ${quoteSoql(v)}`
    expect(isQueryValid(q)).toBe(true)
    expect(unescape(literalOf(q))).toBe(v)
  })
})

describe('soql tagged template', () => {
  it('quotes and escapes string values', () => {
    const name = `Bob's "Bar" \\ Grill`
    const q = soql`SELECT Id FROM Account WHERE Name = ${name}`
    expect(q.text).toBe(`SELECT Id FROM Account WHERE Name = 'Bob\\'s \\"Bar\\" \\\\ Grill'`)
    expect(isQueryValid(q.text)).toBe(true)
  })

  it('turns arrays into IN lists and keeps numbers, booleans and null as literals', () => {
    const q = soql`SELECT Id FROM Account WHERE Name IN ${["a'b", 'c']} AND NumberOfEmployees > ${5} AND IsDeleted = ${false} AND Site != ${null}`
    expect(q.text).toBe(`SELECT Id FROM Account WHERE Name IN ('a\\'b', 'c') AND NumberOfEmployees > 5 AND IsDeleted = FALSE AND Site != NULL`)
    expect(isQueryValid(q.text)).toBe(true)
  })

  it('never interpolates a value as an identifier', () => {
    const field = 'Name FROM Account --'
    const q = soql`SELECT Id FROM Account WHERE Name = ${field}`
    expect(q.text).toContain(`'Name FROM Account --'`)
    expect(() => soqlIdentifier(field)).toThrow(TypeError)
    expect(() => soqlIdentifier("Name'")).toThrow(TypeError)
    expect(soqlFields(['Id', 'Account__r.Name']).text).toBe('Id, Account__r.Name')
  })

  it('refuses objects, empty lists and non-finite numbers', () => {
    expect(() => soql`SELECT Id FROM Account WHERE Name IN ${[]}`).toThrow(TypeError)
    expect(() => soql`SELECT Id FROM Account WHERE X = ${Number.NaN}`).toThrow(TypeError)
    // @ts-expect-error a plain object is not a SOQL value
    expect(() => soql`SELECT Id FROM Account WHERE X = ${{ a: 1 }}`).toThrow(TypeError)
  })

  it('embeds LIKE patterns with every word escaped', () => {
    const q = soql`SELECT Id FROM Account WHERE Name LIKE ${likePattern(['100%', "O'Neil_s"], { prefix: true, suffix: true })}`
    expect(q.text).toBe(`SELECT Id FROM Account WHERE Name LIKE '%100\\%%O\\'Neil\\_s%'`)
    expect(isQueryValid(q.text)).toBe(true)
  })

  it('formats datetimes as unquoted ISO literals', () => {
    const q = soql`SELECT Id FROM Account WHERE LastModifiedDate > ${new Date('2025-01-02T03:04:05Z')}`
    expect(q.text).toBe('SELECT Id FROM Account WHERE LastModifiedDate > 2025-01-02T03:04:05.000Z')
    expect(isQueryValid(q.text)).toBe(true)
  })
})
