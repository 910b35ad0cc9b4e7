/**
 * @module web/components/Icon
 * An SLDS icon drawn from the inlined paths of icons.ts. Decorative unless given a `title`.
 */
import { ICONS, type IconName } from '../icons.js'

export function Icon(props: { name: IconName; className?: string; title?: string }) {
  const icon = ICONS[props.name]
  return (
    <svg
      className={props.className ?? 'slds-button__icon'}
      viewBox={icon.viewBox}
      aria-hidden={props.title ? undefined : true}
      role={props.title ? 'img' : undefined}
      aria-label={props.title}
      focusable="false"
    >
      {icon.paths.map((d, i) => (
        <path key={i} d={d} />
      ))}
    </svg>
  )
}
