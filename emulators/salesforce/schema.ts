/**
 * @module emulators/salesforce/schema
 * The sObject schema the sandbox enforces and describes: field types, lengths and properties as
 * the describe call reports them (Object Reference, api-facts B.9 / SF-FIELDREF), plus
 * the built-in standard objects Contact and User (Account's standard fields are in
 * ./account-fields.ts). `QBO_Customer__c` and
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
  /** A compound address (BillingAddress): read-only, assembled from its components. */
  | 'address'

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
  /** The compound field this one is a component of (BillingCity → BillingAddress). */
  compoundFieldName: string | null
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
    compoundFieldName: null,
    ...extra,
  }
}

const text = (name: string, label: string, length: number, extra: Partial<FieldDef> = {}): FieldDef =>
  field(name, label, 'string', { length, ...extra })
const readOnly = { createable: false, updateable: false }
const system = { nillable: false, createable: false, updateable: false, defaultedOnCreate: true }

/** Id, owner and audit fields every object has (Object Reference "System Fields": all non-nillable, read-only but the owner). */
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

const picklist = (name: string, label: string, values: string[]): FieldDef =>
  field(name, label, 'picklist', { length: 255, picklistValues: values })

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
