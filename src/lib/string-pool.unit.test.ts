import { describe, expect, it } from 'vitest'
import { collectGarbage } from './heap.js'
import { StringPool } from './string-pool.js'

// Strings made at run time, as a parser makes them: equal, and each its own copy.
const made = (s: string): string => [...s].join('')
/** Whether two equal strings are one copy: `===` cannot tell, and a WeakRef cannot hold a string;
 * the heap tells — the pooled records, held together, must take less than the copies. */
function heapOf(make: () => unknown[]): number {
  collectGarbage()
  const before = process.memoryUsage().heapUsed
  const held = make()
  collectGarbage()
  const after = process.memoryUsage().heapUsed
  expect(held.length).toBeGreaterThan(0)
  return after - before
}

describe('StringPool', () => {
  it('keeps the values, field by field', () => {
    const pool = new StringPool()
    const r = pool.dedupe({ Name: made('Acme Corp'), Display: made('Acme Corp'), Realm: made('123'), Level: 0, Active: true, Empty: null })
    expect(r).toEqual({ Name: 'Acme Corp', Display: 'Acme Corp', Realm: '123', Level: 0, Active: true, Empty: null })
  })

  it('holds a repeated value once, within a record and across records', () => {
    const record = (i: number) => ({ Name: made(`Customer number ${i} of a long list`), Company: made(`Customer number ${i} of a long list`), Realm: made('9341452631925553-realm'), Id: made(`id-${i}`) })
    const copies = heapOf(() => Array.from({ length: 20_000 }, (_, i) => record(i)))
    const pool = new StringPool()
    const pooled = heapOf(() => Array.from({ length: 20_000 }, (_, i) => pool.dedupe(record(i))))
    // Each record drops a name (~56 bytes) and the realm (~40 bytes): well over a fifth of it.
    expect(pooled).toBeLessThan(copies * 0.8)
  })

  it('stops pooling a field whose values do not repeat', () => {
    const pool = new StringPool()
    for (let i = 0; i < 5_000; i++) pool.dedupe({ Id: made(`id-${i}`), Currency: made('USD') })
    const fields = (pool as unknown as { fields: Map<string, Map<string, string> | null> }).fields
    expect(fields.get('Id')).toBeNull()
    expect(fields.get('Currency')?.size).toBe(1)
  })
})
