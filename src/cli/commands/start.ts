/** @module cli/commands/start — replaced below once the Hub is wired. */
import type { CliIo } from '../io.js'
export async function startCommand(_flags: { port?: number; envFile?: string }, io: CliIo): Promise<number> {
  io.stderr('not yet\n')
  return 1
}
