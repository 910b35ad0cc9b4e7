/**
 * Contract: the SFDX package in salesforce/ matches the engine's field catalogue
 * (src/sync/fields.ts) — types, lengths and labels — and its permission set grants every
 * non-required custom field and no required one. The sandbox reads the same files.
 * Then the package as an org would see it (contract §4, §12): the Tally objects, the app, its page,
 * list views, layouts and permission sets, each reference checked against the package itself —
 * what a Metadata API deploy would refuse ("no such field", "no such tab") is caught here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { child, childText, childrenNamed, parseXml } from '../../emulators/salesforce/xml.js'
import type { XmlElement } from '../../emulators/salesforce/xml.js'
import { FIELD_GROUPS, LINK_FIELDS, SYNCED_FIELDS } from '../../src/sync/fields.js'

const TYPES: Record<string, string> = {
  text: 'string', textarea: 'textarea', longtextarea: 'textarea', email: 'email', phone: 'phone',
  url: 'url', checkbox: 'boolean', number: 'double', currency: 'currency', datetime: 'datetime',
}

describe('Salesforce package', () => {
  const emulator = createSalesforceEmulator({ data: { accounts: [] } })
  const obj = emulator.schema.objects.get('QBO_Customer__c')

  it('declares every catalogue field with the catalogue type, length and label', () => {
    expect(obj?.label).toBe('QBO Customer')
    for (const f of SYNCED_FIELDS) {
      const def = obj?.fields.find((x) => x.name === f.name)
      expect(def, f.name).toBeDefined()
      expect(def?.type, f.name).toBe(TYPES[f.type])
      expect(def?.label, f.name).toBe(f.label)
      if (f.length !== undefined) expect(def?.length, f.name).toBe(f.length)
    }
    for (const name of Object.values(LINK_FIELDS)) expect(obj?.fields.some((x) => x.name === name), name).toBe(true)
  })

  it('grants field permissions for every non-required custom field only', () => {
    const xml = readFileSync(new URL('../../salesforce/force-app/main/default/permissionsets/Tally_Sync.permissionset-meta.xml', import.meta.url), 'utf8')
    const granted = [...xml.matchAll(/<field>QBO_Customer__c\.(\w+)<\/field>/g)].map((m) => m[1])
    const custom = obj?.fields.filter((f) => f.custom) ?? []
    expect(granted.sort()).toEqual(custom.filter((f) => f.nillable || f.type === 'boolean').map((f) => f.name).sort())
    expect(custom.filter((f) => !f.nillable && f.type !== 'boolean')).toEqual([])
    expect(xml).toContain('<field>Account.QBO_Source_Key__c</field>')
  })
})

/* ---------- The package as an org sees it (contract §4, §12): every reference resolves. ---------- */

const PKG = new URL('../../salesforce/force-app/main/default/', import.meta.url)
const pkgPath = (rel: string): string => fileURLToPath(new URL(rel, PKG))
const read = (rel: string): XmlElement => parseXml(readFileSync(pkgPath(rel), 'utf8'))
const files = (dir: string, suffix: string): string[] =>
  existsSync(pkgPath(dir)) ? readdirSync(pkgPath(dir)).filter((f) => f.endsWith(suffix)).sort() : []
const texts = (el: XmlElement, name: string): string[] => childrenNamed(el, name).map((c) => c.text)

interface FieldXml { name: string; type: string; required: boolean; xml: XmlElement }
/** Custom fields of one object, from its `fields/*.field-meta.xml`. */
function fieldsOf(object: string): FieldXml[] {
  return files(`objects/${object}/fields/`, '.field-meta.xml').map((f) => {
    const xml = read(`objects/${object}/fields/${f}`)
    return { name: childText(xml, 'fullName') ?? '', type: childText(xml, 'type') ?? '', required: childText(xml, 'required') === 'true', xml }
  })
}
const picklistValues = (f: FieldXml): string[] =>
  childrenNamed(child(child(f.xml, 'valueSet') as XmlElement, 'valueSetDefinition') as XmlElement, 'value').map((v) => childText(v, 'fullName') ?? '')

