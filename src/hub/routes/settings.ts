/**
 * @module hub/routes/settings
 * Sync Settings: the Create Accounts switch and the field checkboxes, and the field catalogue
 * grouped as the product description lists it (FIELD_GROUPS of src/sync/fields.ts).
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import { FIELD_GROUPS, LINK_FIELDS, SWITCHABLE_FIELDS, SYNCED_FIELDS } from '../../sync/fields.js'
import type { FieldGroupView, GetSettings, GetSettingsFields, PutSettings } from '../api-types.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { parseOr400 } from '../errors.js'

const switchable = new Set(SWITCHABLE_FIELDS)
const RealmQuery = z.object({ realmId: z.string().regex(/^\d+$/).max(32).optional() })


const SettingsBody = z.strictObject({
  createAccounts: z.boolean().optional(),
  enabledFields: z
    .array(z.string().refine((f) => switchable.has(f), { message: 'not a field that can be switched' }))
    .max(200)
    .optional(),
})

/** The checkbox groups, in the order of the product description. */
export function fieldGroups(): FieldGroupView[] {
  return FIELD_GROUPS.map((g) => {
    const fields = SYNCED_FIELDS.filter((f) => f.group === g.id).map((f) => ({
      name: f.name,
      label: f.label,
      qboField: f.qboField,
    }))
    // The parent lookup is computed by the plan but switched with "Additional information".
    if (g.id === 'additional') {
      fields.splice(1, 0, { name: LINK_FIELDS.parent, label: 'Parent Customer', qboField: 'ParentRef' })
    }
    return { id: g.id, label: g.label, fields }
  })
}

export function registerSettingsRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  const { settings } = deps.services
  app.get('/api/settings', async (c) => {
    const { realmId } = parseOr400(RealmQuery, c.req.query(), 'invalid_query_params')
    return c.json<GetSettings['Success']>(await settings.get(realmId))
  })

  app.put('/api/settings', async (c) => {
    const body = parseOr400(SettingsBody, await c.req.json().catch(() => null), 'invalid_body')
    const patch: PutSettings['Body'] = {}
    if (body.createAccounts !== undefined) patch.createAccounts = body.createAccounts
    if (body.enabledFields !== undefined) patch.enabledFields = [...new Set(body.enabledFields)]
    const { realmId } = parseOr400(RealmQuery, c.req.query(), 'invalid_query_params')
    return c.json<PutSettings['Success']>(await settings.save(patch, realmId))
  })

  app.get('/api/settings/fields', (c) => c.json<GetSettingsFields['Success']>({ groups: fieldGroups() }))
}
