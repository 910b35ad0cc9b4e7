/** @module emulators/qbo/query-lang/parser.unit.test — real client query strings through the parser. */
import { describe, expect, it } from 'vitest'
import { QboFault } from '../errors.js'
import { parseQuery } from './parser.js'

const codeOf = (text: string) => {
  try {
    parseQuery(text)
  } catch (e) {
    return (e as QboFault).errors[0]?.code
  }
  return 'ok'
}

describe('parseQuery', () => {
  it('reads node-quickbooks generated queries (lower case, orderby, escaped quote)', () => {
    expect(parseQuery("select * from customer where DisplayName = 'O\\'Brien' startposition 1 maxresults 1000")).toEqual({
      count: false, entity: 'customer', where: [{ field: 'DisplayName', op: '=', value: "O'Brien" }],
      orderBy: [], startPosition: 1, maxResults: 1000,
    })
    const q = parseQuery('select * from customer where Active = true orderby DisplayName asc startposition 1 maxresults 2')
    expect(q.where).toEqual([{ field: 'Active', op: '=', value: true }])
    expect(q.orderBy).toEqual([{ field: 'DisplayName', direction: 'ASC' }])
    expect(parseQuery("select count(*) from customer where Active IN (true,false) startposition 1 maxresults 1000").count).toBe(true)
  })

  it("reads Nango's, n8n's (reversed paging) and QIME's queries", () => {
    expect(parseQuery('SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 100')).toMatchObject({ startPosition: 1, maxResults: 100 })
    expect(parseQuery("SELECT * FROM Customer WHERE MetaData.LastUpdatedTime > '2026-01-01T00:00:00-08:00'").where[0])
      .toEqual({ field: 'MetaData.LastUpdatedTime', op: '>', value: '2026-01-01T00:00:00-08:00' })
    expect(parseQuery('SELECT * FROM Customer MAXRESULTS 1000 STARTPOSITION 1001')).toMatchObject({ startPosition: 1001, maxResults: 1000 })
    expect(parseQuery("select * from customer where id = '3'").where[0]).toEqual({ field: 'id', op: '=', value: '3' })
    expect(parseQuery('select count(*) from Customer').count).toBe(true)
    expect(parseQuery("SELECT * FROM Customer WHERE DisplayName LIKE '%Sample Customer%' STARTPOSITION 1 MAXRESULTS 10").where[0])
      .toEqual({ field: 'DisplayName', op: 'LIKE', pattern: '%Sample Customer%' })
    expect(parseQuery("Select * from Customer where Metadata.LastUpdatedTime >= '2020-01-01' ORDER BY Id DESC").orderBy)
      .toEqual([{ field: 'Id', direction: 'DESC' }])
    expect(parseQuery("SELECT * FROM Vendor WHERE DisplayName = 'Robertson & Associates'").entity).toBe('Vendor')
  })

  it('keeps backslash escapes and special characters in literals', () => {
    expect(parseQuery("select * from Customer where DisplayName = 'Back\\\\Slash 50% _x_'").where[0])
      .toMatchObject({ value: 'Back\\Slash 50% _x_' })
    expect(parseQuery("select * from Customer where Id in ('1', '2', '3')").where[0]).toEqual({ field: 'Id', op: 'IN', values: ['1', '2', '3'] })
  })

  it('rejects what QBO rejects', () => {
    expect(codeOf("select * from Customer where DisplayName = 'a' OR DisplayName = 'b'")).toBe('4000')
    expect(codeOf('select * from Customer where DisplayName = "Amy"')).toBe('4000')
    expect(codeOf("select * from Customer where DisplayName = 'unterminated")).toBe('4000')
    expect(codeOf('select * from Customer STARTPOSITION 0')).toBe('4001')
    expect(codeOf('select * from Customer MAXRESULTS 10 MAXRESULTS 20')).toBe('4000')
    expect(codeOf('select from Customer')).toBe('4000')
    expect(codeOf('')).toBe('4000')
  })

  it('reports the STARTPOSITION 0 message QBO gives', () => {
    expect(() => parseQuery('select * from Customer startposition 0')).toThrow(QboFault)
    try {
      parseQuery('select * from Customer startposition 0')
    } catch (e) {
      expect((e as QboFault).errors[0]?.Detail).toBe('QueryValidationError: value 0 is too small. Min allowed value is 1')
    }
  })
})
