/**
 * @module web/pages/LinkHistory
 * "History": every link change (contract §10) — by a run (Tally), a person in the Hub, or an edit
 * in Salesforce — newest first, with when, who, the customer, the Account and status before and
 * after, and why; filtered by company, by who and by a search, paged; "Undo" on each entry restores
 * its old link as Manual (after a confirmation), and an entry once undone says so.
 */
import { useCallback, useEffect, useState } from 'react'
import type { GetLinkHistory, LinkHistoryEntry, PostUndoLinkChange } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { useSearchTerm } from '../search.js'
import { CompanySelect, useCompanies } from '../components/CompanySelect.js'
import { Icon } from '../components/Icon.js'
import { Modal } from '../components/Modal.js'
import { EmptyState, ErrorAlert, Spinner } from '../components/States.js'
import { useToast } from '../components/Toasts.js'
import { Truncate } from '../components/Truncate.js'
import { formatDateTime } from '../format.js'
import { PageHeader } from './Connections.js'

type By = NonNullable<GetLinkHistory['Querystring']['by']> | ''
const BY: { id: By; label: string }[] = [
  { id: '', label: 'All' },
  { id: 'tally', label: 'Tally (runs)' },
  { id: 'hub', label: 'Hub users' },
  { id: 'salesforce', label: 'Salesforce users' },
]
const PAGE_SIZE = 25

/** `tally` is a run; `salesforce:<user>` an edit in the org; anything else the Hub user. */
export function whoText(who: string): string {
  if (who === 'tally') return 'Tally (run)'
  if (who.startsWith('salesforce:')) return `${who.slice('salesforce:'.length)} (Salesforce)`
  return who
}

const accountText = (id: string | null, name: string | null) => name ?? id ?? 'No Account'

function LinkSide(props: { accountId: string | null; accountName: string | null; status: string | null }) {
  const account = accountText(props.accountId, props.accountName)
  return (
    <>
      <Truncate text={account}>{props.accountId ? account : <span className="slds-text-color_weak">No Account</span>}</Truncate>
      <Truncate text={props.status ?? '—'} className="slds-text-body_small slds-text-color_weak" />
    </>
  )
}

