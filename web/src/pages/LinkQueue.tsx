/**
 * @module web/pages/LinkQueue
 * Customers no rule could link (Unmapped: no Account of that name; Ambiguous: several), each with
 * its suggested Accounts ("Accept"), "Link Account" and "Ignore"; above them "Accept all ≥ N"
 * and "Refresh suggestions" (contract §8, §10; a run suggests only for the records it writes, so
 * Accounts added in Salesforce since, or an unignored customer, wait for a refresh). Ambiguous customers offer their candidate Accounts first in the lookup.
 */
import { Fragment, useCallback, useEffect, useState } from 'react'
import type { CustomerRow, GetLinkQueue, PostIgnoreCustomer, PostRefreshSuggestions } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { AcceptAll } from '../components/AcceptAll.js'
import { LinkEditor } from '../components/LinkEditor.js'
import { EmptyState, ErrorAlert, Spinner } from '../components/States.js'
import { Suggestions } from '../components/Suggestions.js'
import { useToast } from '../components/Toasts.js'
import { Truncate } from '../components/Truncate.js'
import { plural } from '../format.js'

/** Why a customer waits. The name is the one Accounts are matched by (the API gives it: QBO's
 * " (deleted)" suffix of an inactive customer is the engine's rule, not the page's). */
function why(r: CustomerRow): string {
  if (r.linkStatus === 'Ambiguous') return `${r.candidates?.length ?? 'Several'} Accounts are named “${r.matchName}”. Pick the right one.`
  return r.active ? `No Account is named “${r.matchName}”.` : `Inactive in QuickBooks; no Account is named “${r.matchName}”.`
}

/** `imported`: an import has run (for the company shown); until then an empty queue means nothing yet. */
export function LinkQueue(props: { version: number; realmId?: string; imported: boolean }) {
  const [items, setItems] = useState<CustomerRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<string | null>(null)
  const [ignoring, setIgnoring] = useState<string | null>(null)
  const notify = useToast()

  const load = useCallback(() => {
    setError(null)
    api<GetLinkQueue>('GET', '/api/link-queue', { query: props.realmId ? { realmId: props.realmId } : {} })
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorText(e)))
  }, [props.realmId])
  useEffect(load, [load, props.version])

  const drop = (key: string) => {
    if (editing === key) setEditing(null)
    setItems((list) => list?.filter((x) => x.key !== key) ?? null)
  }
  const ignore = async (r: CustomerRow) => {
    setIgnoring(r.key)
    try {
      await api<PostIgnoreCustomer>('POST', '/api/customers/:key/ignore', { params: { key: r.key } })
      notify('success', `${r.displayName} is ignored: Tally will not link it, suggest an Account or create one. Unignore it on QBO Customers.`)
      drop(r.key)
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setIgnoring(null)
    }
  }
  const [refreshing, setRefreshing] = useState(false)
  const refresh = async () => {
    setRefreshing(true)
    try {
      const r = await api<PostRefreshSuggestions>('POST', '/api/links/suggest', { body: props.realmId ? { realmId: props.realmId } : {} })
      notify('success', `Suggestions recomputed for ${plural(r.records, 'customer')}: ${r.suggested} with a suggested Account.`)
      load()
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setRefreshing(false)
    }
  }
  const suggested = items?.some((r) => (r.suggestions?.length ?? 0) > 0) ?? false

  return (
    <section className="slds-card hub-card" aria-labelledby="queue-title">
      <div className="slds-card__header slds-grid slds-grid_vertical-align-end slds-wrap hub-queue-header">
        <h2 className="slds-card__header-title slds-col" id="queue-title">
          Unmapped and ambiguous customers{items && items.length > 0 ? ` (${items.length})` : ''}
        </h2>
        {items && items.length > 0 ? (
          <div className="slds-grid slds-grid_vertical-align-end hub-queue-tools">
            {suggested ? <AcceptAll {...(props.realmId ? { realmId: props.realmId } : {})} onDone={load} /> : null}
            <button
              className="slds-button slds-button_neutral"
              title="Suggest Accounts again for every customer below, from the Accounts in Salesforce now"
              disabled={refreshing}
              onClick={refresh}
            >
              {refreshing ? 'Refreshing…' : 'Refresh suggestions'}
            </button>
          </div>
        ) : null}
      </div>
      <div className="slds-card__body">
        {error ? <div className="slds-p-horizontal_medium"><ErrorAlert message={error} onRetry={load} /></div> : null}
        {!items && !error ? <div className="slds-p-horizontal_medium"><Spinner /></div> : null}
        {items && items.length === 0 ? (
          <EmptyState title={props.imported ? 'Every customer is linked to an Account.' : 'Nothing to link yet.'}>
            Customers with no Account of the same name, or with several, appear here after an import.
          </EmptyState>
        ) : null}
        {items && items.length > 0 ? (
          <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_fixed-layout hub-queue" aria-labelledby="queue-title">
            <thead>
              <tr className="slds-line-height_reset">
                <th scope="col" className="hub-col-queue-name"><Truncate text="QBO Customer" /></th>
                <th scope="col" className="hub-col-status"><Truncate text="Status" /></th>
                <th scope="col"><Truncate text="Why, and suggested Accounts" /></th>
                <th scope="col" className="hub-col-queue-action"><span className="slds-assistive-text">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <Fragment key={r.key}>
                  <tr>
                    <th scope="row">
                      <Truncate text={r.displayName} />
                      {r.email ? <Truncate text={r.email} className="slds-text-body_small slds-text-color_weak" /> : null}
                    </th>
                    <td>
                      <Truncate text={r.linkStatus ?? 'Unmapped'}>
                        <span className={`slds-badge ${r.linkStatus === 'Ambiguous' ? 'slds-theme_warning' : ''}`}>{r.linkStatus ?? 'Unmapped'}</span>
                      </Truncate>
                    </td>
                    <td>
                      <Truncate text={why(r)} />
                      <Suggestions row={r} onLinked={(saved) => drop(saved.key)} />
                    </td>
                    <td className="hub-col-queue-action">
                      <div className="hub-queue-actions">
                        <button className="slds-button slds-button_neutral" aria-expanded={editing === r.key} onClick={() => setEditing(editing === r.key ? null : r.key)}>Link Account</button>
                        <button
                          className="slds-button slds-button_neutral"
                          title="This customer has no Account in Salesforce: never link, suggest or create one"
                          disabled={ignoring !== null}
                          onClick={() => ignore(r)}
                        >
                          Ignore
                        </button>
                      </div>
                    </td>
                  </tr>
                  {editing === r.key ? (
                    <tr className="hub-expanded">
                      <td colSpan={4}>
                        <div className="hub-queue-editor">
                          <LinkEditor row={r} onCancel={() => setEditing(null)} onSaved={(saved) => drop(saved.key)} />
                        </div>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </section>
  )
}
