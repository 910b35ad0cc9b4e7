/**
 * @module emulators/salesforce/metadata-api/deploy
 * What a Metadata API `deploy()` does to the org: checks every member package.xml names (its file
 * is in the zip, parses, and — for the types Tally's package uses — holds what Salesforce
 * requires: a known field type, a lookup to an object that exists, permissions on fields and
 * objects that exist), reports one DeployMessage per component, and, unless it is `checkOnly` or a
 * failure rolls it back (`rollbackOnError`, always on in production orgs), applies it: custom
 * objects and fields become the sandbox's schema through the same parser the sandbox reads the
 * package with at start (../metadata.ts), permission sets become PermissionSet records.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deployresult.htm
 */
import { customFieldFromElement, customObjectFromElement, customPrefix, FIELD_TYPES } from '../metadata.js'
import { findField, findObject } from '../schema.js'
import type { FieldDef, ObjectDef, Schema } from '../schema.js'
import type { Store } from '../store.js'
import { parseXml } from '../xml.js'
import type { XmlElement } from '../xml.js'
import { BUNDLE_TYPE, memberFile, positionOf, readDeployZip, ZipProblem } from './package-zip.js'
import type { DeployZip, Member } from './package-zip.js'
import { textLocal } from './soap.js'

export interface DeployMessage {
  changed: boolean
  columnNumber?: number
  componentType?: string
  created: boolean
  createdDate: string
  deleted: boolean
  fileName: string
  fullName: string
  id?: string
  lineNumber?: number
  problem?: string
  problemType?: 'Error' | 'Warning'
  success: boolean
}

export interface DeployOutcome {
  successes: DeployMessage[]
  failures: DeployMessage[]
  /** Components counted in numberComponentsTotal (package.xml not included). */
  total: number
  /** Makes the deployed components part of the org. */
  apply(): void
}

export interface OrgMetadata {
  schema: Schema
  store: Store
  /** Components of the types the sandbox keeps no model of (tabs, apps, pages, layouts, LWC). */
  others: Set<string>
  ids: { next(prefix: string): string }
  now: () => Date
  userId: string
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1)
const childrenLocal = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => local(c.name) === name)

interface Parsed {
  member: Member
  fileName: string
  text: string
  root: XmlElement
  /** For object children: the element of this member inside the parent's file. */
  element?: XmlElement
}

