import { signal } from '@preact/signals'

/**
 * A small History API router. The server answers every non-API GET with index.html, so
 * any path can be opened directly, reloaded or bookmarked.
 */
export interface Location {
  path: string
  search: URLSearchParams
}

function read(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) }
}

/** The current location. Reading it in a component re-renders the component on navigation. */
export const location = signal<Location>(read())

/**
 * Set on every in-app navigation and consumed by the first page heading that mounts, which
 * then takes focus, so screen reader and keyboard users start at the new content. It is not
 * set on the first load, where focus belongs at the top of the document (the skip link).
 */
let focusPending = false

/** Tells the caller, once per navigation, whether it should move focus to itself. */
export function takeFocusRequest(): boolean {
  const pending = focusPending
  focusPending = false
  return pending
}

/** Goes to an in-app URL such as `/processes/1?tab=x`, adding a history entry unless `replace`. */
export function navigate(
  to: string,
  options: { replace?: boolean; state?: unknown; focus?: boolean } = {},
): void {
  const url = new URL(to, window.location.origin)
  const current = window.location.pathname + window.location.search
  const next = url.pathname + url.search + url.hash
  if (options.replace) {
    window.history.replaceState(options.state ?? null, '', next)
  } else if (next !== current || options.state !== undefined) {
    window.history.pushState(options.state ?? null, '', next)
  }
  if (url.pathname !== location.value.path) {
    focusPending = options.focus ?? true
    window.scrollTo(0, 0)
  }
  location.value = read()
}

window.addEventListener('popstate', () => {
  const next = read()
  if (next.path !== location.value.path) {
    focusPending = true
  }
  location.value = next
})

/**
 * Matches a path against a pattern like `/processes/:id/members` and returns the decoded
 * parameters, or null. A trailing slash on the path is ignored.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean)
  const got = path.split('/').filter(Boolean)
  if (want.length !== got.length) {
    return null
  }
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string
    const g = got[i] as string
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g)
      } catch {
        return null
      }
    } else if (w !== g) {
      return null
    }
  }
  return params
}

/**
 * Accepts a `next` parameter only when it is a path inside this app, so a crafted sign-in
 * link cannot send people to another site after they sign in.
 */
export function safeNext(value: string | null): string {
  if (value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) {
    return value
  }
  return '/'
}
