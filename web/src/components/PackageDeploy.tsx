/**
 * @module web/components/PackageDeploy
 * "Deploy the Salesforce package" (contract §8, on Connections): deploys Tally's package to the
 * connected org through the Hub (`tally salesforce deploy` in the browser), shows the deploy's
 * progress while Salesforce works on it, then the outcome — and every component Salesforce
 * refused, with its file, line and problem.
 */
import { useEffect, useRef, useState } from 'react'
import type { GetPackageDeploy, PackageDeployView, PostPackageDeploy } from '../../../src/hub/routes/salesforce-package.js'
import { api, errorText } from '../api.js'
import { useToast } from './Toasts.js'

const POLL_MS = 1000

export function PackageDeploy(props: { disabled: boolean }) {
  const [view, setView] = useState<PackageDeployView | null>(null)
  const [starting, setStarting] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const notify = useToast()
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), [])

  const poll = (deployId: string) => {
    api<GetPackageDeploy>('GET', '/api/salesforce/package/deploy/:deployId', { params: { deployId } })
      .then((v) => {
        setView(v)
        if (!v.done) timer.current = setTimeout(() => poll(deployId), POLL_MS)
        else if (v.message) notify(v.status === 'Succeeded' ? 'success' : 'error', v.message)
      })
      .catch((e: unknown) => notify('error', errorText(e)))
  }

  const deploy = async () => {
    setStarting(true)
    try {
      const { deployId } = await api<PostPackageDeploy>('POST', '/api/salesforce/package/deploy', { body: {} })
      poll(deployId)
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setStarting(false)
    }
  }

  const running = view !== null && !view.done
  const pct = view && view.total > 0 ? Math.round((100 * view.deployed) / view.total) : 0
  return (
    <section className="slds-card hub-card" aria-labelledby="package-deploy-title">
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__body">
            <h2 className="slds-card__header-title" id="package-deploy-title">Tally's package</h2>
          </div>
        </header>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <p className="slds-text-color_weak slds-m-bottom_small">
          Installs or updates the QBO Customer object, the Tally Hub app, its pages and the Tally_Sync permission set in the
          connected org through the Metadata API, then assigns Tally_Sync to the user Tally signs in as.
        </p>
        {view ? (
          <div className="slds-m-bottom_small">
            <p role="status">
              {running ? `${view.status === 'Starting' ? 'Sending the package' : view.status}: ${view.deployed} of ${view.total} components` : view.message}
            </p>
            <div className="slds-progress-bar slds-m-top_x-small" role="progressbar" aria-label="Deploy progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={view.done && view.status === 'Succeeded' ? 100 : pct}>
              <span className="slds-progress-bar__value" style={{ width: `${view.done && view.status === 'Succeeded' ? 100 : pct}%` }} />
            </div>
          </div>
        ) : null}
        {view && view.failures.length > 0 ? (
          <table className="slds-table slds-table_bordered slds-table_cell-buffer" aria-label="Components that failed">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">File</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {view.failures.map((f) => (
                <tr key={`${f.type}:${f.fullName}`}>
                  <td>{f.type} {f.fullName}</td>
                  <td>{f.fileName}{f.line !== null ? `:${f.line}` : ''}</td>
                  <td>{f.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <footer className="slds-card__footer hub-card-actions">
        <button className="slds-button slds-button_brand" onClick={deploy} disabled={props.disabled || starting || running}>
          Deploy the Salesforce package
        </button>
      </footer>
    </section>
  )
}
