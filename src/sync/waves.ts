/**
 * @module sync/waves
 * The order in which a plan's record writes are sent: Collections ("waves") of at most `size`
 * records, each record after the wave that writes its new parent — Salesforce does not promise that
 * the records of one request see each other, so a child waits for the request after its parent's
 * (design notes, "Parents before children"). Records with the deepest chains of new descendants go
 * first, so those chains start early and leaf records fill the gaps: max(⌈n/size⌉, depth + 1)
 * waves, where cutting at every level would add one per level. Pure and O(n log n): a ready queue
 * (a binary heap on each record's rank) instead of rescanning what is left for every wave. The
 * writers (sObject Collections; Bulk API 2.0 jobs) send the waves; they know nothing of the order.
 */

/** What the planner needs of a write: its key, its parent's key when that is written too, and
 * whether it is new (only a new record makes its children wait). */
export interface WaveItem {
  key: string
  level: number
  parentKey?: string | undefined
  isNew: boolean
}

class MinHeap {
  private readonly a: number[] = []
  get size(): number {
    return this.a.length
  }
  push(x: number): void {
    const a = this.a
    a.push(x)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if ((a[p] as number) <= x) break
      a[i] = a[p] as number
      i = p
    }
    a[i] = x
  }
  pop(): number | undefined {
    const a = this.a
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last !== undefined) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= a.length) break
        const r = l + 1
        const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l
        if ((a[c] as number) >= last) break
        a[i] = a[c] as number
        i = c
      }
      a[i] = last
    }
    return top
  }
}

/** The waves, in sending order. `items` in any order; each appears in exactly one wave. */
export function planWaves<T extends WaveItem>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`wave size must be ≥ 1, got ${size}`)
  // Rank: the height of a record's chain of new descendants (deepest first), then its level, then
  // the order given — the order the waves are filled in.
  const byLevel = [...items].sort((x, y) => x.level - y.level)
  const height = new Map<string, number>()
  for (let i = byLevel.length - 1; i >= 0; i--) {
    const it = byLevel[i] as T
    if (it.parentKey !== undefined) height.set(it.parentKey, Math.max(height.get(it.parentKey) ?? 0, (height.get(it.key) ?? 0) + 1))
  }
  const ranked = byLevel
    .map((it, i) => ({ it, i }))
    .sort((x, y) => (height.get(y.it.key) ?? 0) - (height.get(x.it.key) ?? 0) || x.i - y.i)
    .map((x) => x.it)
  // A record waits for its parent only when the parent is new and written in this plan.
  const newKeys = new Set(ranked.filter((it) => it.isNew).map((it) => it.key))
  const children = new Map<string, number[]>()
  const ready = new MinHeap()
  const blocked = new Set<number>()
  ranked.forEach((it, r) => {
    if (it.parentKey !== undefined && newKeys.has(it.parentKey) && it.parentKey !== it.key) {
      const list = children.get(it.parentKey)
      if (list) list.push(r)
      else children.set(it.parentKey, [r])
      blocked.add(r)
    } else {
      ready.push(r)
    }
  })
  const waves: T[][] = []
  while (ready.size > 0 || blocked.size > 0) {
    const wave: T[] = []
    while (wave.length < size && ready.size > 0) wave.push(ranked[ready.pop() as number] as T)
    // Nothing could go (a parent that never comes, as in a cycle): send the first blocked ones.
    if (wave.length === 0) {
      for (const r of [...blocked].sort((x, y) => x - y).slice(0, size)) {
        blocked.delete(r)
        wave.push(ranked[r] as T)
      }
    }
    for (const it of wave) {
      for (const r of children.get(it.key) ?? []) {
        if (blocked.delete(r)) ready.push(r)
      }
    }
    waves.push(wave)
  }
  return waves
}
