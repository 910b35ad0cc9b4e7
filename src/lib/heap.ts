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
 *
 * From the first such collection on, V8 is also told to let the heap grow by 10% past what it
 * found live before it collects again (`--heap-growing-percent`, read after every collection), in
 * place of its own factor, which lets it double while a run allocates fast. At 100,000 customers
 * that took the peak of the first import from 756 MB to 650 MB and of the re-import from 846 MB to
 * 603 MB, in the same time (20% gave 661 and 676 MB; README, "Memory"). A process that never runs
 * a big run keeps V8's defaults.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | null | undefined

/** How far past the live heap V8 may grow before its next full collection, once a big run began. */
export const HEAP_GROWING_PERCENT = 10

/** Collects garbage fully now (a few hundred ms for a heap of some hundred MB); does nothing
 * where the runtime gives no way to. */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
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
