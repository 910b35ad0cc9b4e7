/**
 * Contract: the sandbox answers the Metadata API calls jsforce 3.10.16's `conn.metadata` makes —
 * SOAP `deploy` (base64 zip, DeployOptions) and `checkDeployStatus` (includeDetails) — with the
 * AsyncResult and DeployResult shapes of the Metadata API reference; a deployed object becomes
 * part of the org's schema (describe, REST writes); `checkOnly` and failures change nothing; an
 * invalid session is the SOAP fault jsforce's session handling reads. Also the REST setup objects
 * a deploy needs: PermissionSet and PermissionSetAssignment (one per user and permission set).
 */
import { strToU8, zipSync } from 'fflate'
import { Connection } from 'jsforce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'

const NS = 'http://soap.sforce.com/2006/04/metadata'
const packageXml = (types: Record<string, string[]>) =>
  `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="${NS}">${Object.entries(types)
    .map(([name, members]) => `<types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`)
    .join('')}<version>62.0</version></Package>`
const widget = (fieldType = 'Text') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="${NS}">
    <label>Widget</label>
    <pluralLabel>Widgets</pluralLabel>
    <nameField><label>Widget Name</label><type>Text</type></nameField>
    <deploymentStatus>Deployed</deploymentStatus>
    <sharingModel>ReadWrite</sharingModel>
    <fields>
        <fullName>Colour__c</fullName>
        <label>Colour</label>
        <length>40</length>
        <type>${fieldType}</type>
    </fields>
