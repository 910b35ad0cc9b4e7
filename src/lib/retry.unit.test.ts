import { describe, expect, it } from 'vitest'
import { createLimiter } from './limiter.js'
import { backoffDelay, retry } from './retry.js'

describe('retry', () => {
  it('retries retryable failures with full-jitter delays within the exponential ceiling', async () => {
    const delays: number[] = []
    let calls = 0
    const v = await retry(
      async () => {
        if (++calls < 4) throw new Error('transient')
        return 'ok'
      },
      { retries: 6, baseDelayMs: 100, maxDelayMs: 250, shouldRetry: () => true, random: () => 0.999, sleep: async (ms) => void delays.push(ms) },
    )
    expect(v).toBe('ok')
    expect(delays).toEqual([99, 199, 249])
  })
  it('stops on a non-retryable failure and after the retry budget', async () => {
    let calls = 0
    await expect(
      retry(async () => { calls++; throw new Error('x') }, { retries: 2, baseDelayMs: 1, maxDelayMs: 1, shouldRetry: () => true, sleep: async () => {} }),
    ).rejects.toThrow('x')
    expect(calls).toBe(3)
    calls = 0
    await expect(
      retry(async () => { calls++; throw new Error('y') }, { retries: 5, baseDelayMs: 1, maxDelayMs: 1, shouldRetry: () => false }),
    ).rejects.toThrow('y')
    expect(calls).toBe(1)
  })
  it('backoffDelay is 0 with random 0', () => {
    expect(backoffDelay(5, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 })).toBe(0)
  })
})

describe('createLimiter', () => {
  it('never runs more than max tasks at once and runs them all', async () => {
    const lim = createLimiter(3)
    let running = 0
    let peak = 0
    const task = async (i: number) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 1 + (i % 3)))
      running--
      return i
    }
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => lim.run(() => task(i))))
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(peak).toBe(3)
    expect(lim.active).toBe(0)
  })
  it('frees the slot when a task throws', async () => {
    const lim = createLimiter(1)
    await expect(lim.run(async () => { throw new Error('boom') })).rejects.toThrow('boom')
    await expect(lim.run(async () => 1)).resolves.toBe(1)
  })
})
