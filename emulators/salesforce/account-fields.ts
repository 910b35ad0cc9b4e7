/**
 * @module emulators/salesforce/account-fields
 * Account's standard fields, written from Salesforce's documentation — Object Reference for the
 * Salesforce Platform, "Account" (field names, types, properties Create/Update/Nillable, lengths,
 * picklist values where documented) and "Address Compound Fields" (the compound BillingAddress /
 * ShippingAddress and their components); lengths and labels as the Salesforce Field Reference
 * lists them. The state/country code picklists exist in orgs with state and country/territory
 * picklists enabled (the default for new orgs): country codes are ISO 3166-1 alpha-2, state codes
 * ISO 3166-2 subdivision codes — the sandbox lists the United States' and Canada's only (see the
 * README). The field order (address blocks after ParentId, audit fields near the end) is the order
 * a describe call answers in; that order was learned from recorded traffic, not copied.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/compound_fields_address.htm
 */
import { field, systemFields } from './schema.js'
import type { FieldDef, FieldType, ObjectDef } from './schema.js'

/**
 * One row: name, label, type, length (precision for numbers), flags, extra. Flags: `c` createable,
 * `u` updateable, `n` nillable, `r` restricted picklist. Everything else is a FieldDef property.
 */
type Row = [name: string, label: string, type: FieldType, size: number, flags: string, extra?: Partial<FieldDef>]

/** Object Reference, Account.Type "Possible values". */
const TYPE_VALUES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other']
/** Object Reference, Account.Industry: the default values of the Industry picklist. */
const INDUSTRY_VALUES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other']
/** Object Reference, Account.Ownership. */
const OWNERSHIP_VALUES = ['Public', 'Private', 'Subsidiary', 'Other']
/** Object Reference, Account.Rating. */
const RATING_VALUES = ['Hot', 'Warm', 'Cold']
/** Object Reference, Account.AccountSource "Possible values". */
const SOURCE_VALUES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']
/** Object Reference, Account.CleanStatus "Possible values" (Data.com Clean). */
const CLEAN_STATUS_VALUES = ['Matched', 'Different', 'Acknowledged', 'NotFound', 'Inactive', 'Pending', 'SelectMatch', 'Skipped']
/**
 * "Address Compound Fields" / Object Reference, BillingGeocodeAccuracy: the accuracy levels of a
 * geocode, from the most to the least precise.
 */
export const GEOCODE_ACCURACY_VALUES = ['Address', 'NearAddress', 'Block', 'Street', 'ExtendedZip', 'Zip', 'Neighborhood', 'City', 'County', 'State', 'Unknown']

/** ISO 3166-2:US (50 states, DC and the inhabited territories) and ISO 3166-2:CA subdivision codes. */
const STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI',
  'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'AS', 'GU', 'MP', 'PR', 'VI',
  'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT',
].filter((c, i, all) => all.indexOf(c) === i)

/** Codes ICU names that are not ISO 3166-1 countries (withdrawn, reserved or groupings). */
const NOT_COUNTRIES = new Set(['AC', 'AN', 'BU', 'CP', 'CQ', 'CS', 'DD', 'DG', 'DY', 'EA', 'EU', 'EZ', 'FX', 'HV', 'IC', 'NH', 'QO', 'RH', 'SU', 'TA', 'TP', 'UK', 'UN', 'VD', 'XA', 'XB', 'XK', 'YD', 'YU', 'ZR', 'ZZ'])

/** ISO 3166-1 alpha-2 codes, from the region names Node's ICU knows (so no list to keep by hand). */
function countryCodes(): string[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' })
  const codes: string[] = []
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b)
      const name = names.of(code)
      if (name && name !== code && !NOT_COUNTRIES.has(code)) codes.push(code)
    }
  }
  return codes
}

/** One address block (Billing or Shipping) and its compound field, as "Address Compound Fields" lists them. */
function addressRows(prefix: 'Billing' | 'Shipping', countries: string[]): Row[] {
  const compound = { compoundFieldName: `${prefix}Address` }
  return [
    [`${prefix}Street`, `${prefix} Street`, 'textarea', 255, 'cun', { ...compound, extraTypeInfo: 'plaintextarea' }],
    [`${prefix}City`, `${prefix} City`, 'string', 40, 'cun', compound],
    [`${prefix}State`, `${prefix} State/Province`, 'string', 80, 'cun', compound],
    [`${prefix}PostalCode`, `${prefix} Zip/Postal Code`, 'string', 20, 'cun', compound],
    [`${prefix}Country`, `${prefix} Country`, 'string', 80, 'cun', compound],
    [`${prefix}StateCode`, `${prefix} State/Province Code`, 'picklist', 10, 'cunr', { ...compound, picklistValues: STATE_CODES }],
    [`${prefix}CountryCode`, `${prefix} Country Code`, 'picklist', 10, 'cunr', { ...compound, picklistValues: countries }],
    [`${prefix}Latitude`, `${prefix} Latitude`, 'double', 18, 'cun', { ...compound, scale: 15 }],
    [`${prefix}Longitude`, `${prefix} Longitude`, 'double', 18, 'cun', { ...compound, scale: 15 }],
    [`${prefix}GeocodeAccuracy`, `${prefix} Geocode Accuracy`, 'picklist', 40, 'cunr', { ...compound, picklistValues: GEOCODE_ACCURACY_VALUES }],
    // "Compound form of the billing address. Read-only." (Properties: Filter, Nillable)
    [`${prefix}Address`, `${prefix} Address`, 'address', 0, 'n'],
  ]
}

