/**
 * @module jobs/spool
 * A big run's `Spool`: values as JSON lines in a temporary file (owner only, unlinked once open, so
 * nothing is left of it when the run ends or is killed), read back by position. JSON keeps what a
 * run spools as it was: a customer (strings, booleans, numbers, arrays of address lines) and every
 * `FieldValue` (strings, finite numbers, booleans, null; -0 comes back as 0, which Salesforce
 * stores the same). At 100,000 customers the writes' file is some 60 MB and the customers' some
 * 70 MB; reading a line back costs a few microseconds: once per customer each time it is planned
 * (sync/spooled-customer), twice per row of a Bulk job (its CSV is measured, then sent:
 * salesforce/bulk `csvParts`).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Spool } from '../sync/ports.js'

/** A handle is the line's offset × LENGTHS + its length: one number, exact up to 2^53 (a file
 * of 8 GB with lines under 1 MB; a write's values, or a customer, are at most some 40 KB). */
const LENGTHS = 2 ** 20
/** Lines are gathered in one buffer of this size and written to the file when it is full. */
const PIECE_BYTES = LENGTHS

/** `name`: what it keeps, in its folder's and file's names (`tally-<name>-…/<name>.jsonl`). */
export function fileSpool<T>(name: string, dir: string = tmpdir()): Spool<T> {
  const folder = mkdtempSync(join(dir, `tally-${name}-`))
  const fd = openSync(join(folder, `${name}.jsonl`), 'w+', 0o600)
  // Gone from the folder at once where the system allows it (an open file lives on until closed):
  // a run killed midway leaves nothing behind. Elsewhere it goes with `close`.
  const removed = remove(folder)
  /** Bytes in the file, and those put but not written yet (at the start of `piece`). */
  let written = 0
  let pendingBytes = 0
  // One buffer for every line put, and one for every line read back, reused: a buffer per line
  // (100,000 of them, each its own allocation outside V8's heap, freed only by a collection) left
  // the process's C heap at 34–41 MB for the rest of a 100,000-customer run, against 10 MB so.
  // No piece: the spool is closed.
  let piece: Buffer | null = Buffer.alloc(PIECE_BYTES)
  let scratch = Buffer.alloc(64 * 1024)

  const flush = () => {
    if (pendingBytes === 0 || !piece) return
    for (let at = 0; at < pendingBytes; ) at += writeSync(fd, piece, at, pendingBytes - at, written + at)
    written += pendingBytes
    pendingBytes = 0
  }

  return {
    put(value) {
      if (!piece) throw new Error('spool: closed')
      const line = JSON.stringify(value)
      const bytes = Buffer.byteLength(line)
      if (bytes >= LENGTHS) throw new Error(`spool: a line of ${bytes} bytes (at most ${LENGTHS - 1})`)
      // A line is shorter than a piece (LENGTHS): it fits once the piece is written.
      if (pendingBytes + bytes > piece.length) flush()
      const handle = (written + pendingBytes) * LENGTHS + bytes
      pendingBytes += piece.write(line, pendingBytes)
      return handle
    },
    get(handle) {
      if (!piece) throw new Error('spool: closed')
      const length = handle % LENGTHS
      const offset = (handle - length) / LENGTHS
      if (offset + length > written) flush()
      if (scratch.length < length) scratch = Buffer.alloc(length)
      for (let at = 0; at < length; ) {
        const n = readSync(fd, scratch, at, length - at, offset + at)
        if (n === 0) throw new Error(`spool: no line at ${offset} (${length} bytes)`)
        at += n
      }
      return JSON.parse(scratch.toString('utf8', 0, length)) as T
    },
    close() {
      if (!piece) return
      piece = null
      closeSync(fd)
      if (!removed) remove(folder)
    },
  }
}

function remove(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true })
    return true
  } catch {
    return false
  }
}
