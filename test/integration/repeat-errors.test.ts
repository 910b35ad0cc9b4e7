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
    // The record itself was not written again, and the Account was not asked for again.
    expect(h.records().find((x) => x['QBO_Id__c'] === c['Id'])!['Last_Synced__c']).toBe(rec['Last_Synced__c'])
    const before = writes()
    const third = await h.tally('import', '--create-accounts', '--json')
    expect(third.code).toBe(2)
    expect(writes()).toBe(before)

    // Once the admin lifts the rule, --retry-refused asks again, and the customer gets its Account.
    h.sandbox.salesforce.emulator.setValidationRules([])
    const retried = await h.tally('import', '--create-accounts', '--retry-refused', '--json')
    expect(retried.code).toBe(0)
    expect(retried.json<Summary>().accountsCreated).toBe(1)
    expect(h.records().find((x) => x['QBO_Id__c'] === c['Id'])).toMatchObject({ Link_Status__c: 'Created' })
    const quiet = writes()
    expect((await h.tally('import', '--create-accounts', '--json')).code).toBe(0)
    expect(writes()).toBe(quiet)
  })

  it('a record Salesforce refuses is not sent again until it changes, or a run retries; the run stays partial', async () => {
    const res = await fetch(`${h.sandbox.salesforce.url}/__sandbox/validation-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern: '^Cool Cars$', message: 'Company Name: this company is on hold' }]),
    })
    expect(res.status).toBe(200)
    const first = await h.tally('import', '--json')
    expect(first.code).toBe(2)
    expect(first.json<Summary>().customers.failed).toBe(1)

    // Nothing changed: the refused write is not sent again, and the run still says what is wrong.
    const before = writes()
    const again = await h.tally('import', '--json')
    expect(again.code).toBe(2)
    const s = again.json<Summary>()
    expect(s.status).toBe('partial')
    expect(s.customers).toMatchObject({ created: 0, updated: 0, failed: 1 })
    expect(s.errors).toContainEqual(expect.objectContaining({ displayName: 'Cool Cars', field: 'Company_Name__c', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', level: 'error' }))
    expect(writes()).toBe(before)
    // A dry run says the same, and writes nothing either.
    const dry = await h.tally('import', '--dry-run', '--json')
    expect(dry.json<Summary>().customers.failed).toBe(1)

    // The customer changes in QBO: what Tally would write changes, so it is sent (and refused) again.
    const cool = h.sandbox.qbo.emulator.customers().find((x) => x['DisplayName'] === 'Cool Cars')!
    const upd = await fetch(`${h.sandbox.qbo.url}/v3/company/${h.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: cool['Id'], SyncToken: cool['SyncToken'], sparse: true, Notes: 'changed in QBO' }),
    })
    expect(upd.status).toBe(200)
    const changed = writes()
    expect((await h.tally('import', '--json')).code).toBe(2)
    expect(writes()).toBeGreaterThan(changed)

    // The admin lifts the rule; --retry-refused sends it, and then all is quiet.
    h.sandbox.salesforce.emulator.setValidationRules([])
    const retried = await h.tally('import', '--retry-refused', '--json')
    expect(retried.code).toBe(0)
    expect(retried.json<Summary>().customers).toMatchObject({ created: 1, failed: 0 })
    const quiet = writes()
    expect((await h.tally('import', '--json')).code).toBe(0)
    expect(writes()).toBe(quiet)
  })
})
