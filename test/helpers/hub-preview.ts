/**
 * @module test/helpers/hub-preview
 * Runs the Hub with in-memory services and a simulated import, for looking at the SPA (and
 * screenshots) without the engine: `npx tsx test/helpers/hub-preview.ts [port]`. The admin
 * password is `preview`. `PREVIEW_AUTO_SYNC` (running, sweep-only, paused, off) and
 * `PREVIEW_COMPANIES=2` choose how the Automatic sync panel looks. Not used by the product.
 */
import { serve } from '@hono/node-server'
import { createHubApp } from '../../src/hub/app.js'
import type {
  AutoSyncCompanyView, AutoSyncView, LinkHistoryEntry,
  ConnectionView, CustomerRow, HubAuth, HubServices, ProgressEvent, RunMessage, RunView, SessionRecord,
} from '../../src/hub/services.js'
import { RunAlreadyRunningError } from '../../src/lib/errors.js'
import { NotFoundError } from '../../src/hub/services.js'
import { SWITCHABLE_FIELDS } from '../../src/sync/fields.js'

const NAMES = ["Amy's Bird Sanctuary", 'Bill\'s Windsurf Shop', 'Cool Cars', 'Diego Rodriguez', 'Dukes Basketball Camp', 'Dylan Sollfrank',
  'Freeman Sporting Goods', '0969 Ocean View Road', '55 Twin Lane', 'Geeta Kalapatapu', 'Gevelber Photography', 'Jeff\'s Jalopies',
  'John Melton', 'Kate Whelan', 'Kookies by Kathy', 'Mark Cho', 'Paulsen Medical Supplies', 'Pye\'s Cakes', 'Rago Travel Agency',
  'Red Rock Diner', 'Rondonuwu Fruit and Vegi', 'Shara Barnett', 'Barnett Design', 'Sonnenschein Family Store', 'Sushi by Katsuyuki',
  'Travis Waldron', 'Video Games by Dan', 'Wedding Planning by Whitney', 'Weiskopf Consulting', 'Cool Cars 2']

/** How the preview's automatic sync looks: `running` (webhooks on), `sweep-only` (no webhook
 * verifier), `paused` (the API budget spent), `off` (`tally start --no-auto-sync`); `companies`:
 * how many QuickBooks companies it syncs. */
export interface PreviewOptions {
  autoSync?: 'running' | 'sweep-only' | 'paused' | 'off'
  companies?: 1 | 2
}

/** Automatic sync in memory (the real one is the jobs layer's): a sweep "runs" every
 * `intervalSeconds`, a switched-off company is `off` and has no next sweep. */
export function previewAutoSync(o: PreviewOptions = {}): NonNullable<HubServices['autoSync']> {
  const mode = o.autoSync ?? 'running'
  const intervalSeconds = 300
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
  const companies: AutoSyncCompanyView[] = [
    { realmId: '9341452631925553', companyName: "Craig's Design and Landscaping Services", enabled: true, state: 'idle', lastSweepAt: ago(95_000), nextSweepAt: null,
      lastChangeAt: ago(4 * 60_000), lastLagMs: 1234, lastError: null, lastErrorAt: null },
  ]
  if (o.companies === 2) {
    companies.push({ realmId: '9341452631925554', companyName: "Craig's Design and Landscaping Services (Canada) — a company name long enough to be cut in its card", enabled: false, state: 'off',
      lastSweepAt: ago(3 * 3_600_000), nextSweepAt: null, lastChangeAt: null, lastLagMs: null,
      lastError: 'QuickBooks answered 401 AuthenticationFailed: the refresh token was revoked; reconnect the company on the Connections page.', lastErrorAt: ago(3 * 3_600_000) })
  }
  const view = (c: AutoSyncCompanyView): AutoSyncCompanyView => {
    const on = c.enabled && mode !== 'off'
    const last = c.lastSweepAt ? new Date(c.lastSweepAt).getTime() : Date.now()
    // The next sweep is the first interval after the last one that is still to come.
    const next = last + Math.max(1, Math.ceil((Date.now() - last) / (intervalSeconds * 1000))) * intervalSeconds * 1000
    return { ...c, state: !on ? 'off' : mode === 'paused' ? 'paused' : c.state, nextSweepAt: on ? new Date(next).toISOString() : null }
  }
  const status = async (): Promise<AutoSyncView> => ({
    running: mode !== 'off',
    intervalSeconds,
    webhooks: mode !== 'sweep-only',
    budget: mode === 'paused'
      ? { share: 0.8, used: 89_100, max: 110_000, paused: true, pausedSince: ago(12 * 60_000) }
      : { share: 0.8, used: 12_480, max: 110_000, paused: false, pausedSince: null },
    companies: companies.map(view),
  })
  return {
    status,
    setEnabled: async (realmId, enabled) => {
      const c = companies.find((x) => x.realmId === realmId)
      if (!c) throw new NotFoundError(`QuickBooks company ${realmId} is not connected.`)
      c.enabled = enabled
      return view(c)
    },
  }
}

