/**
 * @module web/pages/AutoSync
 * The "Automatic sync" panel of Sync Customers (contract §8, §11), under Start Import: per
 * QuickBooks company its "Automatic sync" switch, its state (Off, Idle, Syncing, or Paused by the
 * API budget), the last and the next sweep, how long the last change took to reach Salesforce,
 * and the last error; above them, why syncs are paused, or why they do not run at all
 * (`--no-auto-sync`) or only by the sweep (webhooks off). Read again every few seconds while the
 * page is visible. Absent when the Hub offers no automatic sync.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AutoSyncCompanyView, AutoSyncView, GetAutoSync, PutAutoSync } from '../../../src/hub/api-types.js'
import { api, errorText, HubApiError } from '../api.js'
import { Icon } from '../components/Icon.js'
import { ErrorAlert, Spinner } from '../components/States.js'
import { useToast } from '../components/Toasts.js'
import { Truncate } from '../components/Truncate.js'
import { formatDateTime, formatDuration, formatInterval, relative } from '../format.js'

/** How often the panel reads the state again while the page is visible. */
const POLL_MS = 4000

const STATES: Record<AutoSyncCompanyView['state'], { label: string; theme: string }> = {
  off: { label: 'Off', theme: '' },
  idle: { label: 'Idle', theme: 'slds-theme_success' },
  syncing: { label: 'Syncing', theme: 'slds-theme_info' },
  paused: { label: 'Paused — API budget', theme: 'slds-theme_warning' },
}

/** A share of the daily limit as a whole percentage; one decimal where rounding would make usage
 * look equal to the limit. */
function percent(share: number, limit?: number): string {
  const whole = Math.round(share * 100)
  return limit !== undefined && whole === Math.round(limit * 100) && share !== limit ? `${(share * 100).toFixed(1)}%` : `${whole}%`
}

const nameOf = (c: AutoSyncCompanyView) => c.companyName ?? `QuickBooks company ${c.realmId}`

/** Calls `fn` now and every `ms` while the page is visible, and at once when it becomes visible. */
function useVisiblePolling(fn: () => void, ms: number): void {
  useEffect(() => {
    fn()
    const tick = () => {
      if (document.visibilityState === 'visible') fn()
    }
    const timer = window.setInterval(tick, ms)
    document.addEventListener('visibilitychange', tick)
    return () => {
      window.clearInterval(timer)
      document.removeEventListener('visibilitychange', tick)
    }
  }, [fn, ms])
}

