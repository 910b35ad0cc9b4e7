/**
 * A run's Salesforce calls (jobs/run-start, sync/read-changed): its start is one Composite call
 * (the package check once per session, the settings, its Tally_Run__c) and an incremental sync's
 * first read another (the Recycle Bin and the records). A sync of one changed customer that is
 * linked costs 5 calls from the command line and 4 on a session that automatic runs share. The
 * package check keeps its behaviour: an org without the package gets the same sentence and nothing
 * written; one with a field missing gets the sentence and a Failed run record. Against the sandbox
 * over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { createRunService, salesforceSession } from '../../src/jobs/runs.js'
import { openTally } from '../../src/jobs/tally.js'
import type { Logger } from '../../src/lib/logger.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** The subrequests of every Composite call the client sent (its debug log). */
function compositeLog(): { logger: Logger; calls: string[][] } {
  const calls: string[][] = []
  const logger: Logger = {
    error() {},
    warn() {},
    info() {},
    debug(msg, meta) {
      if (msg === 'salesforce: composite') calls.push(meta?.['subrequests'] as string[])
    },
  }
  return { logger, calls }
}

const ops = (hh: Harness) => hh.sandbox.salesforce.emulator.stats.toJSON().byOperation

/** After an import (and maybe a sync): one linked top-level customer's Notes edited in QBO. The
 * records the last run wrote are its own writes, not read back as changes (sync/read-changed). */
