/**
 * @module emulators/salesforce/describe
 * `describe` and `describeGlobal` bodies: every field carries the same ~57 properties (the
 * DescribeSObjectResult / Field properties of the SOAP API Developer Guide; key set learned from
 * recorded traffic, not copied), built from the schema with the values that matter to clients
 * (type, length, nillable, createable, updateable, externalId, unique, idLookup, referenceTo,
 * relationshipName, compoundFieldName, picklistValues).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import type { FieldDef, ObjectDef, Schema } from './schema.js'

const SOAP: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  int: 'xsd:int',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference'].includes(f.type)
  const longText = f.type === 'textarea' && f.length > 255
  return {
    aggregatable: !longText,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: textual ? f.length * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: f.caseSensitive,
    compoundFieldName: f.compoundFieldName,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' && f.custom ? f.defaultValue : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? f.precision : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: f.extraTypeInfo,
    filterable: !longText,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: !longText && !['double', 'currency', 'datetime'].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: f.length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: false,
    nillable: f.nillable,
    permissionable: f.custom && f.nillable,
    picklistValues: f.picklistValues.map((v) => ({ active: true, defaultValue: false, label: v, validFor: null, value: v })),
    polymorphicForeignKey: false,
    precision: f.type === 'int' ? 0 : f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: SOAP[f.type] ?? 'xsd:string',
    sortable: !longText,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  }
}

/**
 * The object's URLs; with the instance URL, the UI templates too (`uiDetailTemplate`
 * `https://<my domain>/{ID}`, `uiEditTemplate` `…/{ID}/e`, `uiNewRecord` `…/<key prefix>/e`),
 * keys learned from recorded traffic.
 */
function urls(version: string, o: ObjectDef, instanceUrl?: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${o.name}`
  const ui = (u: Record<string, string>) => (instanceUrl ? u : {})
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    ...ui({ uiDetailTemplate: `${instanceUrl}/{ID}`, uiEditTemplate: `${instanceUrl}/{ID}/e` }),
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    ...ui({ uiNewRecord: `${instanceUrl}/${o.keyPrefix}/e` }),
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  }
}

/** The object-level properties shared by describe and describeGlobal. */
function objectSummary(version: string, o: ObjectDef, instanceUrl?: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: o.name !== 'User',
    custom: o.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: o.name !== 'User',
    deprecatedAndHidden: false,
    feedEnabled: !o.custom,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    mergeable: !o.custom,
    mruEnabled: true,
    name: o.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: urls(version, o, instanceUrl),
  }
}

export function describeObject(schema: Schema, version: string, o: ObjectDef, instanceUrl?: string): Record<string, unknown> {
  const childRelationships = [...schema.objects.values()].flatMap((child) =>
    child.fields
      .filter((f) => f.type === 'reference' && f.referenceTo.includes(o.name) && f.childRelationship)
      .map((f) => ({
        cascadeDelete: false,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: f.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: f.childRelationship,
        restrictedDelete: false,
      })),
  )
  const summary = objectSummary(version, o, instanceUrl)
  return {
    actionOverrides: [],
    ...summary,
    childRelationships,
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: o.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${o.name}/describe/layouts/012000000000000AAA` },
      },
    ],
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All records', name: 'everything' },
      { label: 'My records', name: 'mine' },
    ],
  }
}

export function describeGlobal(schema: Schema, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.objects.values()].map((o) => {
      const { urls: u, ...rest } = objectSummary(version, o) as { urls: Record<string, string> }
      return { ...rest, urls: { rowTemplate: u.rowTemplate, describe: u.describe, sobject: u.sobject } }
    }),
  }
}