export function AutoSyncPanel() {
  const [view, setView] = useState<AutoSyncView | null>(null)
  const [absent, setAbsent] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Switches being changed: their wanted value shows over what a poll answers meanwhile.
  const [pending, setPending] = useState<Record<string, boolean>>({})
  // A poll sent before a switch changed may answer after it: only the newest read is shown.
  const seq = useRef(0)
  const notify = useToast()

  const load = useCallback(() => {
    const mine = ++seq.current
    api<GetAutoSync>('GET', '/api/auto-sync')
      .then((v) => {
        if (mine !== seq.current) return
        setView(v)
        setError(null)
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return
        if (e instanceof HubApiError && e.status === 404) setAbsent(true)
        else setError(errorText(e))
      })
  }, [])
  useVisiblePolling(load, absent ? 3_600_000 : POLL_MS)

  const toggle = async (c: AutoSyncCompanyView, enabled: boolean) => {
    setPending((p) => ({ ...p, [c.realmId]: enabled }))
    try {
      const updated = await api<PutAutoSync>('PUT', '/api/auto-sync/:realmId', { params: { realmId: c.realmId }, body: { enabled } })
      seq.current++
      setView((v) => (v ? { ...v, companies: v.companies.map((x) => (x.realmId === updated.realmId ? updated : x)) } : v))
      notify('success', `Automatic sync is ${enabled ? 'on' : 'off'} for ${nameOf(c)}.`)
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setPending((p) => {
        const { [c.realmId]: _done, ...rest } = p
        return rest
      })
      load()
    }
  }

  if (absent) return null
  const now = Date.now()
  return (
    <section className="slds-card hub-card" aria-labelledby="autosync-title">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title" id="autosync-title">Automatic sync</h2>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        {error ? <ErrorAlert message={error} onRetry={load} /> : null}
        {!view && !error ? <Spinner label="Loading automatic sync…" /> : null}
        {view ? (
          <>
            {view.running ? (
              <p className="slds-text-body_small slds-text-color_weak slds-m-bottom_small">
                While it is on, a change made in QuickBooks Online reaches Salesforce by itself
                {view.webhooks ? ' within seconds (QuickBooks tells Tally of it by webhook)' : ''}; a sweep every{' '}
                {formatInterval(view.intervalSeconds)} catches anything missed.
              </p>
            ) : null}
            <Notices view={view} />
            {view.companies.length === 0 ? (
              <p className="slds-text-color_weak">No QuickBooks company is connected: connect one on the <a href="#/connections">Connections</a> page.</p>
            ) : (
              <div className={`hub-autosync-companies${view.companies.length > 1 ? ' hub-autosync-companies_several' : ''}`}>
                {view.companies.map((c) => (
                  <CompanyAutoSync
                    key={c.realmId}
                    c={c}
                    now={now}
                    enabled={pending[c.realmId] ?? c.enabled}
                    busy={c.realmId in pending}
                    onToggle={(on) => void toggle(c, on)}
                  />
                ))}
              </div>
            )}
            <Budget view={view} />
          </>
        ) : null}
      </div>
    </section>
  )
}

/** A notice in the panel. A warning appears while the page is open (a pause), so it is a live
 * region and screen readers announce it; the others are part of the page as it loads. */
function Notice(props: { theme: 'warning' | 'info'; children: React.ReactNode }) {
  return (
    <div className={`slds-scoped-notification slds-media slds-media_center slds-m-bottom_small hub-notice ${props.theme === 'warning' ? 'slds-theme_warning' : 'slds-scoped-notification_light'}`}
      {...(props.theme === 'warning' ? { role: 'status' } : {})}>
      <div className="slds-media__figure">
        <span className="slds-icon_container">
          <Icon name={props.theme === 'warning' ? 'warning' : 'info'} className="slds-icon slds-icon_x-small slds-icon-text-default" />
        </span>
      </div>
      <div className="slds-media__body">{props.children}</div>
    </div>
  )
}

function Notices(props: { view: AutoSyncView }) {
  const { view } = props
  const { budget } = view
  const every = formatInterval(view.intervalSeconds)
  return (
    <>
      {budget.paused ? (
        <Notice theme="warning">
          Automatic syncs are paused: the org has used{' '}
          {budget.used !== null && budget.max ? `${percent(budget.used / budget.max, budget.share)} of its daily API requests` : 'its share of its daily API requests'}; the limit is{' '}
          {percent(budget.share)}. They resume by themselves; Start Import still works.
          {budget.pausedSince ? <span> Paused since {formatDateTime(budget.pausedSince)}.</span> : null}
        </Notice>
      ) : null}
      {!view.running ? (
        <Notice theme="info">
          Automatic sync does not run in this Hub: Tally was started with <code>--no-auto-sync</code>. Changes reach
          Salesforce when you click Start Import; the switches below apply once Tally runs without it.
        </Notice>
      ) : !view.webhooks ? (
        <Notice theme="info">
          QuickBooks webhooks are off (no webhook verifier token is set), so Tally finds changes by its sweep every {every}: a change
          can take up to {every} to reach Salesforce.
        </Notice>
      ) : null}
    </>
  )
}

function When(props: { at: string | null; now: number; none: string }) {
  if (!props.at) return <span className="slds-text-color_weak">{props.none}</span>
  return <time dateTime={props.at} title={formatDateTime(props.at)}>{relative(props.at, props.now)}</time>
}

