/**
 * @module test/contract/qbo-api-cassettes
 * Replays the error exchanges of minimul/qbo_api's VCR cassettes (MIT; recorded against a QBO
 * sandbox company in 2020; fixture test/fixtures/qbo/qbo_api/, see its README) against a QBO
 * emulator loaded with the sandbox's sample company, and compares status, content type and the
 * response's key structure — keys and JSON types, an array by the union of its items' keys; not
 * ids, times or values. The cassettes' success bodies predate V4IDPseudonym, ClientEntityId and
 * IsProject, so only their errors are replayed; the customer key sets of today's answers are
 * held in qbo-customer-keys.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.js'
import { sampleSandboxData } from '../../emulators/shared/sample-data.js'
import cassettes from '../fixtures/qbo/qbo_api/error-exchanges.json' with { type: 'json' }

interface Exchange {
  cassette: string
  method: string
  path: string
  query?: Record<string, string>
  body?: Record<string, unknown>
  status: number
  response: unknown
  contentType?: string
}
const exchanges = cassettes.exchanges as unknown as Exchange[]

type Shape = string | Shape[] | { [k: string]: Shape }

/** Keys and JSON types, recursively; an array by the union of its items' shapes. */
function structure(v: unknown): Shape {
  if (v === null) return 'null'
  if (Array.isArray(v)) return v.length === 0 ? [] : [v.map(structure).reduce(merge)]
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, structure((v as Record<string, unknown>)[k])]))
  return typeof v
}
function merge(a: Shape, b: Shape): Shape {
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return Object.fromEntries(keys.map((k) => [k, a[k] === undefined ? (b[k] as Shape) : b[k] === undefined ? a[k] : merge(a[k], b[k])]))
  }
  return a
}
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`))
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path || '/'}: ${JSON.stringify(a) ?? 'absent'} ≠ ${JSON.stringify(b) ?? 'absent'}`]
}

let server: { url: string; close(): Promise<void>; emulator: QboEmulator }
let token: string

beforeAll(async () => {
  // The sample company has the customer the 6240 cassette tries to create again (Weiskopf Consulting).
  server = await startQboEmulator({ data: sampleSandboxData().qbo })
  token = server.emulator.issueTokens().access_token
})
afterAll(async () => server?.close())

describe('qbo_api cassettes (errors), replayed against the emulator', () => {
  exchanges.forEach((e, i) => {
    it(`${e.cassette} #${i}: ${e.method} ${e.path} ${e.query?.query ?? ''}`, async () => {
      const url = new URL(`${server.url}/v3/company/${server.emulator.realmId}${e.path}`)
      for (const [k, v] of Object.entries(e.query ?? {})) url.searchParams.set(k, v)
      const body = e.body
      const res = await fetch(url, {
        method: e.method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await res.text()
      expect(res.status, text.slice(0, 300)).toBe(e.status)
      if (e.contentType) expect(res.headers.get('content-type')).toBe(e.contentType)
      const diffs = differences(structure(e.response), structure(JSON.parse(text)))
      expect(diffs).toEqual([])
    })
  })
})

describe('content type of a success', () => {
  it('answers a read application/json;charset=utf-8, as spec/vcr/get/id.yml recorded (faults: plain application/json)', async () => {
    const res = await fetch(`${server.url}/v3/company/${server.emulator.realmId}/customer/5`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8')
  })
})
