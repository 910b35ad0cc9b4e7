/**
 * @module jobs/org-run-requests
 * Runs asked for in the org (contract §12): `tally start` listens on the Streaming API for
 * `Tally_Run__c` records with Status `Requested` and runs each one, one after another, writing its
 * outcome back onto that record (jobs/org-runs). Why a PushTopic rather than Change Data Capture:
 * Tally can create a PushTopic itself through the API (CDC needs the object selected in Setup),
 * the topic's SOQL filters on Status server-side so only requests arrive, and its event carries
 * the fields Tally needs; jsforce subscribes to either the same way.
 * At start, and then once a minute only while the stream is down, one query finds the requests
 * made while Tally was not listening. If the org has no Tally_Run__c yet (package not deployed),
 * the listener tries again a minute later.
 */
import { describeError, RunAlreadyRunningError } from '../lib/errors.js'
import { ensurePushTopic, subscribeTopic, type TopicSubscription } from '../salesforce/streaming.js'
import type { SalesforceClient } from '../salesforce/index.js'

import { qboCompanies, salesforceClient } from './connections.js'
import { failOrgRun, listRequestedRuns, type RequestedRun } from './org-runs.js'
import type { RunService } from './runs.js'
import type { Tally } from './tally.js'

export const RUN_REQUESTS_TOPIC = 'TallyRunRequests'
/** The PushTopic's query: only requests, with what a run needs to know. */
export const RUN_REQUESTS_QUERY = "SELECT Id, Status__c, Mode__c, Dry_Run__c, QBO_Realm_Id__c FROM Tally_Run__c WHERE Status__c = 'Requested'"

export interface OrgRunRequests {
  /** Resolves once the first attempt to listen is over (listening, or waiting to retry). */
  ready: Promise<void>
  listening(): boolean
  stop(): Promise<void>
}

export function startOrgRunRequests(t: Tally, runs: RunService, o: { pollMs?: number; busyRetryMs?: number; now?: () => Date } = {}): OrgRunRequests {
  const pollMs = o.pollMs ?? 60_000
  const busyRetryMs = o.busyRetryMs ?? 5_000
  const now = o.now ?? (() => new Date())
  const queue: RequestedRun[] = []
  const seen = new Set<string>()
  let sf: SalesforceClient | null = null
  let sub: TopicSubscription | null = null
  let up = false
  let stopped = false
  let working: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | null = null

  const enqueue = (r: RequestedRun) => {
    if (seen.has(r.Id)) return
    seen.add(r.Id)
    queue.push(r)
    working = working.then(drain)
  }

  async function drain(): Promise<void> {
    for (let r = queue.shift(); r && !stopped; r = queue.shift()) {
      // The run of the company it names; empty: every connected company (contract §12), one after
      // another. Each company's run has a Tally_Run__c of its own, naming its realm: the request's
      // record is the first company's, the others' runs create theirs.
      const known = (await qboCompanies(t)).map((c) => c.company)
      if (r.QBO_Realm_Id__c && !known.includes(r.QBO_Realm_Id__c) && sf) {
        await failOrgRun(sf, r.Id, `Tally is not connected to QuickBooks company ${r.QBO_Realm_Id__c} (connected: ${known.join(', ') || 'none'}): add it on the Hub's Connections page, or leave QBO Realm Id empty.`, now()).catch(() => {})
        continue
      }
      const realms = r.QBO_Realm_Id__c ? [r.QBO_Realm_Id__c] : known.length > 0 ? known : [t.config.qbo.realmId].filter((x): x is string => !!x)
      for (let i = 0; i < Math.max(realms.length, 1) && !stopped; ) {
        const realm = realms[i]
        try {
          await runs.execute({
            mode: r.Mode__c === 'sync' ? 'sync' : 'import',
            dryRun: r.Dry_Run__c === true,
            ...(i === 0 ? { orgRunId: r.Id } : {}),
            ...(realm ? { realmId: realm } : {}),
          })
        } catch (e) {
          if (e instanceof RunAlreadyRunningError) {
            // Another run of this company (the Hub's, a schedule's) is going on: ask again when it
            // has had time to end. (The request stays in `seen`, so an event for it meanwhile does
            // not queue it twice.)
            await new Promise((res) => setTimeout(res, busyRetryMs))
            continue
          }
          // The run itself marked its record Failed with the reason.
          t.logger.warn('requested run failed', { id: r.Id, realm, error: describeError(e) })
        }
        i += 1
      }
      // Done: the same record may be requested again later.
      seen.delete(r.Id)
    }
  }

  async function sweep(): Promise<void> {
    if (!sf) return
    for (const r of await listRequestedRuns(sf)) enqueue(r)
  }

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => void tick(), pollMs)
    timer.unref()
  }

  /** Once a minute: listen if not listening yet; poll only while the stream is down. */
  async function tick(): Promise<void> {
    try {
      if (!sub) await listen()
      else if (!up) await sweep()
    } catch (e) {
      t.logger.warn('requested runs: not listening yet; trying again in a minute', { error: describeError(e) })
    } finally {
      schedule()
    }
  }

  async function listen(): Promise<void> {
    sf ??= await salesforceClient(t)
    await ensurePushTopic(sf, { name: RUN_REQUESTS_TOPIC, query: RUN_REQUESTS_QUERY, apiVersion: 62.0 })
    sub = await subscribeTopic(
      sf,
      RUN_REQUESTS_TOPIC,
      (e) => {
        const s = e.sobject as Partial<RequestedRun>
        if (e.type === 'deleted' || !s.Id) return
        enqueue({ Id: s.Id, Mode__c: s.Mode__c ?? null, Dry_Run__c: s.Dry_Run__c ?? null, QBO_Realm_Id__c: s.QBO_Realm_Id__c ?? null })
      },
      {
        onDown: () => void (up = false),
        onUp: () => void (up = true),
        onAuthFailure: () => {
          // The session expired: a fresh subscription after the next REST call renews it.
          void sub?.cancel()
          sub = null
          up = false
        },
      },
    )
    up = true
    // What was asked for while Tally was not listening.
    await sweep()
  }

  const ready = listen().catch((e: unknown) => {
    sub = null
    t.logger.warn('requested runs: not listening yet; trying again in a minute', { error: describeError(e) })
  }).finally(schedule)

  return {
    ready,
    listening: () => sub !== null && up,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await sub?.cancel()
      await working.catch(() => {})
    },
  }
}
