import { describe, expect, it } from 'vitest'
import { planWaves, type WaveItem } from './waves.js'

const item = (key: string, level = 0, parentKey?: string, isNew = true): WaveItem => ({ key, level, isNew, ...(parentKey ? { parentKey } : {}) })

/** Every record once; no wave over size; a new parent in an earlier wave than its children. */
function check(items: WaveItem[], size: number) {
  const waves = planWaves(items, size)
  const waveOf = new Map<string, number>()
  waves.forEach((w, i) => {
    expect(w.length).toBeGreaterThan(0)
    expect(w.length).toBeLessThanOrEqual(size)
    for (const it of w) {
      expect(waveOf.has(it.key)).toBe(false)
      waveOf.set(it.key, i)
    }
  })
  expect(waveOf.size).toBe(items.length)
  const byKey = new Map(items.map((it) => [it.key, it]))
  for (const it of items) {
    const p = it.parentKey ? byKey.get(it.parentKey) : undefined
    if (p?.isNew) expect(waveOf.get(p.key)!).toBeLessThan(waveOf.get(it.key)!)
  }
  return waves
}

describe('planWaves', () => {
  it('fills waves to the size with records whose parents are in Salesforce', () => {
    const items = Array.from({ length: 450 }, (_, i) => item(`k${i}`))
    expect(check(items, 200).map((w) => w.length)).toEqual([200, 200, 50])
  })

  it('a child waits for the wave after its new parent; an existing parent keeps nobody waiting', () => {
    const waves = check([item('c', 1, 'p'), item('p'), item('d', 1, 'old'), item('old', 0, undefined, false)], 10)
    expect(waves.map((w) => w.map((x) => x.key).sort())).toEqual([['d', 'old', 'p'], ['c']])
  })

  it('deep chains start first, so n records of depth d take max(⌈n/size⌉, d + 1) waves', () => {
    // A chain of 5 levels and 395 leaves: 400 records in 2 waves of 200 would be ideal, the chain
    // needs 5 waves; cutting per level would need more.
    const chain = [item('L0', 0), item('L1', 1, 'L0'), item('L2', 2, 'L1'), item('L3', 3, 'L2'), item('L4', 4, 'L3')]
    const leaves = Array.from({ length: 395 }, (_, i) => item(`leaf${i}`))
    const waves = check([...leaves, ...chain], 200)
    expect(waves).toHaveLength(5)
    expect(waves[0]?.[0]?.key).toBe('L0')
  })

  it('a cycle (a parent that never comes) is sent anyway, never lost', () => {
    const waves = planWaves([item('a', 1, 'b'), item('b', 1, 'a'), item('c')], 2)
    expect(waves.flat().map((x) => x.key).sort()).toEqual(['a', 'b', 'c'])
    expect(waves.every((w) => w.length <= 2)).toBe(true)
  })

  it('100,000 records with sub-customers three levels deep are planned in one pass', () => {
    const items: WaveItem[] = []
    for (let i = 0; i < 25_000; i++) {
      items.push(item(`t${i}`))
      items.push(item(`s${i}`, 1, `t${i}`))
      items.push(item(`g${i}`, 2, `s${i}`))
      items.push(item(`x${i}`, 0))
    }
    const waves = check(items, 200)
    expect(waves.length).toBe(Math.ceil(items.length / 200))
  })

  it('refuses a size that is not a whole number from 1', () => {
    expect(() => planWaves([], 0)).toThrow(RangeError)
  })
})
