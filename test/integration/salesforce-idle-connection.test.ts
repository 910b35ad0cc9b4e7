/**
 * A write sent after Tally held the event loop longer than the server keeps an idle connection
 * (planning 100,000 customers takes seconds, then the run's record in the org is closed with a
 * PATCH) reaches the org: the connection the server closed meanwhile is not reused. Before, the
 * PATCH met ECONNRESET and, not being retried (jsforce retries no POST or PATCH), the run's
 * Tally_Run__c stayed Running after a 100,000-customer re-import.
 */
import { afterEach, expect, it } from 'vitest'
import { createSalesforceClient } from '../../src/salesforce/index.js'
import { startHarness, type Harness } from '../helpers/tally-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it('a PATCH after the event loop was held past the server’s keep-alive timeout is written', async () => {
  const hh = (h = await startHarness({ generate: 10 }))
  const client = createSalesforceClient({ loginUrl: hh.sandbox.salesforce.url, clientId: hh.env['SF_CLIENT_ID']!, clientSecret: hh.env['SF_CLIENT_SECRET']! })
  const [account] = await client.query<{ Id: string }>('SELECT Id FROM Account ORDER BY Name LIMIT 1')
  // Node's HTTP server closes a connection idle for 5 s (server.keepAliveTimeout): hold the
  // event loop past it, as a long plan does.
  const until = Date.now() + 6_500
  while (Date.now() < until) {
    // busy: nothing else runs
  }
  await client.patchRecord('Account', account!.Id, { Phone: '555-0199' })
  expect(hh.sandbox.salesforce.emulator.get('Account', account!.Id)?.['Phone']).toBe('555-0199')
})
