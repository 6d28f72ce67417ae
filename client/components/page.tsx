import type { ComponentChildren } from 'preact'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import { t } from '../i18n'
import { takeFocusRequest } from '../router'

/** Sets the document title to "<title> · Concord" while the calling page is shown. */
export function usePageTitle(title: string | null): void {
  const product = t('app.name')
  useEffect(() => {
    document.title = title ? `${title} · ${product}` : product
  }, [title, product])
}

interface HeadingProps {
  children: ComponentChildren
  /** Heading level: 1 for the page, 2 for a section that is its own route (a tab). */
  level?: 1 | 2
  class?: string
  id?: string
}

/**
 * A heading that takes focus after an in-app navigation, so keyboard and screen reader
 * users land on the new content rather than on the link they just used. `tabIndex=-1`
 * makes it focusable by script only.
 */
export function RouteHeading({ children, level = 1, class: className, id }: HeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null)
  useLayoutEffect(() => {
    if (takeFocusRequest()) {
      ref.current?.focus({ preventScroll: false })
    }
  }, [])
  const Tag = level === 1 ? 'h1' : 'h2'
  return (
    <Tag
      ref={ref}
      id={id}
      tabIndex={-1}
      class={['route-heading', className].filter(Boolean).join(' ')}
    >
      {children}
    </Tag>
  )
}

/** A narrow, centred card for the sign-in family of pages. */
export function AuthLayout({
  title,
  children,
  intro,
}: {
  title: string
  intro?: ComponentChildren
  children: ComponentChildren
}) {
  usePageTitle(title)
  return (
    <div class="auth-layout">
      <div class="auth-card">
        <RouteHeading>{title}</RouteHeading>
        {intro ? <div class="auth-intro">{intro}</div> : null}
        {children}
      </div>
    </div>
  )
}