</CustomObject>
`
const zip = (files: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))))
const widgetZip = (fieldType?: string) =>
  zip({ 'package.xml': packageXml({ CustomObject: ['Widget__c'], CustomField: ['Widget__c.Colour__c'] }), 'objects/Widget__c.object': widget(fieldType) })

let server: Awaited<ReturnType<typeof startSalesforceEmulator>>
let conn: Connection
beforeAll(async () => {
  server = await startSalesforceEmulator({ package: false })
  conn = new Connection({ instanceUrl: server.url, accessToken: server.emulator.issueAccessToken(), version: '62.0' })
  conn.metadata.pollInterval = 20
})
afterAll(() => server.close())

describe('Metadata API deploy', () => {
  it('answers deploy with an AsyncResult and goes Pending → InProgress → Succeeded, then the object is in the org', async () => {
    const async = await conn.metadata.deploy(widgetZip(), { singlePackage: true, rollbackOnError: true })
    expect(async).toMatchObject({ done: false, state: 'Queued' })
    expect(async.id).toMatch(/^0Af[A-Za-z0-9]{15}$/)
    const first = await conn.metadata.checkDeployStatus(async.id, true)
    expect(first).toMatchObject({ done: false, status: 'InProgress', numberComponentsTotal: 2, checkOnly: false })
    const second = await conn.metadata.checkDeployStatus(async.id, true)
    expect(second).toMatchObject({ done: true, status: 'Succeeded', success: true, numberComponentsDeployed: 2, numberComponentErrors: 0 })
    const names = second.details.componentSuccesses.map((m) => `${m.componentType ?? ''}:${m.fullName}:${m.fileName}:${m.created}`)
    expect(names.sort()).toEqual(['CustomField:Widget__c.Colour__c:objects/Widget__c.object:true', 'CustomObject:Widget__c:objects/Widget__c.object:true', ':package.xml:package.xml:false'].sort())
    expect(second.details.componentFailures).toEqual([])

    const d = await conn.sobject('Widget__c').describe()
    expect(d.fields.find((f) => f.name === 'Colour__c')).toMatchObject({ type: 'string', length: 40, custom: true })
    const created = await conn.sobject('Widget__c').create({ Name: 'W1', Colour__c: 'red' })
    expect(created.success).toBe(true)
  })

  it('waits through jsforce complete(true) and reports a bad field type as a CustomField failure with its line', async () => {
    const result = await conn.metadata.deploy(widgetZip('Colour'), { singlePackage: true, rollbackOnError: true }).complete(true)
    expect(result).toMatchObject({ done: true, status: 'Failed', success: false, numberComponentErrors: 1 })
    expect(result.details.componentFailures).toEqual([
      expect.objectContaining({
        componentType: 'CustomField',
        fullName: 'Widget__c.Colour__c',
        fileName: 'objects/Widget__c.object',
        problem: "Error parsing file: 'Colour' is not a valid value for the enum 'FieldType'",
        problemType: 'Error',
        success: false,
        lineNumber: 12,
      }),
    ])
  })

  it('changes nothing with checkOnly', async () => {
    const z = zip({ 'package.xml': packageXml({ CustomObject: ['Gadget__c'] }), 'objects/Gadget__c.object': widget().replace(/Widget/g, 'Gadget').replace(/<fields>[\s\S]*<\/fields>/, '') })
    const result = await conn.metadata.deploy(z, { singlePackage: true, checkOnly: true }).complete(true)
    expect(result).toMatchObject({ done: true, status: 'Succeeded', success: true, checkOnly: true })
    await expect(conn.sobject('Gadget__c').describe()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' })
  })

  it('fails a zip without package.xml, and a member whose file is missing', async () => {
    const none = await conn.metadata.deploy(zip({ 'objects/X__c.object': widget() }), { singlePackage: true }).complete(true)
    expect(none).toMatchObject({ status: 'Failed', success: false })
    expect(none.details.componentFailures[0]).toMatchObject({ fileName: 'package.xml', problem: 'No package.xml found' })
    const missing = await conn.metadata.deploy(zip({ 'package.xml': packageXml({ CustomTab: ['Nope__c'] }) }), { singlePackage: true }).complete(true)
    expect(missing.details.componentFailures[0]).toMatchObject({
      componentType: 'CustomTab',
      fullName: 'Nope__c',
      problem: "An object 'Nope__c' of type CustomTab was named in package.xml, but was not found in zipped directory",
    })
  })

  it('answers an invalid session with the sf:INVALID_SESSION_ID fault', async () => {
    const bad = new Connection({ instanceUrl: server.url, accessToken: 'not-a-session', version: '62.0' })
    await expect(bad.metadata.checkDeployStatus('0Af000000000000AAA')).rejects.toMatchObject({ name: 'sf:INVALID_SESSION_ID' })
  })
})

describe('Permission sets', () => {
  it('a deployed permission set is a PermissionSet record; assigning it twice is DUPLICATE_VALUE', async () => {
    const ps = `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="${NS}"><label>Widgets</label><fieldPermissions><editable>true</editable><field>Widget__c.Colour__c</field><readable>true</readable></fieldPermissions></PermissionSet>`
    const r = await conn.metadata.deploy(zip({ 'package.xml': packageXml({ PermissionSet: ['Widgets'] }), 'permissionsets/Widgets.permissionset': ps }), { singlePackage: true }).complete(true)
    expect(r.status).toBe('Succeeded')
    const found = await conn.query<{ Id: string; Label: string }>("SELECT Id, Label FROM PermissionSet WHERE Name = 'Widgets'")
    expect(found.records).toHaveLength(1)
    const userId = server.emulator.userId
    const first = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: found.records[0]?.Id })
    expect(first.success).toBe(true)
    await expect(conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: found.records[0]?.Id })).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' })
  })

  it('refuses a permission set that grants a field the org does not have', async () => {
    const ps = `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="${NS}"><label>Bad</label><fieldPermissions><editable>true</editable><field>Widget__c.Size__c</field><readable>true</readable></fieldPermissions></PermissionSet>`
    const r = await conn.metadata.deploy(zip({ 'package.xml': packageXml({ PermissionSet: ['Bad'] }), 'permissionsets/Bad.permissionset': ps }), { singlePackage: true }).complete(true)
    expect(r.details.componentFailures[0]).toMatchObject({ componentType: 'PermissionSet', fullName: 'Bad', problem: 'In field: field - no CustomField named Widget__c.Size__c found' })
  })
})

describe('field definitions', () => {
  it('refuses a field whose precision is not an integer, at its line', async () => {
    const bad = widget().replace('<length>40</length>\n        <type>Text</type>', '<precision>Calls the run made.</precision>\n        <scale>0</scale>\n        <type>Number</type>')
    const z = zip({ 'package.xml': packageXml({ CustomObject: ['Counter__c'], CustomField: ['Counter__c.Colour__c'] }), 'objects/Counter__c.object': bad.replace(/Widget/g, 'Counter') })
    const r = await conn.metadata.deploy(z, { singlePackage: true }).complete(true)
    expect(r.status).toBe('Failed')
    expect(r.details.componentFailures).toEqual([
      expect.objectContaining({ componentType: 'CustomField', fullName: 'Counter__c.Colour__c', problem: "Error parsing file: 'Calls the run made.' is not a valid value for the type xsd:int", lineNumber: 11 }),
    ])
  })
})
