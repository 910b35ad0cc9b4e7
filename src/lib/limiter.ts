/**
 * @module lib/limiter
 * A concurrency limiter: at most `max` tasks run at once, the rest wait in FIFO order. Used to
 * stay under a vendor's in-flight request limit (QBO: 10 per app and realm).
 */

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>
  /** Tasks running now. */
  readonly active: number
  /** Tasks waiting for a slot. */
  readonly pending: number
}

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`limiter size must be ≥ 1, got ${max}`)
  let active = 0
  const queue: Array<() => void> = []

  const release = (): void => {
    const next = queue.shift()
    // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump in.
    if (next) next()
    else active--
  }

  return {
    get active() {
      return active
    },
    get pending() {
      return queue.length
    },
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active < max) active++
      else await new Promise<void>((resolve) => queue.push(resolve))
      try {
        return await fn()
      } finally {
        release()
      }
    },
  }
}
