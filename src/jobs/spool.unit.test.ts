import { readdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileSpool } from './spool.js'

describe('fileSpool', () => {
  it('gives back every write as it was, before and after its lines reach the file (several pieces of it), and leaves no file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-test-'))
    const spool = fileSpool<Record<string, string | number | boolean | null>>('writes', dir)
    // Its file is unlinked as soon as it is open.
    expect(readdirSync(dir)).toEqual([])
    const writes = Array.from({ length: 5_000 }, (_, i) => ({
      Name: i % 7 === 0 ? `Müller & Söhne ${i} 日本` : `Acme ${i}`,
      Balance__c: i % 3 === 0 ? -12.5 * (i + 1) : i,
      Active__c: i % 2 === 0,
      Email__c: i % 5 === 0 ? null : `a${i}@example.com`,
      Notes__c: i % 11 === 0 ? 'two\nlines, "quoted"' : i % 13 === 0 ? `${'ü'.repeat(3000)} ${i}` : '',
    }))
    const handles = writes.map((w) => spool.put(w))
    expect(new Set(handles).size).toBe(writes.length)
    // The last lines are still in memory (not a full piece yet); the first are in the file.
    expect(spool.get(handles.at(-1) as number)).toStrictEqual(writes.at(-1))
    for (let i = 0; i < writes.length; i += 1) expect(spool.get(handles[i] as number)).toStrictEqual(writes[i])
    // And more put after reading.
    const late = spool.put({ Name: 'late' })
    expect(spool.get(late)).toStrictEqual({ Name: 'late' })
    spool.close()
    expect(() => spool.get(late)).toThrow(/closed/)
    expect(readdirSync(dir)).toEqual([])
  })
})
