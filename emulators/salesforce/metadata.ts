/**
 * @module emulators/salesforce/metadata
 * Reads the Tally package (SFDX source format, `salesforce/force-app/main/default`) and turns its
 * custom objects and custom fields into the sandbox schema, so the package an admin deploys and
 * the sandbox can never disagree (contract §4). Type mapping follows what describe reports for
 * each metadata type (api-facts B.9): Text → string, TextArea → textarea 255, LongTextArea →
 * textarea with its length, Email 80, Phone 40, Url 255, Checkbox → boolean, Number/Currency →
 * double/currency with precision & scale, DateTime → datetime, Lookup → reference, Picklist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/lib/package-root.js'
import { field, systemFields } from './schema.js'
import type { FieldDef, ObjectDef } from './schema.js'
import { child, childText, childrenNamed, parseXml } from './xml.js'
import type { XmlElement } from './xml.js'

/** The repository's package folder. */
export const DEFAULT_METADATA_DIR = join(packageRoot(), 'salesforce/force-app/main/default')

const bool = (v: string | undefined): boolean => v === 'true'
const num = (v: string | undefined, d = 0): number => (v === undefined ? d : Number(v))

/** The field types this sandbox understands (Metadata API `FieldType` values). */
export const FIELD_TYPES = ['Text', 'TextArea', 'LongTextArea', 'Email', 'Phone', 'Url', 'Checkbox', 'Number', 'Currency', 'Percent', 'DateTime', 'Date', 'Lookup', 'MasterDetail', 'Picklist'] as const

/** One `<CustomField>` document → a field definition. */
export function customFieldFromXml(xml: string): FieldDef {
  return customFieldFromElement(parseXml(xml))
}

/** A `<CustomField>` element (a source-format field file's root, or a `<fields>` element of an
 * mdapi-format `.object` file — the same content) → a field definition. */
export function customFieldFromElement(root: XmlElement): FieldDef {
  const name = childText(root, 'fullName') ?? ''
  const label = childText(root, 'label') ?? name
  const type = childText(root, 'type') ?? 'Text'
  const required = bool(childText(root, 'required'))
  const common: Partial<FieldDef> = {
    nillable: !required,
    externalId: bool(childText(root, 'externalId')),
    unique: bool(childText(root, 'unique')),
    caseSensitive: bool(childText(root, 'caseSensitive')),
    custom: true,
  }
  // External-ID and unique text fields are idLookup in describe, which is what makes them usable
  // as the upsert key.
  const lookupable = { idLookup: common.externalId === true || common.unique === true }
  switch (type) {
    case 'Text':
      return field(name, label, 'string', { ...common, ...lookupable, length: num(childText(root, 'length'), 255) })
    case 'TextArea':
      return field(name, label, 'textarea', { ...common, length: 255 })
    case 'LongTextArea':
      return field(name, label, 'textarea', {
        ...common,
        length: num(childText(root, 'length'), 32768),
        extraTypeInfo: 'plaintextarea',
      })
    case 'Email':
      return field(name, label, 'email', { ...common, ...lookupable })
    case 'Phone':
      return field(name, label, 'phone', common)
    case 'Url':
      return field(name, label, 'url', common)
    case 'Checkbox':
      return field(name, label, 'boolean', {
        ...common,
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: childText(root, 'defaultValue') === 'true',
      })
    case 'Number':
    case 'Currency':
    case 'Percent':
      return field(name, label, type === 'Currency' ? 'currency' : 'double', {
        ...common,
        ...lookupable,
        precision: num(childText(root, 'precision'), 18),
        scale: num(childText(root, 'scale'), 0),
      })
    case 'DateTime':
      return field(name, label, 'datetime', common)
    case 'Date':
      return field(name, label, 'date', common)
    case 'Lookup':
    case 'MasterDetail':
      return field(name, label, 'reference', {
        ...common,
        // A master-detail field takes no <required> element, yet every detail record must have its
        // master: describe reports it nillable false (Object Reference, "Relationships Among Objects").
        ...(type === 'MasterDetail' ? { nillable: false } : {}),
        referenceTo: [childText(root, 'referenceTo') ?? ''],
        // The parent side is named after the field (`Account__c` → `Account__r`); the metadata's
        // relationshipName names the child side (`Account.QBO_Customers__r`).
        relationshipName: name.replace(/__c$/, '__r'),
        childRelationship: `${childText(root, 'relationshipName') ?? name.replace(/__c$/, '')}__r`,
      })
    case 'Picklist': {
      const valueSet = child(root, 'valueSet')
      const definition = valueSet && child(valueSet, 'valueSetDefinition')
      const values = definition ? childrenNamed(definition, 'value').map((v) => childText(v, 'fullName') ?? '') : []
      return field(name, label, 'picklist', {
        ...common,
        length: 255,
        picklistValues: values,
        restrictedPicklist: valueSet ? bool(childText(valueSet, 'restricted')) : false,
      })
    }
    default:
      throw new Error(`Unsupported custom field type ${type} on ${name}`)
  }
}

