/**
 * @module sync/model
 * The engine's domain types. Vendor wire shapes never reach this module: the QBO adapter turns a
 * QBO Customer into a `SourceCustomer`, the Salesforce adapter turns query rows into
 * `ExistingRecord`s and `AccountRef`s. Field names of `TargetFields` are the API names of our own
 * Salesforce package (contract §4), which is the product's data model, not a vendor's.
 */

/** A postal address as QBO holds it (Line1–Line5 and the rest), already trimmed. */
export interface SourceAddress {
  lines: string[]
  city?: string
  state?: string
  postalCode?: string
  country?: string
}

/** One QBO customer, active or inactive, in the engine's words. */
export interface SourceCustomer {
  realmId: string
  /** The QuickBooks company's name (CompanyInfo), when Tally knows it: `QBO_Company__c`, so the
   * org's list views and reports can tell companies apart (contract §4). */
  qboCompanyName?: string
  qboId: string
  displayName: string
  title?: string
  givenName?: string
  middleName?: string
  familyName?: string
  suffix?: string
  companyName?: string
  printOnCheckName?: string
  email?: string
  phone?: string
  mobile?: string
  fax?: string
  otherPhone?: string
  website?: string
  billing?: SourceAddress
  shipping?: SourceAddress
  accountNumber?: string
  notes?: string
  /** QBO `Job`: true for sub-customers and projects. */
  isSubCustomer: boolean
  parentQboId?: string
  level: number
  fullyQualifiedName?: string
  billWithParent: boolean
  deliveryMethod?: string
  taxable: boolean
  isProject: boolean
  active: boolean
  balance?: number
  currency?: string
  syncToken: string
  /** ISO 8601 instants. */
  createdAt?: string
  updatedAt?: string
}

/** The last realm's `<realmId>-`, which every key of it shares (V8 keeps `prefix + id` as a pair
 * of the two: one prefix for 100,000 keys, not one copy per key). */
let prefixOf = { realmId: '', prefix: '-' }

/** The key every write upserts on: `<realmId>-<Id>` (contract §4). */
export function customerKey(realmId: string, qboId: string): string {
  if (prefixOf.realmId !== realmId) prefixOf = { realmId, prefix: `${realmId}-` }
  return prefixOf.prefix + qboId
}

/** `Ignored` (contract §5.11): a person said this customer has no Account here. */
export const LINK_STATUSES = ['Matched', 'Created', 'Manual', 'Inherited', 'Unmapped', 'Ambiguous', 'Ignored'] as const
export type LinkStatus = (typeof LINK_STATUSES)[number]

/** A Salesforce Account as the mapping needs it. */
export interface AccountRef {
  id: string
  name: string
  /** `QBO_Source_Key__c`: set on Accounts Tally created, to the key of the customer it was for. */
  sourceKey?: string | null
  /** What suggestions compare (contract §10), when the run read them. */
  website?: string | null
  phone?: string | null
  billingStreet?: string | null
  billingPostalCode?: string | null
}

/** A value the engine writes to one field of `QBO_Customer__c`. Dates are ISO 8601 instants. */
export type FieldValue = string | number | boolean | null

/** Field API name → value. */
export type TargetFields = Record<string, FieldValue>

/** A `QBO_Customer__c` record as it is in Salesforce now (the snapshot the plan diffs against). */
export interface ExistingRecord {
  id: string
  key: string
  accountId: string | null
  /** The linked Account's Name (read with the record, `Account__r.Name`). */
  accountName?: string | null
  linkStatus: LinkStatus | null
  /** The Salesforce user who last modified the record (`LastModifiedBy.Name`): who changed a link
   * in the org (contract §10). */
  lastModifiedBy?: string | null
  /** Every synced field that was read, by API name, normalised by the adapter (dates as ISO),
   * except those named in `sameAsMapped`. */
  fields: TargetFields
  /** Synced fields left out of `fields` because Salesforce holds what the customer read in this
   * run maps to (sync/plan's `compactRecords`): the plan takes them as unchanged. */
  sameAsMapped?: ReadonlySet<string>
}

/** What Tally remembers of a record it wrote (store). */
export interface RecordState {
  key: string
  salesforceId: string | null
  /** The Account Tally last wrote to `Account__c` (null when it wrote none). */
  accountWritten: string | null
  linkStatus: LinkStatus | null
  /** What Salesforce refused for this customer for a reason that repeats, so that the same write
   * is not sent again run after run (absent or null: nothing refused). */
  refused?: Refusal | null
}

/** A refusal that repeats: a validation rule, a value Salesforce will not take, a missing right —
 * not a lock or a timeout. It holds until what Tally would write changes (the customer changed in
 * QBO, or the sync settings did) or a run is asked to try again (`--retry-refused`). */
export interface Refusal {
  /** Fingerprint of the record write Salesforce refused (`PlanItem.fingerprint`), or null. */
  write: string | null
  /** The Name of the Account Salesforce refused to create for this customer, or null. */
  accountName: string | null
  errors: { field: string | null; code: string; message: string }[]
}


/** What became of an Account Tally wrote to a record, read from Salesforce's Recycle Bin when the
 * record's `Account__c` is no longer that Account (contract §5.8). */
export interface AccountFate {
  id: string
  deleted: boolean
  /** Merged away: the surviving Account, which Salesforce moved the record's lookup to. */
  masterRecordId: string | null
}
