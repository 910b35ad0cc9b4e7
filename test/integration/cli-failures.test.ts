/**
 * @module test/integration/cli-failures
 * The real `tally` command (bin/tally.js, started by its own shebang as `tally`/`npx tally` start
 * it) against the sandbox started in-process, with one thing wrong each time: exit code 1 and the
 * one sentence of contract §2, naming the variable (and its value) and what to do. Also: a token
 * endpoint that cannot be reached fails the run without blocking other processes on the store.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, writeEnvFile, type Sandbox } from '../../emulators/sandbox.js'
import { createStore, saveSettings } from '../../src/store/index.js'

const TALLY = resolve('bin/tally.js')

let sandbox: Sandbox
let dir: string
beforeAll(async () => {
  sandbox = await startSandbox()
  dir = mkdtempSync(join(tmpdir(), 'tally-cli-failures-'))
})
afterAll(async () => {
  await sandbox?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

function tally(args: string[], onSpawn?: (stop: () => void) => void): Promise<Exit> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir }
  const child = spawn(TALLY, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  onSpawn?.(() => child.kill('SIGKILL'))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

let n = 0
/** An env file reaching the sandbox (its own store, a fresh QBO grant), with `over` applied. */
async function envFile(over: Record<string, string>): Promise<{ file: string; db: string }> {
  n++
  const db = join(dir, `case-${n}`, 'tally.db') // its own data folder (secret.key)
  const file = `case-${n}.env`
  await writeEnvFile(join(dir, file), { ...sandbox.env(), TALLY_DB: db, ...over })
  return { file, db }
}

describe('tally import that cannot complete', () => {
  it('an unreachable QBO_TOKEN_URL fails the run with the sentence, and never blocks another process on the store', async () => {
    const tokenUrl = `http://127.0.0.1:${await closedPort()}/oauth2/v1/tokens/bearer`
    const { file, db } = await envFile({ QBO_TOKEN_URL: tokenUrl })
    // The other process: migrates the store first, then writes to it all through the run.
    const other = createStore({ sqlitePath: db })
    await other.migrate()
    let writes = 0
    let writeError: unknown
    let running = true
    const exit = await tally(['import', '--env-file', file], (stop) => {
      void (async () => {
        while (running) {
          try {
            await saveSettings(other.db, { createAccounts: writes % 2 === 0 })
            writes++
          } catch (e) {
            // SQLITE_BUSY: the run held the database's write lock for longer than the 5 s busy timeout.
            writeError = e
            stop()
            return
          }
          await new Promise((r) => setTimeout(r, 50))
        }
      })()
    })
    running = false
    await other.close()
    expect(writeError).toBeUndefined()
    expect(writes).toBeGreaterThan(0)
    expect(exit.code).toBe(1)
    expect(exit.stderr).toBe(
      `Tally could not reach QuickBooks' token endpoint at QBO_TOKEN_URL=${tokenUrl} (ECONNREFUSED): check QBO_TOKEN_URL (or unset it to use Intuit's https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer) and that this machine can reach it.\n`,
    )
  })

  it('says which variable to fix for wrong credentials and unreachable services', async () => {
    const sfPort = await closedPort()
    const qboPort = await closedPort()
    const sfLogin = sandbox.env().SF_LOGIN_URL!
    const cases: Array<[Record<string, string>, string]> = [
      [
        { SF_CLIENT_SECRET: 'not-the-secret' },
        'Salesforce rejected SF_CLIENT_SECRET (invalid_client: invalid client credentials): set SF_CLIENT_SECRET to the Consumer Secret of the external client app whose Consumer Key is SF_CLIENT_ID.',
      ],
      [
        { SF_CLIENT_ID: 'not-the-id' },
        `Salesforce does not know SF_CLIENT_ID=not-the-id (invalid_client_id): set SF_CLIENT_ID to the Consumer Key of your external client app in the org at SF_LOGIN_URL=${sfLogin}.`,
      ],
      [
        { SF_LOGIN_URL: `http://127.0.0.1:${sfPort}` },
        `Tally could not reach Salesforce at SF_LOGIN_URL=http://127.0.0.1:${sfPort} (ECONNREFUSED): check SF_LOGIN_URL (your org's My Domain URL, e.g. https://acme.my.salesforce.com) and that this machine can reach it.`,
      ],
      [
        { QBO_CLIENT_SECRET: 'not-the-secret' },
        "QuickBooks rejected the app's credentials (invalid_client): set QBO_CLIENT_ID and QBO_CLIENT_SECRET to the Client ID and Client Secret of your Intuit app (its Keys & credentials page on developer.intuit.com).",
      ],
      [
        { QBO_CLIENT_ID: 'not-the-id' },
        "QuickBooks rejected the app's credentials (invalid_client): set QBO_CLIENT_ID and QBO_CLIENT_SECRET to the Client ID and Client Secret of your Intuit app (its Keys & credentials page on developer.intuit.com).",
      ],
      [
        { QBO_API_URL: `http://127.0.0.1:${qboPort}` },
        `Tally could not reach the QuickBooks API at QBO_API_URL=http://127.0.0.1:${qboPort} (ECONNREFUSED): check QBO_API_URL (or unset it to use Intuit's https://quickbooks.api.intuit.com) and that this machine can reach it.`,
      ],
    ]
    const runs = await Promise.all(
      cases.map(async ([over]) => {
        const { file } = await envFile(over)
        return tally(['import', '--env-file', file])
      }),
    )
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(cases.map(([, sentence]) => [1, `${sentence}\n`]))
  })

  it('a missing --env-file is Tally\'s sentence and exit 1, not Node\'s exit 9', async () => {
    const exit = await tally(['import', '--env-file', 'missing.env'])
    expect([exit.code, exit.stderr]).toEqual([
      1,
      `--env-file missing.env: there is no file at ${join(dir, 'missing.env')}; check the path, or run \`tally sandbox --env-out missing.env\` to write one for the sandbox.\n`,
    ])
  })
})
