/**
 * A logger that keeps every SOQL statement the Salesforce client sends (its `salesforce: query`
 * debug line), so a test can check each one with soql-parser-js.
 */
import type { Logger } from '../../src/lib/logger.js'

export function soqlCapture(): { logger: Logger; emitted: string[] } {
  const emitted: string[] = []
  const logger: Logger = {
    error() {},
    warn() {},
    info() {},
    debug(msg, meta) {
      if (msg === 'salesforce: query' && typeof meta?.soql === 'string') emitted.push(meta.soql)
    },
  }
  return { logger, emitted }
}
