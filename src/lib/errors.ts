/**
 * Base class for errors a user can act on. `toText()` is the one clear sentence the CLI prints
 * and the Hub shows; `code` is stable for scripts and tests.
 */
export class AppError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
  toText(): string {
    return this.message
  }
}

/** Configuration is missing or wrong; the message names the variable and what to do. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('config', message)
  }
}

/** Another run already holds the run lock (the CLI says so; the Hub answers 409). */
export class RunAlreadyRunningError extends AppError {
  readonly runId: string
  /** Each QuickBooks company has its own run lock (contract §9): the company that is busy. */
  readonly realmId: string | null
  constructor(runId: string, realmId: string | null = null) {
    super('run_already_running', `A run is already going on${realmId ? ` for the QuickBooks company ${realmId}` : ''} (${runId}); wait for it to finish.`)
    this.runId = runId
    this.realmId = realmId
  }
}

/** Describes any thrown value in one line, without vendor payloads. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
