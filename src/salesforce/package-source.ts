/**
 * @module salesforce/package-source
 * Turns the package's SFDX source (`salesforce/`, its `sfdx-project.json` package directories) into
 * the zip the Metadata API deploys — what `sf project convert source` does, for the types Tally's
 * package uses, so that no Salesforce CLI is needed:
 * - an object's folder (`objects/X/X.object-meta.xml` with `fields/`, `listViews/`,
 *   `compactLayouts/`… one file per child) becomes one `objects/X.object` whose children are
 *   `<fields>`, `<listViews>`… elements; a standard object with only fields (Account) gets a
 *   `.object` that holds just those; children are listed in package.xml as CustomField `X.F`,
 *   ListView `X.V`, CompactLayout `X.L`;
 * - one-file types drop `-meta.xml`: `tabs/X.tab`, `applications/X.app`,
 *   `flexipages/X.flexipage`, `layouts/X.layout`, `permissionsets/X.permissionset`,
 *   `messageChannels/X.messageChannel`;
 * - a Lightning web component bundle `lwc/x/` is copied as is (its Jest tests left out);
 * - package.xml lists every member by type, with the project's `sourceApiVersion`.
 * Sources: Salesforce DX's metadata registry (forcedotcom/source-deploy-retrieve
 * `src/registry/metadataRegistry.json`: directory names, suffixes, decomposed children) and the
 * Metadata API type reference for each type ("File Suffix and Directory Location").
 * https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_source_file_format.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_types_list.htm
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { strToU8, zipSync } from 'fflate'

export interface PackageComponent {
  type: string
  fullName: string
}

export interface PackageZip {
  zip: Uint8Array
  components: PackageComponent[]
  apiVersion: string
}

export class PackageSourceError extends Error {}

/** Object children: source folder → element in the `.object` file and metadata type. */
const OBJECT_CHILDREN: Readonly<Record<string, { element: string; type: string; suffix: string }>> = {
  fields: { element: 'fields', type: 'CustomField', suffix: 'field' },
  listViews: { element: 'listViews', type: 'ListView', suffix: 'listView' },
  compactLayouts: { element: 'compactLayouts', type: 'CompactLayout', suffix: 'compactLayout' },
  validationRules: { element: 'validationRules', type: 'ValidationRule', suffix: 'validationRule' },
  recordTypes: { element: 'recordTypes', type: 'RecordType', suffix: 'recordType' },
  webLinks: { element: 'webLinks', type: 'WebLink', suffix: 'webLink' },
  fieldSets: { element: 'fieldSets', type: 'FieldSet', suffix: 'fieldSet' },
  businessProcesses: { element: 'businessProcesses', type: 'BusinessProcess', suffix: 'businessProcess' },
}

/** One-file types: source folder → metadata type and suffix. */
const FILE_TYPES: Readonly<Record<string, { type: string; suffix: string }>> = {
  tabs: { type: 'CustomTab', suffix: 'tab' },
  applications: { type: 'CustomApplication', suffix: 'app' },
  flexipages: { type: 'FlexiPage', suffix: 'flexipage' },
  layouts: { type: 'Layout', suffix: 'layout' },
  permissionsets: { type: 'PermissionSet', suffix: 'permissionset' },
  messageChannels: { type: 'LightningMessageChannel', suffix: 'messageChannel' },
}

/** What `sf` leaves out of a deploy by default (.forceignore of a new project). */
const IGNORED = [/(^|\/)__tests__(\/|$)/, /(^|\/)jsconfig\.json$/, /(^|\/)\.eslintrc(\.json)?$/, /(^|\/)\.DS_Store$/]

const MD_NS = 'http://soap.sforce.com/2006/04/metadata'
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...walk(path))
    else out.push(path)
  }
  return out
}

/** The inside of a metadata file's root element. */
function innerXml(text: string, file: string): { root: string; inner: string } {
  const body = text.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '')
  const open = /<([A-Za-z]+)(\s[^>]*)?>/.exec(body)
  if (!open) throw new PackageSourceError(`${file} is not a metadata XML file: fix or remove it.`)
  const root = open[1] as string
  const close = body.lastIndexOf(`</${root}>`)
  if (close < 0) throw new PackageSourceError(`${file}: <${root}> is never closed; fix the file.`)
  return { root, inner: body.slice(open.index + open[0].length, close) }
}

interface ObjectParts {
  own: string | null
  children: { element: string; type: string; name: string; inner: string }[]
}

