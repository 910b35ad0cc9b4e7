/**
 * @module jobs/write-spool
 * The `WriteSpool` of a big run: planned writes' values as JSON lines in a temporary file (owner
 * only, unlinked once open, so nothing is left of it when the run ends or is killed), read back by
 * position as each wave is sent. JSON keeps every `FieldValue` as it was (strings, finite numbers,
 * booleans, null; -0 comes back as 0, which Salesforce stores the same). At 100,000 customers the
 * file is some 60 MB; reading a row back costs a few microseconds, twice per row of a Bulk job
 * (its CSV is measured, then sent: salesforce/bulk `csvParts`).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TargetFields } from '../sync/model.js'
import type { WriteSpool } from '../sync/ports.js'

/** A handle is the line's offset × LENGTHS + its length: one number, exact up to 2^53 (a file
 * of 8 GB with lines under 1 MB; a write's values are at most some 40 KB). */
const LENGTHS = 2 ** 20
/** Lines are written to the file in pieces of about this size. */
const FLUSH_BYTES = 1 << 20

export function fileWriteSpool(dir: string = tmpdir()): WriteSpool {
  const folder = mkdtempSync(join(dir, 'tally-writes-'))
  const fd = openSync(join(folder, 'writes.jsonl'), 'w+', 0o600)
  // Gone from the folder at once where the system allows it (an open file lives on until closed):
  // a run killed midway leaves nothing behind. Elsewhere it goes with `close`.
  const removed = remove(folder)
  /** Bytes in the file, and those put but not written yet. */
  let written = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  let scratch = Buffer.alloc(64 * 1024)
  let closed = false

  const flush = () => {
    if (pendingBytes === 0) return
    const piece = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes)
    for (let at = 0; at < piece.length; ) at += writeSync(fd, piece, at, piece.length - at, written + at)
    written += pendingBytes
    pending = []
    pendingBytes = 0
  }

  return {
    put(fields) {
      if (closed) throw new Error('write spool: closed')
      const line = Buffer.from(JSON.stringify(fields))
      if (line.length >= LENGTHS) throw new Error(`write spool: a write of ${line.length} bytes (at most ${LENGTHS - 1})`)
      const handle = (written + pendingBytes) * LENGTHS + line.length
      pending.push(line)
      pendingBytes += line.length
      if (pendingBytes >= FLUSH_BYTES) flush()
      return handle
    },
    get(handle) {
      if (closed) throw new Error('write spool: closed')
      const length = handle % LENGTHS
      const offset = (handle - length) / LENGTHS
      if (offset + length > written) flush()
      if (scratch.length < length) scratch = Buffer.alloc(length)
      for (let at = 0; at < length; ) {
        const n = readSync(fd, scratch, at, length - at, offset + at)
        if (n === 0) throw new Error(`write spool: no line at ${offset} (${length} bytes)`)
        at += n
      }
      return JSON.parse(scratch.toString('utf8', 0, length)) as TargetFields
    },
    close() {
      if (closed) return
      closed = true
      pending = []
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
