/**
 * `tally sandbox` as contract §2 and §7 define it: a data file in QBO's and Salesforce's wire
 * shapes, the two "ready" lines, and an --env-out file that `tally import` can use as it is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tally-sandbox-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const io = (out: { text: string }, stop = new AbortController().signal, env: Record<string, string> = {}) => ({
  env,
  cwd: dir,
  stdout: (s: string) => void (out.text += s),
  stderr: (s: string) => void (out.text += s),
  stderrIsTty: false,
  stopSignal: stop,
})

describe('tally sandbox --data', () => {
  it('serves the data file, prints the ready lines, and writes an env file tally import can use', async () => {
    writeFileSync(
      join(dir, 'data.json'),
      JSON.stringify({
        qbo: {
          realmId: '4620816365171234567',
          companyName: 'Tiny Co',
          customers: [
            { Id: '1', DisplayName: "O'Neil Plumbing", CompanyName: "O'Neil Plumbing", PrimaryEmailAddr: { Address: 'hi@oneil.example' } },
            { Id: '2', DisplayName: 'Bathroom refit', Job: true, ParentRef: { value: '1' } },
            { Id: '3', DisplayName: 'Zeta Ltd' },
          ],
          vendors: [{ Id: '4', DisplayName: 'Pipe Supplies' }],
        },
        salesforce: { accounts: [{ Name: "o'neil  plumbing", BillingCity: 'Leeds' }] },
      }),
    )
    const out = { text: '' }
    const stop = new AbortController()
    const running = runCli(['sandbox', '--qbo-port', '0', '--sf-port', '0', '--data', 'data.json', '--env-out', '.env.sandbox'], io(out, stop.signal))
    const deadline = Date.now() + 20_000
    while (!/Salesforce sandbox ready/.test(out.text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(out.text).toMatch(/^QBO sandbox ready: http:\/\/127\.0\.0\.1:\d+ realm=4620816365171234567$/m)
    expect(out.text).toMatch(/^Salesforce sandbox ready: http:\/\/127\.0\.0\.1:\d+$/m)
    const envText = readFileSync(join(dir, '.env.sandbox'), 'utf8')
    for (const v of ['QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'QBO_REALM_ID', 'QBO_REFRESH_TOKEN', 'QBO_API_URL', 'QBO_TOKEN_URL', 'QBO_AUTHORIZE_URL', 'SF_LOGIN_URL', 'SF_CLIENT_ID', 'SF_CLIENT_SECRET']) {
      expect(envText).toMatch(new RegExp(`^${v}=`, 'm'))
    }

    const imp = { text: '' }
    const code = await runCli(['import', '--env-file', '.env.sandbox', '--json', '--create-accounts'], io(imp, undefined, { TALLY_DB: join(dir, 'tally.db') }))
    expect(code).toBe(0)
    const s = JSON.parse(imp.text) as { customers: Record<string, number>; links: Record<string, number> }
    expect(s.customers).toMatchObject({ seen: 3, created: 3 })
    expect(s.links).toMatchObject({ matched: 1, inherited: 1, created: 1 })
    stop.abort()
    expect(await running).toBe(0)
  })

  it('says what is wrong with a bad data file', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ qbo: { realmId: 'not-digits' } }))
    const out = { text: '' }
    expect(await runCli(['sandbox', '--qbo-port', '0', '--sf-port', '0', '--data', 'bad.json'], io(out))).toBe(1)
    expect(out.text).toMatch(/bad\.json: qbo\.realmId: realmId is digits/)
  })
})