function readFields(dir: string): FieldDef[] {
  const fieldsDir = join(dir, 'fields')
  if (!existsSync(fieldsDir)) return []
  return readdirSync(fieldsDir)
    .filter((f) => f.endsWith('.field-meta.xml'))
    .sort()
    .map((f) => customFieldFromXml(readFileSync(join(fieldsDir, f), 'utf8')))
}

/** Custom object key prefixes look like `a0B`; each custom object in the package gets the next one. */
export const customPrefix = (i: number): string => `a0${'BCDEFGHIJKLMNOPQRSTUVWXYZ'.charAt(i)}`

/** A `<CustomObject>` element and its fields → the object definition, with the system fields and
 * the Name field every custom object has. */
export function customObjectFromElement(name: string, root: XmlElement, fields: FieldDef[], keyPrefix: string): ObjectDef {
  const label = childText(root, 'label') ?? name
  const nameField = child(root, 'nameField')
  const autoNumber = nameField !== undefined && childText(nameField, 'type') === 'AutoNumber'
  // A custom object's Text name field holds 80 characters (api-facts B.9); when a record is
  // created without a Name, Salesforce fills it with the record Id, so it is defaulted on create.
  // An AutoNumber name is read-only (describe: createable and updateable false).
  const nameDef = field('Name', (nameField && childText(nameField, 'label')) ?? `${label} Name`, 'string', {
    length: 80,
    nameField: true,
    defaultedOnCreate: true,
    custom: false,
    idLookup: true,
    ...(autoNumber ? { createable: false, updateable: false, nillable: false } : {}),
  })
  const [id, isDeleted, owner, ...audit] = systemFields(label)
  return {
    name,
    label,
    labelPlural: childText(root, 'pluralLabel') ?? `${label}s`,
    keyPrefix,
    custom: true,
    fields: [id, owner, isDeleted, nameDef, ...audit, ...fields].filter((f): f is FieldDef => f !== undefined),
  }
}

export interface PackageSchema {
  customObjects: ObjectDef[]
  /** Custom fields the package adds to standard objects, by object name. */
  standardObjectFields: Map<string, FieldDef[]>
}

/** Reads every object under `<metadataDir>/objects`. */
export function readPackage(metadataDir: string): PackageSchema {
  const objectsDir = join(metadataDir, 'objects')
  const out: PackageSchema = { customObjects: [], standardObjectFields: new Map() }
  if (!existsSync(objectsDir)) throw new Error(`No Salesforce package metadata at ${metadataDir}`)
  for (const name of readdirSync(objectsDir).sort()) {
    const dir = join(objectsDir, name)
    const fields = readFields(dir)
    const objectFile = join(dir, `${name}.object-meta.xml`)
    if (!name.endsWith('__c')) {
      out.standardObjectFields.set(name, fields)
      continue
    }
    const root = parseXml(readFileSync(objectFile, 'utf8'))
    out.customObjects.push(customObjectFromElement(name, root, fields, customPrefix(out.customObjects.length)))
  }
  return out
}

/** The permission sets of the package (`permissionsets/<Name>.permissionset-meta.xml`). */
export function packagePermissionSets(metadataDir: string): string[] {
  const dir = join(metadataDir, 'permissionsets')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.permissionset-meta.xml'))
    .map((f) => f.slice(0, -'.permissionset-meta.xml'.length))
    .sort()
}
