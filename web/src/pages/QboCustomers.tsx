/**
 * @module web/pages/QboCustomers
 * Every synced QBO Customer record: searchable, filterable, paged, with "Edit Account" on each
 * row to change its link in place, and "Unignore" on an Ignored one (contract §10: back to the
 * queue, linked by the rules on the next run).
 */
import { useCallback, useEffect, useState } from 'react'
import type { CustomerFilter, CustomerRow, GetCustomers, PostUnignoreCustomer } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { useSearchTerm } from '../search.js'
import { Icon } from '../components/Icon.js'
import { LinkEditor } from '../components/LinkEditor.js'
import { EmptyState, ErrorAlert, Spinner } from '../components/States.js'
import { useToast } from '../components/Toasts.js'
import { Truncate } from '../components/Truncate.js'
import { CompanySelect, useCompanies } from '../components/CompanySelect.js'
import { PageHeader } from './Connections.js'

const FILTERS: { id: CustomerFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'mapped', label: 'Mapped' },
  { id: 'unmapped', label: 'Unmapped' },
  { id: 'ambiguous', label: 'Ambiguous' },
  { id: 'inactive', label: 'Inactive' },
]
const PAGE_SIZE = 25

export function QboCustomersPage() {
  const [filter, setFilter] = useState<CustomerFilter>('all')
  const [page, setPage] = useState(1)
  const { search, setSearch, term } = useSearchTerm(() => setPage(1))
  const [data, setData] = useState<GetCustomers['Success'] | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<string | null>(null)
  const companies = useCompanies()
  const [company, setCompany] = useState('')
  const [unignoring, setUnignoring] = useState<string | null>(null)
  const notify = useToast()


  const load = useCallback(() => {
    setLoading(true)
    setError(null)
    api<GetCustomers>('GET', '/api/customers', { query: { search: term, filter, page, pageSize: PAGE_SIZE, ...(company ? { realmId: company } : {}) } })
      .then(setData)
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setLoading(false))
  }, [term, filter, page, company])
  useEffect(load, [load])

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1
  const replace = (row: CustomerRow) => setData((d) => (d ? { ...d, items: d.items.map((x) => (x.key === row.key ? row : x)) } : d))
  const unignore = async (r: CustomerRow) => {
    setUnignoring(r.key)
    try {
      replace(await api<PostUnignoreCustomer>('POST', '/api/customers/:key/unignore', { params: { key: r.key } }))
      notify('success', `${r.displayName} is no longer ignored: the next import links it by the rules, or it waits on Sync Customers.`)
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setUnignoring(null)
    }
  }

  return (
    <div className="hub-page">
      <PageHeader title="QBO Customers" subtitle="Every QuickBooks customer Tally has synced into Salesforce, and the Account it is linked to." />
      <section className="slds-card hub-card" aria-label="QBO Customers">
        <div className="slds-card__header slds-grid slds-wrap slds-grid_vertical-align-end hub-toolbar">
          <div className="slds-form-element hub-search">
            <label className="slds-form-element__label" htmlFor="customer-search">Search customers</label>
            <div className="slds-form-element__control slds-input-has-icon slds-input-has-icon_left">
              <Icon name="search" className="slds-icon slds-input__icon slds-input__icon_left slds-icon-text-default" />
              <input id="customer-search" type="search" className="slds-input" placeholder="Name, email or Account" value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
          </div>
          <div className="slds-m-left_medium">
            <CompanySelect companies={companies} value={company} onChange={(r) => { setCompany(r); setPage(1) }} />
          </div>
          <div className="slds-form-element slds-m-left_medium">
            <label className="slds-form-element__label" htmlFor="customer-filter">Filter</label>
            <div className="slds-form-element__control">
              <div className="slds-select_container">
                <select id="customer-filter" className="slds-select" value={filter} onChange={(e) => { setFilter(e.target.value as CustomerFilter); setPage(1) }}>
                  {FILTERS.map((f) => (
                    <option key={f.id} value={f.id}>{f.label}</option>
                  ))}
                </select>
              </div>
            </div>
          </div>
        </div>
        <div className="slds-card__body">
          {error ? <div className="slds-p-horizontal_medium"><ErrorAlert message={error} onRetry={load} /></div> : null}
          {loading && !data ? <div className="slds-p-horizontal_medium"><Spinner label="Loading customers…" /></div> : null}
          {data && data.total === 0 && !error ? (
            term || filter !== 'all' ? (
              <EmptyState title="No customers match.">Try another search or the All filter.</EmptyState>
            ) : (
              <EmptyState title="No customers yet — Start Import on Sync Customers.">
                <a href="#/sync">Go to Sync Customers</a>
              </EmptyState>
            )
          ) : null}
          {data && data.total > 0 ? (
            <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_striped slds-table_fixed-layout" aria-label="QBO Customer records" aria-busy={loading}>
              <thead>
                <tr className="slds-line-height_reset">
                  <th scope="col"><Truncate text="QBO Customer" /></th>
                  <th scope="col" className="hub-col-account"><Truncate text="Account" /></th>
                  <th scope="col" className="hub-col-status"><Truncate text="Link Status" /></th>
                  <th scope="col"><Truncate text="Email" /></th>
                  <th scope="col"><Truncate text="Parent Customer" /></th>
                  <th scope="col" className="hub-col-narrow"><Truncate text="Active" /></th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      <Truncate text={r.displayName} />
                      <Truncate text={`QBO ${r.qboId}`} className="slds-text-body_small slds-text-color_weak" />
                    </th>
                    <td className="hub-col-account">
                      {editing === r.key ? (
                        <LinkEditor
                          row={r}
                          onCancel={() => setEditing(null)}
                          onSaved={(saved) => {
                            setEditing(null)
                            replace(saved)
                          }}
                        />
                      ) : (
                        <div className="slds-grid slds-grid_vertical-align-center hub-account-cell">
                          <span className="slds-truncate slds-col" title={r.accountName ?? 'No Account'}>{r.accountName ?? <span className="slds-text-color_weak">No Account</span>}</span>
                          <button className="slds-button slds-button_icon slds-button_icon-small slds-m-left_x-small" aria-label="Edit Account" title={`Edit Account of ${r.displayName}`} onClick={() => setEditing(r.key)}>
                            <Icon name="edit" className="slds-button__icon slds-button__icon_hint" />
                          </button>
                        </div>
                      )}
                    </td>
                    <td>
                      <Truncate text={r.linkStatus ?? '—'} />
                      {r.linkStatus === 'Ignored' ? (
                        <button
                          className="slds-button slds-button_neutral hub-unignore"
                          title={`Put ${r.displayName} back in the queue of customers to link`}
                          disabled={unignoring !== null}
                          onClick={() => unignore(r)}
                        >
                          Unignore
                        </button>
                      ) : null}
                    </td>
                    <td><Truncate text={r.email ?? ''} /></td>
                    <td><Truncate text={r.parentName ?? ''} /></td>
                    <td><Truncate text={r.active ? 'Yes' : 'No'} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
        {data && data.total > 0 ? (
          <footer className="slds-card__footer slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
            <span>{`${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, data.total)} of ${data.total} customers`}</span>
            <div className="slds-button-group" role="group">
              <button className="slds-button slds-button_neutral" disabled={page <= 1 || loading} onClick={() => setPage((p) => p - 1)}>Previous</button>
              <span className="slds-p-horizontal_small slds-align-middle">Page {page} of {pages}</span>
              <button className="slds-button slds-button_neutral" disabled={page >= pages || loading} onClick={() => setPage((p) => p + 1)}>Next</button>
            </div>
          </footer>
        ) : null}
      </section>
    </div>
  )
}
