/**
 * @module sync/record-customer
 * A `QBO_Customer__c` record read back as the customer it was written from, as far as suggestions
 * need it (names, e-mail, phones, website, billing street and postal code): `tally links suggest`
 * recomputes suggestions from what Salesforce holds, without reading QuickBooks again (QBO meters
 * reads). Pure.
 */
import type { SourceCustomer } from './model.js'

/** The fields `customerFromRecord` reads. */
export const SUGGESTION_SOURCE_FIELDS = [
  'QBO_Id__c',
  'QBO_Realm_Id__c',
  'Display_Name__c',
  'First_Name__c',
  'Last_Name__c',
  'Company_Name__c',
  'Email__c',
  'Phone__c',
  'Mobile__c',
  'Other_Phone__c',
  'Website__c',
  'Billing_Street__c',
  'Billing_Postal_Code__c',
  'Is_Sub_Customer__c',
  'Fully_Qualified_Name__c',
  'Active__c',
] as const

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined)

export function customerFromRecord(r: Record<string, unknown>): SourceCustomer {
  const street = text(r['Billing_Street__c'])
  const postalCode = text(r['Billing_Postal_Code__c'])
  const opt = <K extends keyof SourceCustomer>(k: K, v: SourceCustomer[K] | undefined) => (v === undefined ? {} : { [k]: v })
  return {
    realmId: String(r['QBO_Realm_Id__c'] ?? ''),
    qboId: String(r['QBO_Id__c'] ?? ''),
    displayName: String(r['Display_Name__c'] ?? ''),
    ...opt('givenName', text(r['First_Name__c'])),
    ...opt('familyName', text(r['Last_Name__c'])),
    ...opt('companyName', text(r['Company_Name__c'])),
    ...opt('email', text(r['Email__c'])),
    ...opt('phone', text(r['Phone__c'])),
    ...opt('mobile', text(r['Mobile__c'])),
    ...opt('otherPhone', text(r['Other_Phone__c'])),
    ...opt('website', text(r['Website__c'])),
    ...(street || postalCode ? { billing: { lines: street ? street.split(/\r?\n/u) : [], ...(postalCode ? { postalCode } : {}) } } : {}),
    ...opt('fullyQualifiedName', text(r['Fully_Qualified_Name__c'])),
    isSubCustomer: r['Is_Sub_Customer__c'] === true,
    level: 0,
    billWithParent: false,
    taxable: false,
    isProject: false,
    active: r['Active__c'] !== false,
    syncToken: '',
  }
}
