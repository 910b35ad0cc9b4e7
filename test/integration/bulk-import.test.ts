/**
 * Bulk API 2.0 writes (src/salesforce/bulk.ts through the engine's waves): a large import through
 * Bulk jobs ends exactly as one through Collections, faults on; refused values, validation rules
 * and row locks inside a job are handled as in Collections; a run stopped mid-job resumes cleanly.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { qboClient, salesforceClient } from '../../src/jobs/connections.js'
import { qboCustomerSource } from '../../src/jobs/qbo-source.js'
import { fileSpool } from '../../src/jobs/spool.js'
import { salesforceTarget, type SalesforceTargetOptions } from '../../src/jobs/salesforce-target.js'
import { openTally, type Tally } from '../../src/jobs/tally.js'
import { syncStateStore } from '../../src/store/index.js'
import { SWITCHABLE_FIELDS } from '../../src/sync/fields.js'
import type { SalesforceTarget } from '../../src/sync/ports.js'
import { runSync } from '../../src/sync/run.js'
import { orgSnapshot, qboCreate, startHarness, type Harness } from '../helpers/tally-harness.js'
import type { SandboxOptions } from '../../emulators/sandbox.js'

const opened: { h: Harness; t: Tally }[] = []
afterEach(async () => {
  for (const { h, t } of opened.splice(0)) {
    await t.close()
    await h.close()
  }
})

async function open(o: SandboxOptions = {}) {
  const h = await startHarness(o)
  const t = await openTally(parseConfig(h.env, h.dir))
  opened.push({ h, t })
  return { h, t }
}

const FAST_POLL = { firstMs: 20, maxMs: 200, timeoutMs: 120_000 }

async function targetOf(t: Tally, o: SalesforceTargetOptions): Promise<SalesforceTarget> {
  const sf = await salesforceClient(t)
  await sf.connect()
  return salesforceTarget(sf, o)
}

/** `spooled`: the names of the spools the run made, when it has them (as `tally import`). */
async function importWith(t: Tally, target: SalesforceTarget, runId = 'bulk', o: { spooled?: string[] } = {}) {
  const qbo = await qboClient(t)
  const spooled = o.spooled
  const spool = <T>(name: string) => {
    spooled?.push(name)
    return fileSpool<T>(name)
  }
  return runSync(
    { source: qboCustomerSource(qbo, qbo.realmId), target, state: syncStateStore(t.store), ...(spooled ? { spool } : {}) },
    { runId, mode: 'import', dryRun: false, settings: { createAccounts: true, enabledFields: new Set(SWITCHABLE_FIELDS) } },
  )
}

const op = (h: Harness, name: string) => h.sandbox.salesforce.emulator.stats.toJSON().byOperation[name] ?? 0



