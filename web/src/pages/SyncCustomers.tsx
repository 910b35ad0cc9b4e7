/**
 * @module web/pages/SyncCustomers
 * "Sync Customers": the Create Accounts switch, Start Import with live progress (server-sent
 * events), Preview beside it (a dry run shown in the page), Automatic sync per company, the last run's summary, the run
 * history and the alerts sent, Sync Settings, and the customers waiting to be linked by hand.
 */
import { useCallback, useEffect, useState } from 'react'
import type { GetConnections, GetSettings, GetSyncRuns, PostSyncRun, ProgressEvent, PutSettings, RunView, SyncSettingsView } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { RecentAlerts } from './Alerts.js'
import { AutoSyncPanel } from './AutoSync.js'
import { ErrorAlert, Spinner, WarningAlert } from '../components/States.js'
import { useToast } from '../components/Toasts.js'
import { CompanySelect, companiesOf, type Company } from '../components/CompanySelect.js'
import { PageHeader } from './Connections.js'
import { LinkQueue } from './LinkQueue.js'
import { PreviewPanel } from './Preview.js'
import { LastRunSummary, RunHistory } from './RunHistory.js'
import { SyncSettingsSection } from './SyncSettings.js'

const PHASES: Record<ProgressEvent['phase'], string> = {
  reading: 'Reading QuickBooks Online and Salesforce',
  planning: 'Planning changes',
  writing: 'Writing to Salesforce',
  done: 'Finished',
}