function fromRow([name, label, type, size, flags, extra = {}]: Row): FieldDef {
  const numeric = type === 'double' || type === 'currency' || type === 'int'
  return field(name, label, type, {
    length: numeric ? 0 : size,
    precision: numeric ? size : 0,
    createable: flags.includes('c'),
    updateable: flags.includes('u'),
    nillable: flags.includes('n'),
    restrictedPicklist: flags.includes('r'),
    ...extra,
  })
}

/** Account: every standard field of an Enterprise Edition org (the package adds QBO_Source_Key__c). */
export function accountObject(): ObjectDef {
  const [id, isDeleted, owner, ...audit] = systemFields('Account')
  const countries = countryCodes()
  const rows: Row[] = [
    ['MasterRecordId', 'Master Record ID', 'reference', 18, 'n', { referenceTo: ['Account'], relationshipName: 'MasterRecord' }],
    // Name is not an idLookup field on Account (only Id is), and a person-account-capable org
    // reports it as `switchablepersonname`.
    ['Name', 'Account Name', 'string', 255, 'cu', { nameField: true, extraTypeInfo: 'switchablepersonname' }],
    ['Type', 'Account Type', 'picklist', 255, 'cun', { picklistValues: TYPE_VALUES }],
    ['ParentId', 'Parent Account ID', 'reference', 18, 'cun', { referenceTo: ['Account'], relationshipName: 'Parent' }],
    ...addressRows('Billing', countries),
    ...addressRows('Shipping', countries),
    ['Phone', 'Account Phone', 'phone', 40, 'cun'],
    ['Fax', 'Account Fax', 'phone', 40, 'cun'],
    ['AccountNumber', 'Account Number', 'string', 40, 'cun'],
    ['Website', 'Website', 'url', 255, 'cun'],
    // "The path to be combined with the URL of a Salesforce instance … to generate a URL to
    // request the social network profile image" — read-only.
    ['PhotoUrl', 'Photo URL', 'url', 255, 'n', { extraTypeInfo: 'imageurl' }],
    ['Sic', 'SIC Code', 'string', 20, 'cun'],
    ['Industry', 'Industry', 'picklist', 255, 'cun', { picklistValues: INDUSTRY_VALUES }],
    ['AnnualRevenue', 'Annual Revenue', 'currency', 18, 'cun'],
    ['NumberOfEmployees', 'Employees', 'int', 8, 'cun'],
    ['Ownership', 'Ownership', 'picklist', 255, 'cun', { picklistValues: OWNERSHIP_VALUES }],
    ['TickerSymbol', 'Ticker Symbol', 'string', 20, 'cun'],
    ['Description', 'Account Description', 'textarea', 32000, 'cun', { extraTypeInfo: 'plaintextarea' }],
    ['Rating', 'Account Rating', 'picklist', 255, 'cun', { picklistValues: RATING_VALUES }],
    ['Site', 'Account Site', 'string', 80, 'cun'],
  ]
  const tail: Row[] = [
    ['LastActivityDate', 'Last Activity', 'date', 0, 'n'],
    ['LastViewedDate', 'Last Viewed Date', 'datetime', 0, 'n'],
    ['LastReferencedDate', 'Last Referenced Date', 'datetime', 0, 'n'],
    ['Jigsaw', 'Data.com Key', 'string', 20, 'cun'],
    ['JigsawCompanyId', 'Jigsaw Company ID', 'string', 20, 'n', { relationshipName: 'JigsawCompany' }],
    ['CleanStatus', 'Clean Status', 'picklist', 40, 'cunr', { picklistValues: CLEAN_STATUS_VALUES }],
    ['AccountSource', 'Account Source', 'picklist', 255, 'cun', { picklistValues: SOURCE_VALUES }],
    ['DunsNumber', 'D-U-N-S Number', 'string', 9, 'cun'],
    ['Tradestyle', 'Tradestyle', 'string', 255, 'cun'],
    ['NaicsCode', 'NAICS Code', 'string', 8, 'cun'],
    ['NaicsDesc', 'NAICS Description', 'string', 120, 'cun'],
    ['YearStarted', 'Year Started', 'string', 4, 'cun'],
    ['SicDesc', 'SIC Description', 'string', 80, 'cun'],
    ['DandbCompanyId', 'D&B Company ID', 'reference', 18, 'cun', { referenceTo: ['DandBCompany'], relationshipName: 'DandbCompany' }],
    ['OperatingHoursId', 'Operating Hour ID', 'reference', 18, 'cun', { referenceTo: ['OperatingHours'], relationshipName: 'OperatingHours' }],
  ]
  return {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    custom: false,
    fields: [id, isDeleted, ...rows.map(fromRow), owner, ...audit, ...tail.map(fromRow)] as FieldDef[],
  }
}
