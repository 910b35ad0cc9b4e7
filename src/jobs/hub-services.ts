/**
 * @module jobs/hub-services
 * The Hub's services over the real system: connections through the vendors' OAuth
 * authorization-code flows, settings and runs in the store, the QBO Customers list from the
 * store's view (no API calls), and links written to Salesforce at once.
 */
import { AppError, RunAlreadyRunningError } from '../lib/errors.js'
import {
  exchangeSalesforceCode,
  salesforceAuthorizeUrl,
  searchAccounts,
} from '../salesforce/index.js'
import {
  disconnectConnection,
  getConnection,
  getCompanySettings,
  getRun,
  getSettings,
  initCompanySettings,
  qboCompany,
  saveCompanySettings,
  listCustomerViews,
  listLinkQueue,
  listRunMessages,
  listRuns,
  saveConnection,
  saveSettings,
  type Alert,
  type Connection,
  type CustomerView,
  type Run,
} from '../store/index.js'
import { SWITCHABLE_FIELDS, SYNCED_FIELDS } from '../sync/fields.js'
import type { AutoSync } from './auto-sync.js'
import { createLinkService } from './links.js'
import { matchableName } from '../sync/link.js'
import type {
  AlertView,
  ConnectionView,
  CustomerRow,
  HubServices,
  PlanFilter,
  Provider,
  RunView,
} from '../hub/services.js'
import { PLAN_FILTERS, WrongCompanyError } from '../hub/services.js'
import { reportConnection } from './alerts/index.js'
import { companiesToRun } from './company-runs.js'
import { connectSalesforce, defaultRealm, nameQboConnection, qboCompanies, qboOAuth, salesforceClient } from './connections.js'
import { resolveSettings, writeOrgSettings } from './org-settings.js'
import { createPackageDeployService } from './package-deploy.js'
import { inCategory } from './run-plan.js'
import { salesforceSession, type RunService } from './runs.js'
import type { Tally } from './tally.js'

const FIELD_LABELS = new Map<string, string>([
  ...SYNCED_FIELDS.map((f): [string, string] => [f.name, f.label]),
  ['Account__c', 'Account'],
  ['Parent_Customer__c', 'Parent Customer'],
  ['Link_Status__c', 'Link Status'],
])

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null)

function toRunView(r: Run): RunView {
  const s = r.summary as RunView['summary'] & Record<string, unknown> | null
  return {
    runId: r.id,
    realmId: r.realmId,
    mode: r.mode,
    dryRun: r.dryRun,
    status: r.status,
    phase: r.phase,
    done: r.done,
    total: r.total,
    startedAt: r.startedAt.toISOString(),
    finishedAt: iso(r.finishedAt),
    error: r.error,
    summary: s
      ? {
          customers: s.customers,
          links: s.links,
          accountsCreated: s.accountsCreated,
          apiCalls: s.apiCalls,
          durationMs: s.durationMs,
          ...(s.salesforceApiUsage ? { salesforceApiUsage: s.salesforceApiUsage } : {}),
        }
      : null,
  }
}

const toAlertView = (a: Alert): AlertView => ({ ...a, at: a.at.toISOString() })

function toRow(v: CustomerView): CustomerRow {
  return { ...v, matchName: matchableName(v.displayName, v.active) }
}

