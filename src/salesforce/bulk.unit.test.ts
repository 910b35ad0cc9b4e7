import { describe, expect, it } from 'vitest'
import { text } from 'node:stream/consumers'
import { csvParts, parseBulkError, toCsv } from './bulk.js'

describe('Bulk API 2.0 CSV', () => {
  it('writes nulls and empty strings as #N/A, booleans and numbers plain, references as relationship columns', () => {
    const csv = toCsv([
      { QBO_Key__c: 'k1', Name: 'A, "B"', Email__c: null, Is_Sub_Customer__c: true, Balance__c: 12.5, Account__r: { QBO_Source_Key__c: 'n:acme' } },
      { QBO_Key__c: 'k2', Name: '', Notes__c: 'two\nlines' },
    ])
    expect(csv).toBe(
      'QBO_Key__c,Name,Email__c,Is_Sub_Customer__c,Balance__c,Account__r.QBO_Source_Key__c,Notes__c\n' +
        'k1,"A, ""B""",#N/A,true,12.5,n:acme,\n' +
        'k2,#N/A,,,,,"two\nlines"\n',
    )
  })

  it('cuts an upload into parts of at most maxBytes, each with the header, that together are the whole CSV', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ QBO_Key__c: `k${i}`, Name: i % 3 === 0 ? `Müller & Söhne ${i}` : `Acme ${i}`, Notes__c: i % 7 === 0 ? 'a, "b"' : null }))
    const whole = toCsv(rows)
    const [header, ...lines] = whole.split(/(?<=\n)/u)
    const parts = [...csvParts(rows, 300)]
    expect(parts.length).toBeGreaterThan(3)
    const text = (p: (typeof parts)[number]) => Buffer.concat([...p.chunks()]).toString('utf8')
    for (const p of parts) {
      expect(p.bytes).toBeLessThanOrEqual(300)
      expect(Buffer.byteLength(text(p))).toBe(p.bytes)
      expect(text(p).startsWith(header as string)).toBe(true)
    }
    expect(parts.map((p) => text(p).slice((header as string).length)).join('')).toBe(lines.join(''))
    expect(parts.map((p) => [p.start, p.end])).toEqual(parts.map((p, i) => [i === 0 ? 0 : parts[i - 1]!.end, p.end]))
    expect(parts.at(-1)?.end).toBe(50)
  })

  it('streams a part as it is read, anew for each attempt, and fails one whose rows changed after they were measured', async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ QBO_Key__c: `k${i}`, Name: `Customer ${i} ${'x'.repeat(40)}` }))
    const [part] = [...csvParts(rows, Infinity)]
    if (!part) throw new Error('no part')
    const first = await text(part.csv())
    expect(Buffer.byteLength(first)).toBe(part.bytes)
    expect(first).toBe(toCsv(rows))
    expect(await text(part.csv())).toBe(first)
    // More than one piece: the upload is never made whole.
    expect([...part.chunks()].length).toBeGreaterThan(2)
    rows[10] = { QBO_Key__c: 'k10', Name: 'renamed' }
    await expect(text(part.csv())).rejects.toThrow(/rows 0–3000 changed/)
  })

  it('reads sf__Error as code, message (colons and all) and fields, one or several errors', () => {
    expect(parseBulkError('INVALID_EMAIL_ADDRESS:Email: invalid email address: not an email:Email__c --')).toEqual([
      { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: not an email', fields: ['Email__c'] },
    ])
    expect(parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --;STRING_TOO_LONG:Phone: data value too large:Phone,Fax --')).toEqual([
      { code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] },
      { code: 'STRING_TOO_LONG', message: 'Phone: data value too large', fields: ['Phone', 'Fax'] },
    ])
    expect(parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --')).toEqual([
      { code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] },
    ])
  })
})