const OBJECTS = ['QBO_Customer__c', 'Tally_Run_Error__c', 'Tally_Run__c', 'Tally_Settings__c']
/** Standard fields a layout of a custom object may place (every custom object has them). */
const CUSTOM_OBJECT_STANDARD = ['Name', 'OwnerId', 'CreatedById', 'LastModifiedById']
/** Account standard fields the Tally Account layout places (Object Reference, "Account"). */
const ACCOUNT_STANDARD = ['Name', 'ParentId', 'AccountNumber', 'Type', 'OwnerId', 'Phone', 'Website', 'Industry', 'BillingAddress', 'ShippingAddress', 'CreatedById', 'LastModifiedById']
const fieldNames = (object: string): Set<string> =>
  new Set([...fieldsOf(object).map((f) => f.name), ...(object === 'Account' ? ACCOUNT_STANDARD : CUSTOM_OBJECT_STANDARD)])

describe('Salesforce package: the objects of §12', () => {
  const emulator = createSalesforceEmulator({ data: { accounts: [] } })
  const type = (object: string, name: string): string | undefined => fieldsOf(object).find((f) => f.name === name)?.type

  it('Tally_Settings__c: realm id Text External ID Unique, Create Accounts checkbox, field groups Text', () => {
    const realm = fieldsOf('Tally_Settings__c').find((f) => f.name === 'QBO_Realm_Id__c')
    expect([realm?.type, childText(realm!.xml, 'externalId'), childText(realm!.xml, 'unique')]).toEqual(['Text', 'true', 'true'])
    expect(type('Tally_Settings__c', 'Create_Accounts__c')).toBe('Checkbox')
    expect(type('Tally_Settings__c', 'Synced_Field_Groups__c')).toBe('Text')
  })

  it('Tally_Run__c has the names scripts rely on, with the contract picklist values', () => {
    const fields = fieldsOf('Tally_Run__c')
    expect(Object.fromEntries(fields.map((f) => [f.name, f.type]))).toEqual({
      QBO_Realm_Id__c: 'Text', Mode__c: 'Picklist', Dry_Run__c: 'Checkbox', Status__c: 'Picklist',
      Started__c: 'DateTime', Finished__c: 'DateTime', Customers_Seen__c: 'Number', Customers_Failed__c: 'Number',
      Accounts_Created__c: 'Number', Salesforce_Calls__c: 'Number', QBO_Calls__c: 'Number', Summary__c: 'LongTextArea',
    })
    expect(picklistValues(fields.find((f) => f.name === 'Mode__c')!)).toEqual(['import', 'sync'])
    expect(picklistValues(fields.find((f) => f.name === 'Status__c')!)).toEqual(['Requested', 'Running', 'Succeeded', 'Partial', 'Failed'])
    // The object must stream for a PushTopic on it (contract §12: Tally hears of a requested run).
    expect(childText(read('objects/Tally_Run__c/Tally_Run__c.object-meta.xml'), 'enableStreamingApi')).toBe('true')
  })

  it('Tally_Run_Error__c is a master-detail child of Tally_Run__c, and the sandbox describes the master field as required', () => {
    const fields = fieldsOf('Tally_Run_Error__c')
    const master = fields.find((f) => f.name === 'Tally_Run__c')
    expect([master?.type, childText(master!.xml, 'referenceTo')]).toEqual(['MasterDetail', 'Tally_Run__c'])
    const detail = read('objects/Tally_Run_Error__c/Tally_Run_Error__c.object-meta.xml')
    expect([childText(detail, 'sharingModel'), childText(detail, 'externalSharingModel')]).toEqual(['ControlledByParent', 'ControlledByParent'])
    expect(fields.find((f) => f.name === 'QBO_Customer__c')?.type).toBe('Lookup')
    for (const n of ['Field__c', 'Code__c', 'Message__c', 'Level__c']) expect(fields.some((f) => f.name === n), n).toBe(true)
    // The run summary's error levels (src/sync/run.ts) are the picklist's values.
    expect(picklistValues(fields.find((f) => f.name === 'Level__c')!)).toEqual(['error', 'warning'])
    const described = emulator.schema.objects.get('Tally_Run_Error__c')?.fields.find((f) => f.name === 'Tally_Run__c')
    expect(described?.nillable).toBe(false)
    expect(described?.referenceTo).toEqual(['Tally_Run__c'])
  })

  it('QBO_Customer__c: the §4 added fields, the Ignored status and field history on the link', () => {
    const fields = fieldsOf('QBO_Customer__c')
    const f = (n: string): FieldXml => fields.find((x) => x.name === n)!
    expect(f('QBO_Company__c').type).toBe('Text')
    expect([f('Suggested_Account__c').type, childText(f('Suggested_Account__c').xml, 'referenceTo')]).toEqual(['Lookup', 'Account'])
    expect([f('Suggestion_Score__c').type, childText(f('Suggestion_Score__c').xml, 'precision'), childText(f('Suggestion_Score__c').xml, 'scale')]).toEqual(['Number', '3', '0'])
    expect([f('Suggestion_Reason__c').type, childText(f('Suggestion_Reason__c').xml, 'length')]).toEqual(['Text', '255'])
    expect([f('Merged_Into__c').type, childText(f('Merged_Into__c').xml, 'referenceTo')]).toEqual(['Lookup', 'QBO_Customer__c'])
    expect(picklistValues(f('Link_Status__c'))).toContain('Ignored')
    expect(childText(read('objects/QBO_Customer__c/QBO_Customer__c.object-meta.xml'), 'enableHistory')).toBe('true')
    const tracked = fields.filter((x) => childText(x.xml, 'trackHistory') === 'true').map((x) => x.name)
    expect(tracked.sort()).toEqual(['Account__c', 'Link_Status__c'])
  })
})

