/**
 * @module lib/heap
 * A full garbage collection on demand, for the moments a big run has just let go of a large
 * structure (the first plan, the suggestion index, a Bulk job's upload and results). V8 sizes its
 * next collection from the heap it last found live and lets the heap grow well past what is live
 * while a run allocates quickly: at 100,000 customers a collection at each of those moments took the
 * peak RSS of `tally import` from 1,239 MB to 762 MB, for well under a second in all
 * (README, "Memory"). `global.gc` exists only under `--expose-gc`; the flag can be set at run time
 * and the function taken from a new context (Node's `v8.setFlagsFromString` documents that flags
 * set after start may have no effect; this one is read when a context is made, so it does).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | null | undefined

/** Collects garbage fully now (a few hundred ms for a heap of some hundred MB); does nothing
 * where the runtime gives no way to. */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      const g = (globalThis as { gc?: () => void }).gc
      if (typeof g === 'function') gc = g
      else {
        setFlagsFromString('--expose-gc')
        const made = runInNewContext('gc') as unknown
        gc = typeof made === 'function' ? (made as () => void) : null
      }
    } catch {
      gc = null
    }
  }
  gc?.()
}
