/**
 * @module test/integration/run-claim.test
 * One run at a time per store, on both dialects: two imports started at the same moment by two
 * processes' stores (two Kysely instances on one database) never both run, and a run whose
 * heartbeat went stale or whose process is gone is taken over by the next one.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/env.js'
import { createRunService } from '../../src/jobs/runs.js'
import { RunAlreadyRunningError } from '../../src/lib/errors.js'
import type { Tally } from '../../src/jobs/tally.js'
import { createCipher } from '../../src/lib/crypto.js'
import { noopLogger } from '../../src/lib/logger.js'
import { createRun, getRun, listRuns } from '../../src/store/index.js'
import type { Store } from '../../src/store/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'
import { STORE_DIALECTS, openStoreHarness } from './store-harness.js'
import type { StoreHarness } from './store-harness.js'

describe.each(STORE_DIALECTS)('claiming a run on %s', (dialect) => {
  let sandbox: Harness
  let h: StoreHarness
  let first: Tally
  let second: Tally
  beforeAll(async () => {
    sandbox = await startHarness()
    h = await openStoreHarness(dialect)
    const config = parseConfig(sandbox.env, sandbox.dir)
    const cipher = createCipher(randomBytes(32))
    const tally = (store: Store): Tally => ({ config, store, cipher, logger: noopLogger, close: async () => {} })
    first = tally(h.store)
    second = tally(h.openAnother())
  })
  afterAll(async () => {
    await h?.dispose()
    await sandbox?.close()
  })
  beforeEach(async () => {
    await h.store.db.deleteFrom('run_messages').execute()
    await h.store.db.deleteFrom('runs').execute()
  })

  it('lets exactly one of two imports started at the same moment run (6 trials)', async () => {
    for (let trial = 1; trial <= 6; trial++) {
      const before = (await listRuns(h.store.db, 100)).length
      const outcomes = await Promise.allSettled([
        createRunService(first).execute({ mode: 'import' }),
        createRunService(second).execute({ mode: 'import' }),
      ])
      const ran = outcomes.filter((o) => o.status === 'fulfilled')
      const refused = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof RunAlreadyRunningError)
      expect({ trial, ran: ran.length, refused: refused.length }).toEqual({ trial, ran: 1, refused: 1 })
      expect((await listRuns(h.store.db, 100)).length).toBe(before + 1)
    }
  })

  it('takes over a run whose heartbeat went stale', async () => {
    const stale = await createRun(h.store.db, { mode: 'import', dryRun: false, now: new Date(Date.now() - 10 * 60_000), owner: 'elsewhere:1' })
    const r = await createRunService(second).execute({ mode: 'import' })
    expect(r.summary.status).toBe('succeeded')
    expect((await getRun(h.store.db, stale.id))?.status).toBe('interrupted')
  })

  it('takes over at once a run whose process on this machine is gone', async () => {
    // A real process that has exited: its pid is free (kill(pid, 0) gives ESRCH).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    const orphan = await createRun(h.store.db, { mode: 'import', dryRun: false, owner: `${hostname()}:${dead}` })
    const r = await createRunService(first).execute({ mode: 'import' })
    expect(r.summary.status).toBe('succeeded')
    expect((await getRun(h.store.db, orphan.id))?.status).toBe('interrupted')
  })

  it('refuses while a live run of another process holds the store', async () => {
    const live = await createRun(h.store.db, { mode: 'import', dryRun: false, owner: 'another-host:1' })
    await expect(createRunService(first).execute({ mode: 'import' })).rejects.toBeInstanceOf(RunAlreadyRunningError)
    expect((await getRun(h.store.db, live.id))?.status).toBe('running')
  })
})

describe.each(STORE_DIALECTS)('upgrading a store on %s to the run lock', (dialect) => {
  it('keeps the latest of the runs the old claim left running, and interrupts the others', async () => {
    const h = await openStoreHarness(dialect)
    try {
      // Back to the schema before 0005, with two runs running as the old race could leave them.
      await sql`drop index runs_running_lock_key_idx`.execute(h.store.db)
      await sql`alter table runs drop column lock_key`.execute(h.store.db)
      await sql`delete from kysely_migration where name = '0007_run_lock'`.execute(h.store.db)
      for (const [id, at] of [['old', '2026-01-01T10:00:00.000Z'], ['new', '2026-01-01T10:00:00.001Z']]) {
        await sql`insert into runs (id, mode, dry_run, status, done, total, started_at, heartbeat_at)
          values (${id}, 'import', 0, 'running', 0, 0, ${at}, ${at})`.execute(h.store.db)
      }
      await h.openAnother().migrate()
      expect(await getRun(h.store.db, 'new')).toMatchObject({ status: 'running', lockKey: 'store' })
      expect(await getRun(h.store.db, 'old')).toMatchObject({ status: 'interrupted', lockKey: 'store' })
    } finally {
      await h.dispose()
    }
  })
})
