import { describe, expect, it } from 'vitest'
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
    for (const p of parts) {
      expect(p.csv.length).toBeLessThanOrEqual(300)
      expect(p.csv.toString('utf8').startsWith(header as string)).toBe(true)
    }
    expect(parts.map((p) => p.csv.toString('utf8').slice((header as string).length)).join('')).toBe(lines.join(''))
    expect(parts.map((p) => [p.start, p.end])).toEqual(parts.map((p, i) => [i === 0 ? 0 : parts[i - 1]!.end, p.end]))
    expect(parts.at(-1)?.end).toBe(50)
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
