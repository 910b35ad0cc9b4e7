/**
 * @module web/components/Suggestions
 * A queued customer's suggested Accounts (contract §10), best first: the Account, its score and
 * the reasons, each with "Accept", which links the customer to it at once (a Manual link). A
 * suggestion is never linked without that click.
 */
import { useState } from 'react'
import type { CustomerRow, PostAcceptSuggestion, SuggestionView } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { useToast } from './Toasts.js'

/** 90 or more: a promise (the default of "Accept all"); 70 or more: worth a look. */
export function ScoreBadge(props: { score: number }) {
  const theme = props.score >= 90 ? 'slds-theme_success' : props.score >= 70 ? 'slds-theme_warning' : 'slds-badge_lightest'
  return (
    <span className={`slds-badge ${theme} hub-score`} title={`Score ${props.score} of 100`}>
      <span className="slds-assistive-text">Score </span>
      {props.score}
    </span>
  )
}

export function Suggestions(props: { row: CustomerRow; onLinked: (row: CustomerRow) => void }) {
  const { row } = props
  const [busy, setBusy] = useState<string | null>(null)
  const notify = useToast()
  const list = row.suggestions ?? []
  if (list.length === 0) return null

  const accept = async (s: SuggestionView) => {
    setBusy(s.accountId)
    try {
      const saved = await api<PostAcceptSuggestion>('POST', '/api/customers/:key/accept', { params: { key: row.key }, body: { accountId: s.accountId } })
      notify('success', `${saved.displayName} is linked to ${saved.accountName ?? s.accountName}.`)
      props.onLinked(saved)
    } catch (e) {
      notify('error', errorText(e))
      setBusy(null)
    }
  }

  return (
    <ul className="hub-suggestions" aria-label={`Suggested Accounts for ${row.displayName}`}>
      {list.map((s) => {
        const reasons = s.reasons.join('; ')
        // Two Accounts of one name (an Ambiguous customer's) are told apart by their Ids.
        const twin = list.some((x) => x !== s && x.accountName === s.accountName)
        const name = twin ? `${s.accountName} (${s.accountId})` : s.accountName
        return (
          <li key={s.accountId} className="hub-suggestion">
            <div className="hub-suggestion-head">
              <ScoreBadge score={s.score} />
              <span className="slds-truncate hub-suggestion-name" title={name} dir="auto">
                {s.accountName}
                {twin ? <span className="slds-text-color_weak hub-suggestion-id">{s.accountId}</span> : null}
              </span>
              <button
                className="slds-button slds-button_brand hub-suggestion-accept"
                aria-label={`Accept ${name}`}
                title={`Link ${row.displayName} to ${name}`}
                disabled={busy !== null}
                onClick={() => accept(s)}
              >
                Accept
              </button>
            </div>
            {reasons ? <div className="slds-truncate slds-text-body_small slds-text-color_weak" title={reasons}>{reasons}</div> : null}
          </li>
        )
      })}
    </ul>
  )
}
