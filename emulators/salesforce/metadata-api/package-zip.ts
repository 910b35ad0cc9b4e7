/**
 * @module emulators/salesforce/metadata-api/package-zip
 * Reads a Metadata API deploy zip (metadata format): `package.xml` (at the root with
 * `singlePackage`, else in the one top folder), the members it names by type, and where each
 * member's file lives in the zip. Types whose members live inside another file (a CustomField in
 * `objects/<Object>.object`, under `<fields>`) are resolved to that file and element.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/manifest_samples.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_types_list.htm
 */
import { unzipSync } from 'fflate'
import { parseXml } from '../xml.js'
import type { XmlElement } from '../xml.js'
import { childLocal, textLocal } from './soap.js'

/** Types stored one file each: folder and suffix (Metadata API type reference, "File Suffix and
 * Directory Location" of each type). */
export const FILE_TYPES: Readonly<Record<string, { dir: string; suffix: string }>> = {
  CustomObject: { dir: 'objects', suffix: 'object' },
  CustomTab: { dir: 'tabs', suffix: 'tab' },
  CustomApplication: { dir: 'applications', suffix: 'app' },
  FlexiPage: { dir: 'flexipages', suffix: 'flexipage' },
  Layout: { dir: 'layouts', suffix: 'layout' },
  PermissionSet: { dir: 'permissionsets', suffix: 'permissionset' },
  LightningMessageChannel: { dir: 'messageChannels', suffix: 'messageChannel' },
}

/** Types that live inside the parent object's `.object` file, and their element there. */
export const OBJECT_CHILD_TYPES: Readonly<Record<string, string>> = {
  CustomField: 'fields',
  ListView: 'listViews',
  CompactLayout: 'compactLayouts',
  ValidationRule: 'validationRules',
  RecordType: 'recordTypes',
  WebLink: 'webLinks',
  FieldSet: 'fieldSets',
  BusinessProcess: 'businessProcesses',
}

/** Lightning web component bundles: `lwc/<name>/` with `<name>.js-meta.xml` in it. */
export const BUNDLE_TYPE = 'LightningComponentBundle'

export interface Member {
  type: string
  fullName: string
}

export interface DeployZip {
  /** Files by path relative to the package root. */
  files: Map<string, string>
  members: Member[]
  version: string | null
}

export class ZipProblem extends Error {}

/** Unzips and reads package.xml. Throws ZipProblem with Salesforce's message when there is none. */
export function readDeployZip(zip: Uint8Array): DeployZip {
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(zip)
  } catch {
    throw new ZipProblem('The zip file is not a valid zip archive')
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'))
  const manifest = names.filter((n) => n === 'package.xml' || /^[^/]+\/package\.xml$/.test(n)).sort((a, b) => a.length - b.length)[0]
  if (!manifest) throw new ZipProblem('No package.xml found')
  const root = manifest.slice(0, manifest.length - 'package.xml'.length)
  const files = new Map<string, string>()
  const decoder = new TextDecoder()
  for (const n of names) if (n.startsWith(root)) files.set(n.slice(root.length), decoder.decode(entries[n]))
  let pkg: XmlElement
  try {
    pkg = parseXml(files.get('package.xml') ?? '')
  } catch (e) {
    throw new ZipProblem(`Error parsing file: package.xml: ${(e as Error).message}`)
  }
  const members: Member[] = []
  for (const t of pkg.children.filter((c) => c.name === 'types')) {
    const type = textLocal(t, 'name') ?? ''
    for (const m of t.children.filter((c) => c.name === 'members')) members.push({ type, fullName: m.text })
  }
  return { files, members, version: (childLocal(pkg, 'version')?.text ?? null) || null }
}

/** Where a member's definition is: its file, and for object children the element in it. */
export function memberFile(m: Member): { fileName: string; childElement?: string; parent?: string; child?: string } | undefined {
  const simple = FILE_TYPES[m.type]
  if (simple) return { fileName: `${simple.dir}/${m.fullName}.${simple.suffix}` }
  const childElement = OBJECT_CHILD_TYPES[m.type]
  if (childElement) {
    const dot = m.fullName.indexOf('.')
    if (dot < 1) return undefined
    const parent = m.fullName.slice(0, dot)
    return { fileName: `objects/${parent}.object`, childElement, parent, child: m.fullName.slice(dot + 1) }
  }
  if (m.type === BUNDLE_TYPE) return { fileName: `lwc/${m.fullName}/${m.fullName}.js-meta.xml` }
  return undefined
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { lineNumber: number; columnNumber: number } | undefined {
  const at = text.indexOf(needle)
  if (at < 0) return undefined
  const before = text.slice(0, at)
  const lineNumber = before.split('\n').length
  return { lineNumber, columnNumber: at - before.lastIndexOf('\n') }
}
