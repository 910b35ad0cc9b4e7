/**
 * The package's source converted to the metadata format as `sf project convert source` lays it
 * out: one `.object` per object with its fields, list views and compact layouts inside, a `.object`
 * for Account holding only Tally's field, one-file types without `-meta.xml`, LWC bundles without
 * their Jest tests, and a package.xml naming every member by type.
 */
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { buildPackageZip } from './package-source.js'

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b)

describe('buildPackageZip', () => {
  const pkg = buildPackageZip(fileURLToPath(new URL('../../salesforce', import.meta.url)))
  const files = unzipSync(pkg.zip)
  const names = Object.keys(files).sort()

  it('folds each object and its children into one .object file', () => {
    const obj = text(files['objects/QBO_Customer__c.object'])
    expect(obj).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<CustomObject xmlns="http:\/\/soap.sforce.com\/2006\/04\/metadata">/)
    expect(obj).toContain('<label>QBO Customer</label>')
    expect(obj).toMatch(/<fields>\s*<fullName>QBO_Key__c<\/fullName>/)
    expect(obj).toMatch(/<listViews>\s*<fullName>Unmapped<\/fullName>/)
    expect(obj).toMatch(/<compactLayouts>/)
    expect(text(files['objects/Account.object'])).toMatch(/^[\s\S]*<CustomObject[^>]*>\s*<fields>\s*<fullName>QBO_Source_Key__c<\/fullName>[\s\S]*<\/fields>\s*<\/CustomObject>\s*$/)
    expect(names.filter((n) => n.startsWith('objects/'))).toEqual(['objects/Account.object', 'objects/QBO_Customer__c.object', 'objects/Tally_Run_Error__c.object', 'objects/Tally_Run__c.object', 'objects/Tally_Settings__c.object'])
  })

  it('drops -meta.xml from one-file types and leaves Jest tests out', () => {
    expect(names).toContain('permissionsets/Tally_Sync.permissionset')
    expect(names).toContain('tabs/QBO_Customer__c.tab')
    expect(names.some((n) => n.endsWith('-meta.xml') && !n.startsWith('lwc/'))).toBe(false)
    expect(names.some((n) => n.includes('__tests__'))).toBe(false)
    expect(names.filter((n) => n.startsWith('lwc/')).length).toBeGreaterThan(0)
  })

  it('lists every member in package.xml, children by their own type', () => {
    const manifest = text(files['package.xml'])
    expect(manifest).toContain('<members>QBO_Customer__c.QBO_Key__c</members>')
    expect(manifest).toContain('<members>Account.QBO_Source_Key__c</members>')
    expect(manifest).toMatch(/<members>QBO_Customer__c\.Unmapped<\/members>\s*(<members>[^<]*<\/members>\s*)*<name>ListView<\/name>/)
    expect(manifest).not.toContain('<members>Account</members>')
    expect(manifest).toContain(`<version>${pkg.apiVersion}</version>`)
    for (const c of pkg.components) expect(manifest).toContain(`<members>${c.fullName}</members>`)
  })
})
