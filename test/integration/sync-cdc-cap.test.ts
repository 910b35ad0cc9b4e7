/**
 * `tally sync` when more changed than QuickBooks' change data capture returns in one answer
 * (1,000 objects, api-facts A.3): the sync reads every customer instead, every change reaches
 * Salesforce, and the next sync writes nothing (issue 8).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness({ generate: 1400, randomSeed: 3 })
})
afterEach(async () => {
  await h.close()
})

interface Summary {
  status: string
  read: string
  customers: Record<string, number>
  apiCalls: { qbo: number; salesforce: number }
  durationMs: number
}

async function sparseUpdate(c: Record<string, unknown>, notes: string): Promise<void> {
  const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: notes }),
  })
  expect(res.status).toBe(200)
}
let token = ''

describe('tally sync past CDC’s 1,000 objects', () => {
  it('falls back to reading every customer, writes every change, and the next sync writes nothing', async () => {
    expect((await h.tally('import', '--json')).code).toBe(0)
    token = h.sandbox.qbo.emulator.issueTokens().access_token
    const changed = h.sandbox.qbo.emulator.customers().slice(0, 1150)
    for (const c of changed) await sparseUpdate(c, `changed ${String(c['Id'])}`)

    const cdcBefore = h.sandbox.qbo.emulator.stats.toJSON().byOperation['cdc'] ?? 0
    const r = await h.tally('sync', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s).toMatchObject({ status: 'succeeded', read: 'all' })
    expect(s.customers).toMatchObject({ seen: 1400, updated: 1150, failed: 0 })
    expect(h.sandbox.qbo.emulator.stats.toJSON().byOperation['cdc']).toBe(cdcBefore + 1)
    const notes = new Map(h.records().map((x) => [x['QBO_Id__c'], x['Notes__c']]))
    for (const c of changed) expect(notes.get(c['Id'])).toBe(`changed ${String(c['Id'])}`)
    console.log(`1,150-change sync: ${JSON.stringify(s.apiCalls)} API calls, ${s.durationMs} ms`)

    // The checkpoint moved. Windows overlap by a minute (clock skew), so a sync this soon sees the
    // same 1,150 changes again and reads everything again, but it writes nothing.
    const writes = h.sfWrites()
    const again = await h.tally('sync', '--json')
    expect(again.code).toBe(0)
    expect(again.json<Summary>()).toMatchObject({ status: 'succeeded' })
    expect(again.json<Summary>().customers).toMatchObject({ created: 0, updated: 0, failed: 0 })
    expect(h.sfWrites()).toBe(writes)
  }, 120_000)
})