/** Validates a deploy zip against the org and prepares its application. */
export function planDeploy(zipBytes: Uint8Array, org: OrgMetadata): DeployOutcome {
  const when = org.now().toISOString()
  const message = (m: Partial<DeployMessage> & { fileName: string; fullName: string; success: boolean }): DeployMessage => ({
    changed: m.success,
    created: false,
    createdDate: when,
    deleted: false,
    ...m,
  })
  let zip: DeployZip
  try {
    zip = readDeployZip(zipBytes)
  } catch (e) {
    if (!(e instanceof ZipProblem)) throw e
    const failure = message({ fileName: 'package.xml', fullName: 'package.xml', success: false, problem: e.message, problemType: 'Error' })
    return { successes: [], failures: [failure], total: 0, apply: () => {} }
  }

  const failures: DeployMessage[] = []
  const parsed: Parsed[] = []
  const fail = (m: Member, fileName: string, problem: string, at?: { lineNumber: number; columnNumber: number }) =>
    failures.push(message({ fileName, fullName: m.fullName, componentType: m.type, success: false, problem, problemType: 'Error', ...(at ?? {}) }))

  // Pass 1: every member has a file that parses.
  for (const m of zip.members) {
    const where = memberFile(m)
    if (!where) {
      fail(m, 'package.xml', `Unknown type name '${m.type}' specified in package.xml`)
      continue
    }
    const text = zip.files.get(where.fileName)
    if (text === undefined) {
      fail(m, where.fileName, `An object '${m.fullName}' of type ${m.type} was named in package.xml, but was not found in zipped directory`)
      continue
    }
    let root: XmlElement
    try {
      root = parseXml(text)
    } catch (e) {
      fail(m, where.fileName, `Error parsing file: ${(e as Error).message}`)
      continue
    }
    const reportedFile = m.type === BUNDLE_TYPE ? `lwc/${m.fullName}` : where.fileName
    if (where.childElement) {
      const element = childrenLocal(root, where.childElement).find((c) => textLocal(c, 'fullName') === where.child)
      if (!element) {
        fail(m, where.fileName, `An object '${m.fullName}' of type ${m.type} was named in package.xml, but was not found in zipped directory`)
        continue
      }
      parsed.push({ member: m, fileName: reportedFile, text, root, element })
    } else {
      parsed.push({ member: m, fileName: reportedFile, text, root })
    }
  }

  // Objects and fields that will exist once this deploy is in: the org's and the deployed ones.
  const deployedObjects = new Set(parsed.filter((p) => p.member.type === 'CustomObject').map((p) => p.member.fullName.toLowerCase()))
  const deployedFields = new Set(parsed.filter((p) => p.member.type === 'CustomField').map((p) => p.member.fullName.toLowerCase()))
  const objectExists = (name: string) => deployedObjects.has(name.toLowerCase()) || findObject(org.schema, name) !== undefined
  const fieldExists = (qualified: string) => {
    if (deployedFields.has(qualified.toLowerCase())) return true
    const [o = '', f = ''] = qualified.split('.')
    const obj = findObject(org.schema, o)
    return obj !== undefined && findField(obj, f) !== undefined
  }

  // Pass 2: what Salesforce checks in each type the package uses.
  const fields = new Map<string, FieldDef>()
  const good: Parsed[] = []
  for (const p of parsed) {
    const { member: m } = p
    const before = failures.length
    if (m.type === 'CustomObject' && m.fullName.endsWith('__c')) {
      if (!textLocal(p.root, 'label')) fail(m, p.fileName, 'Must specify a non-empty label for the CustomObject')
      else if (!childrenLocal(p.root, 'nameField')[0]) fail(m, p.fileName, 'Must specify a nameField for the CustomObject')
    } else if (m.type === 'CustomField') {
      const el = p.element as XmlElement
      const type = textLocal(el, 'type') ?? ''
      const ref = textLocal(el, 'referenceTo')
      if (!(FIELD_TYPES as readonly string[]).includes(type)) {
        fail(m, p.fileName, `Error parsing file: '${type}' is not a valid value for the enum 'FieldType'`, positionOf(p.text, `<type>${type}</type>`))
      } else if ((type === 'Lookup' || type === 'MasterDetail') && (!ref || !objectExists(ref))) {
        fail(m, p.fileName, `referenceTo value of '${ref ?? ''}' does not resolve to a valid sObject type`, positionOf(p.text, `<referenceTo>${ref ?? ''}</referenceTo>`))
      } else if (badInteger(el)) {
        const [tag, value] = badInteger(el) as [string, string]
        fail(m, p.fileName, `Error parsing file: '${value}' is not a valid value for the type xsd:int`, positionOf(p.text, `<${tag}>${value}</${tag}>`))
      } else {
        try {
          fields.set(m.fullName.toLowerCase(), customFieldFromElement(el))
        } catch (e) {
          fail(m, p.fileName, (e as Error).message)
        }
      }
    } else if (m.type === 'PermissionSet') {
      for (const fp of childrenLocal(p.root, 'fieldPermissions')) {
        const f = textLocal(fp, 'field') ?? ''
        if (!fieldExists(f)) fail(m, p.fileName, `In field: field - no CustomField named ${f} found`, positionOf(p.text, `<field>${f}</field>`))
      }
      for (const op of childrenLocal(p.root, 'objectPermissions')) {
        const o = textLocal(op, 'object') ?? ''
        if (!objectExists(o)) fail(m, p.fileName, `In field: object - no CustomObject named ${o} found`, positionOf(p.text, `<object>${o}</object>`))
      }
    } else if (m.type === 'CustomTab' && textLocal(p.root, 'customObject') === 'true' && !objectExists(m.fullName)) {
      fail(m, p.fileName, `In field: customObject - no CustomObject named ${m.fullName} found`)
    } else if (m.type === BUNDLE_TYPE && !zip.files.has(`lwc/${m.fullName}/${m.fullName}.js`)) {
      fail(m, p.fileName, `No JavaScript file found in the bundle lwc/${m.fullName}`)
    }
    if (failures.length === before) good.push(p)
  }

  const existed = (p: Parsed): boolean => {
    const { type, fullName } = p.member
    if (type === 'CustomObject') return findObject(org.schema, fullName) !== undefined
    if (type === 'CustomField') return fieldExists(fullName) && !deployedOnlyField(fullName)
    if (type === 'PermissionSet') return org.store.all('PermissionSet').some((r) => !r.IsDeleted && r.Name === fullName)
    return org.others.has(`${type}:${fullName}`)
  }
  function deployedOnlyField(qualified: string): boolean {
    const [o = '', f = ''] = qualified.split('.')
    const obj = findObject(org.schema, o)
    return !(obj && findField(obj, f))
  }

  const successes = good.map((p) => message({ fileName: p.fileName, fullName: p.member.fullName, componentType: p.member.type, success: true, created: !existed(p) }))
  successes.push(message({ fileName: 'package.xml', fullName: 'package.xml', success: true }))

  return {
    successes,
    failures,
    total: zip.members.length,
    apply() {
      applyObjects(org, good, fields)
      for (const p of good) {
        const { type, fullName } = p.member
        if (type === 'PermissionSet') upsertPermissionSet(org, fullName, textLocal(p.root, 'label') ?? fullName, textLocal(p.root, 'description') ?? null)
        else if (type !== 'CustomObject' && type !== 'CustomField') org.others.add(`${type}:${fullName}`)
      }
    },
  }
}

