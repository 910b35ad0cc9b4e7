/**
 * @module lib/retry
 * Retry with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter": the delay is uniform in [0, min(cap, base * 2^attempt)]). Full jitter spreads the
 * retries of many workers that failed at the same moment, which matters for per-realm limits.
 */

export interface RetryOptions {
  /** Retries after the first attempt (so at most `retries + 1` attempts). */
  retries: number
  baseDelayMs: number
  maxDelayMs: number
  /** Whether this failure is worth another attempt. */
  shouldRetry: (err: unknown, attempt: number) => boolean
  /** Called before sleeping; `attempt` is 1 for the first retry. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void
  /** A server-given minimum wait for this failure (e.g. Retry-After), in ms. */
  minDelayMs?: (err: unknown) => number | undefined
  random?: () => number
  sleep?: (ms: number) => Promise<void>
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

/** The full-jitter delay before retry number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  o: { baseDelayMs: number; maxDelayMs: number; random?: () => number },
): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor((o.random ?? Math.random)() * ceiling)
}

/** Runs `fn` until it succeeds, a failure is not retryable, or the retries are used up. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (err) {
      if (attempt >= o.retries || !o.shouldRetry(err, attempt)) throw err
      const delay = Math.max(backoffDelay(attempt + 1, o), o.minDelayMs?.(err) ?? 0)
      o.onRetry?.(err, attempt + 1, delay)
      await (o.sleep ?? sleep)(delay)
    }
  }
}
