/**
 * `tally salesforce deploy` against the sandbox over real HTTP (contract §2): an org started with
 * `tally sandbox --no-package` refuses an import with the sentence that says to deploy; the deploy
 * (the package zip built in process, jsforce's Metadata API client) installs it and assigns
 * Tally_Sync to the integration user; then the import works. `--check-only` changes nothing, and a
 * package with a bad field type fails with that component's error and changes nothing either.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../emulators/sandbox.js'
import { runCli } from '../../src/cli/index.js'
import { DEFAULT_PACKAGE_DIR, deployPackage } from '../../src/jobs/package-deploy.js'
import { openTally } from '../../src/jobs/tally.js'
import { parseConfig } from '../../src/config/env.js'

const dir = mkdtempSync(join(tmpdir(), 'tally-deploy-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const io = (out: { text: string; err: string }, stop = new AbortController().signal, env: Record<string, string> = {}) => ({
  env,
  cwd: dir,
  stdout: (s: string) => void (out.text += s),
  stderr: (s: string) => void (out.err += s),
  stderrIsTty: false,
  stopSignal: stop,
})

async function tally(args: string[], env: Record<string, string>) {
  const out = { text: '', err: '' }
  const code = await runCli(args, io(out, undefined, env))
  return { code, stdout: out.text, stderr: out.err }
}

describe('tally sandbox --no-package, then tally salesforce deploy', () => {
  it('refuses the import with the sentence to deploy, deploys, assigns Tally_Sync, and then imports', async () => {
    const out = { text: '', err: '' }
    const stop = new AbortController()
    const running = runCli(['sandbox', '--qbo-port', '0', '--sf-port', '0', '--no-package', '--env-out', '.env.nopkg'], io(out, stop.signal))
    const deadline = Date.now() + 20_000
    while (!/Salesforce sandbox ready/.test(out.text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(out.text).toContain('install it with `tally salesforce deploy`')
    const env = { TALLY_DB: join(dir, 'nopkg.db') }
    try {
      const refused = await tally(['import', '--env-file', '.env.nopkg', '--json'], env)
      expect(refused.code).toBe(1)
      expect(refused.stdout).toBe('')
      expect(refused.stderr).toMatch(/^Salesforce is missing the object QBO_Customer__c and the field Account\.QBO_Source_Key__c of Tally's package: run `tally salesforce deploy`/)
      expect(refused.stderr.trim().split('\n')).toHaveLength(1)

      const checked = await tally(['salesforce', 'deploy', '--check-only', '--env-file', '.env.nopkg'], env)
      expect(checked.stderr).toContain("Validating Tally's package")
      expect(checked.code).toBe(0)
      expect(checked.stdout).toMatch(/^Validated Tally's package: all \d+ components would deploy; nothing was changed/)
      expect((await tally(['import', '--env-file', '.env.nopkg', '--json'], env)).code).toBe(1)

      const deployed = await tally(['salesforce', 'deploy', '--env-file', '.env.nopkg', '--json'], env)
      expect(deployed.stderr).toMatch(/Deploying Tally's package \(\d+ components\) to http:\/\/127\.0\.0\.1:\d+…\nInProgress: \d+\/\d+ components\n/)
      expect(deployed.code).toBe(0)
      const report = JSON.parse(deployed.stdout) as { status: string; success: boolean; deployed: number; total: number; failures: unknown[]; permissionSet: string; salesforceCalls: number }
      expect(report).toMatchObject({ status: 'Succeeded', success: true, failures: [], permissionSet: 'assigned' })
      expect(report.deployed).toBe(report.total)
      expect(report.total).toBeGreaterThan(60)

      const imported = await tally(['import', '--env-file', '.env.nopkg', '--json', '--create-accounts'], env)
      expect(imported.stderr).toBe('')
      expect(imported.code).toBe(0)
      const s = JSON.parse(imported.stdout) as { status: string; customers: { seen: number; created: number } }
      expect(s.status).toBe('succeeded')
      expect(s.customers.created).toBe(s.customers.seen)
      expect(s.customers.seen).toBeGreaterThan(20)

      // A second deploy finds the permission set assigned already.
      const again = await tally(['salesforce', 'deploy', '--env-file', '.env.nopkg'], env)
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('the integration user already had the Tally_Sync permission set')
    } finally {
      stop.abort()
      await running
    }
  })

  it('reports a bad field type per component and leaves the org as it was', async () => {
    const sandbox = await startSandbox({ package: false })
    const pkgDir = join(dir, 'broken')
    cpSync(DEFAULT_PACKAGE_DIR, pkgDir, { recursive: true })
    const fieldFile = join(pkgDir, 'force-app/main/default/objects/QBO_Customer__c/fields/Email__c.field-meta.xml')
    writeFileSync(fieldFile, readFileSync(fieldFile, 'utf8').replace('<type>Email</type>', '<type>Emial</type>'))
    const t = await openTally(parseConfig({ ...sandbox.env(), TALLY_DB: join(dir, 'broken.db') }, dir))
    try {
      const outcome = await deployPackage(t, { packageDir: pkgDir, pollIntervalMs: 50 })
      expect(outcome.report.success).toBe(false)
      expect(outcome.report.status).toBe('Failed')
      expect(outcome.permissionSet).toBeNull()
      expect(outcome.report.failures).toEqual([
        {
          type: 'CustomField',
          fullName: 'QBO_Customer__c.Email__c',
          fileName: 'objects/QBO_Customer__c.object',
          problem: "Error parsing file: 'Emial' is not a valid value for the enum 'FieldType'",
          line: expect.any(Number),
          column: expect.any(Number),
        },
      ])
      // Rolled back: nothing of the package exists.
      expect(sandbox.salesforce.emulator.schema.objects.has('QBO_Customer__c')).toBe(false)
      expect(sandbox.salesforce.emulator.list('PermissionSet')).toEqual([])
    } finally {
      await t.close()
      await sandbox.close()
    }
  })
})