export function createHubServices(t: Tally, runs: RunService, autoSync?: AutoSync): HubServices {
  const { db } = t.store
  // One Salesforce client for the Hub's lookups and links: a new one per keystroke would cost an
  // OAuth call each time. jsforce renews its session on a 401; a connection change drops it.
  let sfClient: ReturnType<typeof salesforceClient> | null = null
  const sf = () => {
    if (!sfClient) {
      sfClient = salesforceClient(t)
      sfClient.catch(() => (sfClient = null))
    }
    return sfClient
  }

  /** The connected QuickBooks company, whose Tally_Settings__c the Hub shows. */
  // The first connected QuickBooks company: the Hub's default company (contract §9).
  const currentRealm = (): Promise<string | null> => defaultRealm(t)
  const linkService = createLinkService(t, sf)

  return {
    salesforcePackage: createPackageDeployService(t),
    ...(autoSync ? { autoSync: { status: () => autoSync.status(), setEnabled: (realmId, enabled) => autoSync.setEnabled(realmId, enabled) } } : {}),
    // Read through `t` at each request: `tally start` gives Tally its alerts once the Hub listens.
    ...(t.alerts ? { alerts: { recent: async (limit: number) => (await t.alerts?.recent(limit) ?? []).map(toAlertView) } } : {}),
    connections: {
      async list() {
        const view = (provider: Provider, c: Connection | null, realmId: string | null): ConnectionView => ({
          provider,
          realmId,
          connected: c !== null && c.status !== 'reauth_required' && c.status !== 'disconnected' && (provider === 'salesforce' || c.refreshToken !== null),
          label: c?.label ?? null,
          accessTokenExpiresAt: iso(c?.accessTokenExpiresAt),
          lastSuccessAt: iso(c?.lastSuccessAt),
          lastError: c?.lastError ?? null,
          lastErrorAt: iso(c?.lastErrorAt),
          connectedAt: iso(c?.connectedAt),
        })
        // Every QuickBooks company (contract §9), the first connected first; one card to connect
        // when there is none yet.
        const companies = await qboCompanies(t)
        const views = companies.length > 0 ? companies.map((c) => view('qbo', c, c.company)) : [view('qbo', null, null)]
        views.push(view('salesforce', await getConnection(db, t.cipher, 'salesforce'), null))
        return views
      },
      async beginAuthorize(provider, redirectUri, state) {
        if (provider === 'qbo') return qboOAuth(t).authorizeUrl({ redirectUri, state })
        const { clientId, loginUrl } = t.config.salesforce
        if (!clientId) throw new AppError('salesforce_not_configured', 'Set SF_CLIENT_ID and SF_CLIENT_SECRET (your external client app) to connect Salesforce.')
        return salesforceAuthorizeUrl({ loginUrl, clientId, redirectUri, state })
      },
      async completeAuthorize(provider, params, redirectUri, expectRealmId) {
        sfClient = null
        if (params['error']) throw new AppError('oauth_denied', `The ${provider === 'qbo' ? 'QuickBooks' : 'Salesforce'} authorization was not granted: ${params['error_description'] ?? params['error']}.`)
        const code = params['code']
        if (!code) throw new AppError('oauth_no_code', 'The authorization answer had no code; try Connect again.')
        if (provider === 'qbo') {
          const realmId = params['realmId']
          if (!realmId) throw new AppError('oauth_no_realm', 'QuickBooks did not say which company was connected (no realmId); try Connect again.')
          if (expectRealmId !== undefined && realmId !== expectRealmId) {
            // The wrong-company guard (contract §9): a Reconnect must not turn one company's
            // connection into another's. The code is not redeemed, so no grant is made.
            const expected = await getConnection(db, t.cipher, qboCompany(expectRealmId))
            const other = await getConnection(db, t.cipher, qboCompany(realmId))
            const name = (c: Connection | null, id: string) => (c?.label ? `"${c.label}" (${id})` : `the company ${id}`)
            throw new WrongCompanyError(
              `You reconnected ${name(expected, expectRealmId)} but picked ${name(other, realmId)} on Intuit's page; nothing was changed. Reconnect again and pick ${name(expected, expectRealmId)}, or use "Add a QuickBooks company" to connect ${other ? 'that company again' : 'another company'}.`,
            )
          }
          const tokens = await qboOAuth(t).exchangeCode({ code, redirectUri })
          await saveConnection(db, t.cipher, qboCompany(realmId), {
            externalId: realmId,
            label: `QuickBooks company ${realmId}`,
            apiBaseUrl: t.config.qbo.apiUrl,
            status: 'connected',
            tokens: { ...tokens, refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null },
          })
          await initCompanySettings(db, realmId)
          const named = await nameQboConnection(t, realmId).catch(() => null) // the generic label stays if this fails
          // A company reconnected in the Hub holds a new grant: its reconnect problem is over.
          await reportConnection(t.alerts, { realmId, companyName: named }, null)
          return
        }
        const { clientId, clientSecret, loginUrl } = t.config.salesforce
        if (!clientId || !clientSecret) throw new AppError('salesforce_not_configured', 'Set SF_CLIENT_ID and SF_CLIENT_SECRET to connect Salesforce.')
        const tokens = await exchangeSalesforceCode({ loginUrl, clientId, clientSecret, code, redirectUri })
        await saveConnection(db, t.cipher, 'salesforce', {
          externalId: tokens.orgId,
          label: tokens.instanceUrl,
          instanceUrl: tokens.instanceUrl,
          loginUrl,
          status: 'connected',
          tokens: { accessToken: tokens.accessToken, accessTokenExpiresAt: null, refreshToken: tokens.refreshToken },
        })
        await connectSalesforce(t).catch(() => {}) // names the connection after its user; the URL stays if this fails
      },
      async disconnect(provider: Provider, realmId?: string) {
        sfClient = null
        if (provider === 'qbo') {
          const realm = realmId ?? (await defaultRealm(t))
          if (!realm) return
          const c = await getConnection(db, t.cipher, qboCompany(realm))
          // Revoke at Intuit too, so the grant does not outlive the connection (best effort).
          if (c?.refreshToken) await qboOAuth(t).revoke(c.refreshToken).catch(() => {})
          await disconnectConnection(db, qboCompany(realm))
          return
        }
        await disconnectConnection(db, provider)
      },
    },

    // The settings are the org's Tally_Settings__c of the company (contract §12): read with one
    // query, written with one upsert; the store's copy when Salesforce cannot answer.
    settings: {
      async get(realmId) {
        const realm = realmId ?? (await currentRealm())
        const client = realm ? await sf().catch(() => null) : null
        const s = client && realm ? (await resolveSettings(client, db, realm, { logger: t.logger, mayWrite: false })).settings : realm ? await getCompanySettings(db, realm) : await getSettings(db)
        return { createAccounts: s.createAccounts, enabledFields: s.enabledFields ?? [...SWITCHABLE_FIELDS] }
      },
      async save(s, realmId) {
        if (s.enabledFields) {
          const unknown = s.enabledFields.filter((f) => !SWITCHABLE_FIELDS.includes(f))
          if (unknown.length > 0) throw new AppError('unknown_field', `These fields cannot be synced: ${unknown.join(', ')}.`)
        }
        const partial = {
          ...(s.createAccounts !== undefined ? { createAccounts: s.createAccounts } : {}),
          ...(s.enabledFields !== undefined ? { enabledFields: s.enabledFields } : {}),
        }
        const realm = realmId ?? (await currentRealm())
        const saved = realm ? await saveCompanySettings(db, realm, partial) : await saveSettings(db, partial)
        if (realm) {
          await writeOrgSettings(await sf(), realm, saved).catch((e: unknown) =>
            t.logger.warn('settings saved in Tally only: Salesforce did not take them', { error: e instanceof Error ? e.message : String(e) }),
          )
        }
        return { createAccounts: saved.createAccounts, enabledFields: saved.enabledFields ?? [...SWITCHABLE_FIELDS] }
      },
    },

    runs: {
      // The Hub's "Create Accounts" switch travels one route: it is saved when flipped
      // (settings.save) and every run reads the saved setting.
      // Start Import runs the chosen company, or every connected company side by side (each its
      // own run and run lock, one Salesforce sign-in).
      async start(o) {
        const base = { mode: 'import' as const, ...(o.dryRun !== undefined ? { dryRun: o.dryRun } : {}) }
        const realms = o.realmId ? [o.realmId] : (await companiesToRun(t)).map((c) => c.realmId)
        if (realms.length <= 1) return { runId: (await runs.start({ ...base, ...(realms[0] ? { realmId: realms[0] } : {}) })).runId }
        const session = salesforceSession(t)
        const started: string[] = []
        for (const realmId of realms) {
          try {
            started.push((await runs.start({ ...base, realmId }, session)).runId)
          } catch (e) {
            // A company whose run is going on already keeps it; the others start.
            if (!(e instanceof RunAlreadyRunningError) || realms.length === 1) throw e
          }
        }
        if (started.length === 0) throw new RunAlreadyRunningError('every company', null)
        return { runId: started[0] as string, runIds: started }
      },
      subscribe: (runId, onEvent) => runs.subscribe(runId, (e) => onEvent({ runId: e.runId, phase: e.phase, done: e.done, total: e.total, status: e.status })),
      list: async (limit, realmId) => (await listRuns(db, limit, realmId)).map(toRunView),
      async get(runId) {
        const r = await getRun(db, runId)
        return r ? toRunView(r) : null
      },
      messages: async (runId) =>
        (await listRunMessages(db, runId)).map((m) => ({ ...m, fieldLabel: m.field ? (FIELD_LABELS.get(m.field) ?? null) : null })),
      async plan(runId, q) {
        const all = runs.preview(runId)
        if (!all) return null
        const counts = Object.fromEntries(PLAN_FILTERS.map((f) => [f, all.filter((p) => inCategory(p, f)).length])) as Record<PlanFilter, number>
        const chosen = all.filter((p) => inCategory(p, q.filter))
        const items = chosen.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((p) => ({
          ...p,
          changedFields: p.changedFields.map((name) => ({ name, label: FIELD_LABELS.get(name) ?? null })),
        }))
        return { counts, filter: q.filter, total: chosen.length, page: q.page, pageSize: q.pageSize, items }
      },
    },

    customers: {
      async list(q) {
        const r = await listCustomerViews(db, { page: q.page, pageSize: q.pageSize, ...(q.search ? { search: q.search } : {}), ...(q.filter ? { filter: q.filter } : {}), ...(q.realmId ? { realmId: q.realmId } : {}) })
        return { total: r.total, items: r.items.map(toRow) }
      },
      linkQueue: async (realmId) => (await listLinkQueue(db, realmId)).map(toRow),
      async searchAccounts(term) {
        return (await searchAccounts(await sf(), term, 20)).map((a) => ({ id: a.id, name: a.name }))
      },
      link: async (key, accountId, givenName, who = 'admin') =>
        toRow(await linkService.change(key, { accountId, ...(givenName !== undefined ? { accountName: givenName } : {}), status: 'Manual', who, reason: accountId ? 'linked by hand in the Hub' : 'link cleared by hand in the Hub' })),
    },
    links: {
      acceptSuggestion: async (key, accountId, who) => toRow(await linkService.acceptSuggestion(key, accountId, who)),
      acceptAll: async (o) => ({ accepted: await linkService.acceptAll(o) }),
      ignore: async (key, who) => toRow(await linkService.ignore(key, who)),
      unignore: async (key, who) => toRow(await linkService.unignore(key, who)),
      history: (q) => linkService.history(q),
      undo: (id, who) => linkService.undo(id, who),
      async refreshSuggestions(realmId) {
        const r = await linkService.suggest(realmId)
        return { records: r.records.length, suggested: r.records.filter((x) => x.suggestions.length > 0).length, salesforceCalls: r.salesforceCalls }
      },
    },
  }
}
