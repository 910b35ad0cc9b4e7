/**
 * @module sync/fields
 * The catalogue of `QBO_Customer__c` fields Tally writes: where each value comes from in QBO, the
 * settings group that switches it on, and the Salesforce type and length it must fit. It mirrors
 * the package metadata in `salesforce/` (a test checks that the two agree).
 */
import type { FieldValue, SourceAddress, SourceCustomer } from './model.js'

/** Groups of the Sync Settings page, in the words of the product description. */
export const FIELD_GROUPS = [
  { id: 'names', label: 'Names' },
  { id: 'company', label: 'Company' },
  { id: 'contact', label: 'Contact information' },
  { id: 'website', label: 'Website' },
  { id: 'printOnCheck', label: 'Print on check name' },
  { id: 'billing', label: 'Billing address' },
  { id: 'shipping', label: 'Shipping address' },
  { id: 'additional', label: 'Additional information' },
  { id: 'balance', label: 'Balance and currency' },
] as const
export type FieldGroupId = (typeof FIELD_GROUPS)[number]['id']

export type FieldType =
  | 'text'
  | 'textarea'
  | 'longtextarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'checkbox'
  | 'number'
  | 'currency'
  | 'datetime'

export interface SyncedField {
  /** API name on `QBO_Customer__c`. */
  name: string
  /** The label Salesforce shows, used in messages about this field. */
  label: string
  /** The settings group; `always` fields are written whatever the settings say (contract §5.6). */
  group: FieldGroupId | 'always'
  type: FieldType
  /** Maximum length for text-like types. */
  length?: number
  /** The QBO field it comes from, as users know it. */
  qboField: string
  value: (c: SourceCustomer) => FieldValue
}

const street = (a: SourceAddress | undefined): FieldValue =>
  a && a.lines.length > 0 ? a.lines.join('\n') : null
const opt = (v: string | undefined): FieldValue => (v === undefined || v === '' ? null : v)

/** Every field of contract §4 except the link fields (`Account__c`, `Link_Status__c`) and the
 * parent lookup, which the plan computes. */
