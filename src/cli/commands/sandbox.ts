/**
 * @module cli/commands/sandbox
 * `tally sandbox`: both emulators until killed (contract §2).
 */
import { resolve } from 'node:path'
import { startSandbox, writeEnvFile } from '../../../emulators/sandbox.js'
import { describeError } from '../../lib/errors.js'
import { EXIT } from '../exit-codes.js'
import { untilStopped, type CliIo } from '../io.js'

export interface SandboxFlags {
  qboPort: number
  sfPort: number
  data?: string
  generate?: number
  companies?: number
  randomSeed?: number
  latencyMs?: number
  faultRate?: number
  throttle?: boolean
  tokenTtl?: number
  envOut?: string
  /** commander's `--no-package`: false when given. */
  package?: boolean
  webhookUrl?: string
}

export async function sandboxCommand(flags: SandboxFlags, io: CliIo): Promise<number> {
  if (flags.companies !== undefined && flags.companies < 1) {
    io.stderr(`--companies takes at least 1 (got ${flags.companies}).\n`)
    return EXIT.failed
  }
  if (flags.companies !== undefined && flags.data) {
    io.stderr('--companies and --data cannot be used together: list the companies in the data file ("qbo": [ { "realmId", "companyName", "customers" }, … ]).\n')
    return EXIT.failed
  }
  let sandbox
  try {
    sandbox = await startSandbox({
      qboPort: flags.qboPort,
      sfPort: flags.sfPort,
      ...(flags.data ? { data: resolve(io.cwd, flags.data) } : {}),
      ...(flags.generate !== undefined ? { generate: flags.generate } : {}),
      ...(flags.companies !== undefined ? { companies: flags.companies } : {}),
      ...(flags.randomSeed !== undefined ? { randomSeed: flags.randomSeed } : {}),
      ...(flags.latencyMs !== undefined ? { latencyMs: flags.latencyMs } : {}),
      ...(flags.faultRate !== undefined ? { faultRate: flags.faultRate } : {}),
      ...(flags.throttle ? { throttle: true } : {}),
      ...(flags.tokenTtl !== undefined ? { tokenTtlSeconds: flags.tokenTtl } : {}),
      ...(flags.package === false ? { package: false } : {}),
      ...(flags.webhookUrl ? { webhookUrl: flags.webhookUrl } : {}),
    })
  } catch (e) {
    io.stderr(`The sandbox could not start: ${describeError(e)}\n`)
    return EXIT.failed
  }
  if (flags.envOut) await writeEnvFile(resolve(io.cwd, flags.envOut), sandbox.env())
  io.stdout(`QBO sandbox ready: ${sandbox.qbo.url} realm=${sandbox.qbo.emulator.realmId}\n`)
  if (sandbox.companies.length > 1) {
    for (const co of sandbox.companies) io.stdout(`QBO sandbox company: realm=${co.realmId} name=${co.companyName}\n`)
  }
  io.stdout(`Salesforce sandbox ready: ${sandbox.salesforce.url}\n`)
  if (flags.package === false) io.stdout('The Salesforce org has no Tally package yet: install it with `tally salesforce deploy`.\n')
  if (flags.webhookUrl) io.stdout(`QBO webhooks go to ${flags.webhookUrl}, signed with QBO_WEBHOOK_VERIFIER=${sandbox.webhookVerifier}\n`)
  if (flags.envOut) io.stdout(`Wrote ${flags.envOut}: run \`tally import --env-file ${flags.envOut}\`\n`)
  await untilStopped(io.stopSignal)
  await sandbox.close()
  return EXIT.ok
}
