/**
 * Bad data never stops a run, and a run killed at any point resumes to the state of one clean run.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { openTally } from '../../src/jobs/tally.js'
import { listCustomerViews } from '../../src/store/index.js'
import { orgSnapshot, qboCreate, startHarness, type Harness } from '../helpers/tally-harness.js'

const harnesses: Harness[] = []
const open = async (...args: Parameters<typeof startHarness>) => {
  const h = await startHarness(...args)
  harnesses.push(h)
  return h
}
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()))
})

interface Summary {
  status: string
  customers: Record<string, number>
  errors: { qboId: string; displayName: string; field: string | null; code: string; message: string; level: string }[]
}


describe('bad data', () => {
  it('a record Salesforce rejects is reported with customer, field and reason; the rest go through', async () => {
    const h = await open()
    // An admin's validation rule in the org refuses one customer's company name.
    const res = await fetch(`${h.sandbox.salesforce.url}/__sandbox/validation-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ object: 'QBO_Customer__c', field: 'Company_Name__c', pattern: '^Cool Cars$', message: 'Company Name: this company is on hold' }]),
    })
    expect(res.status).toBe(200)
    const total = h.sandbox.qbo.emulator.customers().length
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(2)
    const s = r.json<Summary>()
    expect(s.status).toBe('partial')
    expect(s.customers).toMatchObject({ seen: total, created: total - 1, failed: 1 })
    const failed = s.errors.filter((e) => e.level === 'error')
    expect(failed).toEqual([
      expect.objectContaining({ displayName: 'Cool Cars', field: 'Company_Name__c', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Company Name: this company is on hold' }),
    ])
    expect(h.records()).toHaveLength(total - 1)
    // The Hub's copy lists only what Salesforce holds: the refused record is not in the link queue.
    const t = await openTally(parseConfig(h.env, h.dir))
    const views = await listCustomerViews(t.store.db, { page: 1, pageSize: 1000 })
    await t.close()
    expect(views.total).toBe(total - 1)
    expect(views.items.map((v) => v.displayName)).not.toContain('Cool Cars')
    // The readable summary names it too.
    const human = await h.tally('import')
    expect(human.code).toBe(2)
    expect(human.stdout).toMatch(/Cool Cars \(QBO \d+\), Company_Name__c: FIELD_CUSTOM_VALIDATION_EXCEPTION/)
  })

  it('a value that does not fit its Salesforce field syncs the record and reports the field', async () => {
    const h = await open()
    const long = `${'a'.repeat(70)}@example.com` // QBO holds 100 characters, Salesforce's Email 80
    const c = await qboCreate(h, { DisplayName: 'Long Mail Ltd', PrimaryEmailAddr: { Address: long }, Notes: 'n' })
    const r = await h.tally('import', '--json')
    expect(r.code).toBe(0)
    const s = r.json<Summary>()
    expect(s.errors).toContainEqual(expect.objectContaining({ qboId: c['Id'], displayName: 'Long Mail Ltd', field: 'Email__c', code: 'INVALID_EMAIL_ADDRESS', level: 'warning' }))
    const rec = h.records().find((x) => x['QBO_Id__c'] === c['Id'])
    expect(rec).toMatchObject({ Display_Name__c: 'Long Mail Ltd', Email__c: null, Notes__c: 'n' })
  })
})


describe('resume after a kill', () => {
  it.each([1, 4])('an import killed after %i Collections writes ends in the state of one clean run', async (killAfter) => {
    const opts = { generate: 1200, randomSeed: 7, latencyMs: 15 }
    const clean = await open(opts)
    expect((await clean.tally('import', '--json', '--create-accounts')).code).toBe(0)
    const want = orgSnapshot(clean)

    const h = await open(opts)
    const envFile = join(h.dir, '.env')
    writeFileSync(envFile, Object.entries(h.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n'))
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/proxy/i.test(k)))
    const child = spawn(process.execPath, ['bin/tally.js', 'import', '--json', '--create-accounts', '--env-file', envFile], { env, stdio: 'ignore' })
    const exited = new Promise((done) => child.once('exit', done))
    const upserts = () => h.sandbox.salesforce.emulator.stats.toJSON().byOperation['collections.upsert'] ?? 0
    const deadline = Date.now() + 60_000
    while (upserts() < killAfter && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    child.kill('SIGKILL')
    await exited
    const partial = h.records().length
    expect(partial).toBeLessThan(1200) // it really was stopped midway

    const again = await h.tally('import', '--json', '--create-accounts')
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const got = orgSnapshot(h)
    expect(got.accs).toEqual(want.accs) // no duplicate Accounts
    expect(got.recs).toEqual(want.recs) // no duplicate or different records
    expect(new Set(h.records().map((r) => r['QBO_Key__c'])).size).toBe(h.records().length)
  })
})
