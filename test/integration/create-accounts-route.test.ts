/**
 * The Hub's "Create Accounts" switch travels one route: flipping it saves the setting, and the
 * run reads the saved setting; Start Import carries no copy of it (its body takes only `dryRun`, and
 * the Hub's API refuses anything else), so there is no second route (issue 8).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { createHubServices } from '../../src/jobs/hub-services.js'
import { createRunService } from '../../src/jobs/runs.js'
import { openTally, type Tally } from '../../src/jobs/tally.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness
let t: Tally
beforeEach(async () => {
  h = await startHarness()
  t = await openTally(parseConfig(h.env, h.dir))
})
afterEach(async () => {
  await t.close()
  await h.close()
})

async function finished(services: ReturnType<typeof createHubServices>, runId: string) {
  for (let i = 0; i < 200; i++) {
    const r = await services.runs.get(runId)
    if (r && r.status !== 'running') return r
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`run ${runId} did not finish`)
}

describe('Create Accounts in the Hub', () => {
  it('Start Import uses the saved switch', async () => {
    const runs = createRunService(t)
    const services = createHubServices(t, runs)
    await services.settings.save({ createAccounts: false })
    const accounts = h.accounts().length
    const { runId } = await services.runs.start({})
    const r = await finished(services, runId)
    expect(r.status).toBe('succeeded')
    expect(h.accounts()).toHaveLength(accounts)
    expect(h.records().some((x) => x['Link_Status__c'] === 'Created')).toBe(false)

    await services.settings.save({ createAccounts: true })
    const second = await finished(services, (await services.runs.start({})).runId)
    expect(second.status).toBe('succeeded')
    expect(h.accounts().length).toBeGreaterThan(accounts)
  })
})
