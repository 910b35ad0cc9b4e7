/**
 * @module store/errors
 * What goes wrong with a SQLite store file, said as one sentence that names the file (TALLY_DB)
 * and what to do. The error keeps SQLite's own code (`SQLITE_BUSY`, `SQLITE_NOTADB`, …) as its
 * `code`, so callers that branch on it keep working. https://www.sqlite.org/rescode.html
 */
import { dirname } from 'node:path'
import { AppError } from '../lib/errors.js'

/** The SQLite store file cannot be used; the message names it and says what to do. */
export class StoreError extends AppError {
  readonly path: string
  constructor(code: string, path: string, message: string, cause: unknown) {
    super(code, message, { cause })
    this.path = path
  }
}

const code = (e: unknown): string => String((e as { code?: unknown } | null)?.code ?? '')

/** The store problem `e` is, as a `StoreError`; null for anything else (constraints, SQL bugs). */
export function sqliteStoreError(e: unknown, path: string, busyWaitMs: number): StoreError | null {
  if (e instanceof StoreError) return e
  const c = code(e)
  if (c === 'SQLITE_NOTADB' || c.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(c, path, `Tally's database ${path} (TALLY_DB) is not a SQLite database or is damaged: restore it from a backup, or move it aside and Tally starts a new one (then connect QuickBooks and Salesforce again; the next import re-reads both).`, e)
  }
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) {
    return new StoreError(c, path, `Tally's database ${path} (TALLY_DB) is locked by another process (waited ${Math.round(busyWaitMs / 1000)} s): let the other Tally command finish, or stop the program holding the file, then try again.`, e)
  }
  if (c.startsWith('SQLITE_CANTOPEN') || c.startsWith('SQLITE_READONLY') || c === 'EACCES' || c === 'EPERM' || c === 'EROFS') {
    return new StoreError(c, path, `Tally cannot write its database ${path} (TALLY_DB): the file or its folder ${dirname(path)} is read-only or belongs to another user; make them writable by the user running Tally, or set TALLY_DB to a file in a folder that is.`, e)
  }
  return null
}
