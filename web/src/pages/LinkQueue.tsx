/**
 * @module web/pages/LinkQueue
 * Customers no rule could link (Unmapped: no Account of that name; Ambiguous: several), each with
 * "Link Account". Ambiguous customers offer their candidate Accounts first.
 */
import { useCallback, useEffect, useState } from 'react'
import type { CustomerRow, GetLinkQueue } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { LinkEditor } from '../components/LinkEditor.js'
import { EmptyState, ErrorAlert, Spinner } from '../components/States.js'
import { Truncate } from '../components/Truncate.js'

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

  const load = useCallback(() => {
    setError(null)
    api<GetLinkQueue>('GET', '/api/link-queue', { query: props.realmId ? { realmId: props.realmId } : {} })
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorText(e)))
  }, [props.realmId])
  useEffect(load, [load, props.version])

  return (
    <section className="slds-card hub-card" aria-labelledby="queue-title">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title" id="queue-title">
          Unmapped and ambiguous customers{items && items.length > 0 ? ` (${items.length})` : ''}
        </h2>
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
          <table className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_fixed-layout" aria-labelledby="queue-title">
            <thead>
              <tr className="slds-line-height_reset">
                <th scope="col" className="hub-col-name"><Truncate text="QBO Customer" /></th>
                <th scope="col" className="hub-col-status"><Truncate text="Status" /></th>
                <th scope="col"><Truncate text="Why" /></th>
                <th scope="col" className="hub-col-action"><span className="slds-assistive-text">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.key}>
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
                  </td>
                  <td className="hub-col-action">
                    {editing === r.key ? (
                      <LinkEditor
                        row={r}
                        onCancel={() => setEditing(null)}
                        onSaved={(saved) => {
                          setEditing(null)
                          setItems((list) => list?.filter((x) => x.key !== saved.key) ?? null)
                        }}
                      />
                    ) : (
                      <button className="slds-button slds-button_neutral" onClick={() => setEditing(r.key)}>Link Account</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </section>
  )
}