export const SYNCED_FIELDS: readonly SyncedField[] = [
  { name: 'Name', label: 'QBO Customer Name', group: 'always', type: 'text', length: 80, qboField: 'DisplayName', value: (c) => c.displayName },
  { name: 'QBO_Id__c', label: 'QBO Id', group: 'always', type: 'text', length: 20, qboField: 'Id', value: (c) => c.qboId },
  { name: 'QBO_Realm_Id__c', label: 'QBO Realm Id', group: 'always', type: 'text', length: 20, qboField: 'realm', value: (c) => c.realmId },
  { name: 'QBO_Company__c', label: 'QBO Company', group: 'always', type: 'text', length: 255, qboField: 'CompanyInfo.CompanyName', value: (c) => opt(c.qboCompanyName) },
  { name: 'Display_Name__c', label: 'Display Name', group: 'always', type: 'text', length: 255, qboField: 'DisplayName', value: (c) => c.displayName },
  { name: 'Active__c', label: 'Active', group: 'always', type: 'checkbox', qboField: 'Active', value: (c) => c.active },
  { name: 'Is_Sub_Customer__c', label: 'Is Sub-Customer', group: 'always', type: 'checkbox', qboField: 'Job', value: (c) => c.isSubCustomer },
  { name: 'Level__c', label: 'Level', group: 'always', type: 'number', qboField: 'Level', value: (c) => c.level },
  { name: 'Fully_Qualified_Name__c', label: 'Fully Qualified Name', group: 'always', type: 'longtextarea', length: 3000, qboField: 'FullyQualifiedName', value: (c) => opt(c.fullyQualifiedName) },
  { name: 'Parent_QBO_Id__c', label: 'Parent QBO Id', group: 'always', type: 'text', length: 20, qboField: 'ParentRef', value: (c) => opt(c.parentQboId) },
  { name: 'QBO_Sync_Token__c', label: 'QBO Sync Token', group: 'always', type: 'text', length: 20, qboField: 'SyncToken', value: (c) => c.syncToken },
  { name: 'QBO_Created__c', label: 'QBO Created', group: 'always', type: 'datetime', qboField: 'MetaData.CreateTime', value: (c) => opt(c.createdAt) },
  { name: 'QBO_Last_Updated__c', label: 'QBO Last Updated', group: 'always', type: 'datetime', qboField: 'MetaData.LastUpdatedTime', value: (c) => opt(c.updatedAt) },

  { name: 'Title__c', label: 'Title', group: 'names', type: 'text', length: 16, qboField: 'Title', value: (c) => opt(c.title) },
  { name: 'First_Name__c', label: 'First Name', group: 'names', type: 'text', length: 100, qboField: 'GivenName', value: (c) => opt(c.givenName) },
  { name: 'Middle_Name__c', label: 'Middle Name', group: 'names', type: 'text', length: 100, qboField: 'MiddleName', value: (c) => opt(c.middleName) },
  { name: 'Last_Name__c', label: 'Last Name', group: 'names', type: 'text', length: 100, qboField: 'FamilyName', value: (c) => opt(c.familyName) },
  { name: 'Suffix__c', label: 'Suffix', group: 'names', type: 'text', length: 16, qboField: 'Suffix', value: (c) => opt(c.suffix) },

  { name: 'Company_Name__c', label: 'Company Name', group: 'company', type: 'text', length: 100, qboField: 'CompanyName', value: (c) => opt(c.companyName) },

  { name: 'Email__c', label: 'Email', group: 'contact', type: 'email', length: 80, qboField: 'PrimaryEmailAddr', value: (c) => opt(c.email) },
  { name: 'Phone__c', label: 'Phone', group: 'contact', type: 'phone', length: 40, qboField: 'PrimaryPhone', value: (c) => opt(c.phone) },
  { name: 'Mobile__c', label: 'Mobile', group: 'contact', type: 'phone', length: 40, qboField: 'Mobile', value: (c) => opt(c.mobile) },
  { name: 'Fax__c', label: 'Fax', group: 'contact', type: 'phone', length: 40, qboField: 'Fax', value: (c) => opt(c.fax) },
  { name: 'Other_Phone__c', label: 'Other Phone', group: 'contact', type: 'phone', length: 40, qboField: 'AlternatePhone', value: (c) => opt(c.otherPhone) },

  { name: 'Website__c', label: 'Website', group: 'website', type: 'url', length: 255, qboField: 'WebAddr', value: (c) => opt(c.website) },

  { name: 'Print_On_Check_Name__c', label: 'Print On Check Name', group: 'printOnCheck', type: 'text', length: 110, qboField: 'PrintOnCheckName', value: (c) => opt(c.printOnCheckName) },

  { name: 'Billing_Street__c', label: 'Billing Street', group: 'billing', type: 'textarea', length: 255, qboField: 'BillAddr.Line1-5', value: (c) => street(c.billing) },
  { name: 'Billing_City__c', label: 'Billing City', group: 'billing', type: 'text', length: 255, qboField: 'BillAddr.City', value: (c) => opt(c.billing?.city) },
  { name: 'Billing_State__c', label: 'Billing State', group: 'billing', type: 'text', length: 255, qboField: 'BillAddr.CountrySubDivisionCode', value: (c) => opt(c.billing?.state) },
  { name: 'Billing_Postal_Code__c', label: 'Billing Postal Code', group: 'billing', type: 'text', length: 30, qboField: 'BillAddr.PostalCode', value: (c) => opt(c.billing?.postalCode) },
  { name: 'Billing_Country__c', label: 'Billing Country', group: 'billing', type: 'text', length: 255, qboField: 'BillAddr.Country', value: (c) => opt(c.billing?.country) },

  { name: 'Shipping_Street__c', label: 'Shipping Street', group: 'shipping', type: 'textarea', length: 255, qboField: 'ShipAddr.Line1-5', value: (c) => street(c.shipping) },
  { name: 'Shipping_City__c', label: 'Shipping City', group: 'shipping', type: 'text', length: 255, qboField: 'ShipAddr.City', value: (c) => opt(c.shipping?.city) },
  { name: 'Shipping_State__c', label: 'Shipping State', group: 'shipping', type: 'text', length: 255, qboField: 'ShipAddr.CountrySubDivisionCode', value: (c) => opt(c.shipping?.state) },
  { name: 'Shipping_Postal_Code__c', label: 'Shipping Postal Code', group: 'shipping', type: 'text', length: 30, qboField: 'ShipAddr.PostalCode', value: (c) => opt(c.shipping?.postalCode) },
  { name: 'Shipping_Country__c', label: 'Shipping Country', group: 'shipping', type: 'text', length: 255, qboField: 'ShipAddr.Country', value: (c) => opt(c.shipping?.country) },

  { name: 'Account_Number__c', label: 'Account Number', group: 'additional', type: 'text', length: 100, qboField: 'AcctNum', value: (c) => opt(c.accountNumber) },
  { name: 'Bill_With_Parent__c', label: 'Bill With Parent', group: 'additional', type: 'checkbox', qboField: 'BillWithParent', value: (c) => c.billWithParent },
  { name: 'Delivery_Method__c', label: 'Delivery Method', group: 'additional', type: 'text', length: 20, qboField: 'PreferredDeliveryMethod', value: (c) => opt(c.deliveryMethod) },
  { name: 'Notes__c', label: 'Notes', group: 'additional', type: 'longtextarea', length: 4000, qboField: 'Notes', value: (c) => opt(c.notes) },
  { name: 'Taxable__c', label: 'Taxable', group: 'additional', type: 'checkbox', qboField: 'Taxable', value: (c) => c.taxable },
  { name: 'Is_Project__c', label: 'Is Project', group: 'additional', type: 'checkbox', qboField: 'IsProject', value: (c) => c.isProject },

  { name: 'Balance__c', label: 'Balance', group: 'balance', type: 'currency', qboField: 'Balance', value: (c) => (c.balance === undefined ? null : c.balance) },
  { name: 'Currency__c', label: 'Currency', group: 'balance', type: 'text', length: 3, qboField: 'CurrencyRef', value: (c) => opt(c.currency) },
]

