/**
 * The package converts with the Salesforce CLI's own library (`@salesforce/source-deploy-retrieve`,
 * which `sf project convert source` and `sf project deploy start` run), and Tally's in-process
 * converter (src/salesforce/package-source.ts, what `tally salesforce deploy` zips) lays out the
 * same files with the same package.xml members. SDR 12 is the last line that runs on Node 20; its
 * HTTP dependencies are held to Node 20 versions by package.json `overrides` (we only convert).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unzipSync } from 'fflate'
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve'
import { afterAll, describe, expect, it } from 'vitest'
import { buildPackageZip } from '../../src/salesforce/package-source.js'

const SOURCE = fileURLToPath(new URL('../../salesforce/force-app', import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'tally-sdr-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]))

/** package.xml members as `Type:fullName`, sorted. */
const members = (xml: string): string[] =>
  [...xml.matchAll(/<types>([\s\S]*?)<\/types>/g)]
    .flatMap((t) => {
      const name = /<name>([^<]+)<\/name>/.exec(t[1] ?? '')?.[1] ?? ''
      return [...(t[1] ?? '').matchAll(/<members>([^<]+)<\/members>/g)].map((m) => `${name}:${m[1]}`)
    })
    .sort()

describe('the Salesforce package', () => {
  it('converts with the Salesforce CLI library, and Tally zips the same components and files', async () => {
    const set = ComponentSet.fromSource({ fsPaths: [SOURCE], fsDeletePaths: [] })
    const types = new Set(set.toArray().map((c) => c.type.name))
    // The app, its tabs and page, the objects (with their fields and list views), layouts,
    // the components and the permission sets: what contract §12 asks the package to hold.
    for (const t of ['CustomApplication', 'CustomTab', 'FlexiPage', 'CustomObject', 'Layout', 'LightningComponentBundle', 'PermissionSet']) {
      expect(types, t).toContain(t)
    }
    await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false })

    const ours = buildPackageZip(fileURLToPath(new URL('../../salesforce', import.meta.url)))
    const zipped = unzipSync(ours.zip)
    const sfFiles = walk(out).map((f) => relative(out, f).split('\\').join('/')).sort()
    const ourFiles = Object.keys(zipped).filter((n) => !n.endsWith('/')).sort()
    expect(sfFiles.length).toBeGreaterThan(20)
    expect(ourFiles).toEqual(sfFiles)

    const sfMembers = members(readFileSync(join(out, 'package.xml'), 'utf8'))
    const ourMembers = members(new TextDecoder().decode(zipped['package.xml']))
    expect(ourMembers).toEqual(sfMembers)
    expect(sfMembers).toEqual(expect.arrayContaining(['CustomApplication:Tally_Hub', 'CustomObject:Tally_Run__c', 'CustomField:QBO_Customer__c.Account__c', 'ListView:QBO_Customer__c.Unmapped']))
  })
})
