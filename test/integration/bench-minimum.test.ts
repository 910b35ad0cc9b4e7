/**
 * "Tally's import makes at most 10% more API calls than the APIs allow" as a checked property: an
 * import of 1,500 generated customers (latency 0) against the sandbox, its calls per system as the
 * sandbox counted them, held to 1.1 × the minimum the bench computes from the same data
 * (bench/minimum-calls.ts; the Salesforce minimum includes Tally's package check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { firstImportInput, rerunInput } from '../../bench/dataset.js'
import { bulkAwareRecordWrites, minimumCalls, minRecordCollections, type MinimumBreakdown } from '../../bench/minimum-calls.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

interface Summary {
  customers: { seen: number; created: number; updated: number; unchanged: number; failed: number }
  apiCalls: { qbo: number; salesforce: number }
}

const state = (h: Harness) => ({
  realmId: h.sandbox.qbo.emulator.realmId,
  customers: h.sandbox.qbo.emulator.customers(),
  accounts: h.accounts(),
  records: h.records(),
})

const calls = (h: Harness) => ({
  qbo: h.sandbox.qbo.emulator.stats.toJSON().requests,
  salesforce: h.sandbox.salesforce.emulator.stats.toJSON().requests,
})

let h: Harness
beforeAll(async () => {
  h = await startHarness({ generate: 1500, randomSeed: 1, latencyMs: 0 })
})
afterAll(async () => {
  await h.close()
})

describe('the minimum-calls model', () => {
  it('packs parents before children into the fewest Collections', () => {
    // A chain of 3 needs 3 requests whatever the size; 400 roots need 2.
    expect(minRecordCollections([{ key: 'a', parentKey: null }, { key: 'b', parentKey: 'a' }, { key: 'c', parentKey: 'b' }])).toBe(3)
    const roots = Array.from({ length: 400 }, (_, i) => ({ key: `r${i}`, parentKey: null }))
    expect(minRecordCollections(roots)).toBe(2)
    // 399 roots and one child: the child fits beside the second batch of roots.
    expect(minRecordCollections([...roots.slice(1), { key: 'c', parentKey: 'r1' }])).toBe(2)
  })

  it('writes each level by Bulk API 2.0 or by Collections, whichever costs fewer calls', () => {
    // One parent and 10,000 children: the parent in one Collection, the children in one ingest
    // job (5 calls) — fewer than 51 Collections or two jobs.
    const family = [{ key: 'p', parentKey: null }, ...Array.from({ length: 10_000 }, (_, i) => ({ key: `c${i}`, parentKey: 'p' }))]
    expect(bulkAwareRecordWrites(family)).toMatchObject({ calls: 6, rest: 51, allBulk: 10, levels: [1, 10_000], ways: ['rest', 'bulk'] })
    // 400 roots: two Collections beat a job.
    expect(bulkAwareRecordWrites(Array.from({ length: 400 }, (_, i) => ({ key: `r${i}`, parentKey: null }))).calls).toBe(2)
    // The Bulk-aware minimum reads 10,000 existing records in one query job instead of 5 pages.
    const m = minimumCalls({ customers: 10, existingRecords: 10_000, accounts: 0, namesToMatch: [], accountsToCreate: 0, writes: [] })
    expect([m.salesforce.existing, m.salesforce.bulk.existing]).toEqual([5, 3])
  })
})

describe('Tally import of 1,500 generated customers', () => {
  let min: MinimumBreakdown
  let first: Summary

  it('stays within 10% of the fewest calls the APIs allow', async () => {
    min = minimumCalls(firstImportInput(state(h)).input)
    const r = await h.tally('import', '--json', '--create-accounts')
    expect(r.code).toBe(0)
    first = r.json<Summary>()
    expect(first.customers).toMatchObject({ seen: 1500, created: 1500, failed: 0 })
    const seen = calls(h)
    // Tally's own count and the sandbox's agree.
    expect(first.apiCalls).toEqual(seen)
    const why = `minimum ${JSON.stringify(min)}; Tally sent ${JSON.stringify(h.sandbox.salesforce.emulator.stats.toJSON().byOperation)}`
    expect(seen.qbo, why).toBeLessThanOrEqual(Math.floor(1.1 * min.qbo.total))
    expect(seen.salesforce, why).toBeLessThanOrEqual(Math.floor(1.1 * min.salesforce.withOrgRun))
    // Of which the run's own bookkeeping in the org (contract §12): exactly the model's.
    expect(h.orgRunWrites() + 1).toBe(min.salesforce.orgRun)
  })

  it('running it again with nothing changed writes nothing and stays within 10% too', async () => {
    const again = minimumCalls({ ...rerunInput(state(h)), orgSettingsRecord: true })
    h.sandbox.qbo.emulator.stats.reset()
    h.sandbox.salesforce.emulator.stats.reset()
    const r = await h.tally('import', '--json', '--create-accounts')
    expect(r.code).toBe(0)
    expect(r.json<Summary>().customers).toMatchObject({ created: 0, updated: 0, unchanged: 1500 })
    expect(h.sfWrites()).toBe(0)
    const seen = calls(h)
    expect(seen.qbo).toBeLessThanOrEqual(Math.floor(1.1 * again.qbo.total))
    expect(seen.salesforce).toBeLessThanOrEqual(Math.floor(1.1 * again.salesforce.withOrgRun))
    // Nothing written but the run's own record, opened and closed.
    expect(h.orgRunWrites()).toBe(2)
  })
})
