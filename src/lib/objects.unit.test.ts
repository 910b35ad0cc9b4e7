import { describe, expect, it } from 'vitest'
import { inObject } from './objects.js'

describe('inObject', () => {
  it('copies every property and value as it is, in order, the values themselves', () => {
    const shared = { nested: true }
    const source: Record<string, unknown> = {}
    for (const [i, n] of ['QBO_Id__c', 'Display_Name__c', 'Active__c', 'Balance__c', 'Email__c', 'Notes__c', 'Ref__c'].entries()) source[n] = i === 6 ? shared : i % 2 ? `v${i}` : i === 4 ? null : i
    source['Active__c'] = false
    const copy = inObject(source)
    expect(copy).not.toBe(source)
    expect(copy).toStrictEqual(source)
    expect(Object.keys(copy)).toEqual(Object.keys(source))
    expect(copy['Ref__c']).toBe(shared)
    // Twice with the same names (the template is reused), and with few names or numeric ones.
    expect(inObject({ ...source, Notes__c: 'other' })['Notes__c']).toBe('other')
    expect(inObject({ a: 1, b: '2' })).toStrictEqual({ a: 1, b: '2' })
    expect(inObject({ '1': 'x', a: 1, b: 2, c: 3, d: 4, e: 5 })).toStrictEqual({ '1': 'x', a: 1, b: 2, c: 3, d: 4, e: 5 })
    expect(inObject({ 'with "quote"': 1, 'back\\slash': 2, a: 3, b: 4, c: 5 })).toStrictEqual({ 'with "quote"': 1, 'back\\slash': 2, a: 3, b: 4, c: 5 })
  })
})
