/**
 * @module hub/routes/customers
 * The synced `QBO_Customer__c` records, the queue of customers waiting for a person to link them,
 * the Account lookup, and linking a record to an Account by hand (which makes its link `Manual`,
 * contract §5.1).
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { GetAccounts, GetCustomers, GetLinkQueue, PutCustomerAccount } from '../api-types.js'
import { signedInUser } from '../auth.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { parseOr400 } from '../errors.js'
import { KeyParams, RealmId, SalesforceId } from './params.js'

const ListQuery = z.object({
  search: z.string().trim().max(200).optional(),
  filter: z.enum(['all', 'mapped', 'unmapped', 'ambiguous', 'inactive']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  realmId: RealmId.optional(),
})
const RealmQuery = z.object({ realmId: RealmId.optional() })

const AccountsQuery = z.object({ search: z.string().trim().max(200).default('') })
const LinkBody = z.strictObject({
  accountId: SalesforceId.nullable(),
  accountName: z.string().max(255).optional(),
})

export function registerCustomerRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  const { customers } = deps.services

  app.get('/api/customers', async (c) => {
    const q = parseOr400(ListQuery, c.req.query(), 'invalid_query_params')
    const { total, items } = await customers.list({
      ...(q.search ? { search: q.search } : {}),
      filter: q.filter,
      page: q.page,
      pageSize: q.pageSize,
      ...(q.realmId ? { realmId: q.realmId } : {}),
    })
    return c.json<GetCustomers['Success']>({ total, page: q.page, pageSize: q.pageSize, items })
  })

  app.get('/api/link-queue', async (c) => {
    const { realmId } = parseOr400(RealmQuery, c.req.query(), 'invalid_query_params')
    return c.json<GetLinkQueue['Success']>({ items: await customers.linkQueue(realmId) })
  })

  app.get('/api/accounts', async (c) => {
    const { search } = parseOr400(AccountsQuery, c.req.query(), 'invalid_query_params')
    return c.json<GetAccounts['Success']>({ accounts: await customers.searchAccounts(search) })
  })

  app.put('/api/customers/:key/account', async (c) => {
    const { key } = parseOr400(KeyParams, c.req.param(), 'invalid_uri_params')
    const body = parseOr400(LinkBody, await c.req.json().catch(() => null), 'invalid_body')
    return c.json<PutCustomerAccount['Success']>(await customers.link(key, body.accountId, body.accountName, signedInUser(c)))
  })
}
