/**
 * @module web/pages/RunHistory
 * The last run's summary and the history of runs; each run expands to its per-record errors and
 * warnings (customer, field, code, message), as the run recorded them.
 */
import { Fragment, useEffect, useState } from 'react'
import type { GetSyncRunMessages, RunMessage, RunView } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { Icon } from '../components/Icon.js'
import { ErrorAlert, Spinner } from '../components/States.js'
import { Truncate } from '../components/Truncate.js'
import { formatDateTime, formatDuration } from '../format.js'

const STATUS: Record<RunView['status'], { label: string; theme: string }> = {
  running: { label: 'Running', theme: 'slds-badge_lightest' },
  succeeded: { label: 'Succeeded', theme: 'slds-theme_success' },
  partial: { label: 'Some records failed', theme: 'slds-theme_warning' },
  failed: { label: 'Failed', theme: 'slds-theme_error' },
  interrupted: { label: 'Interrupted', theme: 'slds-theme_warning' },
}

export function StatusBadge(props: { status: RunView['status'] }) {
  const s = STATUS[props.status]
  return <span className={`slds-badge ${s.theme}`}>{s.label}</span>
}

const kindName = (r: RunView) => (r.dryRun ? 'Preview' : r.mode === 'import' ? 'Import' : 'Sync')
const runName = (r: RunView) => `${kindName(r)} of ${formatDateTime(r.startedAt)}`

