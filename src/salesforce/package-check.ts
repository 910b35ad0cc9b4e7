/**
 * @module salesforce/package-check
 * Verifies, with one describe call per object, that Tally's package (contract §4) is deployed and
 * visible to the integration user before anything is written. Describe lists only the fields the
 * user may see, so a missing permission set looks exactly like a missing field: the message says
 * to do both. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import { PackageNotDeployedError, SalesforceError } from './errors.js'

export interface DescribeField {
  name: string
  type?: string
  length?: number
  externalId?: boolean
  createable?: boolean
  updateable?: boolean
  label?: string
  /** On a lookup: the objects it points to and the name a query follows it by (`Account__r`). */
  referenceTo?: string[]
  relationshipName?: string | null
}

export interface DescribeResult {
  name: string
  fields: DescribeField[]
}

export const PACKAGE_OBJECT = 'QBO_Customer__c'

/** Every `QBO_Customer__c` field of contract §4 that Tally writes or reads. */
export const PACKAGE_FIELDS: readonly string[] = [
  'Name', 'QBO_Key__c', 'QBO_Id__c', 'QBO_Realm_Id__c', 'Display_Name__c', 'Account__c', 'Link_Status__c',
  'Title__c', 'First_Name__c', 'Middle_Name__c', 'Last_Name__c', 'Suffix__c', 'Company_Name__c',
  'Print_On_Check_Name__c', 'Email__c', 'Phone__c', 'Mobile__c', 'Fax__c', 'Other_Phone__c', 'Website__c',
  'Billing_Street__c', 'Billing_City__c', 'Billing_State__c', 'Billing_Postal_Code__c', 'Billing_Country__c',
  'Shipping_Street__c', 'Shipping_City__c', 'Shipping_State__c', 'Shipping_Postal_Code__c', 'Shipping_Country__c',
  'Account_Number__c', 'Parent_Customer__c', 'Parent_QBO_Id__c', 'Bill_With_Parent__c', 'Delivery_Method__c',
  'Notes__c', 'Taxable__c', 'Is_Project__c', 'Is_Sub_Customer__c', 'Level__c', 'Fully_Qualified_Name__c',
  'Active__c', 'Balance__c', 'Currency__c', 'QBO_Sync_Token__c', 'QBO_Created__c', 'QBO_Last_Updated__c',
  'Last_Synced__c',
]

/** The Account field Tally creates Accounts by (upsert key). */
export const ACCOUNT_SOURCE_KEY_FIELD = 'QBO_Source_Key__c'

/** The objects `checkPackageDeployed` describes (so that a caller can fetch them along with other
 * requests, in one Composite call). */
export const CHECKED_OBJECTS: readonly string[] = [PACKAGE_OBJECT, 'Account']

const WHAT_TO_DO =
  'run `tally salesforce deploy` (it deploys the package and assigns the Tally_Sync permission set to the integration user), or deploy the salesforce/ folder with `sf project deploy start` and assign Tally_Sync yourself'

function isMissingObject(err: unknown): boolean {
  return err instanceof SalesforceError && (err.status === 404 || err.errorCode === 'NOT_FOUND' || err.errorCode === 'INVALID_TYPE')
}

function list(names: string[]): string {
  const shown = names.slice(0, 5).join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

/** Throws `PackageNotDeployedError` with one sentence naming what is missing and what to do. */
export async function checkPackageDeployed(
  describe: (sobject: string) => Promise<DescribeResult>,
  extraFields: readonly string[] = [],
): Promise<void> {
  const missing: string[] = []
  let objectMissing = false
  try {
    const d = await describe(PACKAGE_OBJECT)
    const have = new Set(d.fields.map((f) => f.name))
    for (const f of new Set([...PACKAGE_FIELDS, ...extraFields])) {
      if (!have.has(f)) missing.push(`${PACKAGE_OBJECT}.${f}`)
    }
  } catch (err) {
    if (!isMissingObject(err)) throw err
    objectMissing = true
    missing.push(PACKAGE_OBJECT)
  }
  const account = await describe('Account')
  if (!account.fields.some((f) => f.name === ACCOUNT_SOURCE_KEY_FIELD)) missing.push(`Account.${ACCOUNT_SOURCE_KEY_FIELD}`)
  if (missing.length === 0) return
  const what = objectMissing
    ? `the object ${PACKAGE_OBJECT}${missing.length > 1 ? ` and the field ${missing.slice(1).join(', ')}` : ''}`
    : `the field${missing.length > 1 ? 's' : ''} ${list(missing)}`
  throw new PackageNotDeployedError(`Salesforce is missing ${what} of Tally's package: ${WHAT_TO_DO}.`, missing)
}
