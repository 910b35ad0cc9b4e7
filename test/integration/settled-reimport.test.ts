/**
 * A re-import of a company that did not change keeps, of the Accounts it reads for matching, only
 * those its names can match, without what suggestions compare (sync/run `forMatching`): a customer
 * whose link changes all the same has its suggestion candidates read on their own, and gets the
 * suggestion a run holding every Account would give it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const opened: Harness[] = []
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close()
})

type Summary = { customers: { created: number; updated: number; unchanged: number }; links: Record<string, number>; apiCalls: { salesforce: number } }
const queries = (h: Harness) => {
  const by = h.sandbox.salesforce.emulator.stats.toJSON().byOperation
  return (by['query'] ?? 0) + (by['bulk2.query.create'] ?? 0)
}

describe('a re-import of a company that did not change', () => {
  it('writes nothing, and a customer left waiting by a change in the org still gets its suggestion', async () => {
    // No Accounts created: most top-level customers wait (Unmapped), and their names are looked up
    // again on every run — enough of them that reading every Account costs fewer calls.
    const h = await startHarness({ generate: 3_000, randomSeed: 11 })
    opened.push(h)
    const first = await h.tally('import', '--json')
    expect(first.code).toBe(0)
    const q1 = queries(h)
    const again = await h.tally('import', '--json')
    const readAgain = queries(h) - q1
    expect(again.code).toBe(0)
    const a = again.json<Summary>()
    expect(a.customers).toMatchObject({ created: 0, updated: 0, unchanged: 3_000 })
    expect(a.links).toEqual(first.json<Summary>().links)

    // Two Accounts appear in the org with the name of a customer that waits: it becomes Ambiguous,
    // its record is written, and its suggestion is one of the two.
    const waiting = h.records().find((r) => r['Link_Status__c'] === 'Unmapped' && r['Is_Sub_Customer__c'] === false && r['Active__c'] === true)
    if (!waiting) throw new Error('no customer waiting')
    const name = String(waiting['Display_Name__c'])
    const ids = [h.sandbox.salesforce.emulator.insert('Account', { Name: name }), h.sandbox.salesforce.emulator.insert('Account', { Name: name.toUpperCase() })]
    const before = queries(h)
    const third = await h.tally('import', '--json')
    expect(third.code).toBe(0)
    expect(third.json<Summary>().customers).toMatchObject({ updated: 1, unchanged: 2_999 })
    const now = h.records().find((r) => r['QBO_Key__c'] === waiting['QBO_Key__c'])
    expect(now).toMatchObject({ Link_Status__c: 'Ambiguous', Account__c: null })
    expect(ids).toContain(now?.['Suggested_Account__c'])
    // As a run holding every Account with its profile suggests (85, "same name; 2 Accounts have
    // this name", measured with the Accounts kept whole).
    expect(String(now?.['Suggestion_Reason__c'])).toMatch(/same name/)
    expect(Number(now?.['Suggestion_Score__c'])).toBe(85)
    // The Accounts were read for matching without what suggestions compare: the candidates of the
    // one customer left waiting were read on their own, a query more than the run before.
    expect(queries(h) - before).toBeGreaterThan(readAgain)
  }, 120_000)
})
