/**
 * @module web/pages/Login
 * The sign-in page: "Username", "Password", "Log in". Shows why a sign-in failed (wrong
 * password, locked out) in an alert that screen readers announce.
 */
import { useState, type FormEvent } from 'react'
import type { PostSession, SessionInfo } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { Icon } from '../components/Icon.js'

export function LoginPage(props: { onLoggedIn: (s: SessionInfo) => void }) {
  const [username, setUsername] = useState('admin')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      props.onLoggedIn(await api<PostSession>('POST', '/api/session', { body: { username, password } }))
    } catch (err) {
      setError(errorText(err))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="hub-login">
      <div className="slds-card hub-login-card">
        <div className="slds-card__header">
          <h1 className="slds-text-heading_large slds-text-align_center hub-login-title">
            <span className="slds-icon_container slds-icon-standard-customers hub-app-icon slds-m-right_small">
              <Icon name="sync" className="slds-icon slds-icon_small" />
            </span>
            Tally Hub
          </h1>
          <p className="slds-text-align_center slds-text-color_weak slds-m-top_x-small">
            QuickBooks Online customers, in Salesforce.
          </p>
        </div>
        <form className="slds-card__body slds-card__body_inner" onSubmit={submit} noValidate>
          {error ? (
            <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_medium hub-alert" role="alert">
              <h2>{error}</h2>
            </div>
          ) : null}
          <div className="slds-form-element slds-m-bottom_small">
            <label className="slds-form-element__label" htmlFor="login-username">
              Username
            </label>
            <div className="slds-form-element__control">
              <input id="login-username" className="slds-input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
            </div>
          </div>
          <div className="slds-form-element slds-m-bottom_medium">
            <label className="slds-form-element__label" htmlFor="login-password">
              Password
            </label>
            <div className="slds-form-element__control">
              <input id="login-password" className="slds-input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus required />
            </div>
          </div>
          <button type="submit" className="slds-button slds-button_brand slds-button_stretch" disabled={busy}>
            Log in
          </button>
          <p className="slds-text-body_small slds-text-color_weak slds-m-top_medium">
            The user is <strong>admin</strong>. Its password is <code>TALLY_ADMIN_PASSWORD</code>, or the one
            <code> tally start</code> printed when it first started.
          </p>
        </form>
      </div>
    </div>
  )
}
