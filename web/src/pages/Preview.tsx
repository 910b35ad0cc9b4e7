/**
 * @module web/pages/Preview
 * A preview (dry run) in the page: what Start Import would create, update, link and leave
 * unmapped, and why, per customer, from the run's plan — nothing of it was written. Counts of
 * every kind, one page of the chosen kind at a time (a big company's plan is not sent at once).
 */
import { useEffect, useState } from 'react'
import type { GetSyncRunPlan, PlanFilter, PlanItemView, RunView } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { EmptyState, ErrorAlert, Spinner } from '../components/States.js'
import { Truncate } from '../components/Truncate.js'
import { formatDateTime } from '../format.js'

const FILTERS: { id: PlanFilter; label: string }[] = [
  { id: 'all', label: 'All customers' },
  { id: 'create', label: 'Would be created' },
  { id: 'update', label: 'Would be updated' },
  { id: 'unchanged', label: 'Unchanged' },
  { id: 'link', label: 'Would be linked' },
  { id: 'unmapped', label: 'Would stay unmapped' },
]
const PAGE_SIZE = 50

const sentence = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s)

function actionText(p: PlanItemView): string {
  if (p.gone) return 'Mark inactive'
  if (p.action === 'create') return 'Create'
  if (p.action === 'unchanged') return 'Unchanged'
  const fields = p.changedFields.map((f) => f.label ?? f.name)
  return fields.length > 0 ? `Update: ${fields.join(', ')}` : 'Update'
}

function whyText(p: PlanItemView): string {
  const parts = [sentence(p.reason)].filter(Boolean)
  for (const i of p.issues) parts.push(i.message)
  return parts.join(' · ')
}

export function PreviewPanel(props: { run: RunView; onDismiss: () => void }) {
  const { run } = props
  const [filter, setFilter] = useState<PlanFilter>('all')
  const [page, setPage] = useState(1)
  const [data, setData] = useState<GetSyncRunPlan['Success'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    if (run.status === 'failed') return
    let cancelled = false
    setLoading(true)
    setError(null)
    api<GetSyncRunPlan>('GET', '/api/runs/:id/plan', { params: { id: run.runId }, query: { filter, page, pageSize: PAGE_SIZE } })
      .then((r) => !cancelled && setData(r))
      .catch((e: unknown) => !cancelled && setError(errorText(e)))
      .finally(() => !cancelled && setLoading(false))
    return () => {
      cancelled = true
    }
  }, [run.runId, run.status, filter, page])

  const c = data?.counts
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1
  return (
    <section className="slds-card hub-card" aria-labelledby="preview-title">
      <div className="slds-card__header slds-grid slds-grid_vertical-align-center">
        <h2 className="slds-card__header-title slds-col slds-truncate" id="preview-title">
          Preview of {formatDateTime(run.startedAt)}
        </h2>
        <button className="slds-button slds-button_neutral" onClick={props.onDismiss}>Close Preview</button>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <p className="slds-text-body_small slds-text-color_weak slds-m-bottom_small">
          What Start Import would do now, with the current settings. Nothing was written to Salesforce.
        </p>
        {run.status === 'failed' ? <ErrorAlert message={run.error ?? 'The preview failed.'} /> : null}
        {error ? <ErrorAlert message={error} /> : null}
        {c ? (
          <ul className="hub-stats slds-m-bottom_small" aria-label="Preview counts">
            {([['Would be created', c.create], ['Would be updated', c.update], ['Unchanged', c.unchanged], ['Would be linked', c.link], ['Would stay unmapped', c.unmapped]] as const).map(([label, n]) => (
              <li key={label} className="hub-stat">
                <span className="hub-stat-value">{n}</span>
                <span className="hub-stat-label">{label}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {c ? (
          <div className="slds-form-element slds-m-bottom_small hub-plan-filter">
            <label className="slds-form-element__label" htmlFor="plan-filter">Show</label>
            <div className="slds-form-element__control">
              <div className="slds-select_container">
                <select id="plan-filter" className="slds-select" value={filter} onChange={(e) => { setFilter(e.target.value as PlanFilter); setPage(1) }}>
                  {FILTERS.map((f) => (
                    <option key={f.id} value={f.id}>{`${f.label} (${c[f.id]})`}</option>
                  ))}
                </select>
              </div>
            </div>
          </div>
        ) : null}
        {loading && !data ? <Spinner label="Loading the preview…" /> : null}
      </div>
      {data && data.total === 0 ? <EmptyState title="No customer in this list." /> : null}
      {data && data.total > 0 ? (
        <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_fixed-layout" aria-label="Planned changes" aria-busy={loading}>
          <thead>
            <tr className="slds-line-height_reset">
              <th scope="col" className="hub-col-name"><Truncate text="QBO Customer" /></th>
              <th scope="col"><Truncate text="Action" /></th>
              <th scope="col" className="hub-col-status"><Truncate text="Link Status" /></th>
              <th scope="col"><Truncate text="Account" /></th>
              <th scope="col" className="hub-col-why"><Truncate text="Why" /></th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.key}>
                <th scope="row">
                  <Truncate text={p.displayName} />
                  <Truncate text={`QBO ${p.qboId}`} className="slds-text-body_small slds-text-color_weak" />
                </th>
                <td><Truncate text={actionText(p)} /></td>
                <td>
                  <Truncate text={p.linkStatus}>
                    <span className={`slds-badge ${p.linkStatus === 'Ambiguous' ? 'slds-theme_warning' : ''}`}>{p.linkStatus}</span>
                  </Truncate>
                </td>
                <td><Truncate text={p.accountName ?? (p.accountId ? p.accountId : '—')} /></td>
                <td><Truncate text={whyText(p)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data && data.total > PAGE_SIZE ? (
        <footer className="slds-card__footer slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
          <span>{`${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, data.total)} of ${data.total}`}</span>
          <div className="slds-button-group" role="group" aria-label="Preview pages">
            <button className="slds-button slds-button_neutral" disabled={page <= 1 || loading} onClick={() => setPage((n) => n - 1)}>Previous</button>
            <span className="slds-p-horizontal_small slds-align-middle">Page {page} of {pages}</span>
            <button className="slds-button slds-button_neutral" disabled={page >= pages || loading} onClick={() => setPage((n) => n + 1)}>Next</button>
          </div>
        </footer>
      ) : null}
    </section>
  )
}
