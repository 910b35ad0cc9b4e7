/**
 * @module store/settings.repository
 * Runtime settings edited in the Hub (house style §6.5: deploy config comes from the
 * environment, runtime settings live in the database). One JSON value per key, per QuickBooks
 * company (`company_settings`); the org-wide `settings` are what a company without its own has.
 */
import { toIso } from './codec.js'
import type { Db } from './database.js'

export interface Settings {
  /** Contract §5 rule 5: create an Account for an unmatched customer. Off until switched on. */
  createAccounts: boolean
  /** Field groups/fields the user chose to sync; null = all (contract §5 rule 6). */
  enabledFields: string[] | null
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  createAccounts: false,
  enabledFields: null,
})

/** The org-wide saved settings (the default of a company that has none), defaults filled in. */
export async function getSettings(db: Db): Promise<Settings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute()
  return toSettings(new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])))
}

/** Saves the given settings; the others keep their value. Returns the settings now in force. */
export async function saveSettings(
  db: Db,
  partial: Partial<Settings>,
  now: Date = new Date(),
): Promise<Settings> {
  const at = toIso(now)
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue
    const json = JSON.stringify(value)
    await db
      .insertInto('settings')
      .values({ key, value: json, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
      .execute()
  }
  return getSettings(db)
}

function toSettings(saved: Map<string, unknown>): Settings {
  const createAccounts = saved.get('createAccounts')
  const enabledFields = saved.get('enabledFields')
  return {
    createAccounts: typeof createAccounts === 'boolean' ? createAccounts : DEFAULT_SETTINGS.createAccounts,
    enabledFields: Array.isArray(enabledFields)
      ? enabledFields.filter((f): f is string => typeof f === 'string')
      : null,
  }
}

async function companyRows(db: Db, realmId: string): Promise<Map<string, unknown>> {
  const rows = await db.selectFrom('company_settings').select(['key', 'value']).where('realm_id', '=', realmId).execute()
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
}

/** The realm id of the first QuickBooks company connected (other than `except`), if any. */
async function firstCompany(db: Db, except: string): Promise<string | null> {
  const row = await db
    .selectFrom('connections')
    .select('company_key')
    .where('provider', '=', 'qbo')
    .where('company_key', '!=', except)
    .where('company_key', '!=', '')
    .orderBy('connected_at')
    .orderBy('company_key')
    .executeTakeFirst()
  return row?.company_key ?? null
}

/**
 * One QuickBooks company's settings (contract §9: per company). A company that never saved its
 * own has the first company's (what `initCompanySettings` copies when it connects), and before
 * any company saved, the org-wide saved settings, then the defaults — key by key.
 */
export async function getCompanySettings(db: Db, realmId: string): Promise<Settings> {
  const own = await companyRows(db, realmId)
  const first = await firstCompany(db, realmId)
  const inherited = first ? await companyRows(db, first) : new Map<string, unknown>()
  const global = await db.selectFrom('settings').select(['key', 'value']).execute()
  const merged = new Map<string, unknown>(global.map((r) => [r.key, JSON.parse(r.value) as unknown]))
  for (const [k, v] of inherited) merged.set(k, v)
  for (const [k, v] of own) merged.set(k, v)
  return toSettings(merged)
}

/** Saves the given settings of one company; the others keep their value. Returns the
 * company's settings now in force. */
export async function saveCompanySettings(
  db: Db,
  realmId: string,
  partial: Partial<Settings>,
  now: Date = new Date(),
): Promise<Settings> {
  const at = toIso(now)
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue
    const json = JSON.stringify(value)
    await db
      .insertInto('company_settings')
      .values({ realm_id: realmId, key, value: json, updated_at: at })
      .onConflict((oc) => oc.columns(['realm_id', 'key']).doUpdateSet({ value: json, updated_at: at }))
      .execute()
  }
  return getCompanySettings(db, realmId)
}

/**
 * A company just connected: it starts with the settings in force for it now (the first
 * company's, contract §9), written as its own, so that later changes to the first company do
 * not silently change it. Does nothing when the company has settings already (a reconnect).
 */
export async function initCompanySettings(db: Db, realmId: string, now: Date = new Date()): Promise<void> {
  if ((await companyRows(db, realmId)).size > 0) return
  const current = await getCompanySettings(db, realmId)
  await saveCompanySettings(db, realmId, current, now)
}