/** Builds the deploy zip of the SFDX project at `projectDir` (the folder of sfdx-project.json). */
export function buildPackageZip(projectDir: string): PackageZip {
  const projectFile = join(projectDir, 'sfdx-project.json')
  if (!existsSync(projectFile)) throw new PackageSourceError(`No sfdx-project.json in ${projectDir}: point Tally at the package's folder (salesforce/).`)
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { packageDirectories?: { path: string }[]; sourceApiVersion?: string }
  const apiVersion = project.sourceApiVersion ?? '62.0'
  const files: Record<string, Uint8Array> = {}
  const components: PackageComponent[] = []
  const objects = new Map<string, ObjectParts>()
  const objectOf = (name: string): ObjectParts => {
    let o = objects.get(name)
    if (!o) objects.set(name, (o = { own: null, children: [] }))
    return o
  }

  for (const pkgDir of project.packageDirectories ?? []) {
    const base = join(projectDir, pkgDir.path)
    if (!existsSync(base)) throw new PackageSourceError(`sfdx-project.json names the package directory ${pkgDir.path}, which does not exist in ${projectDir}.`)
    for (const path of walk(base)) {
      const rel = relative(base, path).split(sep).join('/')
      if (IGNORED.some((re) => re.test(rel))) continue
      const shown = relative(projectDir, path).split(sep).join('/')
      const parts = rel.split('/')
      const lwc = parts.indexOf('lwc')
      if (lwc >= 0 && parts.length >= lwc + 3) {
        const bundle = parts[lwc + 1] as string
        files[`lwc/${parts.slice(lwc + 1).join('/')}`] = readFileSync(path)
        if (!components.some((c) => c.type === 'LightningComponentBundle' && c.fullName === bundle)) {
          components.push({ type: 'LightningComponentBundle', fullName: bundle })
        }
        continue
      }
      const objectsAt = parts.indexOf('objects')
      if (objectsAt >= 0 && parts.length >= objectsAt + 3) {
        const objectName = parts[objectsAt + 1] as string
        const rest = parts.slice(objectsAt + 2)
        const text = readFileSync(path, 'utf8')
        if (rest.length === 1 && rest[0] === `${objectName}.object-meta.xml`) {
          objectOf(objectName).own = innerXml(text, shown).inner
          continue
        }
        const child = rest.length === 2 ? OBJECT_CHILDREN[rest[0] as string] : undefined
        const suffix = child ? `.${child.suffix}-meta.xml` : ''
        if (child && (rest[1] as string).endsWith(suffix)) {
          const name = (rest[1] as string).slice(0, -suffix.length)
          let { inner } = innerXml(text, shown)
          // The decomposed file may leave its name to the file name; the .object needs it.
          if (!/<fullName>/.test(inner)) inner = `\n        <fullName>${name}</fullName>${inner}`
          objectOf(objectName).children.push({ element: child.element, type: child.type, name, inner })
          continue
        }
      }
      const folder = parts[parts.length - 2] ?? ''
      const fileType = FILE_TYPES[folder]
      const fileName = parts[parts.length - 1] as string
      if (fileType && fileName.endsWith(`.${fileType.suffix}-meta.xml`)) {
        const name = fileName.slice(0, -`.${fileType.suffix}-meta.xml`.length)
        files[`${folder}/${name}.${fileType.suffix}`] = readFileSync(path)
        components.push({ type: fileType.type, fullName: name })
        continue
      }
      throw new PackageSourceError(
        `${shown}: Tally's deploy does not know this kind of metadata; deploy the package with \`sf project deploy start\` instead, or remove the file.`,
      )
    }
  }

  for (const [name, parts] of [...objects].sort(([a], [b]) => a.localeCompare(b))) {
    // Children grouped by element, as `sf project convert source` writes them after the object's own content.
    const children = [...parts.children].sort((a, b) => a.element.localeCompare(b.element) || a.name.localeCompare(b.name))
    const body = `${parts.own ?? '\n'}${children.map((c) => `    <${c.element}>${c.inner.replace(/\s+$/, '')}\n    </${c.element}>\n`).join('')}`
    files[`objects/${name}.object`] = strToU8(`${XML_DECL}<CustomObject xmlns="${MD_NS}">${body}</CustomObject>\n`)
    if (parts.own !== null) components.push({ type: 'CustomObject', fullName: name })
    for (const c of children) components.push({ type: c.type, fullName: `${name}.${c.name}` })
  }

  const byType = new Map<string, string[]>()
  for (const c of components) byType.set(c.type, [...(byType.get(c.type) ?? []), c.fullName])
  const types = [...byType]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, members]) => `    <types>\n${[...members].sort().map((m) => `        <members>${m}</members>\n`).join('')}        <name>${type}</name>\n    </types>\n`)
  files['package.xml'] = strToU8(`${XML_DECL}<Package xmlns="${MD_NS}">\n${types.join('')}    <version>${apiVersion}</version>\n</Package>\n`)
  return { zip: zipSync(files, { level: 6 }), components, apiVersion }
}