/** Follows a running run's progress events until it is done. */
function useProgress(runId: string | null, onDone: () => void): ProgressEvent | null {
  const [event, setEvent] = useState<ProgressEvent | null>(null)
  useEffect(() => {
    if (!runId) return
    const es = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`)
    es.addEventListener('progress', (m) => {
      const e = JSON.parse((m as MessageEvent<string>).data) as ProgressEvent
      setEvent(e)
      if (e.phase === 'done' || e.status !== 'running') {
        es.close()
        onDone()
      }
    })
    // The browser reconnects on its own after a network error; the Hub answers the current state.
    return () => es.close()
  }, [runId, onDone])
  return event
}

export function SyncCustomersPage() {
  const [settings, setSettings] = useState<SyncSettingsView | null>(null)
  const [runs, setRuns] = useState<RunView[] | null>(null)
  const [ready, setReady] = useState<boolean | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [activeRun, setActiveRun] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [activeDry, setActiveDry] = useState(false)
  const [closedPreview, setClosedPreview] = useState<string | null>(null)
  const [queueVersion, setQueueVersion] = useState(0)
  // Several QuickBooks companies (contract §9): '' is every company (Start Import runs them all;
  // settings are per company, so they show once a company is chosen).
  const [companies, setCompanies] = useState<Company[] | null>(null)
  const [company, setCompany] = useState('')
  const several = (companies?.length ?? 0) > 1
  const realm = several ? company : ''
  const realmQuery = realm ? { realmId: realm } : {}
  const notify = useToast()

  const loadRuns = useCallback(async () => {
    const r = await api<GetSyncRuns>('GET', '/api/runs', { query: { limit: 20, ...(realm ? { realmId: realm } : {}) } })
    setRuns(r.runs)
    const running = r.runs.find((x) => x.status === 'running')
    setActiveRun(running ? running.runId : null)
    if (running) setActiveDry(running.dryRun)
  }, [realm])

  const load = useCallback(() => {
    setError(null)
    Promise.all([
      api<GetSettings>('GET', '/api/settings', { query: realmQuery }).then(setSettings),
      api<GetConnections>('GET', '/api/connections').then((r) => {
        setCompanies(companiesOf(r.connections))
        // Ready when Salesforce and at least one QuickBooks company are connected.
        setReady(r.connections.some((c) => c.provider === 'salesforce' && c.connected) && r.connections.some((c) => c.provider === 'qbo' && c.connected))
      }),
      loadRuns(),
    ]).catch((e: unknown) => setError(errorText(e)))
  }, [loadRuns, realm])
  useEffect(load, [load])

  const onDone = useCallback(() => {
    loadRuns().catch((e: unknown) => setError(errorText(e)))
    setQueueVersion((v) => v + 1)
  }, [loadRuns])
  const progress = useProgress(activeRun, onDone)
  const live = progress && progress.runId === activeRun ? progress : null

  const toggleCreate = async (on: boolean) => {
    if (!settings) return
    setSettings({ ...settings, createAccounts: on })
    try {
      setSettings(await api<PutSettings>('PUT', '/api/settings', { body: { createAccounts: on }, query: realmQuery }))
    } catch (e) {
      setSettings({ ...settings, createAccounts: !on })
      notify('error', errorText(e))
    }
  }

  const start = async (dryRun: boolean) => {
    setStarting(true)
    setActiveDry(dryRun)
    try {
      const { runId } = await api<PostSyncRun>('POST', '/api/runs', { body: { dryRun, ...realmQuery } })
      setActiveRun(runId)
      await loadRuns().catch(() => null)
      setActiveRun(runId)
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setStarting(false)
    }
  }

  const running = activeRun !== null
  // The last run's summary is of a real run; a preview newer than it shows in its own card.
  const last = runs?.find((r) => r.status !== 'running' && !r.dryRun) ?? null
  const newest = runs?.find((r) => r.status !== 'running') ?? null
  const preview = newest?.dryRun && newest.runId !== closedPreview ? newest : null
  return (
    <div className="hub-page">
      <PageHeader title="Sync Customers" subtitle="Import QuickBooks Online customers into Salesforce as QBO Customer records, linked to Accounts." />
      {error ? <ErrorAlert message={error} onRetry={load} /> : null}
      {ready === false ? (
        <WarningAlert>
          Connect QuickBooks Online and Salesforce on the <a href="#/connections">Connections</a> page to start.
        </WarningAlert>
      ) : null}
      <section className="slds-card hub-card" aria-labelledby="import-title">
        <div className="slds-card__header">
          <h2 className="slds-card__header-title" id="import-title">Import</h2>
        </div>
        <div className="slds-card__body slds-card__body_inner">
          {several ? (
            <div className="slds-m-bottom_small">
              <CompanySelect companies={companies} value={company} onChange={setCompany} />
            </div>
          ) : null}
          {!settings ? <Spinner /> : (
            <div className="slds-grid slds-grid_vertical-align-center slds-wrap hub-import-row">
              {several && !realm ? null : <div className="slds-form-element slds-m-right_large">
                <label className="slds-checkbox_toggle slds-grid">
                  <span className="slds-form-element__label slds-m-bottom_none">Create Accounts</span>
                  <input
                    type="checkbox"
                    role="switch"
                    name="createAccounts"
                    aria-describedby="create-accounts-help"
                    checked={settings.createAccounts}
                    onChange={(e) => toggleCreate(e.target.checked)}
                  />
                  <span className="slds-checkbox_faux_container">
                    <span className="slds-checkbox_faux" />
                    <span className="slds-checkbox_on">On</span>
                    <span className="slds-checkbox_off">Off</span>
                  </span>
                </label>
              </div>}
              <button className="slds-button slds-button_brand" onClick={() => start(false)} disabled={running || starting || ready === false}>
                Start Import
              </button>
              <button className="slds-button slds-button_neutral" onClick={() => start(true)} disabled={running || starting || ready === false} aria-describedby="preview-help">
                Preview
              </button>
              <p id="create-accounts-help" className="slds-text-body_small slds-text-color_weak slds-size_1-of-1 slds-m-top_small">
                Customers link to the Salesforce Account whose name matches their QuickBooks display name. With Create
                Accounts on, a customer with no matching Account gets a new one; with it off, it waits below for you to link it.
                <span id="preview-help"> Preview shows what an import would do, and why, without writing anything.</span>
              </p>
            </div>
          )}
          {running ? <LiveProgress e={live} preview={activeDry} /> : null}
        </div>
      </section>
      {preview && !running ? <PreviewPanel key={preview.runId} run={preview} onDismiss={() => setClosedPreview(preview.runId)} /> : null}
      <AutoSyncPanel />
      {runs === null ? null : last ? <LastRunSummary run={last} /> : running ? null : (
        <section className="slds-card hub-card" aria-label="Last run">
          <div className="slds-card__body slds-card__body_inner slds-text-color_weak">
            No import has run yet. {ready === false ? 'Connect both systems, then click Start Import.' : 'Click Start Import to bring your QuickBooks customers into Salesforce.'}
          </div>
        </section>
      )}
      {several && !realm ? (
        <section className="slds-card hub-card" aria-label="Settings per company">
          <div className="slds-card__body slds-card__body_inner slds-text-color_weak">
            Create Accounts and Sync Settings are per company: choose a company above to see and change its settings. Start Import runs every company.
          </div>
        </section>
      ) : (
        <SyncSettingsSection key={realm} {...(realm ? { realmId: realm } : {})} />
      )}
      <LinkQueue version={queueVersion} imported={last !== null} {...(realm ? { realmId: realm } : {})} />
      {runs && runs.length > 0 ? <RunHistory runs={runs} /> : null}
      <RecentAlerts version={runs} />
    </div>
  )
}

function LiveProgress(props: { e: ProgressEvent | null; preview: boolean }) {
  const e = props.e
  // While reading, QBO's total is not known until its last page (counting would cost a call):
  // show how many customers were read, and a bar that moves without a value.
  const known = e !== null && e.total > 0
  const pct = known ? Math.min(100, Math.round((e.done / e.total) * 100)) : 0
  const label = `${props.preview ? 'Preview: ' : ''}${e ? PHASES[e.phase] : 'Starting…'}`
  const count = !e ? '' : known ? `${e.done} of ${e.total} records` : e.phase === 'reading' && e.done > 0 ? `${e.done} customers read` : ''
  return (
    <div className="slds-m-top_medium hub-progress" aria-live="polite">
      <div className="slds-grid slds-grid_align-spread slds-m-bottom_x-small">
        <span className="slds-text-title_bold">{label}</span>
        <span>{count}</span>
      </div>
      <div
        className={`slds-progress-bar slds-progress-bar_large${known ? '' : ' hub-progress_indeterminate'}`}
        role="progressbar"
        aria-label={props.preview ? 'Preview progress' : 'Import progress'}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(known ? { 'aria-valuenow': pct } : {})}
      >
        <span className="slds-progress-bar__value" style={{ width: known ? `${pct}%` : '30%' }}>
          <span className="slds-assistive-text">{known ? `Progress: ${pct}%` : 'Working…'}</span>
        </span>
      </div>
    </div>
  )
}
