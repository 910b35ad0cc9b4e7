/**
 * A run requested in the org with QBO Realm Id left empty runs every connected company
 * (contract §12), one after another: the request's Tally_Run__c holds the first company's run and
 * names its realm, and each other company's run writes a Tally_Run__c of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { RUN_REQUESTS_TOPIC } from '../../src/jobs/org-run-requests.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
let stop: AbortController
let exited: Promise<number>
let out = ''

const waitFor = async <T>(what: string, f: () => T | undefined | null | false, ms = 90_000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = f()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; tally start printed:\n${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  h = await startHarness({ companies: 2 })
  stop = new AbortController()
  exited = runCli(['start', '--port', '0'], {
    env: { ...h.env, TALLY_ADMIN_PASSWORD: 'correct horse battery staple' },
    cwd: h.dir,
    stdout: (s) => void (out += s),
    stderr: (s) => void (out += s),
    stderrIsTty: false,
    stopSignal: stop.signal,
  })
  await waitFor('the subscription', () => h.sandbox.salesforce.emulator.streamSubscriptions().some((c) => c.includes(`/topic/${RUN_REQUESTS_TOPIC}`)))
})
afterAll(async () => {
  stop.abort()
  expect(await exited).toBe(0)
  await h.close()
})

describe('a Tally_Run__c requested with no company', () => {
  it('runs every connected company, each on a Tally_Run__c naming its realm', async () => {
    const companies = h.sandbox.qbo.emulator.companies().map((c) => c.realmId)
    expect(companies).toHaveLength(2)
    const res = await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/sobjects/Tally_Run__c`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.sandbox.salesforce.emulator.issueAccessToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Status__c: 'Requested', Mode__c: 'import' }),
    })
    expect(res.status).toBe(201)
    const requested = ((await res.json()) as { id: string }).id

    const runs = () => h.sandbox.salesforce.emulator.list('Tally_Run__c')
    const done = await waitFor('both companies\' runs', () => {
      const finished = runs().filter((r) => r['Status__c'] === 'Succeeded')
      return finished.length === 2 && finished
    })
    expect(done.map((r) => r['QBO_Realm_Id__c']).sort()).toEqual([...companies].sort())
    expect(done.find((r) => r['Id'] === requested)?.['QBO_Realm_Id__c']).toBe(companies[0])
    // Every company's customers reached Salesforce, keyed by its realm.
    const records = h.sandbox.salesforce.emulator.list('QBO_Customer__c')
    for (const realm of companies) expect(records.some((r) => r['QBO_Realm_Id__c'] === realm)).toBe(true)
    for (const r of done) expect(Number(r['Customers_Seen__c'])).toBeGreaterThan(0)
  })
})
