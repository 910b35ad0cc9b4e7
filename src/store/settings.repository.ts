/**
 * @module store/settings.repository
 * Runtime settings edited in the Hub (house style §6.5: deploy config comes from the
 * environment, runtime settings live in the database). One JSON value per key.
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

/** The saved settings, defaults filled in. */
export async function getSettings(db: Db): Promise<Settings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute()
  const saved = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
  const createAccounts = saved.get('createAccounts')
  const enabledFields = saved.get('enabledFields')
  return {
    createAccounts: typeof createAccounts === 'boolean' ? createAccounts : DEFAULT_SETTINGS.createAccounts,
    enabledFields: Array.isArray(enabledFields)
      ? enabledFields.filter((f): f is string => typeof f === 'string')
      : null,
  }
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
