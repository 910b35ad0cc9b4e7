/**
 * @module main
 * The composition root: the only module that reads the environment and the process. Everything
 * below takes what it needs as parameters.
 */
import { runCli } from './cli/index.js'

export async function main(argv: string[]): Promise<number> {
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await runCli(argv, {
      env: { ...process.env },
      cwd: process.cwd(),
      stdout: (s) => void process.stdout.write(s),
      stderr: (s) => void process.stderr.write(s),
      stderrIsTty: process.stderr.isTTY === true,
      stopSignal: stop.signal,
    })
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
