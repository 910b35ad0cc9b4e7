/**
 * @module web/components/Toasts
 * SLDS toasts for the outcome of an action ("Linked …", "Settings saved"), announced to screen
 * readers through a live region. A toast belongs to the page it was shown on: a change of page
 * (a new hash route) dismisses every toast, so no message is read as being about the new page.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { Icon } from './Icon.js'

type Kind = 'success' | 'error' | 'info' | 'warning'
interface Toast { id: number; kind: Kind; message: string }
type Notify = (kind: Kind, message: string) => void

const ToastContext = createContext<Notify>(() => {})
export const useToast = (): Notify => useContext(ToastContext)

let nextId = 1

export function ToastProvider(props: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), [])
  const notify = useCallback<Notify>(
    (kind, message) => {
      const id = nextId++
      setToasts((t) => [...t.slice(-2), { id, kind, message }])
      if (kind !== 'error') setTimeout(() => dismiss(id), 6000)
    },
    [dismiss],
  )
  useEffect(() => {
    const clear = () => setToasts([])
    window.addEventListener('hashchange', clear)
    return () => window.removeEventListener('hashchange', clear)
  }, [])
  return (
    <ToastContext.Provider value={notify}>
      {props.children}
      <div className="slds-notify_container hub-toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`slds-notify slds-notify_toast slds-theme_${t.kind}`}>
            <span className={`slds-icon_container slds-m-right_small`}>
              <Icon name={t.kind === 'success' ? 'success' : t.kind === 'info' ? 'info' : t.kind === 'warning' ? 'warning' : 'error'} className="slds-icon slds-icon_small" />
            </span>
            <div className="slds-notify__content">
              <h2 className="slds-text-heading_small">{t.message}</h2>
            </div>
            <div className="slds-notify__close">
              <button className="slds-button slds-button_icon slds-button_icon-inverse" title="Dismiss" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
                <Icon name="close" className="slds-button__icon slds-button__icon_large" />
              </button>
            </div>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}
