/**
 * @module cli/env-file
 * `--env-file FILE`: a dotenv file of contract §3's variables. Its values win over the inherited
 * environment, since the user named the file on this very command.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'dotenv'
import { ConfigError } from '../lib/errors.js'

export function withEnvFile(env: Record<string, string | undefined>, cwd: string, file: string | undefined): Record<string, string | undefined> {
  if (!file) return env
  let text: string
  try {
    text = readFileSync(resolve(cwd, file), 'utf8')
  } catch {
    throw new ConfigError(`--env-file ${file}: the file cannot be read; check the path.`)
  }
  return { ...env, ...parse(text) }
}
