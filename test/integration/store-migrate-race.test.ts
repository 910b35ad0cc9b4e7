/**
 * @module test/integration/store-migrate-race.test
 * Two real processes opening one fresh store at the same moment (the Hub and a CLI command
 * started together, or two workers): both must come up, neither failing in the other's
 * migrations ("table connections already exists"). Run for many fresh stores on each dialect.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore } from '../../src/store/index.js'

const PG_URL = process.env['TALLY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const PAIRS = 16
const CHILD = join(import.meta.dirname, '../fixtures/store/open-store.ts')

/** A child process that migrates the store named by each line it is sent. */
function opener() {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: 'pipe' })
  const answers: ((v: Record<string, unknown>) => void)[] = []
  const queued: Record<string, unknown>[] = []
  // A child that dies answers every open with its last words, so the test fails instead of hanging.
  let stderr = ''
  let exited: Record<string, unknown> | null = null
  child.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-2000)))
  const gone = new Promise<void>((done) => child.once('exit', (code) => {
    exited = { error: `the opener exited (${code}): ${stderr}` }
    for (const waiting of answers.splice(0)) waiting(exited)
    done()
  }))
  createInterface({ input: child.stdout }).on('line', (l) => {
    const v = JSON.parse(l) as Record<string, unknown>
    const waiting = answers.shift()
    if (waiting) waiting(v)
    else queued.push(v)
  })
  const next = () => new Promise<Record<string, unknown>>((done) => (queued.length ? done(queued.shift()!) : exited ? done(exited) : answers.push(done)))
  return {
    ready: next(),
    open(options: object) {
      child.stdin.write(`${JSON.stringify(options)}\n`)
      return next()
    },
    close: () => (child.stdin.end(), gone),
  }
}

describe('two processes opening one fresh store at once', () => {
  let a: ReturnType<typeof opener>
  let b: ReturnType<typeof opener>
  let dir: string
  const schemas: string[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-migrate-race-'))
    a = opener()
    b = opener()
    await Promise.all([a.ready, b.ready])
  })
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
    await rm(dir, { recursive: true, force: true })
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    // One statement: other suites' migrations read every schema's catalog meanwhile.
    if (schemas.length) await client.query(`drop schema if exists ${schemas.map((s) => `"${s}"`).join(', ')} cascade`)
    await client.end()
  })

  const check = async (options: Parameters<typeof createStore>[0]) => {
    const [x, y] = await Promise.all([a.open(options), b.open(options)])
    return [x, y]
  }

  it(`on SQLite: both come up, ${PAIRS} fresh files in a row, and the store is whole`, async () => {
    const failures: unknown[] = []
    for (let i = 0; i < PAIRS; i++) {
      const sqlitePath = join(dir, `store-${i}`, 'tally.db')
      for (const r of await check({ sqlitePath })) if (!r['ok']) failures.push(r)
      const store = createStore({ sqlitePath })
      await store.migrate() // nothing left to apply, and every table is there
      expect(await store.db.selectFrom('runs').select('id').execute()).toEqual([])
      await store.close()
    }
    expect(failures).toEqual([])
  })

  it(`on Postgres: both come up, ${PAIRS} fresh schemas in a row`, async () => {
    const failures: unknown[] = []
    for (let i = 0; i < PAIRS; i++) {
      const schema = `tally_race_${randomBytes(5).toString('hex')}`
      schemas.push(schema)
      for (const r of await check({ databaseUrl: PG_URL, schema })) if (!r['ok']) failures.push(r)
    }
    expect(failures).toEqual([])
  })
})
