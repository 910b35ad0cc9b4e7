/**
 * Contract: the SFDX package in salesforce/ matches the engine's field catalogue
 * (src/sync/fields.ts) — types, lengths and labels — and its permission set grants every
 * non-required custom field and no required one. The sandbox reads the same files.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSalesforceEmulator } from '../../emulators/salesforce/index.js'
import { LINK_FIELDS, SYNCED_FIELDS } from '../../src/sync/fields.js'

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
