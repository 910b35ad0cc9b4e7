/**
 * @module hub/routes/links
 * Suggestions, Ignore, the link history and Undo (contract §10): accept one suggested Account, or
 * every best suggestion at or above a score (first as a dry run, for the count the page confirms),
 * mark a customer Ignored and back, recompute the suggestions now ("Refresh suggestions"), list
 * the link changes and undo one. Every change is the signed-in user's, and the history says so.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type {
  GetLinkHistory,
  PostAcceptAll,
  PostAcceptSuggestion,
  PostIgnoreCustomer,
  PostRefreshSuggestions,
  PostUndoLinkChange,
  PostUnignoreCustomer,
} from '../api-types.js'
import { signedInUser } from '../auth.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { parseOr400 } from '../errors.js'
import { KeyParams, RealmId, SalesforceId } from './params.js'

const AcceptBody = z.strictObject({ accountId: SalesforceId })
// Both required: a body that forgot `dryRun` must not link a whole queue.
const AcceptAllBody = z.strictObject({
  minScore: z.number().int().min(0).max(100),
  dryRun: z.boolean(),
  realmId: RealmId.optional(),
})
const RealmBody = z.strictObject({ realmId: RealmId.optional() })
const HistoryQuery = z.object({
  realmId: RealmId.optional(),
  by: z.enum(['tally', 'hub', 'salesforce']).optional(),
  search: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
})
const EntryParams = z.strictObject({ id: z.string().min(1).max(100) })

export function registerLinkRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  const { links } = deps.services

  app.post('/api/customers/:key/accept', async (c) => {
    const { key } = parseOr400(KeyParams, c.req.param(), 'invalid_uri_params')
    const { accountId } = parseOr400(AcceptBody, await c.req.json().catch(() => null), 'invalid_body')
    return c.json<PostAcceptSuggestion['Success']>(await links.acceptSuggestion(key, accountId, signedInUser(c)))
  })

  app.post('/api/links/accept-all', async (c) => {
    const body = parseOr400(AcceptAllBody, await c.req.json().catch(() => null), 'invalid_body')
    const { accepted } = await links.acceptAll({
      minScore: body.minScore,
      dryRun: body.dryRun,
      ...(body.realmId ? { realmId: body.realmId } : {}),
      who: signedInUser(c),
    })
    return c.json<PostAcceptAll['Success']>({ accepted })
  })

  app.post('/api/links/suggest', async (c) => {
    const { realmId } = parseOr400(RealmBody, await c.req.json().catch(() => null), 'invalid_body')
    return c.json<PostRefreshSuggestions['Success']>(await links.refreshSuggestions(realmId))
  })

  app.post('/api/customers/:key/ignore', async (c) => {
    const { key } = parseOr400(KeyParams, c.req.param(), 'invalid_uri_params')
    return c.json<PostIgnoreCustomer['Success']>(await links.ignore(key, signedInUser(c)))
  })

  app.post('/api/customers/:key/unignore', async (c) => {
    const { key } = parseOr400(KeyParams, c.req.param(), 'invalid_uri_params')
    return c.json<PostUnignoreCustomer['Success']>(await links.unignore(key, signedInUser(c)))
  })

  app.get('/api/link-history', async (c) => {
    const q = parseOr400(HistoryQuery, c.req.query(), 'invalid_query_params')
    const { total, items } = await links.history({
      ...(q.realmId ? { realmId: q.realmId } : {}),
      ...(q.by ? { by: q.by } : {}),
      ...(q.search ? { search: q.search } : {}),
      page: q.page,
      pageSize: q.pageSize,
    })
    return c.json<GetLinkHistory['Success']>({ total, page: q.page, pageSize: q.pageSize, items })
  })

  app.post('/api/link-history/:id/undo', async (c) => {
    const { id } = parseOr400(EntryParams, c.req.param(), 'invalid_uri_params')
    return c.json<PostUndoLinkChange['Success']>(await links.undo(id, signedInUser(c)))
  })
}

