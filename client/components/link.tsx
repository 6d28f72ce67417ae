import type { ComponentChildren, JSX } from 'preact'
import { navigate } from '../router'

type Props = Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string
  /** Stored with the history entry (for example, which process a document belongs to). */
  state?: unknown
  children: ComponentChildren
}

/**
 * An in-app link: a real `<a href>` (so it can be opened in a new tab, copied, read out as
 * a link), whose plain left clicks are handled by the router instead of a page load.
 */
export function Link({ href, state, onClick, children, ...rest }: Props) {
  function handleClick(event: JSX.TargetedMouseEvent<HTMLAnchorElement>) {
    onClick?.(event)
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      rest.target === '_blank'
    ) {
      return
    }
    event.preventDefault()
    navigate(href, { state })
  }
  return (
    <a href={href} onClick={handleClick} {...rest}>
      {children}
    </a>
  )
}
