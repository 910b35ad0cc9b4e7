/**
 * The logger port. Modules take one and default to `noopLogger`; `src/main.ts` passes a pino
 * logger. Never log tokens or whole vendor payloads.
 */
export interface Logger {
  error(msg: string, meta?: Record<string, unknown>): void
  warn(msg: string, meta?: Record<string, unknown>): void
  info(msg: string, meta?: Record<string, unknown>): void
  debug(msg: string, meta?: Record<string, unknown>): void
}

export const noopLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
}
