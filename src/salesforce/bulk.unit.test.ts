import { describe, expect, it } from 'vitest'
import { parseBulkError, toCsv } from './bulk.js'

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
