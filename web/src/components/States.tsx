/**
 * @module web/components/States
 * Loading, empty and error states, each telling the user what to do next.
 */
import type { ReactNode } from 'react'
import { Icon } from './Icon.js'

export function Spinner(props: { label?: string }) {
  return (
    <div className="hub-loading" role="status">
      <div className="slds-spinner slds-spinner_small slds-spinner_brand hub-spinner-inline">
        <div className="slds-spinner__dot-a" />
        <div className="slds-spinner__dot-b" />
      </div>
      <span className="slds-m-left_small slds-text-color_weak">{props.label ?? 'Loading…'}</span>
    </div>
  )
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="hub-empty slds-p-around_large slds-text-align_center">
      <h3 className="slds-text-heading_small slds-m-bottom_x-small">{props.title}</h3>
      {props.children ? <div className="slds-text-color_weak">{props.children}</div> : null}
    </div>
  )
}

export function ErrorAlert(props: { message: string; onRetry?: () => void }) {
  return (
    <div className="slds-notify slds-notify_alert slds-alert_error hub-alert" role="alert">
      <span className="slds-icon_container slds-m-right_x-small">
        <Icon name="error" className="slds-icon slds-icon_x-small" />
      </span>
      <h2>{props.message}</h2>
      {props.onRetry ? (
        <button className="slds-button slds-button_inverse slds-m-left_small" onClick={props.onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}

export function WarningAlert(props: { children: ReactNode }) {
  return (
    <div className="slds-notify slds-notify_alert slds-alert_warning hub-alert" role="note">
      <span className="slds-icon_container slds-m-right_x-small">
        <Icon name="warning" className="slds-icon slds-icon_x-small slds-icon-text-default" />
      </span>
      <h2>{props.children}</h2>
    </div>
  )
}
