/**
 * @module web/components/Modal
 * An SLDS modal dialog: focus moves into it on open, Tab cycles inside it, Escape closes it, and
 * focus returns to the control that opened it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Icon } from './Icon.js'

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select, textarea, a[href], [tabindex]:not([tabindex="-1"])'

export function Modal(props: {
  title: string
  onClose: () => void
  children: ReactNode
  footer: ReactNode
  size?: 'small' | 'medium' | 'large'
  /** Enter in a field of the dialog (not on a button) calls this, like submitting a form. */
  onSubmit?: () => void
}) {
  const titleId = useId()
  const ref = useRef<HTMLDivElement>(null)
  const onClose = useRef(props.onClose)
  onClose.current = props.onClose
  const onSubmit = useRef(props.onSubmit)
  onSubmit.current = props.onSubmit

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    const box = ref.current
    const first = box?.querySelector<HTMLElement>('.slds-modal__content input:not([disabled])') ?? box?.querySelector<HTMLElement>('.slds-modal__content ' + FOCUSABLE) ?? box?.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        onClose.current()
      } else if (e.key === 'Enter' && onSubmit.current && (e.target as HTMLElement).tagName === 'INPUT') {
        e.preventDefault()
        onSubmit.current()
      } else if (e.key === 'Tab' && box) {
        const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)]
        if (items.length === 0) return
        const firstItem = items[0]!
        const lastItem = items[items.length - 1]!
        if (e.shiftKey && document.activeElement === firstItem) {
          e.preventDefault()
          lastItem.focus()
        } else if (!e.shiftKey && document.activeElement === lastItem) {
          e.preventDefault()
          firstItem.focus()
        }
      }
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      opener?.focus?.()
    }
  }, [])

  const size = props.size ? ` slds-modal_${props.size}` : ''
  return (
    <>
      <section role="dialog" tabIndex={-1} aria-modal="true" aria-labelledby={titleId} className={`slds-modal slds-fade-in-open${size}`}>
        <div className="slds-modal__container" ref={ref}>
          <button className="slds-button slds-button_icon slds-modal__close" title="Close" aria-label="Close" onClick={props.onClose}>
            <Icon name="close" className="slds-button__icon slds-button__icon_large" />
          </button>
          <div className="slds-modal__header">
            <h1 id={titleId} className="slds-modal__title slds-hyphenate">{props.title}</h1>
          </div>
          <div className="slds-modal__content slds-p-around_medium">{props.children}</div>
          <div className="slds-modal__footer">{props.footer}</div>
        </div>
      </section>
      <div className="slds-backdrop slds-backdrop_open" role="presentation" />
    </>
  )
}
