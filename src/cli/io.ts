/**
 * @module cli/io
 * What a command may touch of the process: given by `src/main.ts`, so commands are testable
 * in-process and only `main.ts` reads the environment.
 */
export interface CliIo {
  env: Record<string, string | undefined>
  cwd: string
  stdout: (text: string) => void
  stderr: (text: string) => void
  stderrIsTty: boolean
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  stopSignal: AbortSignal
}

/** Resolves when the user asks the process to stop. */
export function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done()
    else signal.addEventListener('abort', () => done(), { once: true })
  })
}
