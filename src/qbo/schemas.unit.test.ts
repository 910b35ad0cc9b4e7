import { describe, expect, it } from 'vitest'
import { subCustomer } from '../../test/fixtures/qbo-client/customer.js'
import { QboSchemaError } from './errors.js'
import { cdcResponseSchema, customerSchema, parseWire, queryResponseSchema } from './schemas.js'

describe('customerSchema', () => {
  it('parses a realistic sub-customer and keeps unknown properties', () => {
    const c = parseWire(customerSchema, subCustomer, 'Customer')
    expect(c.Id).toBe('112')
    expect(c.ParentRef?.value).toBe('7')
    expect(c.Level).toBe(1)
    expect(c.BillAddr?.Lat).toBe('INVALID')
    expect(c.MetaData?.LastUpdatedTime).toBe('2024-06-12T15:03:26-07:00')
    expect((c as Record<string, unknown>).V4IDPseudonym).toBe(subCustomer.V4IDPseudonym)
  })
  it('accepts a minimal top-level customer (QBO omits empty fields)', () => {
    const c = parseWire(customerSchema, { Id: '1', SyncToken: '0', DisplayName: 'A', Active: false }, 'Customer')
    expect(c.Level).toBeUndefined()
  })
  it('names the entity, Id and field on a parse failure', () => {
    const bad = { ...subCustomer, MetaData: { LastUpdatedTime: 1718229806 } }
    let caught: unknown
    try {
      parseWire(customerSchema, bad, 'Customer')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(QboSchemaError)
    expect((caught as QboSchemaError).message).toMatch(/Customer \(Id 112\) whose MetaData\.LastUpdatedTime is invalid/)
    expect((caught as QboSchemaError).element).toBe('MetaData.LastUpdatedTime')
  })
  it('rejects a missing DisplayName', () => {
    const { DisplayName: _d, ...rest } = subCustomer
    expect(() => parseWire(customerSchema, rest, 'Customer')).toThrow(/DisplayName/)
  })
})

describe('envelopes', () => {
  it('accepts an empty QueryResponse and a COUNT', () => {
    expect(parseWire(queryResponseSchema, { QueryResponse: {}, time: 't' }, 'QueryResponse').QueryResponse).toEqual({})
    expect(parseWire(queryResponseSchema, { QueryResponse: { totalCount: 41 } }, 'QueryResponse').QueryResponse.totalCount).toBe(41)
  })
  it('accepts CDC with an empty per-entity QueryResponse', () => {
    const r = parseWire(cdcResponseSchema, { CDCResponse: [{ QueryResponse: [{}] }], time: 't' }, 'CDCResponse')
    expect(r.CDCResponse).toHaveLength(1)
  })
})
