/**
 * @module store/sessions.repository
 * Hub sign-in sessions. The session id lives only in the browser's cookie; the table keeps its
 * SHA-256, so a copy of the database cannot be used to take over a session.
 */
import { toIso } from './codec.js'
import type { Db } from './database.js'

/** Removes expired sessions; returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', toIso(now)).executeTakeFirst()
  return Number(res.numDeletedRows)
}

/**
 * A signed-in session, addressed by the hash of its id: the Hub hashes the cookie itself and never
 * hands the id to the store. The one session type (the Hub's `SessionRecord` is this).
 */
export interface Session {
  idHash: string
  username: string
  csrfToken: string
  createdAt: Date
  expiresAt: Date
  oauthState: string | null
}

export async function insertSession(db: Db, s: Session): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      username: s.username,
      csrf_token: s.csrfToken,
      created_at: toIso(s.createdAt),
      expires_at: toIso(s.expiresAt),
      last_seen_at: toIso(s.createdAt),
      oauth_state: s.oauthState,
    })
    .execute()
}

/** The session whatever its expiry (the caller checks `expiresAt`). */
export async function getSession(db: Db, idHash: string): Promise<Session | null> {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
  if (!row) return null
  return {
    idHash: row.id_hash,
    username: row.username ?? 'admin',
    csrfToken: row.csrf_token,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    oauthState: row.oauth_state,
  }
}

export async function touchSession(db: Db, idHash: string, expiresAt: Date, now: Date = new Date()): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: toIso(now), expires_at: toIso(expiresAt) }).where('id_hash', '=', idHash).execute()
}

export async function setSessionOAuthState(db: Db, idHash: string, oauthState: string | null): Promise<void> {
  await db.updateTable('sessions').set({ oauth_state: oauthState }).where('id_hash', '=', idHash).execute()
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}