describe('Salesforce package: app, pages, views and access', () => {
  const tabs = files('tabs/', '.tab-meta.xml').map((f) => f.replace('.tab-meta.xml', ''))
  const bundles = existsSync(pkgPath('lwc/')) ? readdirSync(pkgPath('lwc/')).filter((d) => existsSync(pkgPath(`lwc/${d}/${d}.js-meta.xml`))) : []

  it('parses every metadata file, and each root element is the type its suffix names', () => {
    const ROOT: Record<string, string> = {
      'app-meta.xml': 'CustomApplication', 'flexipage-meta.xml': 'FlexiPage', 'tab-meta.xml': 'CustomTab',
      'layout-meta.xml': 'Layout', 'permissionset-meta.xml': 'PermissionSet', 'object-meta.xml': 'CustomObject',
      'field-meta.xml': 'CustomField', 'listView-meta.xml': 'ListView', 'compactLayout-meta.xml': 'CompactLayout',
      'js-meta.xml': 'LightningComponentBundle', 'messageChannel-meta.xml': 'LightningMessageChannel',
    }
    const walk = (rel: string): string[] =>
      readdirSync(pkgPath(rel), { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? (d.name === '__tests__' ? [] : walk(`${rel}${d.name}/`)) : d.name.endsWith('-meta.xml') ? [`${rel}${d.name}`] : [])
    const all = walk('')
    expect(all.length).toBeGreaterThan(80)
    // A deploy refuses an element out of the WSDL's sequence ("Element … invalid at this location
    // in type …"); for these types the sequence is the names' order (`fullName` first).
    const inOrder = (el: XmlElement, where: string): void => {
      const names = el.children.map((c) => c.name).filter((n) => n !== 'fullName')
      for (let i = 1; i < names.length; i++) expect(names[i - 1]! <= names[i]!, `${where}: ${names[i - 1]} before ${names[i]}`).toBe(true)
      for (const c of el.children) inOrder(c, `${where}/${c.name}`)
    }
    for (const rel of all) {
      const suffix = Object.keys(ROOT).find((s) => rel.endsWith(`.${s}`))
      expect(suffix, rel).toBeDefined()
      expect(read(rel).name, rel).toBe(ROOT[suffix!])
      inOrder(read(rel), rel)
    }
  })

  it('the Lightning app "Tally Hub" holds Sync Customers, QBO Customers and Accounts, each tab defined', () => {
    const app = read('applications/Tally_Hub.app-meta.xml')
    expect(childText(app, 'label')).toBe('Tally Hub')
    expect(childText(app, 'uiType')).toBe('Lightning')
    expect(childText(app, 'navType')).toBe('Standard')
    const appTabs = texts(app, 'tabs')
    expect(appTabs.slice(0, 3)).toEqual(['Sync_Customers', 'QBO_Customer__c', 'standard-Account'])
    for (const t of appTabs.filter((x) => !x.startsWith('standard-'))) expect(tabs, t).toContain(t)
    expect(tabs).toContain(childText(app, 'defaultLandingTab'))
    const syncTab = read('tabs/Sync_Customers.tab-meta.xml')
    expect([childText(syncTab, 'label'), childText(syncTab, 'flexiPage')]).toEqual(['Sync Customers', 'Sync_Customers'])
  })

  it('"Sync Customers" is an app page of exposed components, each targeting app pages', () => {
    const page = read('flexipages/Sync_Customers.flexipage-meta.xml')
    expect(childText(page, 'type')).toBe('AppPage')
    const used = childrenNamed(page, 'flexiPageRegions').flatMap((r) =>
      childrenNamed(r, 'itemInstances').map((i) => childText(child(i, 'componentInstance')!, 'componentName') ?? ''))
    expect(used.sort()).toEqual(['tallyImport', 'tallyLastRun', 'tallyLinkQueue', 'tallySyncSettings'])
    for (const name of used) {
      expect(bundles, name).toContain(name)
      const meta = read(`lwc/${name}/${name}.js-meta.xml`)
      expect(childText(meta, 'isExposed'), name).toBe('true')
      expect(texts(child(meta, 'targets')!, 'target'), name).toContain('lightning__AppPage')
    }
  })

  it('the QBO Customers list views show the Account, filter on real fields and values, and use no record types', () => {
    const views = files('objects/QBO_Customer__c/listViews/', '.listView-meta.xml').map((f) => read(`objects/QBO_Customer__c/listViews/${f}`))
    expect(views.map((v) => childText(v, 'label'))).toEqual(['All', 'Ambiguous', 'Ignored', 'Suggested', 'Unmapped'])
    const fields = fieldsOf('QBO_Customer__c')
    const names = fieldNames('QBO_Customer__c')
    const status = picklistValues(fields.find((f) => f.name === 'Link_Status__c')!)
    for (const v of views) {
      const label = childText(v, 'label')
      // The pencil edits the link in place: Account__c is a column (inline editing needs a
      // one-object list view without a record-type filter).
      expect(texts(v, 'columns'), label).toContain('Account__c')
      for (const c of texts(v, 'columns')) expect(c === 'NAME' || names.has(c), `${label}: ${c}`).toBe(true)
      for (const flt of childrenNamed(v, 'filters')) {
        const field = childText(flt, 'field') ?? ''
        expect(names.has(field), `${label}: ${field}`).toBe(true)
        expect(field).not.toBe('RECORDTYPE')
        if (field === 'Link_Status__c') for (const val of (childText(flt, 'value') ?? '').split(',')) expect(status, `${label}: ${val}`).toContain(val)
      }
    }
  })

  it('layouts place only fields of their object, every QBO Customer field is on its layout, related lists resolve', () => {
    const childRel = (rel: string): boolean => {
      if (rel === 'RelatedEntityHistoryList' || rel === 'RelatedContactList') return true
      const [obj, field] = rel.split('.')
      return fieldsOf(obj ?? '').some((f) => f.name === field && (f.type === 'Lookup' || f.type === 'MasterDetail'))
    }
    for (const file of files('layouts/', '.layout-meta.xml')) {
      const object = file.split('-')[0] ?? ''
      const names = fieldNames(object)
      const layout = read(`layouts/${file}`)
      const placed = childrenNamed(layout, 'layoutSections').flatMap((s) =>
        childrenNamed(s, 'layoutColumns').flatMap((c) => childrenNamed(c, 'layoutItems').map((i) => childText(i, 'field') ?? '')))
      for (const f of placed) expect(names.has(f), `${file}: ${f}`).toBe(true)
      expect(new Set(placed).size, file).toBe(placed.length)
      if (object !== 'Account') for (const f of fieldsOf(object)) expect(placed, `${file}: ${f.name}`).toContain(f.name)
      for (const r of childrenNamed(layout, 'relatedLists')) expect(childRel(childText(r, 'relatedList') ?? ''), `${file}: ${childText(r, 'relatedList')}`).toBe(true)
    }
    const account = read('layouts/Account-Tally Account Layout.layout-meta.xml')
    expect(childrenNamed(account, 'relatedLists').map((r) => childText(r, 'relatedList'))).toContain('QBO_Customer__c.Account__c')
    expect(childText(fieldsOf('QBO_Customer__c').find((f) => f.name === 'Account__c')!.xml, 'relationshipLabel')).toBe('QBO Customers')
  })

  it('the QBO Customer compact layout is assigned and shows the link', () => {
    const obj = read('objects/QBO_Customer__c/QBO_Customer__c.object-meta.xml')
    const name = childText(obj, 'compactLayoutAssignment')
    const compact = read(`objects/QBO_Customer__c/compactLayouts/${name}.compactLayout-meta.xml`)
    const names = fieldNames('QBO_Customer__c')
    for (const f of texts(compact, 'fields')) expect(names.has(f), f).toBe(true)
    expect(texts(compact, 'fields').slice(0, 3)).toEqual(['Name', 'Account__c', 'Link_Status__c'])
  })

  describe.each(['Tally_Sync', 'Tally_Linker'])('permission set %s', (name) => {
    const ps = read(`permissionsets/${name}.permissionset-meta.xml`)
    const granted = childrenNamed(ps, 'fieldPermissions').map((p) => ({
      field: childText(p, 'field') ?? '', read: childText(p, 'readable') === 'true', edit: childText(p, 'editable') === 'true',
    }))
    const objects = new Map(childrenNamed(ps, 'objectPermissions').map((o) => [childText(o, 'object') ?? '', o]))

    it('grants only fields that exist and that a permission set may name (no required or master-detail field)', () => {
      for (const g of granted) {
        const [obj, field] = g.field.split('.')
        const def = fieldsOf(obj ?? '').find((f) => f.name === field)
        expect(def, g.field).toBeDefined()
        expect(def?.required || def?.type === 'MasterDetail', g.field).toBe(false)
        expect(g.read || !g.edit, g.field).toBe(true)
        expect(objects.has(obj ?? ''), `${g.field}: no object permission`).toBe(true)
      }
      expect(new Set(granted.map((g) => g.field)).size).toBe(granted.length)
      for (const [obj, o] of objects) {
        const flag = (n: string): boolean => childText(o, n) === 'true'
        // Metadata API: edit, create and delete each need read (and delete needs edit).
        if (flag('allowEdit') || flag('allowCreate') || flag('allowDelete')) expect(flag('allowRead'), obj).toBe(true)
        if (flag('allowDelete')) expect(flag('allowEdit'), obj).toBe(true)
      }
      for (const t of childrenNamed(ps, 'tabSettings')) expect(tabs, childText(t, 'tab')).toContain(childText(t, 'tab'))
      for (const a of childrenNamed(ps, 'applicationVisibilities')) expect(existsSync(pkgPath(`applications/${childText(a, 'application')}.app-meta.xml`))).toBe(true)
    })

    if (name === 'Tally_Sync') {
      it('lets the integration user write everything Tally writes', () => {
        for (const obj of OBJECTS) {
          const grantable = fieldsOf(obj).filter((f) => !f.required && f.type !== 'MasterDetail').map((f) => `${obj}.${f.name}`)
          expect(granted.filter((g) => g.field.startsWith(`${obj}.`) && g.edit).map((g) => g.field).sort(), obj).toEqual(grantable.sort())
          const o = objects.get(obj)!
          for (const flag of ['allowCreate', 'allowEdit', 'allowRead']) expect(childText(o, flag), `${obj} ${flag}`).toBe('true')
        }
      })
    } else {
      it('lets the people who link read QBO Customers, change only the link, request runs and edit settings', () => {
        expect(granted.filter((g) => g.field.startsWith('QBO_Customer__c.') && g.edit).map((g) => g.field).sort()).toEqual(['QBO_Customer__c.Account__c', 'QBO_Customer__c.Link_Status__c'])
        expect(granted.filter((g) => g.field.startsWith('QBO_Customer__c.')).length).toBe(fieldsOf('QBO_Customer__c').length)
        expect(granted.filter((g) => g.field.startsWith('Tally_Run__c.') && g.edit).map((g) => g.field).sort()).toEqual(
          ['Tally_Run__c.Dry_Run__c', 'Tally_Run__c.Mode__c', 'Tally_Run__c.QBO_Realm_Id__c', 'Tally_Run__c.Status__c'])
        expect(childText(objects.get('Tally_Run__c')!, 'allowCreate')).toBe('true')
        expect(childText(objects.get('Tally_Run__c')!, 'allowEdit')).toBe('false')
        expect(childText(objects.get('QBO_Customer__c')!, 'allowCreate')).toBe('false')
        expect(childText(objects.get('Tally_Settings__c')!, 'allowEdit')).toBe('true')
        expect(childrenNamed(ps, 'applicationVisibilities').map((a) => childText(a, 'application'))).toEqual(['Tally_Hub'])
        expect(childrenNamed(ps, 'tabSettings').map((t) => childText(t, 'tab'))).toEqual(expect.arrayContaining(['Sync_Customers', 'QBO_Customer__c']))
      })
    }
  })

  it('the components name only fields of the package and the engine\'s field groups', () => {
    const known = new Set<string>()
    for (const obj of [...OBJECTS, 'Account']) {
      for (const f of fieldsOf(obj)) {
        known.add(`${obj}.${f.name}`)
        known.add(f.name)
        if (f.type === 'Lookup' || f.type === 'MasterDetail') {
          known.add(f.name.replace(/__c$/, '__r'))
          known.add(`${childText(f.xml, 'relationshipName')}__r`)
        }
      }
      known.add(obj)
    }
    for (const b of bundles) {
      const js = readFileSync(pkgPath(`lwc/${b}/${b}.js`), 'utf8')
      for (const m of js.matchAll(/@salesforce\/schema\/([\w.]+)'/g)) {
        const ref = m[1] ?? ''
        expect(known.has(ref) || /\.(Id|Name)$/.test(ref), `${b}: ${ref}`).toBe(true)
      }
      for (const m of js.matchAll(/@salesforce\/messageChannel\/(\w+)__c'/g)) {
        expect(existsSync(pkgPath(`messageChannels/${m[1]}.messageChannel-meta.xml`)), `${b}: channel ${m[1]}`).toBe(true)
      }
      for (const q of js.matchAll(/gql`([\s\S]*?)`/g)) {
        for (const t of (q[1] ?? '').matchAll(/\b\w+__[cr]\b/g)) expect(known.has(t[0]), `${b}: ${t[0]}`).toBe(true)
      }
    }
    const lwcGroups = [...readFileSync(pkgPath('lwc/tallyData/tallyData.js'), 'utf8').matchAll(/\{ id: '(\w+)', label: '([^']+)' \}/g)].map((m) => ({ id: m[1], label: m[2] }))
    expect(lwcGroups).toEqual(FIELD_GROUPS.map((g) => ({ id: g.id, label: g.label })))
  })
})
