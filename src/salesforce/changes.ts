/**
 * @module salesforce/changes
 * The first read of an incremental sync in one Composite call: the Accounts deleted or merged since
 * an instant (the Recycle Bin, `queryAll`) and the `QBO_Customer__c` records of a selection (the
 * statements of `selectQboCustomerRecords`), each answered as its own query would be (every page:
 * query more follows a paged answer).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 */
import { deletedAccountsQuery, toFate, type AccountFate, type FateRow } from './accounts.js'
import { COMPOSITE_MAX_QUERIES, type SalesforceClient } from './client.js'
import { queryPart, sendParts } from './composite.js'
import { selectQboCustomerRecords, type RecordSelection } from './qbo-customers.js'

/**
 * `accountsDeletedSince(since)` and `listSelectedQboCustomerRecords(realmId, selection, fieldNames)`
 * in one call: the Recycle Bin's query and up to four of the selection's statements (a Composite
 * request takes five queries); statements beyond those (a selection too long for four query URLs)
 * are sent on their own. Records once each.
 */
export async function readChangesSince(
  client: SalesforceClient,
  realmId: string,
  since: Date,
  selection: RecordSelection,
  fieldNames: readonly string[],
): Promise<{ deletedAccounts: AccountFate[]; records: Record<string, unknown>[] }> {
  const statements = selectQboCustomerRecords(realmId, selection, fieldNames, { prefixBytes: client.queryPath('').length })
  const together = statements.slice(0, COMPOSITE_MAX_QUERIES - 1)
  const [deleted, ...pages] = await sendParts(client, [
    queryPart<FateRow>(client, 'deletedAccounts', deletedAccountsQuery(since), { all: true }),
    ...together.map((q, i) => queryPart(client, `records${i}`, q)),
  ])
  const seen = new Map<string, Record<string, unknown>>()
  for (const rows of pages) for (const r of await (rows as Promise<Record<string, unknown>[]>)) seen.set(String(r['Id']), r)
  for (const q of statements.slice(together.length)) for (const r of await client.query(q)) seen.set(String(r['Id']), r)
  return { deletedAccounts: (await (deleted as Promise<FateRow[]>)).map(toFate), records: [...seen.values()] }
}
