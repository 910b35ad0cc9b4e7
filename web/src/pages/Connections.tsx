/**
 * @module web/pages/Connections
 * One card per QuickBooks company (contract §9: each is a connection of its own) and one for
 * Salesforce: whether it is connected, to what, token expiry, last success and last error, and the
 * OAuth authorization-code flow ("Connect", "Add a QuickBooks company" and "Reconnect" navigate the
 * whole page to the vendor's consent screen; the vendor returns to /oauth/callback/…). A Reconnect
 * names its company, and the Hub refuses an answer for another company.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ConnectionView, DeleteConnection, GetConnections, PostAuthorize, Provider } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { Modal } from '../components/Modal.js'
import { PackageDeploy } from '../components/PackageDeploy.js'
import { ErrorAlert, Spinner } from '../components/States.js'
import { useToast } from '../components/Toasts.js'
import { formatDateTime, relative } from '../format.js'
import { clearHashQuery } from '../route.js'

export const PROVIDER_NAMES: Record<Provider, string> = { qbo: 'QuickBooks Online', salesforce: 'Salesforce' }
const LABEL_NAMES: Record<Provider, string> = { qbo: 'Company', salesforce: 'Connected as' }

export function ConnectionsPage(props: { flags: URLSearchParams }) {
  const [list, setList] = useState<ConnectionView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirm, setConfirm] = useState<ConnectionView | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const notify = useToast()

  const load = useCallback(() => {
    setError(null)
    api<GetConnections>('GET', '/api/connections')
      .then((r) => setList(r.connections))
      .catch((e: unknown) => setError(errorText(e)))
  }, [])
  useEffect(load, [load])

  // The OAuth callback comes back as #/connections?connected=qbo or ?error=…
  const connected = props.flags.get('connected')
  const flagError = props.flags.get('error')
  // Announced once per callback: the effect runs again (React's StrictMode, a re-render) while
  // the route still carries the same flags, since clearHashQuery fires no hashchange.
  const announced = useRef<string | null>(null)
  useEffect(() => {
    const key = `${connected ?? ''}|${flagError ?? ''}`
    if ((!connected && !flagError) || announced.current === key) return
    announced.current = key
    if (connected && connected in PROVIDER_NAMES) notify('success', `${PROVIDER_NAMES[connected as Provider]} is connected.`)
    if (flagError) notify('error', `The connection failed: ${flagError}`)
    clearHashQuery()
  }, [connected, flagError, notify])

  const keyOf = (c: { provider: Provider; realmId?: string | null }) => `${c.provider}:${c.realmId ?? ''}`
  const authorize = async (provider: Provider, realmId?: string | null) => {
    setBusy(keyOf({ provider, realmId: realmId ?? null }))
    try {
      const { url } = await api<PostAuthorize>('POST', '/api/connections/:provider/authorize', { params: { provider }, body: realmId ? { realmId } : {} })
      window.location.assign(url)
    } catch (e) {
      notify('error', errorText(e))
      setBusy(null)
    }
  }

  const disconnect = async (c: ConnectionView) => {
    const { provider } = c
    setConfirm(null)
    setBusy(keyOf(c))
    try {
      await api<DeleteConnection>('DELETE', '/api/connections/:provider', { params: { provider }, query: c.realmId ? { realmId: c.realmId } : {} })
      notify('success', `${titleOf(c, list ?? [])} is disconnected.`)
      load()
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="hub-page">
      <PageHeader
        title="Connections"
        subtitle="Tally reads customers from QuickBooks Online and writes them to Salesforce."
        actions={list?.some((c) => c.provider === 'qbo' && c.realmId) ? (
          <button className="slds-button slds-button_neutral" onClick={() => authorize('qbo')} disabled={busy !== null}>Add a QuickBooks company</button>
        ) : null}
      />
      {error ? <ErrorAlert message={error} onRetry={load} /> : null}
      {!list && !error ? <Spinner label="Loading connections…" /> : null}
      <div className="slds-grid slds-gutters slds-wrap">
        {(list ?? []).map((c) => (
          <div key={keyOf(c)} className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-m-bottom_medium">
            <ConnectionCard c={c} title={titleOf(c, list ?? [])} busy={busy === keyOf(c)} onConnect={() => authorize(c.provider, c.realmId)} onDisconnect={() => setConfirm(c)} />
          </div>
        ))}
      </div>
      {list ? <PackageDeploy disabled={!list.find((c) => c.provider === 'salesforce')?.connected} /> : null}
      {confirm ? (
        <Modal
          title={`Disconnect ${titleOf(confirm, list ?? [])}?`}
          size="small"
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button className="slds-button slds-button_neutral" onClick={() => setConfirm(null)}>Cancel</button>
              <button className="slds-button slds-button_destructive" onClick={() => disconnect(confirm)}>Disconnect</button>
            </>
          }
        >
          <p>
            Tally forgets its tokens for {titleOf(confirm, list ?? [])} and stops syncing it until you connect again. Records
            already in Salesforce stay as they are.
          </p>
        </Modal>
      ) : null}
    </div>
  )
}

/** "QuickBooks Online", or with several companies "QuickBooks Online: <company>". */
function titleOf(c: ConnectionView, all: ConnectionView[]): string {
  const several = all.filter((x) => x.provider === 'qbo' && x.realmId).length > 1
  return c.provider === 'qbo' && several ? `${PROVIDER_NAMES.qbo}: ${c.label ?? c.realmId ?? ''}` : PROVIDER_NAMES[c.provider]
}

