/**
 * @module emulators/salesforce/schema
 * The sObject schema the sandbox enforces and describes: field types, lengths and properties as
 * the describe call reports them (recorded Account describe, api-facts B.9 / SF-FIELDREF), plus
 * the built-in standard objects Account, Contact and User. `QBO_Customer__c` and
 * `Account.QBO_Source_Key__c` are added from the package metadata (./metadata.ts).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'datetime'
  | 'date'
  | 'reference'
  | 'picklist'

export interface FieldDef {
  name: string
  label: string
  type: FieldType
  length: number
  precision: number
  scale: number
  nillable: boolean
  createable: boolean
  updateable: boolean
  defaultedOnCreate: boolean
  externalId: boolean
  unique: boolean
  caseSensitive: boolean
  idLookup: boolean
  nameField: boolean
  custom: boolean
  referenceTo: string[]
  relationshipName: string | null
  /** The child-side relationship name on the parent (e.g. `QBO_Customers__r`), for describe. */
  childRelationship: string | null
  picklistValues: string[]
  restrictedPicklist: boolean
  defaultValue: unknown
  /** LongTextArea fields describe as `textarea` with this extra info. */
  extraTypeInfo: string | null
}

export interface ObjectDef {
  name: string
  label: string
  labelPlural: string
  keyPrefix: string
  custom: boolean
  fields: FieldDef[]
}

export interface Schema {
  objects: Map<string, ObjectDef>
}

/** A field with the defaults of an ordinary, optional, editable standard field. */
export function field(name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  const lengths: Partial<Record<FieldType, number>> = { id: 18, reference: 18, email: 80, phone: 40, url: 255 }
  return {
    name,
    label,
    type,
    length: lengths[type] ?? 0,
    precision: 0,
    scale: 0,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: false,
    nameField: false,
    custom: name.endsWith('__c'),
    referenceTo: [],
    relationshipName: null,
    childRelationship: null,
    picklistValues: [],
    restrictedPicklist: false,
    defaultValue: null,
    extraTypeInfo: null,
    ...extra,
  }
}

const text = (name: string, label: string, length: number, extra: Partial<FieldDef> = {}): FieldDef =>
  field(name, label, 'string', { length, ...extra })
const readOnly = { createable: false, updateable: false }
const system = { nillable: false, createable: false, updateable: false, defaultedOnCreate: true }

