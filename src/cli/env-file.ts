/**
 * @module cli/env-file
 * `--env-file FILE`: a dotenv file of contract §3's variables. Its values win over the inherited
 * environment, since the user named the file on this very command.
 *
 * Node 20 itself scans the whole command line for `--env-file`, script arguments included, and
 * exits with status 9 ("node: FILE: not found") before any of Tally runs when the file is missing
 * (nodejs/node#54232; it stops only at `--`). So `bin/tally.js` starts Node with `--` before the
 * script (its shebang, and the npm scripts), and this module gives the sentence and exit code 1.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'dotenv'
import { ConfigError } from '../lib/errors.js'

export function withEnvFile(env: Record<string, string | undefined>, cwd: string, file: string | undefined): Record<string, string | undefined> {
  if (!file) return env
  const path = resolve(cwd, file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ENOENT') throw new ConfigError(`--env-file ${file}: there is no file at ${path}; check the path, or run \`tally sandbox --env-out ${file}\` to write one for the sandbox.`)
    throw new ConfigError(`--env-file ${file}: ${path} cannot be read (${code ?? 'error'}); check the path and its permissions.`)
  }
  return { ...env, ...parse(text) }
}
