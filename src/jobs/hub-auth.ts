/**
 * @module jobs/hub-auth
 * The Hub's sign-in over the store: the admin password's scrypt hash (from TALLY_ADMIN_PASSWORD,
 * or generated into the data folder on first start and printed once), sessions kept by the hash
 * of their id, and failed-attempt counters.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hashPassword, verifyPassword } from '../lib/crypto.js'
import {
  countLoginAttempt,
  deleteExpiredSessions,
  deleteSession,
  forgetLoginAttempts,
  getSession,
  insertSession,
  lockLogin,
  setSessionOAuthState,
  touchSession,
} from '../store/index.js'
import type { HubAuth } from '../hub/services.js'
import type { Tally } from './tally.js'

/** The admin password's hash, and the password itself when it was just generated. */
export async function adminPasswordHash(t: Tally): Promise<{ hash: string; generated: string | null }> {
  if (t.config.adminPassword) return { hash: await hashPassword(t.config.adminPassword), generated: null }
  const file = join(t.config.dataDir, 'admin-password.hash')
  try {
    return { hash: (await readFile(file, 'utf8')).trim(), generated: null }
  } catch {
    const password = randomBytes(12).toString('base64url')
    const hash = await hashPassword(password)
    await mkdir(t.config.dataDir, { recursive: true, mode: 0o700 })
    await writeFile(file, `${hash}\n`, { mode: 0o600 })
    return { hash, generated: password }
  }
}

export function createHubAuth(t: Tally, passwordHash: string): HubAuth {
  const { db } = t.store
  return {
    verifyAdminPassword: (password) => verifyPassword(password, passwordHash),
    sessions: {
      // Each sign-in also drops the sessions that have expired, so the table does not grow forever.
      create: async (s) => {
        await deleteExpiredSessions(db, s.createdAt)
        await insertSession(db, s)
      },
      get: (idHash) => getSession(db, idHash),
      touch: (idHash, expiresAt) => touchSession(db, idHash, expiresAt),
      setOAuthState: (idHash, state) => setSessionOAuthState(db, idHash, state),
      delete: (idHash) => deleteSession(db, idHash),
    },
    loginAttempts: {
      // The Hub owns the lock-out policy; the store counts attempts within a 15-minute window.
      count: (key, at) => countLoginAttempt(db, key, at, 15 * 60_000),
      lock: (key, until) => lockLogin(db, key, until),
      succeeded: (key, attempt) => forgetLoginAttempts(db, key, attempt),
    },
  }
}