/** Id, owner and audit fields every object has (recorded describe: all non-nillable, read-only). */
export function systemFields(objectLabel: string): FieldDef[] {
  return [
    field('Id', `${objectLabel} ID`, 'id', { ...system, idLookup: true }),
    field('IsDeleted', 'Deleted', 'boolean', system),
    field('OwnerId', 'Owner ID', 'reference', {
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'Owner',
    }),
    field('CreatedDate', 'Created Date', 'datetime', system),
    field('CreatedById', 'Created By ID', 'reference', { ...system, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', system),
    field('LastModifiedById', 'Last Modified By ID', 'reference', {
      ...system,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'System Modstamp', 'datetime', system),
  ]
}

/** The address block of Account (recorded describe: street is a 255 textarea, city 40, state 80…). */
function address(prefix: 'Billing' | 'Shipping'): FieldDef[] {
  return [
    field(`${prefix}Street`, `${prefix} Street`, 'textarea', { length: 255 }),
    text(`${prefix}City`, `${prefix} City`, 40),
    text(`${prefix}State`, `${prefix} State/Province`, 80),
    text(`${prefix}PostalCode`, `${prefix} Zip/Postal Code`, 20),
    text(`${prefix}Country`, `${prefix} Country`, 80),
    field(`${prefix}Latitude`, `${prefix} Latitude`, 'double', { precision: 18, scale: 15 }),
    field(`${prefix}Longitude`, `${prefix} Longitude`, 'double', { precision: 18, scale: 15 }),
  ]
}

const picklist = (name: string, label: string, values: string[]): FieldDef =>
  field(name, label, 'picklist', { length: 255, picklistValues: values })

/** Account as the recorded describe shows it (Name 255 and not an idLookup there). */
export function accountObject(): ObjectDef {
  const [id, isDeleted, ...audit] = systemFields('Account')
  return {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    custom: false,
    fields: [
      id as FieldDef,
      isDeleted as FieldDef,
      field('MasterRecordId', 'Master Record ID', 'reference', {
        ...readOnly,
        referenceTo: ['Account'],
        relationshipName: 'MasterRecord',
      }),
      text('Name', 'Account Name', 255, { nillable: false, nameField: true }),
      picklist('Type', 'Account Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other']),
      field('ParentId', 'Parent Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Parent' }),
      ...address('Billing'),
      ...address('Shipping'),
      field('Phone', 'Account Phone', 'phone'),
      field('Fax', 'Account Fax', 'phone'),
      text('AccountNumber', 'Account Number', 40),
      field('Website', 'Website', 'url'),
      text('Sic', 'SIC Code', 20),
      picklist('Industry', 'Industry', ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other']),
      field('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18 }),
      field('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
      picklist('Ownership', 'Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
      text('TickerSymbol', 'Ticker Symbol', 20),
      field('Description', 'Account Description', 'textarea', { length: 32000 }),
      picklist('Rating', 'Account Rating', ['Hot', 'Warm', 'Cold']),
      text('Site', 'Account Site', 80),
      ...audit,
      field('LastActivityDate', 'Last Activity', 'date', readOnly),
      picklist('AccountSource', 'Account Source', ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    ],
  }
}

/** Contact: LastName required; Email is an idLookup field, so upsert by Email works (recording). */
export function contactObject(): ObjectDef {
  const [id, isDeleted, ...audit] = systemFields('Contact')
  return {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    custom: false,
    fields: [
      id as FieldDef,
      isDeleted as FieldDef,
      field('AccountId', 'Account ID', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationship: 'Contacts',
      }),
      text('LastName', 'Last Name', 80, { nillable: false }),
      text('FirstName', 'First Name', 40),
      picklist('Salutation', 'Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      text('Name', 'Full Name', 121, { ...readOnly, nillable: false, nameField: true }),
      field('Phone', 'Business Phone', 'phone'),
      field('MobilePhone', 'Mobile Phone', 'phone'),
      field('Email', 'Email', 'email', { idLookup: true }),
      text('Title', 'Title', 128),
      field('Description', 'Contact Description', 'textarea', { length: 32000 }),
      ...audit,
    ],
  }
}

/** User, read-only here: the sandbox has one integration user that owns every record. */
export function userObject(): ObjectDef {
  const [id, , ...audit] = systemFields('User')
  const ro = { ...readOnly }
  return {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    custom: false,
    fields: [
      id as FieldDef,
      text('Username', 'Username', 80, { ...ro, nillable: false, idLookup: true, unique: true }),
      text('LastName', 'Last Name', 80, { ...ro, nillable: false }),
      text('FirstName', 'First Name', 40, ro),
      text('Name', 'Full Name', 121, { ...ro, nillable: false, nameField: true }),
      field('Email', 'Email', 'email', { ...ro, nillable: false }),
      text('Alias', 'Alias', 8, { ...ro, nillable: false }),
      field('IsActive', 'Active', 'boolean', { ...ro, nillable: false, defaultedOnCreate: true }),
      ...audit.filter((f) => f.name !== 'OwnerId'),
    ],
  }
}

/** Case-insensitive field lookup, as Salesforce resolves field names. */
export function findField(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase()
  return obj.fields.find((f) => f.name.toLowerCase() === lower)
}

/** The reference field whose relationship is called `name` (e.g. `Account__r`, `Owner`). */
export function findRelationship(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase()
  return obj.fields.find((f) => f.relationshipName?.toLowerCase() === lower)
}

export function findObject(schema: Schema, name: string): ObjectDef | undefined {
  const lower = name.toLowerCase()
  for (const o of schema.objects.values()) if (o.name.toLowerCase() === lower) return o
  return undefined
}

/** Text-like types, whose values are strings with a maximum length. */
export const isTextType = (t: FieldType): boolean =>
  t === 'string' || t === 'textarea' || t === 'email' || t === 'phone' || t === 'url' || t === 'picklist'