export function LastRunSummary(props: { run: RunView }) {
  const r = props.run
  const s = r.summary
  const stats: [string, number | string][] = s
    ? [
        ['Customers seen', s.customers.seen],
        ['Created', s.customers.created],
        ['Updated', s.customers.updated],
        ['Unchanged', s.customers.unchanged],
        ['Failed', s.customers.failed],
        ['Matched to Accounts', s.links.matched],
        ['Accounts created', s.accountsCreated],
        ['Inherited from parent', s.links.inherited],
        ['Linked by hand', s.links.manual],
        ['Unmapped', s.links.unmapped],
        ['Ambiguous', s.links.ambiguous],
        ['Duration', formatDuration(s.durationMs)],
      ]
    : []
  return (
    <section className="slds-card hub-card" aria-labelledby="last-run-title">
      <div className="slds-card__header slds-grid">
        <h2 className="slds-card__header-title slds-col" id="last-run-title">Last run: {runName(r)}</h2>
        <StatusBadge status={r.status} />
      </div>
      <div className="slds-card__body slds-card__body_inner">
        {r.error ? <ErrorAlert message={r.error} /> : null}
        {s ? (
          <ul className="hub-stats">
            {stats.map(([label, value]) => (
              <li key={label} className="hub-stat">
                <span className="hub-stat-value">{value}</span>
                <span className="hub-stat-label">{label}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {s ? (
          <p className="slds-text-body_small slds-text-color_weak slds-m-top_small">
            API calls: {s.apiCalls.qbo} to QuickBooks Online, {s.apiCalls.salesforce} to Salesforce.
            {s.salesforceApiUsage
              ? ` The org has used ${s.salesforceApiUsage.used.toLocaleString()} of its ${s.salesforceApiUsage.max.toLocaleString()} daily API requests.`
              : ''}
            {r.dryRun ? ' Dry run: nothing was written to Salesforce.' : ''}
          </p>
        ) : null}
      </div>
    </section>
  )
}

export function RunHistory(props: { runs: RunView[] }) {
  const [open, setOpen] = useState<string | null>(null)
  return (
    <section className="slds-card hub-card" aria-labelledby="history-title">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title" id="history-title">Run history</h2>
      </div>
      <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-no-row-hover slds-table_fixed-layout" aria-labelledby="history-title">
        <thead>
          <tr className="slds-line-height_reset">
            <th scope="col" className="hub-col-toggle"><span className="slds-assistive-text">Details</span></th>
            <th scope="col"><Truncate text="Started" /></th>
            <th scope="col"><Truncate text="Kind" /></th>
            <th scope="col"><Truncate text="Status" /></th>
            <th scope="col"><Truncate text="Customers" /></th>
            <th scope="col" className="hub-col-counts"><Truncate text="Created / updated / unchanged / failed" /></th>
            <th scope="col"><Truncate text="Duration" /></th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => {
            const s = r.summary
            const expanded = open === r.runId
            return (
              <Fragment key={r.runId}>
                <tr>
                  <td className="hub-col-toggle">
                    <button
                      className="slds-button slds-button_icon slds-button_icon-border-filled slds-button_icon-x-small"
                      aria-expanded={expanded}
                      aria-label={`Errors and warnings of the ${runName(r)}`}
                      title="Show errors and warnings"
                      onClick={() => setOpen(expanded ? null : r.runId)}
                    >
                      <Icon name={expanded ? 'chevrondown' : 'chevronright'} />
                    </button>
                  </td>
                  <td><Truncate text={formatDateTime(r.startedAt)} /></td>
                  <td><Truncate text={kindName(r)} /></td>
                  <td><Truncate text={STATUS[r.status].label}><StatusBadge status={r.status} /></Truncate></td>
                  <td><Truncate text={s ? String(s.customers.seen) : r.status === 'running' && r.total > 0 ? `${r.done} of ${r.total}` : r.status === 'running' ? 'Reading…' : '—'} /></td>
                  <td><Truncate text={s ? `${s.customers.created} / ${s.customers.updated} / ${s.customers.unchanged} / ${s.customers.failed}` : '—'} /></td>
                  <td><Truncate text={s ? formatDuration(s.durationMs) : r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '—'} /></td>
                </tr>
                {expanded ? (
                  <tr className="hub-expanded">
                    <td colSpan={7}>
                      <RunMessages runId={r.runId} error={r.error} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function RunMessages(props: { runId: string; error: string | null }) {
  const [messages, setMessages] = useState<RunMessage[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let cancelled = false
    api<GetSyncRunMessages>('GET', '/api/runs/:id/messages', { params: { id: props.runId } })
      .then((r) => !cancelled && setMessages(r.messages))
      .catch((e: unknown) => !cancelled && setError(errorText(e)))
    return () => {
      cancelled = true
    }
  }, [props.runId])
  if (error) return <ErrorAlert message={error} />
  if (!messages) return <Spinner label="Loading messages…" />
  if (messages.length === 0) {
    return <p className="slds-p-around_small slds-text-color_weak">{props.error ?? 'No errors or warnings: every record synced cleanly.'}</p>
  }
  return (
    <table className="slds-table slds-table_cell-buffer slds-table_striped slds-table_fixed-layout hub-messages" aria-label="Errors and warnings">
      <thead>
        <tr>
          <th scope="col" className="hub-col-level"><Truncate text="Level" /></th>
          <th scope="col"><Truncate text="Customer" /></th>
          <th scope="col"><Truncate text="Field" /></th>
          <th scope="col"><Truncate text="Code" /></th>
          <th scope="col" className="hub-col-message"><Truncate text="Message" /></th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m, i) => (
          <tr key={i}>
            <td>
              <Truncate text={m.level === 'error' ? 'Error' : 'Warning'}>
                <span className={`slds-badge ${m.level === 'error' ? 'slds-theme_error' : 'slds-theme_warning'}`}>{m.level === 'error' ? 'Error' : 'Warning'}</span>
              </Truncate>
            </td>
            <td>
              <Truncate text={`${m.displayName ?? '—'}${m.qboId ? ` (QBO ${m.qboId})` : ''}`}>
                {m.displayName ?? '—'}{m.qboId ? <span className="slds-text-color_weak"> (QBO {m.qboId})</span> : null}
              </Truncate>
            </td>
            <td><Truncate text={m.field ? (m.fieldLabel ? `${m.fieldLabel} (${m.field})` : m.field) : '—'} /></td>
            <td><Truncate text={m.code}><code>{m.code}</code></Truncate></td>
            <td><Truncate text={m.message} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
