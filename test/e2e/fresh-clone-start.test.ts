/**
 * @module test/e2e/fresh-clone-start
 * `npx tally start` on a fresh clone (no web/dist, and no `npm start` prestart to build it) serves
 * the Hub's single-page app, not "The Hub web app is not built" (issue 8). The clone is a copy of
 * the repository's tracked sources in a temp dir, with node_modules linked as `npm ci` would leave
 * it; `node bin/tally.js start` runs there as its own process, in demo mode.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/e2e-system.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SOURCES = ['bin', 'src', 'emulators', 'web', 'salesforce', 'package.json', 'tsconfig.json']

let clone: string
let child: ChildProcess
let stdout = ''
let stderr = ''

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'tally-fresh-clone-'))
  for (const s of SOURCES) cpSync(join(ROOT, s), join(clone, s), { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'web/dist')) })
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'))
  expect(existsSync(join(clone, 'web/dist'))).toBe(false)
  const port = await freePort()
  // No QBO_/SF_ variables: demo mode. NODE_ENV unset, as in a user's shell.
  child = spawn(process.execPath, ['bin/tally.js', 'start', '--port', String(port)], {
    cwd: clone,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? clone },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (b: Buffer) => void (stdout += b.toString()))
  child.stderr?.on('data', (b: Buffer) => void (stderr += b.toString()))
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (/Sign in as admin/.test(stdout)) {
        clearInterval(t)
        resolve()
      } else if (child.exitCode !== null) {
        clearInterval(t)
        reject(new Error(`tally start exited with ${child.exitCode}:\n${stdout}\n${stderr}`))
      }
    }, 50)
  })
})
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  if (clone) rmSync(clone, { recursive: true, force: true })
})

describe('tally start on a fresh clone', () => {
  it('builds the web app and serves it', async () => {
    const hubUrl = /^Tally Hub: (\S+)$/m.exec(stdout)?.[1]
    expect(hubUrl).toBeDefined()
    const res = await fetch(`${hubUrl}/`)
    const html = await res.text()
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'text/html; charset=utf-8' })
    expect(html).toContain('<div id="root">')
    // The page's script is one of the built, hashed assets, and it is served too.
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const js = await fetch(`${hubUrl}${script}`)
    expect(js.status).toBe(200)
    expect(existsSync(join(clone, 'web/dist/index.html'))).toBe(true)
  })
})