function ConnectionCard(props: { c: ConnectionView; title: string; busy: boolean; onConnect: () => void; onDisconnect: () => void }) {
  const { c } = props
  const name = props.title
  const titleId = `conn-${c.provider}-${c.realmId ?? ''}`
  return (
    <section className="slds-card hub-card" aria-labelledby={titleId}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__body">
            <h2 className="slds-card__header-title" id={titleId}>{name}</h2>
          </div>
        </header>
        <span className={`slds-badge ${c.connected ? (c.lastError ? 'slds-theme_warning' : 'slds-theme_success') : ''}`}>
          {c.connected ? (c.lastError ? 'Needs attention' : 'Connected') : 'Not connected'}
        </span>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        {c.connected ? (
          <dl className="slds-dl_horizontal hub-dl">
            <dt className="slds-dl_horizontal__label">{LABEL_NAMES[c.provider]}</dt>
            <dd className="slds-dl_horizontal__detail">{c.label ?? '—'}{c.realmId ? ` (realm ${c.realmId})` : ''}</dd>
            <dt className="slds-dl_horizontal__label">Connected</dt>
            <dd className="slds-dl_horizontal__detail">{formatDateTime(c.connectedAt)}</dd>
            <dt className="slds-dl_horizontal__label">Access token expires</dt>
            <dd className="slds-dl_horizontal__detail">
              {c.accessTokenExpiresAt
                ? `${formatDateTime(c.accessTokenExpiresAt)} (${relative(c.accessTokenExpiresAt)}; renewed automatically)`
                : c.connected && c.provider === 'salesforce'
                  ? "Per the org's session timeout; renewed automatically"
                  : '—'}
            </dd>
            <dt className="slds-dl_horizontal__label">Last success</dt>
            <dd className="slds-dl_horizontal__detail">{c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : 'Not used yet'}</dd>
          </dl>
        ) : (
          <p className="slds-text-color_weak">
            {c.provider === 'qbo'
              ? 'Connect the QuickBooks Online company whose customers Tally should sync.'
              : 'Connect the Salesforce org where Tally writes QBO Customer records (the Tally package must be deployed there).'}
          </p>
        )}
        {c.lastError ? (
          <div className="slds-notify slds-notify_alert slds-alert_error hub-alert slds-m-top_small" role="alert">
            <h2>
              Last error{c.lastErrorAt ? ` (${formatDateTime(c.lastErrorAt)})` : ''}: {c.lastError}
            </h2>
          </div>
        ) : null}
      </div>
      <footer className="slds-card__footer hub-card-actions">
        {!c.connected ? (
          <button className="slds-button slds-button_brand" onClick={props.onConnect} disabled={props.busy}>Connect</button>
        ) : (
          <>
            {c.lastError || c.realmId ? (
              <button className={`slds-button ${c.lastError ? 'slds-button_brand' : 'slds-button_neutral'}`} onClick={props.onConnect} disabled={props.busy}>Reconnect</button>
            ) : null}
            <button className="slds-button slds-button_text-destructive" onClick={props.onDisconnect} disabled={props.busy}>Disconnect</button>
          </>
        )}
      </footer>
    </section>
  )
}

export function PageHeader(props: { title: string; subtitle?: string; actions?: React.ReactNode }) {
  return (
    <div className="slds-page-header slds-m-bottom_medium">
      <div className="slds-page-header__row">
        <div className="slds-page-header__col-title">
          <div className="slds-media">
            <div className="slds-media__body">
              <div className="slds-page-header__name">
                <div className="slds-page-header__name-title">
                  <h1>
                    <span className="slds-page-header__title slds-truncate">{props.title}</span>
                  </h1>
                </div>
              </div>
              {props.subtitle ? <p className="slds-page-header__name-meta">{props.subtitle}</p> : null}
            </div>
          </div>
        </div>
        {props.actions ? <div className="slds-page-header__col-actions">{props.actions}</div> : null}
      </div>
    </div>
  )
}
