/**
 * @module test/integration/store-files.test
 * The SQLite store file through the real CLI (`node bin/tally.js import --env-file …`): it is
 * created owner-only whatever the umask (folder 0700; the file, its -wal and -shm, and the
 * secret key beside it 0600), and a damaged file, a read-only folder or a file locked by
 * another process each end the command with exit 1 and one sentence naming the file
 * (TALLY_DB) and what to do.
 */
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore } from '../../src/store/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

const ROOT = join(import.meta.dirname, '../..')
const NOBODY = 65534
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/proxy/i.test(k)))
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `cmd` in a shell that first sets `umask`, optionally as another user. */
function sh(cmd: string, o: { umask?: string; uid?: number } = {}): Promise<Exit> {
  return new Promise((done) => {
    const child = spawn('sh', ['-c', `umask ${o.umask ?? '022'}; exec ${cmd}`], {
      cwd: ROOT,
      env,
      ...(o.uid !== undefined ? { uid: o.uid, gid: o.uid } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

describe('the SQLite store file, through the CLI', () => {
  let h: Harness
  let n = 0
  /** A fresh TALLY_DB in a folder that does not exist yet, and an env file pointing at it. QBO
   * rotates its refresh token at each use, so each sandbox serves one successful import. */
  const fresh = (sb: Harness) => {
    const dir = join(sb.dir, `case-${++n}`)
    mkdirSync(dir)
    const db = join(dir, 'data', 'tally.db')
    const envFile = join(dir, '.env')
    writeFileSync(envFile, Object.entries({ ...sb.env, TALLY_DB: db }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n'))
    return { dir, db, data: join(dir, 'data'), envFile, tally: `${process.execPath} bin/tally.js import --env-file ${envFile}` }
  }
  beforeAll(async () => {
    h = await startHarness()
    chmodSync(h.dir, 0o755) // mkdtemp makes it 0700; the read-only case runs as another user
  })
  afterAll(async () => {
    await h?.close()
  })

  it('is created owner-only whatever the umask: folder 0700, file, -wal, -shm and secret.key 0600', async () => {
    const c = fresh(h)
    const run = await sh(c.tally, { umask: '000' })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect({ folder: mode(c.data), db: mode(c.db), key: mode(join(c.data, 'secret.key')) }).toEqual({ folder: '700', db: '600', key: '600' })

    // -wal and -shm exist while the store is open: a process with umask 000 holds it open.
    const holder = spawn('sh', ['-c', `umask 000; exec ${process.execPath} --import tsx test/fixtures/store/open-store.ts`], { cwd: ROOT, env, stdio: 'pipe' })
    const lines = createInterface({ input: holder.stdout })[Symbol.asyncIterator]()
    expect(JSON.parse((await lines.next()).value as string)).toEqual({ ready: true })
    holder.stdin.write(`${JSON.stringify({ sqlitePath: c.db, keepOpen: true })}\n`)
    expect(JSON.parse((await lines.next()).value as string)).toEqual({ ok: true })
    expect({ wal: mode(`${c.db}-wal`), shm: mode(`${c.db}-shm`) }).toEqual({ wal: '600', shm: '600' })
    holder.stdin.end()
    await new Promise((r) => holder.once('exit', r))
  })

  it('tightens a world-readable file left by an older version', async () => {
    const own = await startHarness()
    chmodSync(own.dir, 0o755)
    const c = fresh(own)
    mkdirSync(c.data)
    const old = createStore({ sqlitePath: c.db })
    await old.migrate()
    await old.close()
    chmodSync(c.db, 0o644)
    const run = await sh(c.tally)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(mode(c.db)).toBe('600')
    await own.close()
  })

  it('says the file is damaged and what to do (exit 1)', async () => {
    const c = fresh(h)
    mkdirSync(c.data)
    writeFileSync(c.db, 'This is a spreadsheet, not a database. '.repeat(200))
    const run = await sh(c.tally)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `Tally's database ${c.db} (TALLY_DB) is not a SQLite database or is damaged: restore it from a backup, or move it aside and Tally starts a new one (then connect QuickBooks and Salesforce again; the next import re-reads both).\n`,
    )
  })

  it('says the folder is read-only and what to do (exit 1)', async () => {
    const c = fresh(h)
    mkdirSync(c.data)
    chmodSync(c.data, 0o555)
    // root writes anywhere: run the command as an unprivileged user, as a real install would.
    const asUser = process.getuid?.() === 0 ? { uid: NOBODY } : {}
    const run = await sh(c.tally, asUser)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `Tally cannot write its database ${c.db} (TALLY_DB): the file or its folder ${c.data} is read-only or belongs to another user; make them writable by the user running Tally, or set TALLY_DB to a file in a folder that is.\n`,
    )
    expect(existsSync(c.db)).toBe(false)
  })

  it('says another process holds the file locked and what to do (exit 1)', async () => {
    const c = fresh(h)
    const store = createStore({ sqlitePath: c.db })
    await store.migrate()
    await store.close()
    // Another program holds the write lock (as the sqlite3 shell in a transaction would).
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require('better-sqlite3'))(${JSON.stringify(c.db)})
      db.exec('begin exclusive')
      process.stdout.write('locked\\n')
      process.stdin.resume().on('end', () => db.exec('rollback'))
    `], { cwd: ROOT, env, stdio: 'pipe' })
    await new Promise((r) => holder.stdout.once('data', r))
    const run = await sh(c.tally)
    holder.stdin.end()
    await new Promise((r) => holder.once('exit', r))
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `Tally's database ${c.db} (TALLY_DB) is locked by another process (waited 5 s): let the other Tally command finish, or stop the program holding the file, then try again.\n`,
    )
  })
})