function CompanyAutoSync(props: { c: AutoSyncCompanyView; now: number; enabled: boolean; busy: boolean; onToggle: (on: boolean) => void }) {
  const { c, now } = props
  const name = nameOf(c)
  const id = `autosync-${c.realmId}`
  const state = STATES[c.state]
  const nextDue = c.nextSweepAt !== null && new Date(c.nextSweepAt).getTime() <= now
  return (
    <article className="hub-autosync-company" aria-labelledby={`${id}-name`}>
      <div className="slds-grid slds-grid_vertical-align-center slds-wrap hub-autosync-head">
        <h3 className="slds-text-heading_small slds-truncate hub-autosync-name" id={`${id}-name`} title={`${name} (realm ${c.realmId})`} dir="auto">{name}</h3>
        <div className="slds-form-element">
          <label className="slds-checkbox_toggle slds-grid">
            <span className="slds-form-element__label slds-m-bottom_none">
              Automatic sync<span className="slds-assistive-text"> for {name}</span>
            </span>
            <input type="checkbox" role="switch" name={`autoSync-${c.realmId}`} checked={props.enabled} disabled={props.busy} aria-describedby={`${id}-state`}
              onChange={(e) => props.onToggle(e.target.checked)} />
            <span className="slds-checkbox_faux_container">
              <span className="slds-checkbox_faux" />
              <span className="slds-checkbox_on">On</span>
              <span className="slds-checkbox_off">Off</span>
            </span>
          </label>
        </div>
        <span className={`slds-badge ${state.theme}`} id={`${id}-state`}>{state.label}</span>
      </div>
      <dl className="hub-facts">
        <div className="hub-fact">
          <dt className="hub-fact-label">Last sweep</dt>
          <dd><When at={c.lastSweepAt} now={now} none="None yet" /></dd>
        </div>
        <div className="hub-fact">
          <dt className="hub-fact-label">Next sweep</dt>
          <dd>
            {c.nextSweepAt === null ? <span className="slds-text-color_weak">{c.state === 'off' ? 'None while off' : '—'}</span>
              : nextDue ? <time dateTime={c.nextSweepAt} title={formatDateTime(c.nextSweepAt)}>Due now</time>
              : <When at={c.nextSweepAt} now={now} none="—" />}
          </dd>
        </div>
        <div className="hub-fact">
          <dt className="hub-fact-label">Last change</dt>
          <dd>
            {c.lastChangeAt === null ? <span className="slds-text-color_weak">None yet</span> : (
              <>
                <Truncate text={c.lastLagMs === null ? 'Reached Salesforce' : `Reached Salesforce ${formatDuration(c.lastLagMs)} after it was made`} />
                <div className="slds-text-body_small slds-text-color_weak"><When at={c.lastChangeAt} now={now} none="" /></div>
              </>
            )}
          </dd>
        </div>
        <div className="hub-fact">
          <dt className="hub-fact-label">Last error</dt>
          <dd>
            {c.lastError === null ? <span className="slds-text-color_weak">None</span> : (
              <>
                <Truncate text={c.lastError} className="slds-text-color_error" />
                <div className="slds-text-body_small slds-text-color_weak"><When at={c.lastErrorAt} now={now} none="" /></div>
              </>
            )}
          </dd>
        </div>
      </dl>
    </article>
  )
}

function Budget(props: { view: AutoSyncView }) {
  const { budget } = props.view
  if (budget.used === null || !budget.max) return null
  return (
    <p className="slds-text-body_small slds-text-color_weak slds-m-top_small">
      Salesforce API requests today: {budget.used.toLocaleString()} of {budget.max.toLocaleString()} ({percent(budget.used / budget.max, budget.share)}).
      Automatic syncs pause at {percent(budget.share)} of the daily limit.
    </p>
  )
}
