/**
 * Runs requested in the org (contract §12), over real HTTP: with `tally start` running against the
 * sandbox, a Tally_Run__c created in Salesforce with Status `Requested` is heard of through the
 * Streaming API (jsforce's Faye client on the PushTopic Tally creates), runs, and ends with its
 * status, times, counts, API calls and summary on the record; the Create Accounts set in the
 * org's Tally_Settings__c is honoured by that run; a record Salesforce refuses during a requested
 * run becomes a Tally_Run_Error__c of it. Tally polls at most once a minute (and only while the
 * stream is down), so a pick-up within the test can only come from the stream.
 */
import { isQueryValid } from '@jetstreamapp/soql-parser-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { RUN_REQUESTS_QUERY, RUN_REQUESTS_TOPIC } from '../../src/jobs/org-run-requests.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
let stop: AbortController
let exited: Promise<number>
let out = ''
const channel = `/topic/${RUN_REQUESTS_TOPIC}`

const waitFor = async <T>(what: string, f: () => T | undefined | null | false, ms = 60_000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = f()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; tally start printed:\n${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function sfPost(sobject: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/sobjects/${sobject}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${h.sandbox.salesforce.emulator.issueAccessToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = (await res.json()) as { id: string }
  expect(res.status).toBe(201)
  return json.id
}

const run = (id: string) => h.sandbox.salesforce.emulator.get('Tally_Run__c', id) as Record<string, unknown>
const finished = (id: string) => ['Succeeded', 'Partial', 'Failed'].includes(String(run(id)['Status__c'])) && run(id)

beforeAll(async () => {
  h = await startHarness()
  stop = new AbortController()
  exited = runCli(['start', '--port', '0'], {
    env: { ...h.env, TALLY_ADMIN_PASSWORD: 'correct horse battery staple' },
    cwd: h.dir,
    stdout: (s) => void (out += s),
    stderr: (s) => void (out += s),
    stderrIsTty: false,
    stopSignal: stop.signal,
  })
  // Listening: the PushTopic exists and a Streaming API client is subscribed to it.
  await waitFor('the subscription', () => h.sandbox.salesforce.emulator.streamSubscriptions().some((c) => c.includes(channel)))
})
afterAll(async () => {
  stop.abort()
  expect(await exited).toBe(0)
  await h.close()
})

describe('a Tally_Run__c requested in the org', () => {
  it('creates the PushTopic with a query Salesforce accepts', () => {
    const topics = h.sandbox.salesforce.emulator.list('PushTopic')
    expect(topics).toEqual([expect.objectContaining({ Name: RUN_REQUESTS_TOPIC, Query: RUN_REQUESTS_QUERY, IsActive: true })])
    expect(isQueryValid(RUN_REQUESTS_QUERY)).toBe(true)
  })

  it('is picked up through the stream, honours Create Accounts from Tally_Settings__c, and ends Succeeded with its counts', async () => {
    await sfPost('Tally_Settings__c', { QBO_Realm_Id__c: h.sandbox.qbo.emulator.realmId, Create_Accounts__c: true })
    const id = await sfPost('Tally_Run__c', { Status__c: 'Requested', Mode__c: 'import' })
    const done = await waitFor('the run to finish', () => finished(id))
    // The request reached Tally as a PushTopic event.
    expect(h.sandbox.salesforce.emulator.streamEvents(channel)).toEqual([expect.objectContaining({ type: 'created', sobject: expect.objectContaining({ Id: id, Status__c: 'Requested', Mode__c: 'import' }) })])
    const summary = JSON.parse(String(done['Summary__c'])) as { status: string; customers: { seen: number }; accountsCreated: number; apiCalls: { qbo: number; salesforce: number } }
    expect(done).toMatchObject({ Status__c: 'Succeeded', Customers_Seen__c: summary.customers.seen, Customers_Failed__c: 0, Accounts_Created__c: summary.accountsCreated })
    expect(summary.status).toBe('succeeded')
    expect(summary.customers.seen).toBe(h.sandbox.qbo.emulator.customers().length)
    // Create Accounts came from the org: the unmatched customers got Accounts.
    expect(summary.accountsCreated).toBeGreaterThan(0)
    expect(done['Salesforce_Calls__c']).toBe(summary.apiCalls.salesforce)
    expect(done['QBO_Calls__c']).toBe(summary.apiCalls.qbo)
    expect(Number(done['Finished__c'])).toBeGreaterThanOrEqual(Number(done['Started__c']))
    expect(h.sandbox.salesforce.emulator.list('Tally_Run_Error__c')).toEqual([])
  })

  it('writes a record Salesforce refused as a Tally_Run_Error__c of the run, which ends Partial', async () => {
    h.sandbox.salesforce.emulator.setValidationRules([{ object: 'QBO_Customer__c', field: 'Notes__c', pattern: 'refused', message: 'Notes may not say refused.' }])
    const amy = h.sandbox.qbo.emulator.customers().find((c) => c['DisplayName'] === "Amy's Bird Sanctuary") as Record<string, unknown>
    const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: amy['Id'], SyncToken: amy['SyncToken'], sparse: true, Notes: 'refused' }),
    })
    expect(res.status).toBe(200)
    const id = await sfPost('Tally_Run__c', { Status__c: 'Requested', Mode__c: 'sync' })
    const done = await waitFor('the run to finish', () => finished(id))
    expect(done).toMatchObject({ Status__c: 'Partial', Customers_Failed__c: 1 })
    const errors = h.sandbox.salesforce.emulator.list('Tally_Run_Error__c')
    expect(errors).toEqual([
      expect.objectContaining({ Tally_Run__c: id, Code__c: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', Level__c: 'error', Message__c: expect.stringContaining("Amy's Bird Sanctuary") }),
    ])
  })
})
