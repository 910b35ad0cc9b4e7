import { describe, expect, it } from 'vitest'
import { ownWritesEnd } from './runs.js'

describe('ownWritesEnd', () => {
  const at = (s: string) => new Date(s)
  it("is Tally's clock when it is within the second of Salesforce's last answer", () => {
    expect(ownWritesEnd(at('2026-12-03T10:00:00.400Z'), at('2026-12-03T10:00:00Z'), 60_000)).toEqual(at('2026-12-03T10:00:00.400Z'))
  })
  it("never passes the end of that second, however far ahead Tally's clock runs", () => {
    expect(ownWritesEnd(at('2026-12-03T10:05:00Z'), at('2026-12-03T10:00:00Z'), 60_000)).toEqual(at('2026-12-03T10:00:00.999Z'))
  })
  it("is Tally's clock less the margin without an answer's Date", () => {
    expect(ownWritesEnd(at('2026-12-03T10:05:00Z'), null, 60_000)).toEqual(at('2026-12-03T10:04:00Z'))
  })
})
