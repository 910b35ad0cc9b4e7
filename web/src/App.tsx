/**
 * @module web/App
 * The Hub's shell: checks the session, shows the sign-in page or the app with its global
 * navigation (SLDS context bar) and the page of the current hash route.
 */
import { useCallback, useEffect, useState } from 'react'
import type { DeleteSession, GetSession, SessionInfo } from '../../src/hub/api-types.js'
import { api, errorText, setCsrfToken, setUnauthenticatedHandler } from './api.js'
import { Icon } from './components/Icon.js'
import { ErrorAlert, Spinner } from './components/States.js'
import { ToastProvider } from './components/Toasts.js'
import { ConnectionsPage } from './pages/Connections.js'
import { LinkHistoryPage } from './pages/LinkHistory.js'
import { LoginPage } from './pages/Login.js'
import { QboCustomersPage } from './pages/QboCustomers.js'
import { SyncCustomersPage } from './pages/SyncCustomers.js'
import { useHashRoute, type Route } from './route.js'

const NAV: { route: Route; label: string }[] = [
  { route: 'sync', label: 'Sync Customers' },
  { route: 'customers', label: 'QBO Customers' },
  { route: 'history', label: 'History' },
  { route: 'connections', label: 'Connections' },
]

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  const load = useCallback(() => {
    setLoadError(null)
    api<GetSession>('GET', '/api/session')
      .then((s) => {
        setCsrfToken(s.csrfToken)
        setSession(s)
      })
      .catch((e: unknown) => setLoadError(errorText(e)))
  }, [])

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null)
      setSession({ authenticated: false, username: null, csrfToken: null })
    })
    load()
  }, [load])

  if (loadError) return <div className="slds-p-around_large"><ErrorAlert message={loadError} onRetry={load} /></div>
  if (!session) return <div className="slds-p-around_large"><Spinner label="Opening the Tally Hub…" /></div>
  return (
    <ToastProvider>
      {session.authenticated ? (
        <Shell
          onLogout={async () => {
            await api<DeleteSession>('DELETE', '/api/session').catch(() => null)
            setCsrfToken(null)
            setSession({ authenticated: false, username: null, csrfToken: null })
          }}
        />
      ) : (
        <LoginPage
          onLoggedIn={(s) => {
            setCsrfToken(s.csrfToken)
            setSession(s)
          }}
        />
      )}
    </ToastProvider>
  )
}

function Shell(props: { onLogout: () => void }) {
  const { route, query } = useHashRoute()
  const current = NAV.find((n) => n.route === route)?.label ?? 'Tally Hub'
  useEffect(() => {
    document.title = `${current} | Tally Hub`
  }, [current])
  return (
    <div className="hub-shell">
      <div className="slds-context-bar">
        <div className="slds-context-bar__primary">
          <div className="slds-context-bar__item slds-context-bar__dropdown-trigger slds-dropdown-trigger slds-dropdown-trigger_click slds-no-hover">
            <span className="slds-context-bar__label-action slds-context-bar__app-name">
              <span className="slds-icon_container slds-icon-standard-customers slds-m-right_x-small hub-app-icon">
                <Icon name="sync" className="slds-icon slds-icon_x-small" />
              </span>
              <span className="slds-truncate" title="Tally Hub">Tally Hub</span>
            </span>
          </div>
        </div>
        <nav className="slds-context-bar__secondary" role="navigation" aria-label="Tally Hub">
          <ul className="slds-grid">
            {NAV.map((n) => (
              <li key={n.route} className={`slds-context-bar__item${route === n.route ? ' slds-is-active' : ''}`}>
                <a href={`#/${n.route}`} className="slds-context-bar__label-action" aria-current={route === n.route ? 'page' : undefined}>
                  <span className="slds-truncate">{n.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="slds-context-bar__tertiary hub-context-tertiary">
          <button className="slds-button slds-button_neutral" onClick={props.onLogout}>
            <Icon name="logout" className="slds-button__icon slds-button__icon_left" />
            Log out
          </button>
        </div>
      </div>
      <main className="hub-main" id="main">
        {route === 'sync' ? <SyncCustomersPage /> : null}
        {route === 'customers' ? <QboCustomersPage /> : null}
        {route === 'history' ? <LinkHistoryPage /> : null}
        {route === 'connections' ? <ConnectionsPage flags={query} /> : null}
      </main>
    </div>
  )
}