export function LinkHistoryPage() {
  const [by, setBy] = useState<By>('')
  const [page, setPage] = useState(1)
  const { search, setSearch, term } = useSearchTerm(() => setPage(1))
  const [data, setData] = useState<GetLinkHistory['Success'] | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [confirm, setConfirm] = useState<LinkHistoryEntry | null>(null)
  const [undoing, setUndoing] = useState(false)
  const companies = useCompanies()
  const [company, setCompany] = useState('')
  const notify = useToast()


  const load = useCallback(() => {
    setLoading(true)
    setError(null)
    api<GetLinkHistory>('GET', '/api/link-history', { query: { search: term, page, pageSize: PAGE_SIZE, ...(by ? { by } : {}), ...(company ? { realmId: company } : {}) } })
      .then(setData)
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setLoading(false))
  }, [term, by, page, company])
  useEffect(load, [load])

  const undo = async () => {
    if (!confirm) return
    setUndoing(true)
    try {
      const done = await api<PostUndoLinkChange>('POST', '/api/link-history/:id/undo', { params: { id: confirm.id } })
      setConfirm(null)
      notify('success', done.toAccountId ? `${done.displayName} is linked to ${accountText(done.toAccountId, done.toAccountName)} again (Manual).` : `${done.displayName} has no Account again (Manual).`)
      load()
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setUndoing(false)
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1
  const filtered = term !== '' || by !== '' || company !== ''
  return (
    <div className="hub-page">
      <PageHeader title="History" subtitle="Every change of a QBO Customer's link to an Account: by an import, by you in the Hub, or by someone in Salesforce. Undo restores the link as it was before." />
      <section className="slds-card hub-card" aria-label="Link history">
        <div className="slds-card__header slds-grid slds-wrap slds-grid_vertical-align-end hub-toolbar">
          <div className="slds-form-element hub-search">
            <label className="slds-form-element__label" htmlFor="history-search">Search history</label>
            <div className="slds-form-element__control slds-input-has-icon slds-input-has-icon_left">
              <Icon name="search" className="slds-icon slds-input__icon slds-input__icon_left slds-icon-text-default" />
              <input id="history-search" type="search" className="slds-input" placeholder="Customer or Account" value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
          </div>
          <div className="slds-m-left_medium">
            <CompanySelect companies={companies} value={company} onChange={(r) => { setCompany(r); setPage(1) }} />
          </div>
          <div className="slds-form-element slds-m-left_medium">
            <label className="slds-form-element__label" htmlFor="history-by">Changed by</label>
            <div className="slds-form-element__control">
              <div className="slds-select_container">
                <select id="history-by" className="slds-select" value={by} onChange={(e) => { setBy(e.target.value as By); setPage(1) }}>
                  {BY.map((b) => (
                    <option key={b.id} value={b.id}>{b.label}</option>
                  ))}
                </select>
              </div>
            </div>
          </div>
        </div>
        <div className="slds-card__body">
          {error ? <div className="slds-p-horizontal_medium"><ErrorAlert message={error} onRetry={load} /></div> : null}
          {loading && !data ? <div className="slds-p-horizontal_medium"><Spinner label="Loading the history…" /></div> : null}
          {data && data.total === 0 && !error ? (
            filtered ? (
              <EmptyState title="No changes match.">Try another search, or All.</EmptyState>
            ) : (
              <EmptyState title="No link has changed yet.">Imports, links made in the Hub and edits in Salesforce appear here.</EmptyState>
            )
          ) : null}
          {data && data.total > 0 ? (
            <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_fixed-layout hub-history" aria-label="Link changes" aria-busy={loading}>
              <thead>
                <tr className="slds-line-height_reset">
                  <th scope="col" className="hub-col-when"><Truncate text="When" /></th>
                  <th scope="col" className="hub-col-who"><Truncate text="Who" /></th>
                  <th scope="col"><Truncate text="QBO Customer" /></th>
                  <th scope="col"><Truncate text="From" /></th>
                  <th scope="col"><Truncate text="To" /></th>
                  <th scope="col" className="hub-col-reason"><Truncate text="Reason" /></th>
                  <th scope="col" className="hub-col-undo"><span className="slds-assistive-text">Undo</span></th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((h) => (
                  <tr key={h.id}>
                    <td><Truncate text={formatDateTime(h.at)} /></td>
                    <td><Truncate text={whoText(h.who)} /></td>
                    <th scope="row">
                      <Truncate text={h.displayName} />
                      <Truncate text={`QBO ${h.qboId}`} className="slds-text-body_small slds-text-color_weak" />
                    </th>
                    <td><LinkSide accountId={h.fromAccountId} accountName={h.fromAccountName} status={h.fromStatus} /></td>
                    <td><LinkSide accountId={h.toAccountId} accountName={h.toAccountName} status={h.toStatus} /></td>
                    <td className="hub-reason"><div className="hub-clamp" title={h.reason}>{h.reason}</div></td>
                    <td className="hub-col-undo">
                      {h.undoneBy ? (
                        <button className="slds-button slds-button_neutral" disabled aria-label={`Undone: ${h.displayName}, ${formatDateTime(h.at)}`}>Undone</button>
                      ) : (
                        <button className="slds-button slds-button_neutral" aria-label={`Undo: ${h.displayName}, ${formatDateTime(h.at)}`} title="Restore the link as it was before this change" onClick={() => setConfirm(h)}>Undo</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
        {data && data.total > 0 ? (
          <footer className="slds-card__footer slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
            <span>{`${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, data.total)} of ${data.total} changes`}</span>
            <div className="slds-button-group" role="group" aria-label="History pages">
              <button className="slds-button slds-button_neutral" disabled={page <= 1 || loading} onClick={() => setPage((p) => p - 1)}>Previous</button>
              <span className="slds-p-horizontal_small slds-align-middle">Page {page} of {pages}</span>
              <button className="slds-button slds-button_neutral" disabled={page >= pages || loading} onClick={() => setPage((p) => p + 1)}>Next</button>
            </div>
          </footer>
        ) : null}
      </section>
      {confirm ? (
        <Modal
          title="Undo this change?"
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button className="slds-button slds-button_neutral" onClick={() => setConfirm(null)} disabled={undoing}>Cancel</button>
              <button className="slds-button slds-button_brand" onClick={undo} disabled={undoing}>Undo</button>
            </>
          }
        >
          <p>
            {confirm.fromAccountId
              ? `${confirm.displayName} will be linked to ${accountText(confirm.fromAccountId, confirm.fromAccountName)} again`
              : `${confirm.displayName} will have no Account again`}
            {', in Salesforce now, as a Manual link (no sync changes it).'}
          </p>
          <p className="slds-text-body_small slds-text-color_weak slds-m-top_small">{`The change undone: ${whoText(confirm.who)}, ${formatDateTime(confirm.at)} — ${confirm.reason}`}</p>
        </Modal>
      ) : null}
    </div>
  )
}
