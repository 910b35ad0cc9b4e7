/**
 * @module store/sessions.repository
 * Hub sign-in sessions. The session id lives only in the browser's cookie; the table keeps its
 * SHA-256, so a copy of the database cannot be used to take over a session.
 */
import { randomBytes } from 'node:crypto'
import { sha256Hex } from '../lib/crypto.js'
import { toIso } from './codec.js'
import type { Db } from './database.js'

export interface Session {
  csrfToken: string
  createdAt: Date
  expiresAt: Date
  lastSeenAt: Date
}

/** A new session; `id` goes into the cookie and is never stored. */
export async function createSession(
  db: Db,
  options: { ttlMs: number; now?: Date },
): Promise<Session & { id: string }> {
  const now = options.now ?? new Date()
  const id = randomBytes(32).toString('base64url')
  const session: Session = {
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now,
    expiresAt: new Date(now.getTime() + options.ttlMs),
    lastSeenAt: now,
  }
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256Hex(id),
      csrf_token: session.csrfToken,
      created_at: toIso(session.createdAt),
      expires_at: toIso(session.expiresAt),
      last_seen_at: toIso(session.lastSeenAt),
    })
    .execute()
  return { id, ...session }
}

/** The session for a cookie's id, or null when unknown or expired. */
export async function getSession(db: Db, id: string, now: Date = new Date()): Promise<Session | null> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', sha256Hex(id))
    .where('expires_at', '>', toIso(now))
    .executeTakeFirst()
  if (!row) return null
  return {
    csrfToken: row.csrf_token,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    lastSeenAt: new Date(row.last_seen_at),
  }
}

/** Records activity; with `ttlMs`, slides the expiry to `now + ttlMs`. */
export async function touchSession(
  db: Db,
  id: string,
  options: { now?: Date; ttlMs?: number } = {},
): Promise<void> {
  const now = options.now ?? new Date()
  await db
    .updateTable('sessions')
    .set({
      last_seen_at: toIso(now),
      ...(options.ttlMs !== undefined ? { expires_at: toIso(new Date(now.getTime() + options.ttlMs)) } : {}),
    })
    .where('id_hash', '=', sha256Hex(id))
    .execute()
}

/** Signs out. */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await deleteSessionByHash(db, sha256Hex(id))
}

/** Removes expired sessions; returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', toIso(now)).executeTakeFirst()
  return Number(res.numDeletedRows)
}

/**
 * The same sessions addressed by the hash of their id, as the Hub keeps them (it hashes the
 * cookie itself and never hands the id to the store).
 */
export interface SessionByHash {
  idHash: string
  username: string
  csrfToken: string
  createdAt: Date
  expiresAt: Date
  oauthState: string | null
}

export async function insertSessionByHash(db: Db, s: SessionByHash): Promise<void> {
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
export async function getSessionByHash(db: Db, idHash: string): Promise<SessionByHash | null> {
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

export async function touchSessionByHash(db: Db, idHash: string, expiresAt: Date, now: Date = new Date()): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: toIso(now), expires_at: toIso(expiresAt) }).where('id_hash', '=', idHash).execute()
}

export async function setSessionOAuthState(db: Db, idHash: string, oauthState: string | null): Promise<void> {
  await db.updateTable('sessions').set({ oauth_state: oauthState }).where('id_hash', '=', idHash).execute()
}

export async function deleteSessionByHash(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}