/** The first of a field's integer elements (length, precision, scale…) that holds no integer. */
function badInteger(el: XmlElement): [string, string] | undefined {
  for (const tag of ['length', 'precision', 'scale', 'visibleLines', 'relationshipOrder']) {
    const v = textLocal(el, tag)
    if (v !== undefined && !/^-?\d+$/.test(v.trim())) return [tag, v]
  }
  return undefined
}

/** Custom objects and their fields join the schema; fields on existing objects are added or
 * replaced; records are kept. */
function applyObjects(org: OrgMetadata, good: Parsed[], fields: Map<string, FieldDef>): void {
  const fieldsOf = (objectName: string): FieldDef[] =>
    good
      .filter((p) => p.member.type === 'CustomField' && p.member.fullName.toLowerCase().startsWith(`${objectName.toLowerCase()}.`))
      .map((p) => fields.get(p.member.fullName.toLowerCase()))
      .filter((f): f is FieldDef => f !== undefined)
  const touched = new Set<string>()
  const customCount = () => [...org.schema.objects.values()].filter((o) => o.custom).length
  for (const p of good.filter((x) => x.member.type === 'CustomObject').sort((a, b) => a.member.fullName.localeCompare(b.member.fullName))) {
    const name = p.member.fullName
    const existing = findObject(org.schema, name)
    if (!name.endsWith('__c')) continue
    const prefix = existing?.keyPrefix ?? customPrefix(customCount())
    const def = customObjectFromElement(name, p.root, [], prefix)
    const kept = existing ? existing.fields.filter((f) => f.custom) : []
    def.fields.push(...kept)
    org.schema.objects.set(name, def)
    touched.add(name)
  }
  for (const obj of [...org.schema.objects.values()]) {
    const added = fieldsOf(obj.name)
    if (added.length === 0) continue
    for (const f of added) {
      const at = obj.fields.findIndex((x) => x.name.toLowerCase() === f.name.toLowerCase())
      if (at >= 0) obj.fields[at] = f
      else obj.fields.push(f)
    }
    touched.add(obj.name)
  }
  for (const name of touched) org.store.syncObject(org.schema.objects.get(name) as ObjectDef)
}

function upsertPermissionSet(org: OrgMetadata, name: string, label: string, description: string | null): void {
  const at = org.now().getTime()
  const existing = org.store.all('PermissionSet').find((r) => !r.IsDeleted && r.Name === name)
  const id = existing?.Id ?? org.ids.next('0PS')
  org.store.put('PermissionSet', {
    CreatedDate: at,
    CreatedById: org.userId,
    IsOwnedByProfile: false,
    NamespacePrefix: null,
    ...(existing ?? {}),
    Id: id,
    IsDeleted: false,
    Name: name,
    Label: label,
    Description: description,
    LastModifiedDate: at,
    LastModifiedById: org.userId,
    SystemModstamp: at,
  })
}
