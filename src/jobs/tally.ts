/**
 * @module jobs/tally
 * Opens Tally's state for a command or the Hub: the store (SQLite, or Postgres with
 * DATABASE_URL), its migrations, and the key that encrypts stored tokens (TALLY_SECRET_KEY, or
 * a key generated into the data folder on first start — contract §3), and the alerts (§11).
 */
import { join } from 'node:path'
import type { Config } from '../config/env.js'
import { createCipher, loadOrCreateSecretKeyFile, parseSecretKey, type Cipher } from '../lib/crypto.js'
import { noopLogger, type Logger } from '../lib/logger.js'
import { createStore, type Store } from '../store/index.js'
import { alertsFromConfig, type AlertService } from './alerts/index.js'

export interface Tally {
  config: Readonly<Config>
  store: Store
  cipher: Cipher
  logger: Logger
  /** Where problems are alerted (contract §11); absent where a caller builds a Tally by hand.
   * `tally start` replaces it once the Hub's address is known, for the links in alerts. */
  alerts?: AlertService
  close(): Promise<void>
}

export async function openTally(config: Readonly<Config>, logger: Logger = noopLogger): Promise<Tally> {
  const store = createStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqlitePath: config.sqlitePath }, logger)
  await store.migrate()
  const key = config.secretKey
    ? parseSecretKey(config.secretKey)
    : (await loadOrCreateSecretKeyFile(join(config.dataDir, 'secret.key'))).key
  const t: Tally = {
    config,
    store,
    cipher: createCipher(key),
    logger,
    alerts: alertsFromConfig(config, store.db, logger),
    async close() {
      await t.alerts?.close()
      await store.close()
    },
  }
  return t
}