/** Account Name is Text(255) (Salesforce Object Reference, Account: Name). An Account Tally
 * creates for a longer DisplayName (QBO allows 500) is named with the first 255 characters. */
export const ACCOUNT_NAME_LENGTH = 255

/** Fields the plan computes rather than copies. `Parent_Customer__c` belongs to the
 * "additional" group (the description lists "Parent Customer" there). */
export const LINK_FIELDS = {
  account: 'Account__c',
  linkStatus: 'Link_Status__c',
  parent: 'Parent_Customer__c',
  key: 'QBO_Key__c',
  lastSynced: 'Last_Synced__c',
} as const

/** The best suggestion of an Unmapped or Ambiguous record (contract §4, §10): written by the run
 * that computed it, cleared when the record is linked or ignored. Text(255) reason. */
export const SUGGESTION = { account: 'Suggested_Account__c', score: 'Suggestion_Score__c', reason: 'Suggestion_Reason__c' } as const
export const SUGGESTION_FIELDS = [SUGGESTION.account, SUGGESTION.score, SUGGESTION.reason] as const
export const SUGGESTION_REASON_LENGTH = 255

/** Every field id a user can switch (the settings' default is all of them on). */
export const SWITCHABLE_FIELDS: readonly string[] = [
  ...SYNCED_FIELDS.filter((f) => f.group !== 'always').map((f) => f.name),
  LINK_FIELDS.parent,
]
