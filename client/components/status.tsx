import type { ComponentChildren } from 'preact'
import { t } from '../i18n'

/** A polite "Loading…" that screen readers announce without interrupting. */
export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  )
}

type Tone = 'info' | 'success' | 'warning'

/**
 * A message box. `live` makes screen readers announce it when it appears (for results of
 * an action); leave it off for static page notes.
 */
export function Notice({
  tone = 'info',
  live = false,
  title,
  children,
  id,
}: {
  tone?: Tone
  live?: boolean
  title?: string
  children?: ComponentChildren
  id?: string
}) {
  return (
    <div id={id} class={`notice notice-${tone}`} role={live ? 'status' : undefined}>
      {title ? <p class="notice-title">{title}</p> : null}
      {children}
    </div>
  )
}

/** An empty-state line for lists with nothing in them yet. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>
}
