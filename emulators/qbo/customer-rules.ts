/**
 * @module emulators/qbo/customer-rules
 * Validation of a Customer body against the rules of Intuit's Customer reference (I-CUST:
 * developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer, mirrored in
 * abossenbroek/qbo-mcp qbo-api-docs/entities/customer.md) and api-facts A.1 + Addendum §5:
 * known properties (else 2010), no `:`/tab/newline in name fields, maximum lengths, e-mail needs
 * `@` and `.`, DisplayName or a name part required.
 */
import {
  businessValidation, lengthExceeded, requiredMissing, unknownProperty, type QboFault,
} from './errors.js'
import type { Wire } from './store.js'

/** Every Customer property the API knows (I-CUST + Java SDK IntuitNamesTypes.xsd). */
export const CUSTOMER_PROPERTIES = new Set([
  'Id', 'SyncToken', 'sparse', 'domain', 'status', 'MetaData', 'Title', 'GivenName', 'MiddleName',
  'FamilyName', 'Suffix', 'DisplayName', 'CompanyName', 'PrintOnCheckName', 'FullyQualifiedName',
  'PrimaryEmailAddr', 'PrimaryPhone', 'Mobile', 'Fax', 'AlternatePhone', 'WebAddr', 'BillAddr',
  'ShipAddr', 'OtherAddr', 'Notes', 'Job', 'ParentRef', 'Level', 'BillWithParent',
  'PreferredDeliveryMethod', 'Taxable', 'DefaultTaxCodeRef', 'IsProject', 'Active', 'Balance',
  'BalanceWithJobs', 'OpenBalanceDate', 'CurrencyRef', 'V4IDPseudonym', 'ResaleNum', 'SalesTermRef',
  'PaymentMethodRef', 'CustomerTypeRef', 'ARAccountRef', 'PrimaryTaxIdentifier',
  'SecondaryTaxIdentifier', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'TaxExemptionReasonId',
  'Source', 'ContactName', 'AltContactName', 'CreditLimit', 'JobInfo', 'ClientEntityId',
  // Defined on Customer in the XSD only (Addendum §5); accepted, never produced.
  'AcctNum',
])

export const NAME_PARTS = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'] as const

/** Fields that must not contain `:`, tab or newline (I-CUST business rules). */
const NO_SEPARATORS = ['DisplayName', ...NAME_PARTS, 'PrintOnCheckName']

/** Max lengths (I-CUST; Addendum §5 for e-mail and address parts). */
const MAX: [string[], number][] = [
  [['DisplayName'], 500], [['Title'], 16], [['GivenName'], 100], [['MiddleName'], 100],
  [['FamilyName'], 100], [['Suffix'], 16], [['CompanyName'], 100], [['PrintOnCheckName'], 110],
  [['PrimaryEmailAddr', 'Address'], 100], [['PrimaryPhone', 'FreeFormNumber'], 30],
  [['Mobile', 'FreeFormNumber'], 30], [['Fax', 'FreeFormNumber'], 30],
  [['AlternatePhone', 'FreeFormNumber'], 30], [['WebAddr', 'URI'], 1000], [['Notes'], 2000],
  [['ResaleNum'], 16], [['BusinessNumber'], 10], [['GSTIN'], 15],
]
const ADDRESS_MAX: [string, number][] = [
  ['Line1', 500], ['Line2', 500], ['Line3', 500], ['Line4', 500], ['Line5', 500], ['City', 255],
  ['Country', 255], ['CountrySubDivisionCode', 255], ['PostalCode', 30],
]
const STRING_FIELDS = ['DisplayName', ...NAME_PARTS, 'CompanyName', 'PrintOnCheckName', 'Notes']
const BOOLEAN_FIELDS = ['Job', 'BillWithParent', 'Taxable', 'Active', 'sparse']
const DELIVERY = ['Print', 'Email', 'None']

/** Throws the fault QBO would give for this body, or returns nothing. */
export function checkCustomerBody(body: Wire): void {
  for (const key of Object.keys(body)) {
    if (!CUSTOMER_PROPERTIES.has(key)) throw unknownProperty(key, 'Customer')
  }
  for (const key of STRING_FIELDS) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') throw badValue(key)
  }
  for (const key of BOOLEAN_FIELDS) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'boolean') throw badValue(key)
  }
  for (const key of NO_SEPARATORS) {
    const v = body[key]
    if (typeof v === 'string' && /[:\t\r\n]/.test(v)) {
      throw businessValidation(`${key} cannot contain a colon (:), tab or newline.`, key)
    }
  }
  for (const [path, max] of MAX) {
    const v = pathValue(body, path)
    if (typeof v === 'string' && v.length > max) throw lengthExceeded(path.join('.'), max)
  }
  for (const addr of ['BillAddr', 'ShipAddr', 'OtherAddr']) {
    const a = body[addr]
    if (!a || typeof a !== 'object') continue
    const rec = a as Wire
    let combined = 0
    for (const [part, max] of ADDRESS_MAX) {
      const v = rec[part]
      if (typeof v === 'string' && v.length > max) throw lengthExceeded(`${addr}.${part}`, max)
      if (typeof v === 'string' && part.startsWith('Line')) combined += v.length
    }
    if (combined > 2000) throw lengthExceeded(`${addr}.Line1-5`, 2000)
  }
  const email = pathValue(body, ['PrimaryEmailAddr', 'Address'])
  if (typeof email === 'string' && email !== '' && !(email.includes('@') && email.includes('.'))) {
    throw businessValidation('Email Address does not conform to the RFC 822 syntax.', 'PrimaryEmailAddr')
  }
  const pdm = body.PreferredDeliveryMethod
  if (pdm !== undefined && pdm !== null && !DELIVERY.includes(String(pdm))) {
    throw businessValidation(`Invalid PreferredDeliveryMethod ${String(pdm)}: expected Print, Email or None.`, 'PreferredDeliveryMethod')
  }
  if (body.ParentRef !== undefined && body.ParentRef !== null) {
    const ref = body.ParentRef as Wire
    if (typeof ref !== 'object' || ref.value === undefined) throw requiredMissing('ParentRef', 'Required parameter ParentRef.value is missing in the request')
  }
}

/** DisplayName or one of the name parts is required (I-CUST); QBO then builds the DisplayName. */
export function requireName(body: Wire): QboFault | undefined {
  const has = (k: string) => typeof body[k] === 'string' && (body[k] as string).trim() !== ''
  if (has('DisplayName') || NAME_PARTS.some(has)) return undefined
  return requiredMissing(
    'DisplayName',
    'Required parameter DisplayName or at least one of Title, GivenName, MiddleName, FamilyName, Suffix is missing in the request',
  )
}

export function pathValue(obj: Wire, path: string[]): unknown {
  let v: unknown = obj
  for (const p of path) v = v && typeof v === 'object' ? (v as Wire)[p] : undefined
  return v
}

function badValue(key: string) {
  return unknownProperty(key, 'Customer')
}