async function oneLinkedChange(hh: Harness, notes: string, statuses: readonly string[] = ['Matched', 'Created']): Promise<string> {
  const linked = new Set(hh.records().filter((r) => statuses.includes(String(r['Link_Status__c'])) && (statuses.includes('Matched') || r['Suggested_Account__c'])).map((r) => String(r['QBO_Id__c'])))
  const parents = new Set(hh.sandbox.qbo.emulator.customers().map((x) => (x['ParentRef'] as { value?: string } | undefined)?.value))
  const c = hh.sandbox.qbo.emulator.customers().find((x) => x['Job'] !== true && x['Active'] !== false && !parents.has(String(x['Id'])) && linked.has(String(x['Id'])))!
  const res = await fetch(`${hh.sandbox.qbo.url}/v3/company/${hh.sandbox.qbo.emulator.realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hh.sandbox.qbo.emulator.issueTokens().access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Notes: notes }),
  })
  expect(res.status).toBe(200)
  return String(c['Id'])
}

describe('a run’s Salesforce calls', () => {
  it('from the command line, a one-change sync costs the token, two Composite calls, the write and the close', async () => {
    const hh = (h = await startHarness())
    expect((await hh.tally('import', '--json', '--create-accounts')).code).toBe(0)
    expect((await hh.tally('sync', '--json')).code).toBe(0)
    await oneLinkedChange(hh, 'one change')
    hh.sandbox.salesforce.emulator.stats.reset()
    const s = (await hh.tally('sync', '--json')).json<{ customers: Record<string, number>; apiCalls: { salesforce: number } }>()
    expect(s.customers).toMatchObject({ updated: 1, failed: 0 })
    expect(ops(hh)).toEqual({ 'oauth.token': 1, composite: 2, 'collections.upsert': 1, 'sobject.update': 1 })
    expect(s.apiCalls.salesforce).toBe(5)
    const [run] = hh.sandbox.salesforce.emulator.list('Tally_Run__c').sort((a, b) => Number(b['CreatedDate']) - Number(a['CreatedDate']))
    expect(run).toMatchObject({ Status__c: 'Succeeded', Salesforce_Calls__c: 5 })
  })

  it('a change to a customer waiting for a link costs one call more: its name lookup and its suggestion candidates travel in one Composite call', async () => {
    const hh = (h = await startHarness())
    expect((await hh.tally('import', '--json', '--no-create-accounts')).code).toBe(0)
    expect((await hh.tally('sync', '--json')).code).toBe(0)
    const suggestionOf = (id: string) => {
      const r = hh.records().find((x) => String(x['QBO_Id__c']) === id)
      return { status: r?.['Link_Status__c'], account: r?.['Suggested_Account__c'], score: r?.['Suggestion_Score__c'], reason: r?.['Suggestion_Reason__c'] }
    }
    const id = await oneLinkedChange(hh, 'one change to a waiting customer', ['Unmapped'])
    const before = suggestionOf(id)
    expect(before.account).toBeTruthy()
    hh.sandbox.salesforce.emulator.stats.reset()
    const s = (await hh.tally('sync', '--json', '--no-create-accounts')).json<{ customers: Record<string, number>; apiCalls: { salesforce: number } }>()
    expect(s.customers).toMatchObject({ updated: 1, failed: 0 })
    expect(ops(hh)).toEqual({ 'oauth.token': 1, composite: 3, 'collections.upsert': 1, 'sobject.update': 1 })
    expect(s.apiCalls.salesforce).toBe(6)
    // Scored from the candidates read with the name lookup: the suggestion the import's full read gave.
    expect(suggestionOf(id)).toEqual(before)
  })

  it('on a shared session, the package is checked by the first run only: a one-change sync then costs 4 calls', async () => {
    const hh = (h = await startHarness())
    const { logger, calls } = compositeLog()
    const t = await openTally(parseConfig(hh.env, hh.dir), logger)
    try {
      const runs = createRunService(t)
      const session = salesforceSession(t)
      await runs.execute({ mode: 'import', createAccounts: true }, undefined, session)
      expect(calls[0]).toEqual(['GET describe_QBO_Customer__c', 'GET describe_Account', 'GET settings', 'POST run'])
      await runs.execute({ mode: 'sync' }, undefined, session)
      await oneLinkedChange(hh, 'one change, automatically')
      calls.length = 0
      hh.sandbox.salesforce.emulator.stats.reset()
      const r = await runs.execute({ mode: 'sync' }, undefined, session)
      expect(r.summary.customers).toMatchObject({ updated: 1, failed: 0 })
      expect(calls).toEqual([
        ['GET settings', 'POST run'],
        ['GET deletedAccounts', 'GET records0'],
      ])
      expect(ops(hh)).toEqual({ composite: 2, 'collections.upsert': 1, 'sobject.update': 1 })
      expect(r.summary.apiCalls.salesforce).toBe(4)
    } finally {
      await t.close()
    }
  })

  it('without the package: the same sentence as ever, and nothing written', async () => {
    const hh = (h = await startHarness({ package: false }))
    const r = await hh.tally('import', '--json')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Salesforce is missing the object QBO_Customer__c and the field Account\.QBO_Source_Key__c of Tally's package: run `tally salesforce deploy`/)
    expect(hh.sandbox.salesforce.emulator.writeRequests()).toEqual([])
  })

  it('with a package field missing: the sentence, no record written, and the run’s Tally_Run__c Failed with it', async () => {
    const hh = (h = await startHarness())
    // Describe lists only the fields the integration user sees: a field taken out of the schema is
    // one not deployed, or not granted.
    const obj = hh.sandbox.salesforce.emulator.schema.objects.get('QBO_Customer__c')!
    obj.fields = obj.fields.filter((f) => f.name !== 'Last_Synced__c')
    const r = await hh.tally('import', '--json')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Salesforce is missing the field QBO_Customer__c\.Last_Synced__c of Tally's package/)
    expect(hh.records()).toEqual([])
    const runs = hh.sandbox.salesforce.emulator.list('Tally_Run__c')
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ Status__c: 'Failed' })
    expect(String(runs[0]?.['Summary__c'])).toContain('missing the field QBO_Customer__c.Last_Synced__c')
  })

  it('when the start call fails with a 503, the check and the settings are read again on their own and the run goes on', async () => {
    const hh = (h = await startHarness())
    hh.sandbox.salesforce.emulator.stats.reset()
    // The first request after the token is the start call.
    hh.sandbox.salesforce.emulator.setFaults({ next: ['503'] })
    const r = await hh.tally('import', '--json')
    expect(r.code).toBe(0)
    expect(r.json<{ status: string }>().status).toBe('succeeded')
    expect(ops(hh)).toMatchObject({ composite: 1, describe: 2 })
    // A write is never sent twice: this run has no record in the org.
    expect(hh.sandbox.salesforce.emulator.list('Tally_Run__c')).toEqual([])
    expect(hh.records().length).toBeGreaterThan(0)
  })
})
