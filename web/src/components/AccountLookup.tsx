/**
 * @module web/components/AccountLookup
 * The "Account" lookup: an SLDS combobox that searches Salesforce Accounts as the user types
 * (debounced), lists an ambiguous customer's candidates first, and is driven by the keyboard
 * (arrows move, Enter picks or submits, Escape closes the list or cancels).
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { GetAccounts } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { Icon } from './Icon.js'

export interface AccountOption { id: string; name: string }

export function AccountLookup(props: {
  value: AccountOption | null
  onChange: (a: AccountOption | null) => void
  candidates?: AccountOption[]
  /** Enter with the list closed. */
  onSubmit?: () => void
  onCancel?: () => void
  autoFocus?: boolean
}) {
  const id = useId()
  const [term, setTerm] = useState(props.value?.name ?? '')
  const [open, setOpen] = useState(false)
  const [results, setResults] = useState<AccountOption[]>([])
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [active, setActive] = useState(-1)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (props.autoFocus) input.current?.focus()
  }, [props.autoFocus])

  useEffect(() => {
    if (!open) return
    let cancelled = false
    const t = setTimeout(() => {
      setLoading(true)
      api<GetAccounts>('GET', '/api/accounts', { query: { search: term.trim() } })
        .then((r) => !cancelled && (setResults(r.accounts), setError(null)))
        .catch((e: unknown) => !cancelled && setError(errorText(e)))
        .finally(() => !cancelled && setLoading(false))
    }, 250)
    return () => {
      cancelled = true
      clearTimeout(t)
    }
  }, [term, open])

  const candidates = (props.candidates ?? []).filter((c) => c.name.toLowerCase().includes(term.trim().toLowerCase()) || term === props.value?.name)
  const candidateIds = new Set(candidates.map((c) => c.id))
  const options: (AccountOption & { candidate: boolean })[] = [
    ...candidates.map((c) => ({ ...c, candidate: true })),
    ...results.filter((r) => !candidateIds.has(r.id)).map((r) => ({ ...r, candidate: false })),
  ]

  const pick = (a: AccountOption) => {
    props.onChange(a)
    setTerm(a.name)
    setOpen(false)
    setActive(-1)
  }

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((i) => Math.min(options.length - 1, i + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => Math.max(0, i - 1))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const opt = options[active]
      if (open && opt) pick(opt)
      else props.onSubmit?.()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      if (open) setOpen(false)
      else props.onCancel?.()
    }
  }

  const listId = `${id}-list`
  const optId = (i: number) => `${id}-opt-${i}`
  return (
    <div className="slds-form-element hub-lookup">
      <label className="slds-form-element__label" htmlFor={`${id}-input`}>
        Account
      </label>
      <div className="slds-form-element__control">
        <div className="slds-combobox_container">
          <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${open ? ' slds-is-open' : ''}`}>
            <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_right" role="none">
              <input
                ref={input}
                id={`${id}-input`}
                className="slds-input slds-combobox__input"
                type="text"
                role="combobox"
                autoComplete="off"
                placeholder="Search Salesforce Accounts…"
                aria-autocomplete="list"
                aria-expanded={open}
                aria-controls={listId}
                aria-activedescendant={open && active >= 0 ? optId(active) : undefined}
                value={term}
                onChange={(e) => {
                  setTerm(e.target.value)
                  setOpen(true)
                  setActive(-1)
                  if (props.value) props.onChange(null)
                }}
                onFocus={() => setOpen(true)}
                onBlur={() => setTimeout(() => setOpen(false), 150)}
                onKeyDown={onKeyDown}
              />
              <span className="slds-icon_container slds-input__icon slds-input__icon_right">
                <Icon name="search" className="slds-icon slds-icon_x-small slds-icon-text-default" />
              </span>
            </div>
            <div id={listId} className="slds-dropdown slds-dropdown_length-with-icon-7 slds-dropdown_fluid" role="listbox" aria-label="Accounts">
              <ul className="slds-listbox slds-listbox_vertical" role="presentation">
                {options.map((o, i) => (
                  <li key={o.id} role="presentation" className="slds-listbox__item">
                    <div
                      id={optId(i)}
                      role="option"
                      aria-selected={i === active}
                      className={`slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta${i === active ? ' slds-has-focus' : ''}`}
                      onMouseDown={(e) => {
                        e.preventDefault()
                        pick(o)
                      }}
                    >
                      <span className="slds-media__figure slds-listbox__option-icon">
                        <span className="slds-icon_container slds-icon-standard-account">
                          <Icon name="std_account" className="slds-icon slds-icon_small" />
                        </span>
                      </span>
                      <span className="slds-media__body">
                        <span className="slds-listbox__option-text slds-listbox__option-text_entity" title={o.name}>{o.name}</span>
                        <span className="slds-listbox__option-meta slds-listbox__option-meta_entity">
                          {/* Candidates share one name: only the Id tells them apart. */}
                          {o.candidate ? `Candidate: same name as the customer · ${o.id}` : `Account · ${o.id}`}
                        </span>
                      </span>
                    </div>
                  </li>
                ))}
                {options.length === 0 ? (
                  <li role="presentation" className="slds-listbox__item">
                    <div className="slds-p-around_small slds-text-color_weak" role="presentation">
                      {error ?? (loading ? 'Searching…' : term.trim() ? `No Account matches “${term.trim()}”.` : 'Type to search Salesforce Accounts.')}
                    </div>
                  </li>
                ) : null}
              </ul>
            </div>
          </div>
        </div>
      </div>
    </div>
  )
}