describe('per-record outcomes inside a Bulk job', () => {
  it('a refused value is left out and reported, a validation rule fails its record and is remembered, row locks are retried', async () => {
    const { h, t } = await open({ generate: 1000, randomSeed: 5 })
    h.sandbox.salesforce.emulator.setValidationRules([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern: '^On Hold Co$', message: 'Company Name: this company is on hold' }])
    const long = await qboCreate(h, { DisplayName: 'Long Mail Ltd', PrimaryEmailAddr: { Address: `${'a'.repeat(70)}@example.com` }, Notes: 'n' })
    const held = await qboCreate(h, { DisplayName: 'On Hold Co', CompanyName: 'On Hold Co' })
    // Row locks: with the fault rate on, one row of a 200-row chunk of the job may be locked.
    h.sandbox.salesforce.emulator.setFaults({ faultRate: 0.3 })
    const target = await targetOf(t, { bulk: { threshold: 100, poll: FAST_POLL } })
    const r = await importWith(t, target)
    h.sandbox.salesforce.emulator.setFaults({ faultRate: 0 })
    // Every request of the jobs, retries of faulted ones included, is counted as the sandbox counts.
    expect(target.apiCalls()).toBe(h.sandbox.salesforce.emulator.stats.toJSON().requests)
    expect(op(h, 'bulk2.ingest.create')).toBeGreaterThan(0)
    const total = h.sandbox.qbo.emulator.customers().length
    expect(r.summary.customers).toMatchObject({ seen: total, failed: 1 })
    // The value that does not fit: the record synced without it, a warning names the field (Tally
    // leaves it out before sending, as for Collections; a refusal in sf__Error takes the same path).
    expect(r.summary.errors).toContainEqual(expect.objectContaining({ qboId: long['Id'], field: 'Email__c', code: 'INVALID_EMAIL_ADDRESS', level: 'warning' }))
    expect(h.records().find((x) => x['QBO_Id__c'] === long['Id'])).toMatchObject({ Display_Name__c: 'Long Mail Ltd', Email__c: null, Notes__c: 'n' })
    // The validation rule: that record failed, with the rule's message.
    expect(r.summary.errors.filter((e) => e.level === 'error')).toEqual([
      expect.objectContaining({ qboId: held['Id'], field: 'Company_Name__c', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Company Name: this company is on hold' }),
    ])
    expect(h.records()).toHaveLength(total - 1)
    // Row locks happened inside the jobs (beside the one validation refusal), and every locked
    // record was written on another try.
    const jobs = (await (await fetch(`${h.sandbox.salesforce.url}/services/data/v62.0/jobs/ingest`, { headers: { authorization: `Bearer ${(await (await salesforceClient(t)).jsforce()).accessToken as string}` } })).json()) as { records: { numberRecordsFailed: number }[] }
    expect(jobs.records.reduce((n, j) => n + j.numberRecordsFailed, 0)).toBeGreaterThanOrEqual(2)
    // The refusal is remembered: the next run does not send it again, and reports it again.
    const recordWrites = () => h.sandbox.salesforce.emulator.writeRequests().filter((w) => w.objects.includes('QBO_Customer__c')).length
    const writesBefore = recordWrites()
    const again = await importWith(t, target, 'bulk-2')
    expect(recordWrites()).toBe(writesBefore)
    expect(again.summary.customers).toMatchObject({ created: 0, updated: 0, failed: 1 })
    expect(again.summary.errors.filter((e) => e.level === 'error')).toEqual([expect.objectContaining({ qboId: held['Id'], code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' })])
  })
})

describe('stopped mid-job', () => {
  it.each(['Open', 'InProgress'])('a run stopped while its Bulk job is %s, run again, ends as one clean run with no duplicates', async (when) => {
    const opts = { generate: 2500, randomSeed: 7 }
    const clean = await open(opts)
    expect((await importWith(clean.t, await targetOf(clean.t, { bulk: { poll: FAST_POLL } }))).summary.status).toBe('succeeded')
    const want = orgSnapshot(clean.h)

    const { h, t } = await open(opts)
    const real = await targetOf(t, { bulk: { poll: FAST_POLL } })
    const bulk = real.bulk as NonNullable<SalesforceTarget['bulk']>
    let background: Promise<unknown> = Promise.resolve()
    // The process "dies" while the job is open (uploaded, not closed) or being processed: the run
    // stops there and never reads the job's results.
    const stopping: SalesforceTarget = {
      ...real,
      bulk: {
        ...bulk,
        async upsertRecords(writes) {
          background = bulk.upsertRecords(writes).catch(() => undefined)
          const deadline = Date.now() + 30_000
          for (;;) {
            const n = when === 'Open' ? op(h, 'bulk2.ingest.upload') : op(h, 'bulk2.ingest.state')
            if (n > 0 || Date.now() > deadline) break
            await new Promise((r) => setTimeout(r, 1))
          }
          throw new Error('killed')
        },
      },
    }
    await expect(importWith(t, stopping, 'killed')).rejects.toThrow('killed')
    await background
    expect(h.records().length).toBeLessThan(2500 + 1)
    const again = await importWith(t, real, 'resumed')
    expect(again.summary.status).toBe('succeeded')
    const got = orgSnapshot(h)
    expect(got.accs).toEqual(want.accs)
    expect(got.recs).toEqual(want.recs)
    expect(new Set(h.records().map((r) => r['QBO_Key__c'])).size).toBe(h.records().length)
  })
})

describe('kill -9 mid-job', () => {
  it('a `tally import` killed with SIGKILL while its Bulk job runs, run again, ends as one clean run', async () => {
    const opts = { generate: 2500, randomSeed: 7 }
    const clean = await open(opts)
    expect((await clean.h.tally('import', '--json', '--create-accounts')).code).toBe(0)
    expect(op(clean.h, 'bulk2.ingest.create')).toBeGreaterThan(0) // the CLI's own default: Bulk from 2,000
    const want = orgSnapshot(clean.h)

    const { h } = await open(opts)
    const envFile = join(h.dir, '.env')
    writeFileSync(envFile, Object.entries(h.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n'))
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/proxy/i.test(k)))
    const child = spawn(process.execPath, ['bin/tally.js', 'import', '--json', '--create-accounts', '--env-file', envFile], { env, stdio: 'ignore' })
    const exited = new Promise((done) => child.once('exit', done))
    const deadline = Date.now() + 60_000
    // Killed once the job is closed, while Tally waits for it (its first poll comes after 1 s).
    while (op(h, 'bulk2.ingest.state') < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2))
    child.kill('SIGKILL')
    await exited
    expect(op(h, 'bulk2.ingest.successfulResults')).toBe(0) // it never read the job's results

    const again = await h.tally('import', '--json', '--create-accounts')
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const got = orgSnapshot(h)
    expect(got.accs).toEqual(want.accs)
    expect(got.recs).toEqual(want.recs)
    expect(new Set(h.records().map((r) => r['QBO_Key__c'])).size).toBe(h.records().length)
  }, 120_000)
})

describe('a large import', () => {
  it('20,000 customers through Bulk jobs, faults on, their values spooled, end exactly as through Collections, in far fewer calls', async () => {
    const opts = { generate: 20_000, randomSeed: 7, latencyMs: 0, faultRate: 0.02 }
    const viaCollections = await open(opts)
    const c = await importWith(viaCollections.t, await targetOf(viaCollections.t, { bulk: false }))
    const viaBulk = await open(opts)
    // As `tally import` runs it: its customers and the plan's write values in spools (jobs/spool) until used.
    const spooled: string[] = []
    const b = await importWith(viaBulk.t, await targetOf(viaBulk.t, { bulk: { poll: FAST_POLL } }), 'bulk', { spooled })
    expect(spooled).toEqual(['customers', 'writes'])
    const written = b.plan.items.filter((i) => i.write)
    expect(written.length).toBeGreaterThanOrEqual(20_000)
    expect(written.every((i) => i.write?.spooled !== undefined)).toBe(true)
    expect(op(viaCollections.h, 'bulk2.ingest.create')).toBe(0)
    // One job for the 20,000 top-level records (BULK_MAX_ROWS holds a 100,000-record level); the
    // sub-customers' wave, under the threshold, goes through Collections.
    expect(op(viaBulk.h, 'bulk2.ingest.create')).toBeGreaterThanOrEqual(1)
    expect(b.summary.status).toBe(c.summary.status)
    expect(b.summary.customers).toEqual(c.summary.customers)
    const want = orgSnapshot(viaCollections.h)
    const got = orgSnapshot(viaBulk.h)
    expect(got.accs).toEqual(want.accs)
    expect(got.recs).toEqual(want.recs)
    const writes = (h: Harness) => op(h, 'collections.upsert')
    const bulkCalls = Object.entries(viaBulk.h.sandbox.salesforce.emulator.stats.toJSON().byOperation).filter(([k]) => k.startsWith('bulk2.')).reduce((n, [, v]) => n + v, 0)
    console.log(`20,000 customers: Collections upserts ${writes(viaCollections.h)}; Bulk: ${bulkCalls} Bulk calls + ${writes(viaBulk.h)} Collections upserts (retries)`)
    expect(bulkCalls + writes(viaBulk.h)).toBeLessThan(writes(viaCollections.h) / 2)
  }, 600_000)
})
