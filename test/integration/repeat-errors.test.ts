/**
 * A value that does not fit, or an error that repeats, never makes Tally write a record again and
 * again: a re-import with nothing changed writes nothing, whatever failed before (issue 8).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

interface Summary {
  status: string
  customers: Record<string, number>
  links: Record<string, number>
  accountsCreated: number
  apiCalls: { qbo: number; salesforce: number }
  errors: { qboId: string; displayName: string; field: string | null; code: string; message: string; level: string }[]
}

async function qboCreate(body: Record<string, unknown>) {
  const res = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { Customer: Record<string, unknown> }).Customer
}

/** QBO_Customer__c writes and Account writes the Salesforce sandbox received. */
const writes = () => h.sfWrites()

describe('errors that repeat', () => {
  it('a 300-character Display Name creates its Account with the first 255 characters, reported; a re-import writes nothing', async () => {
    // QBO's DisplayName holds 500 characters (api-facts A.1); Account Name holds 255.
    const long = `${'Long Name Holdings '.repeat(16)}Ltd`.slice(0, 300)
    expect(long).toHaveLength(300)
    const c = await qboCreate({ DisplayName: long })

    const r = await h.tally('import', '--create-accounts', '--json')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.status).toBe('succeeded')
    expect(s.errors.filter((e) => e.level === 'error')).toEqual([])
    expect(s.errors).toContainEqual(expect.objectContaining({ qboId: c['Id'], field: 'Account__c', code: 'STRING_TOO_LONG', level: 'warning' }))
    const rec = h.records().find((x) => x['QBO_Id__c'] === c['Id'])!
    expect(rec['Link_Status__c']).toBe('Created')
    const account = h.accounts().find((a) => a['Id'] === rec['Account__c'])!
    expect(account['Name']).toBe(long.slice(0, 255).trimEnd())

    const before = writes()
    const again = await h.tally('import', '--create-accounts', '--json')
    expect(again.code).toBe(0)
    const s2 = again.json<Summary>()
    expect(s2.customers).toMatchObject({ created: 0, updated: 0, failed: 0 })
    expect(s2.accountsCreated).toBe(0)
    expect(writes()).toBe(before)
    console.log(`re-import after a shortened Account Name: ${JSON.stringify(s2.apiCalls)} API calls, ${writes() - before} writes`)
  })

  it('a record whose Account Salesforce keeps refusing is not rewritten by every run; the run says partial', async () => {
    const c = await qboCreate({ DisplayName: 'Blocked Name Co' })
    // An admin's validation rule refuses the Account, every time.
    const res = await fetch(`${h.sandbox.salesforce.url}/__sandbox/validation-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ object: 'Account', field: 'Name', pattern: '^Blocked Name Co$', message: 'Account Name: this name is reserved' }]),
    })
    expect(res.status).toBe(200)

    const r = await h.tally('import', '--create-accounts', '--json')
    expect(r.code).toBe(2)
    const s = r.json<Summary>()
    expect(s.status).toBe('partial')
    expect(s.errors).toContainEqual(expect.objectContaining({ qboId: c['Id'], field: 'Account__c', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', level: 'error' }))
    const rec = h.records().find((x) => x['QBO_Id__c'] === c['Id'])!
    expect(rec).toMatchObject({ Link_Status__c: 'Unmapped', Account__c: null })

    const again = await h.tally('import', '--create-accounts', '--json')
    expect(again.code).toBe(2)
    const s2 = again.json<Summary>()
    expect(s2.customers).toMatchObject({ created: 0, updated: 0, failed: 0 })
    expect(s2.errors).toContainEqual(expect.objectContaining({ qboId: c['Id'], code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }))
    // The record itself was not written again.
    expect(h.records().find((x) => x['QBO_Id__c'] === c['Id'])!['Last_Synced__c']).toBe(rec['Last_Synced__c'])
  })
})