export function previewServices(o: PreviewOptions = {}): HubServices {
  const sfId = (p: string, n: number) => `${p}${String(n).padStart(15, '0')}`
  const accounts = NAMES.slice(0, 22).map((name, i) => ({ id: sfId('001', i + 1), name }))
  accounts.push({ id: sfId('001', 90), name: 'Cool Cars' }, { id: sfId('001', 91), name: 'Barnett Design Group' })
  // Near-misses of the unmapped customers, for their suggestions (contract §10).
  const nearMiss = ['Sonnenschein Family Store, Inc.', 'Sushi by Katsuyuki LLC', 'Weiskopf Consulting Group', 'Video Games by Dan Ltd.', 'Waldron, Travis',
    'Wedding Planning by Whitney & Co.', 'Sonnenschein Holdings', 'Whitney Events and Weddings of the Greater Bay Area Incorporated']
  nearMiss.forEach((name, i) => accounts.push({ id: sfId('001', 100 + i), name }))
  const byName = (name: string) => accounts.find((a) => a.name === name)!
  const suggest = (name: string, score: number, ...reasons: string[]) => ({ accountId: byName(name).id, accountName: name, score, reasons })
  const SUGGESTIONS: Record<string, CustomerRow['suggestions']> = {
    'Barnett Design': [suggest('Barnett Design Group', 72, "name within a longer one ('Group')", 'same billing postal code')],
    'Sonnenschein Family Store': [suggest('Sonnenschein Family Store, Inc.', 97, "name without 'Inc.'"), suggest('Sonnenschein Holdings', 41, "shared word 'Sonnenschein'")],
    'Sushi by Katsuyuki': [suggest('Sushi by Katsuyuki LLC', 96, "name without 'LLC'", 'same phone number')],
    'Travis Waldron': [suggest('Waldron, Travis', 94, "a person's name as 'Last, First'")],
    'Video Games by Dan': [suggest('Video Games by Dan Ltd.', 95, "name without 'Ltd.'")],
    'Wedding Planning by Whitney': [
      suggest('Wedding Planning by Whitney & Co.', 92, "name without '& Co.'", 'same e-mail domain'),
      suggest('Whitney Events and Weddings of the Greater Bay Area Incorporated', 58, "shared word 'Whitney'", 'same billing street'),
    ],
    'Weiskopf Consulting': [suggest('Weiskopf Consulting Group', 74, "name within a longer one ('Group')")],
    'Cool Cars': [suggest('Cool Cars', 80, 'same name; two Accounts have it', 'same phone number'), suggest('Cool Cars', 65, 'same name; two Accounts have it')],
  }
  // The two Accounts named "Cool Cars" are told apart by their Ids.
  const cool = accounts.filter((a) => a.name === 'Cool Cars')
  SUGGESTIONS['Cool Cars'] = SUGGESTIONS['Cool Cars']!.map((x, i) => ({ ...x, accountId: cool[i]!.id }))
  const rows: CustomerRow[] = NAMES.map((name, i) => {
    const acc = accounts.filter((a) => a.name === name)
    const status = i === 7 || i === 8 ? 'Inherited' : acc.length > 1 ? 'Ambiguous' : acc.length === 1 ? 'Matched' : 'Unmapped'
    const linked = status === 'Inherited' ? accounts[6]! : status === 'Matched' ? acc[0]! : null
    return {
      key: `9341452631925553-${i + 1}`, realmId: '9341452631925553', salesforceId: sfId('a00', i + 1), qboId: String(i + 1), displayName: name, matchName: name,
      accountId: linked?.id ?? null, accountName: linked?.name ?? null, linkStatus: status, active: i !== 19,
      isSubCustomer: status === 'Inherited', parentName: status === 'Inherited' ? 'Freeman Sporting Goods' : null,
      email: i % 3 === 0 ? `${name.toLowerCase().replace(/[^a-z]+/g, '')}@example.com` : null,
      candidates: status === 'Ambiguous' ? acc : null,
      suggestions: status === 'Unmapped' || status === 'Ambiguous' ? (SUGGESTIONS[name] ?? null) : null,
    }
  })
  const connections: ConnectionView[] = [
    { provider: 'qbo', connected: true, label: "Craig's Design and Landscaping Services", accessTokenExpiresAt: new Date(Date.now() + 42 * 60_000).toISOString(),
      lastSuccessAt: new Date(Date.now() - 3 * 60_000).toISOString(), lastError: null, lastErrorAt: null, connectedAt: new Date(Date.now() - 86_400_000).toISOString() },
    { provider: 'salesforce', connected: true, label: 'Tally Sandbox Org', accessTokenExpiresAt: new Date(Date.now() + 100 * 60_000).toISOString(),
      lastSuccessAt: new Date(Date.now() - 3 * 60_000).toISOString(), lastError: 'INVALID_SESSION_ID: Session expired or invalid', lastErrorAt: new Date(Date.now() - 60 * 60_000).toISOString(), connectedAt: new Date(Date.now() - 86_400_000).toISOString() },
  ]
  let settings = { createAccounts: false, enabledFields: [...SWITCHABLE_FIELDS] }
  const runs: RunView[] = [{
    runId: 'run-1', mode: 'import', dryRun: false, status: 'partial', phase: 'done', done: 30, total: 30,
    startedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), finishedAt: new Date(Date.now() - 2 * 3_600_000 + 8_400).toISOString(), error: null,
    summary: { customers: { seen: 30, created: 29, updated: 0, unchanged: 0, failed: 1 }, links: { matched: 20, created: 0, inherited: 2, manual: 0, unmapped: 6, ambiguous: 2, ignored: 0 },
      accountsCreated: 0, apiCalls: { qbo: 2, salesforce: 5 }, durationMs: 8400 },
  }]
  const messages: Record<string, RunMessage[]> = { 'run-1': [
    { level: 'warning', qboId: '12', displayName: "Jeff's Jalopies", field: 'Email__c', code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: jeff@@jalopies; the record synced without it.' },
    { level: 'error', qboId: '17', displayName: 'Paulsen Medical Supplies', field: null, code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' },
  ] }
  const history: LinkHistoryEntry[] = []
  // What the first import and an edit in the org left in the history.
  const seed = (r: CustomerRow, who: string, from: { id: string; name: string } | null, fromStatus: string | null, reason: string, hoursAgo: number) =>
    history.push({ id: `seed-${history.length}`, at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), who, realmId: r.realmId, qboKey: r.key, qboId: r.qboId,
      displayName: r.displayName, fromAccountId: from?.id ?? null, fromAccountName: from?.name ?? null, toAccountId: r.accountId, toAccountName: r.accountName,
      fromStatus, toStatus: r.linkStatus, reason, undoOf: null, undoneBy: null })
  seed(rows[3]!, 'salesforce:jane.doe@craigsdesign.example', accounts[5]!, 'Matched', 'Account__c changed in Salesforce', 1)
  seed(rows[0]!, 'tally', null, null, `the Account named "${rows[0]!.displayName}"`, 2)
  seed(rows[7]!, 'tally', null, null, 'the Account of its parent Freeman Sporting Goods', 2)
  const find = (key: string): CustomerRow => {
    const r = rows.find((x) => x.key === key)
    if (!r) throw new NotFoundError(`No QBO Customer ${key}`)
    return r
  }
  const change = (r: CustomerRow, accountId: string | null, accountName: string | null, status: string, who: string, reason: string, undoOf?: string): CustomerRow => {
    const at = new Date().toISOString()
    const id = `${at}-${history.length}`
    history.unshift({ id, at, who, realmId: r.realmId, qboKey: r.key, qboId: r.qboId, displayName: r.displayName, fromAccountId: r.accountId, fromAccountName: r.accountName,
      toAccountId: accountId, toAccountName: accountName, fromStatus: r.linkStatus, toStatus: status, reason, undoOf: undoOf ?? null, undoneBy: null })
    if (undoOf) { const u = history.find((h) => h.id === undoOf); if (u) u.undoneBy = id }
    Object.assign(r, { accountId, accountName, linkStatus: status, ...(status === 'Unmapped' || status === 'Ambiguous' ? {} : { suggestions: null }) })
    return r
  }
  const listeners = new Map<string, Set<(e: ProgressEvent) => void>>()
  const emit = (r: RunView) => {
    const e: ProgressEvent = { runId: r.runId, phase: (r.phase ?? 'reading') as ProgressEvent['phase'], done: r.done, total: r.total, status: r.status }
    for (const l of listeners.get(r.runId) ?? []) l(e)
  }
  return {
    connections: {
      list: async () => connections,
      beginAuthorize: async (p, redirect, state) => `${redirect}?code=preview&state=${state}${p === 'qbo' ? '&realmId=9341452631925553' : ''}`,
      completeAuthorize: async (p) => { const c = connections.find((x) => x.provider === p)!; c.connected = true; c.lastError = null },
      disconnect: async (p) => { const c = connections.find((x) => x.provider === p)!; c.connected = false; c.label = null },
    },
    settings: { get: async () => settings, save: async (s) => (settings = { ...settings, ...s }) },
    runs: {
      start: async (o) => {
        const busy = runs.find((r) => r.status === 'running')
        if (busy) throw new RunAlreadyRunningError(busy.runId)
        const run: RunView = { runId: `run-${runs.length + 1}`, mode: 'import', dryRun: o.dryRun ?? false, status: 'running', phase: 'reading', done: 0, total: 30,
          startedAt: new Date().toISOString(), finishedAt: null, error: null, summary: null }
        runs.unshift(run)
        const started = Date.now()
        const tick = setInterval(() => {
          run.done = Math.min(run.total, run.done + 3)
          run.phase = run.done < 6 ? 'reading' : run.done < 12 ? 'planning' : 'writing'
          if (run.done >= run.total) {
            clearInterval(tick)
            Object.assign(run, { status: 'succeeded', phase: 'done', finishedAt: new Date().toISOString(), summary: { ...runs[1]!.summary!, customers: { seen: 30, created: 0, updated: 2, unchanged: 28, failed: 0 }, durationMs: Date.now() - started } })
          }
          emit(run)
        }, Number(process.env['PREVIEW_TICK_MS'] ?? 400))
        return { runId: run.runId }
      },
      subscribe: (id, on) => {
        const set = listeners.get(id) ?? new Set()
        set.add(on)
        listeners.set(id, set)
        return () => set.delete(on)
      },
      list: async (limit) => runs.slice(0, limit),
      get: async (id) => runs.find((r) => r.runId === id) ?? null,
      messages: async (id) => messages[id] ?? [],
      // The in-memory preview has no engine to plan with: its Preview says the plan is not held.
      plan: async () => null,
    },
    customers: {
      list: async (q) => {
        const s = q.search?.toLowerCase() ?? ''
        const f = rows.filter((r) => (!s || r.displayName.toLowerCase().includes(s) || (r.accountName ?? '').toLowerCase().includes(s)) &&
          (q.filter === 'mapped' ? r.accountId !== null : q.filter === 'unmapped' ? r.linkStatus === 'Unmapped' : q.filter === 'ambiguous' ? r.linkStatus === 'Ambiguous' : q.filter === 'inactive' ? !r.active : true))
        return { total: f.length, items: f.slice((q.page - 1) * q.pageSize, q.page * q.pageSize) }
      },
      linkQueue: async () => rows.filter((r) => r.linkStatus === 'Unmapped' || r.linkStatus === 'Ambiguous'),
      searchAccounts: async (term) => accounts.filter((a) => a.name.toLowerCase().includes(term.toLowerCase())).slice(0, 20),
      link: async (key, accountId) => {
        const r = rows.find((x) => x.key === key)
        if (!r) throw new NotFoundError(`No QBO Customer ${key}`)
        const a = accounts.find((x) => x.id === accountId) ?? null
        Object.assign(r, { accountId: a?.id ?? null, accountName: a?.name ?? null, linkStatus: 'Manual' })
        r.candidates = null
        return r
      },
    },
    // In memory, as the rest: the real ones are src/jobs/links.ts.
    links: {
      acceptSuggestion: async (key, accountId, who) => {
        const r = rows.find((x) => x.key === key)
        const s = r?.suggestions?.find((x) => x.accountId === accountId)
        if (!r || !s) throw new NotFoundError(`No suggestion ${accountId} for ${key}`)
        return change(r, s.accountId, s.accountName, 'Manual', who, `accepted the suggestion "${s.accountName}"`)
      },
      acceptAll: async (o) => {
        const chosen = rows.filter((r) => (r.linkStatus === 'Unmapped' || r.linkStatus === 'Ambiguous') && (r.suggestions?.[0]?.score ?? -1) >= o.minScore)
        const accepted = chosen.map((r) => ({ key: r.key, qboId: r.qboId, displayName: r.displayName, accountId: r.suggestions![0]!.accountId, accountName: r.suggestions![0]!.accountName, score: r.suggestions![0]!.score }))
        if (!o.dryRun) for (const r of chosen) change(r, r.suggestions![0]!.accountId, r.suggestions![0]!.accountName, 'Manual', o.who, 'accepted the suggestion')
        return { accepted }
      },
      ignore: async (key, who) => change(find(key), null, null, 'Ignored', who, 'ignored'),
      unignore: async (key, who) => change(find(key), null, null, 'Unmapped', who, 'no longer ignored'),
      // The preview's suggestions are fixed: a refresh finds the same.
      refreshSuggestions: async () => {
        const queue = rows.filter((r) => r.linkStatus === 'Unmapped' || r.linkStatus === 'Ambiguous')
        return { records: queue.length, suggested: queue.filter((r) => (r.suggestions?.length ?? 0) > 0).length, salesforceCalls: 0 }
      },
      history: async (q) => {
        const term = q.search?.toLowerCase() ?? ''
        const kind = (who: string) => (who === 'tally' ? 'tally' : who.startsWith('salesforce:') ? 'salesforce' : 'hub')
        const f = history.filter((h) => (!q.by || kind(h.who) === q.by) &&
          (!term || [h.displayName, h.fromAccountName, h.toAccountName].some((x) => (x ?? '').toLowerCase().includes(term))))
        return { total: f.length, items: f.slice((q.page - 1) * q.pageSize, q.page * q.pageSize) }
      },
      undo: async (id, who) => {
        const e = history.find((h) => h.id === id)
        if (!e) throw new NotFoundError(`No entry ${id}`)
        change(find(e.qboKey), e.fromAccountId, e.fromAccountName, 'Manual', who, `undid the change of ${e.at}`, id)
        return history[0]!
      },
    },
    autoSync: previewAutoSync(o),
  }
}

