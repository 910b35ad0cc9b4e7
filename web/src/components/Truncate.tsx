/**
 * @module web/components/Truncate
 * A table cell's value on one line (SLDS `slds-truncate`), the whole value in its tooltip. Names,
 * e-mails and addresses come from QuickBooks and may be hundreds of characters with no space; with
 * the tables in fixed layout, a long value is cut at its column instead of widening the page.
 * `dir="auto"` lays a right-to-left name out as such (its ellipsis at its own end).
 */
import type { ReactNode } from 'react'

export function Truncate(props: { text: string; children?: ReactNode; className?: string }) {
  return (
    <div className={`slds-truncate${props.className ? ` ${props.className}` : ''}`} title={props.text} dir="auto">
      {props.children ?? props.text}
    </div>
  )
}
