/**
 * @module web/pages/Alerts
 * The alerts Tally sent (contract §11), newest first: each problem when it started and when it
 * recovered, the company, the message, and whether the webhook and the e-mail took it. Shown on
 * the Sync Customers page under the run history; absent when the Hub offers no alerts.
 */
import { useEffect, useState } from 'react'
import type { AlertView, GetAlerts } from '../../../src/hub/api-types.js'
import { api, errorText, HubApiError } from '../api.js'
import { ErrorAlert } from '../components/States.js'
import { Truncate } from '../components/Truncate.js'
import { formatDateTime } from '../format.js'

const KIND: Record<AlertView['kind'], string> = {
  'run-failed': 'Run failed',
  'records-failed': 'Records failed',
  'reconnect-qbo': 'Reconnect QuickBooks',
  'reconnect-salesforce': 'Reconnect Salesforce',
  'budget-paused': 'Automatic syncs paused',
}
const CHANNEL: Record<AlertView['deliveries'][number]['channel'], string> = { webhook: 'Webhook', email: 'E-mail' }

const companyOf = (a: AlertView) => (a.realmId === null ? 'Salesforce org' : a.companyName && !a.companyName.startsWith('QuickBooks company ') ? a.companyName : `Company ${a.realmId}`)

function Sent(props: { alert: AlertView }) {
  const d = props.alert.deliveries
  if (d.length === 0) return <span className="slds-text-color_weak">Not sent: no alert channel is configured</span>
  return (
    <>
      {d.map((x) => (
        <span key={x.channel} className={`slds-badge ${x.ok ? 'slds-theme_success' : 'slds-theme_error'} slds-m-right_xx-small`} title={x.ok ? `Delivered ${formatDateTime(x.at)}` : (x.error ?? 'Not delivered')}>
          {CHANNEL[x.channel]}: {x.ok ? 'sent' : 'failed'}
        </span>
      ))}
    </>
  )
}

/** `version`: anything that changes when a run ends, so the list is read again. */
export function RecentAlerts(props: { version?: unknown }) {
  const [alerts, setAlerts] = useState<AlertView[] | null>(null)
  const [absent, setAbsent] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let cancelled = false
    api<GetAlerts>('GET', '/api/alerts', { query: { limit: 20 } })
      .then((r) => {
        if (cancelled) return
        setAlerts(r.alerts)
        setError(null)
      })
      .catch((e: unknown) => {
        if (cancelled) return
        if (e instanceof HubApiError && e.status === 404) setAbsent(true)
        else setError(errorText(e))
      })
    return () => {
      cancelled = true
    }
  }, [props.version])
  if (absent) return null
  return (
    <section className="slds-card hub-card" aria-labelledby="alerts-title">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title" id="alerts-title">Alerts</h2>
      </div>
      {error ? <div className="slds-card__body slds-card__body_inner"><ErrorAlert message={error} /></div> : null}
      {alerts && alerts.length === 0 ? (
        <div className="slds-card__body slds-card__body_inner slds-text-color_weak">No alerts: no run has failed and every connection works.</div>
      ) : null}
      {alerts && alerts.length > 0 ? (
        <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-no-row-hover slds-table_fixed-layout" aria-labelledby="alerts-title">
          <thead>
            <tr className="slds-line-height_reset">
              <th scope="col"><Truncate text="When" /></th>
              <th scope="col"><Truncate text="Company" /></th>
              <th scope="col"><Truncate text="Alert" /></th>
              <th scope="col" className="hub-col-message"><Truncate text="Message" /></th>
              <th scope="col"><Truncate text="Sent" /></th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id}>
                <td><Truncate text={formatDateTime(a.at)} /></td>
                <td><Truncate text={companyOf(a)} /></td>
                <td>
                  <Truncate text={`${a.state === 'recovered' ? 'Recovered: ' : ''}${KIND[a.kind]}`}>
                    <span className={`slds-badge ${a.state === 'recovered' ? 'slds-theme_success' : 'slds-theme_warning'}`}>{a.state === 'recovered' ? 'Recovered' : 'Problem'}</span> {KIND[a.kind]}
                  </Truncate>
                </td>
                <td className="slds-cell-wrap">{a.text}</td>
                <td className="slds-cell-wrap"><Sent alert={a} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
