/**
 * @module jobs/org-settings
 * The sync settings live in the org (contract §12): one `Tally_Settings__c` per company, keyed by
 * `QBO_Realm_Id__c`, with `Create_Accounts__c` and `Synced_Field_Groups__c` (the field-group ids of
 * src/sync/fields.ts, separated by semicolons; empty = all). A run reads every company's record
 * with one SOQL query; the Hub reads the same and writes with one upsert on the realm. The store
 * keeps the last copy read, which is what a run uses when the org cannot be reached (or the
 * package's objects are not deployed yet). A run's query travels in its first call (jobs/run-start).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 */
import { describeError } from '../lib/errors.js'
import { queryPart, SalesforceError, soql, type CompositePart, type SalesforceClient } from '../salesforce/index.js'
import { getCompanySettings, saveCompanySettings, type Db, type Settings } from '../store/index.js'
import { FIELD_GROUPS, LINK_FIELDS, SWITCHABLE_FIELDS, SYNCED_FIELDS } from '../sync/fields.js'
import type { Logger } from '../lib/logger.js'

export const SETTINGS_OBJECT = 'Tally_Settings__c'

export interface SettingsRecord {
  Id: string
  QBO_Realm_Id__c: string | null
  Create_Accounts__c: boolean | null
  Synced_Field_Groups__c: string | null
}

/** Where the settings in force came from. */
export type SettingsSource = 'org' | 'store'

export interface ResolvedSettings {
  settings: Settings
  source: SettingsSource
  /** False when the org answered that the package's Tally objects do not exist. */
  orgObjects: boolean
  /** Why the org was not used, when it was not. */
  problem: string | null
}

const groupOfField = (name: string): string | undefined =>
  name === LINK_FIELDS.parent ? 'additional' : SYNCED_FIELDS.find((f) => f.name === name)?.group

const GROUP_IDS: readonly string[] = FIELD_GROUPS.map((g) => g.id)

/** `Synced_Field_Groups__c` for a field selection: the groups whose every field is on; empty when all are. */
export function groupsOfFields(enabled: readonly string[] | null): string {
  if (enabled === null) return ''
  const on = new Set(enabled)
  const groups = GROUP_IDS.filter((g) => SWITCHABLE_FIELDS.filter((f) => groupOfField(f) === g).every((f) => on.has(f)))
  return groups.length === GROUP_IDS.length ? '' : groups.join(';')
}

/** The field selection of a `Synced_Field_Groups__c` value (unknown ids ignored; empty = all). */
export function fieldsOfGroups(value: string | null): string[] | null {
  const ids = (value ?? '').split(';').map((s) => s.trim()).filter((s) => GROUP_IDS.includes(s))
  if (ids.length === 0) return null
  return SWITCHABLE_FIELDS.filter((f) => ids.includes(groupOfField(f) ?? ''))
}

/** The org's record and the store's copy → the settings in force. The store's finer per-field
 * choice is kept while the org's groups still say the same thing; a change made in the org wins. */
function fromRecord(rec: SettingsRecord, stored: Settings): Settings {
  const orgGroups = (rec.Synced_Field_Groups__c ?? '').split(';').map((s) => s.trim()).filter(Boolean).sort().join(';')
  const storedGroups = groupsOfFields(stored.enabledFields).split(';').filter(Boolean).sort().join(';')
  return {
    createAccounts: rec.Create_Accounts__c === true,
    enabledFields: orgGroups === storedGroups ? stored.enabledFields : fieldsOfGroups(rec.Synced_Field_Groups__c),
  }
}

const isMissingObject = (e: unknown): boolean => e instanceof SalesforceError && (e.errorCode === 'INVALID_TYPE' || e.errorCode === 'NOT_FOUND')

const SETTINGS_QUERY = soql`SELECT Id, QBO_Realm_Id__c, Create_Accounts__c, Synced_Field_Groups__c FROM Tally_Settings__c`

/** Every company's settings record: one query. */
async function readRecords(sf: SalesforceClient): Promise<SettingsRecord[]> {
  return sf.query<SettingsRecord>(SETTINGS_QUERY)
}

/** The same query as a part of a run's first call (jobs/run-start), for `resolveSettings`'s
 * `records`. */
export function settingsQueryPart(sf: SalesforceClient): CompositePart<SettingsRecord[]> {
  return queryPart<SettingsRecord>(sf, 'settings', SETTINGS_QUERY)
}

function toRecord(realmId: string, s: Settings): Record<string, unknown> {
  return { QBO_Realm_Id__c: realmId, Create_Accounts__c: s.createAccounts, Synced_Field_Groups__c: groupsOfFields(s.enabledFields) || null }
}

/** Writes the settings of `realmId` to its record (one upsert on the realm; creates it if missing). */
export async function writeOrgSettings(sf: SalesforceClient, realmId: string, s: Settings): Promise<void> {
  const [r] = await sf.upsert(SETTINGS_OBJECT, 'QBO_Realm_Id__c', [toRecord(realmId, s)])
  if (r && !r.ok) {
    const e = r.errors[0]
    throw new SalesforceError({ status: 400, errorCode: e?.code ?? 'UNKNOWN_ERROR', message: `Salesforce refused the Tally Settings of company ${realmId}: ${e?.message ?? 'no reason given'}`, fields: e?.fields ?? [] })
  }
}

/**
 * The settings of company `realmId` for a run or the Hub: the org's record (one query for every
 * company), saved to the store as the last copy; the store's copy when the org cannot answer. A
 * company with no record yet gets one from the store's settings (one upsert, once, unless
 * `mayWrite` is false), so the org shows what Tally uses. `records`: the query's answer when it was
 * already asked (`settingsQueryPart` in a run's first call); it fails as the query would.
 */
export async function resolveSettings(
  sf: SalesforceClient,
  db: Db,
  realmId: string,
  o: { logger?: Logger | undefined; mayWrite?: boolean; records?: Promise<SettingsRecord[]> } = {},
): Promise<ResolvedSettings> {
  const logger = o.logger
  // The store's copy is the company's own (contract §9: settings per company).
  const stored = await getCompanySettings(db, realmId)
  let records: SettingsRecord[]
  try {
    records = await (o.records ?? readRecords(sf))
  } catch (e) {
    const missing = isMissingObject(e)
    const problem = missing ? `${SETTINGS_OBJECT} is not in the org (deploy the package with \`tally salesforce deploy\`)` : describeError(e)
    logger?.warn('settings: using the stored copy', { problem })
    return { settings: stored, source: 'store', orgObjects: !missing, problem }
  }
  const rec = records.find((r) => r.QBO_Realm_Id__c === realmId)
  if (!rec) {
    // A dry run writes nothing to Salesforce, not even this.
    if (o.mayWrite !== false) await writeOrgSettings(sf, realmId, stored).catch((e: unknown) => logger?.warn('settings: could not create the org record', { error: describeError(e) }))
    return { settings: stored, source: 'store', orgObjects: true, problem: null }
  }
  const settings = fromRecord(rec, stored)
  if (settings.createAccounts !== stored.createAccounts || JSON.stringify(settings.enabledFields) !== JSON.stringify(stored.enabledFields)) {
    await saveCompanySettings(db, realmId, settings)
  }
  return { settings, source: 'org', orgObjects: true, problem: null }
}
