/**
 * @module lib/pino-logger
 * The Logger port over pino: structured JSON on stderr (stdout is for results, e.g. --json).
 */
import { pino } from 'pino'
import type { Logger } from './logger.js'

export function pinoLogger(level: 'error' | 'warn' | 'info' | 'debug' = 'info'): Logger {
  const p = pino({ level, base: undefined }, pino.destination(2))
  return {
    error: (msg, meta) => p.error(meta ?? {}, msg),
    warn: (msg, meta) => p.warn(meta ?? {}, msg),
    info: (msg, meta) => p.info(meta ?? {}, msg),
    debug: (msg, meta) => p.debug(meta ?? {}, msg),
  }
}
