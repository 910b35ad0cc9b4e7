/**
 * @module web/components/AcceptAll
 * "Accept all ≥ N" above the link queue: a dry run first, so the user confirms the count (and sees
 * whom it would link to what) before any record changes; then every best suggestion scoring at
 * least N is linked (Manual links), and the outcome is a toast.
 */
import { useId, useState } from 'react'
import type { AcceptedLink, PostAcceptAll } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { plural } from '../format.js'
import { Modal } from './Modal.js'
import { ScoreBadge } from './Suggestions.js'
import { useToast } from './Toasts.js'

/** The score the engine calls confident (src/sync/suggest.ts CONFIDENT_SCORE). */
const DEFAULT_MIN_SCORE = 90

export function AcceptAll(props: { realmId?: string; onDone: () => void }) {
  const [text, setText] = useState(String(DEFAULT_MIN_SCORE))
  const [pending, setPending] = useState<{ minScore: number; links: AcceptedLink[] } | null>(null)
  const [busy, setBusy] = useState(false)
  const notify = useToast()
  const inputId = useId()
  const n = Number(text)
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 100
  const realm = props.realmId ? { realmId: props.realmId } : {}

  const preview = async () => {
    if (!valid) return
    setBusy(true)
    try {
      const { accepted } = await api<PostAcceptAll>('POST', '/api/links/accept-all', { body: { minScore: n, dryRun: true, ...realm } })
      if (accepted.length === 0) notify('info', `No customer has a suggestion scoring ${n} or more.`)
      else setPending({ minScore: n, links: accepted })
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const confirm = async () => {
    if (!pending) return
    setBusy(true)
    try {
      const { accepted } = await api<PostAcceptAll>('POST', '/api/links/accept-all', { body: { minScore: pending.minScore, dryRun: false, ...realm } })
      setPending(null)
      notify('success', `${plural(accepted.length, 'customer')} linked to their suggested Account.`)
      props.onDone()
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const count = pending ? plural(pending.links.length, 'customer') : ''
  return (
    <div className="slds-grid slds-grid_vertical-align-end hub-accept-all">
      <div className="slds-form-element">
        <label className="slds-form-element__label" htmlFor={inputId}>Minimum score</label>
        <div className="slds-form-element__control">
          <input
            id={inputId}
            type="number"
            min={0}
            max={100}
            step={1}
            className="slds-input hub-score-input"
            value={text}
            aria-invalid={!valid}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') void preview() }}
          />
        </div>
      </div>
      <button className="slds-button slds-button_neutral" onClick={preview} disabled={!valid || busy}>
        {`Accept all ≥ ${valid ? n : '…'}`}
      </button>
      {pending ? (
        <Modal
          title="Accept all suggestions"
          onClose={() => setPending(null)}
          footer={
            <>
              <button className="slds-button slds-button_neutral" onClick={() => setPending(null)} disabled={busy}>Cancel</button>
              <button className="slds-button slds-button_brand" onClick={confirm} disabled={busy}>{`Link ${count}`}</button>
            </>
          }
        >
          <p className="slds-m-bottom_small">{`Link ${count} to their suggested Account?`}</p>
          <p className="slds-text-body_small slds-text-color_weak slds-m-bottom_small">
            {`Each customer whose best suggestion scores ${pending.minScore} or more is linked to it in Salesforce now, as a Manual link. The History page can undo any of them.`}
          </p>
          <ul className="hub-accept-list" aria-label="Customers to link">
            {pending.links.map((l) => (
              <li key={l.key} className="hub-accept-item">
                <ScoreBadge score={l.score} />
                <span className="slds-truncate" title={`${l.displayName} → ${l.accountName}`} dir="auto">{`${l.displayName} → ${l.accountName}`}</span>
              </li>
            ))}
          </ul>
        </Modal>
      ) : null}
    </div>
  )
}