export function previewAuth(password = 'preview'): HubAuth {
  const sessions = new Map<string, SessionRecord>()
  const attempts = new Map<string, { failures: number; lockedUntil: Date | null }>()
  return {
    verifyAdminPassword: async (p) => p === password,
    sessions: {
      create: async (s) => void sessions.set(s.idHash, s),
      get: async (h) => sessions.get(h) ?? null,
      touch: async (h, at) => void (sessions.get(h) && (sessions.get(h)!.expiresAt = at)),
      setOAuthState: async (h, st) => void (sessions.get(h) && (sessions.get(h)!.oauthState = st)),
      delete: async (h) => void sessions.delete(h),
    },
    loginAttempts: {
      count: async (k, at) => {
        const a = attempts.get(k)
        const series = a && !(a.lockedUntil && a.lockedUntil <= at) ? a : { failures: 0, lockedUntil: null }
        series.failures++
        attempts.set(k, series)
        return { attempt: series.failures, lockedUntil: series.lockedUntil }
      },
      lock: async (k, until) => void attempts.set(k, { failures: attempts.get(k)?.failures ?? 0, lockedUntil: until }),
      succeeded: async (k, n) => {
        const a = attempts.get(k)
        if (a) a.failures = Math.max(0, a.failures - n)
      },
    },
  }
}

/** Starts the preview Hub on 127.0.0.1 (port 0 = any free port). The app is built once the
 * port is known, because its public URL (origin check, OAuth redirect) includes it. */
export async function startHubPreview(port = 0, o: PreviewOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  let hub: ReturnType<typeof createHubApp> | null = null
  return await new Promise((resolve) => {
    const server = serve(
      { fetch: (req, env) => (hub ? hub.fetch(req, env) : new Response('starting', { status: 503 })), port, hostname: '127.0.0.1' },
      (info) => {
        const url = `http://127.0.0.1:${info.port}`
        hub = createHubApp({ services: previewServices(o), auth: previewAuth(), publicUrl: url })
        resolve({ url, close: () => new Promise((r) => server.close(() => r())) })
      },
    )
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const autoSync = process.env['PREVIEW_AUTO_SYNC'] as PreviewOptions['autoSync']
  const { url } = await startHubPreview(Number(process.argv[2] ?? 0), { ...(autoSync ? { autoSync } : {}), companies: process.env['PREVIEW_COMPANIES'] === '2' ? 2 : 1 })
  console.log(`Hub preview: ${url} (admin / preview)`)
}
