import { ERROR_CODES, type ErrorCode } from '../../shared/errors'

/**
 * Codes the client can see. Every API code, plus `network` for a request that never got
 * an answer (offline, server down), so the UI can say so instead of a generic failure.
 */
export type ClientErrorCode = ErrorCode | 'network'

/** One field problem from a `validation_failed` answer. `path` is a JSON pointer like `/email`. */
export interface FieldProblem {
  path: string
  message: string
}

/**
 * A failed API call. The UI shows a translated message chosen by `code` (`errors.<code>`),
 * never the server's English `message`, which stays available for logs and debugging.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /**
   * The per-field problems of a `validation_failed` answer, keyed by field name
   * (`/email` and `body/email` both become `email`).
   */
  get fieldProblems(): Record<string, string> {
    const out: Record<string, string> = {}
    if (this.code !== 'validation_failed' || !Array.isArray(this.details)) {
      return out
    }
    for (const item of this.details as unknown[]) {
      if (item !== null && typeof item === 'object' && 'path' in item) {
        const { path, message } = item as { path: unknown; message: unknown }
        if (typeof path === 'string') {
          const name = path.split(/[/.]/).filter(Boolean).pop() ?? ''
          if (name && !(name in out)) {
            out[name] = typeof message === 'string' ? message : ''
          }
        }
      }
    }
    return out
  }
}

/** Turns anything thrown by an API call into an `ApiError`, so callers handle one shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error
  }
  return new ApiError(0, 'internal', error instanceof Error ? error.message : String(error))
}

interface Hooks {
  /** The CSRF token of the current session, sent on every state-changing request. */
  csrfToken: () => string | null
  /** Called when the server says the session is gone, so the app can send the user to sign in. */
  onUnauthenticated: () => void
  /** Fetches a fresh CSRF token (after a rotation); resolves to null when signed out. */
  refreshCsrfToken: () => Promise<string | null>
  /** Called when the server says this staff account must set up its second factor first. */
  onEnrolmentRequired: () => void
}

let hooks: Hooks = {
  csrfToken: () => null,
  onUnauthenticated: () => undefined,
  refreshCsrfToken: async () => null,
  onEnrolmentRequired: () => undefined,
}

/** Connects the fetch wrapper to the session store without an import cycle. */
export function configureApi(next: Hooks): void {
  hooks = next
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface RequestOptions {
  /** Skip the global "session expired" reaction (used by the session probe itself). */
  quietUnauthenticated?: boolean
  signal?: AbortSignal
}

function isErrorBody(
  value: unknown,
): value is { code: ErrorCode; message?: unknown; details?: unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    'code' in value &&
    typeof value.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(value.code)
  )
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') {
    const token = hooks.csrfToken()
    if (token) {
      headers['x-csrf-token'] = token
    }
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal }
  // The server expects a JSON body on every POST, PUT and PATCH (an empty object when there
  // is nothing to say) and none on DELETE.
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body ?? {})
  }
  try {
    return await fetch(path, init)
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error
    }
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'Network error')
  }
}

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  let response = await send(method, path, body, options)
  let payload = await readJson(response)

  // A rotated session (password change in another tab) leaves us with a stale token:
  // fetch the current one and try once more rather than failing the user's action.
  if (
    method !== 'GET' &&
    response.status === 403 &&
    isErrorBody(payload) &&
    payload.code === 'csrf_failed'
  ) {
    const fresh = await hooks.refreshCsrfToken()
    if (fresh) {
      response = await send(method, path, body, options)
      payload = await readJson(response)
    }
  }

  if (response.ok) {
    return payload as T
  }
  if (isErrorBody(payload)) {
    if (payload.code === 'unauthenticated' && !options.quietUnauthenticated) {
      hooks.onUnauthenticated()
    }
    if (payload.code === 'two_factor_enrolment_required') {
      hooks.onEnrolmentRequired()
    }
    const message = typeof payload.message === 'string' ? payload.message : response.statusText
    throw new ApiError(response.status, payload.code, message, payload.details)
  }
  throw new ApiError(response.status, statusToCode(response.status), response.statusText)
}

function statusToCode(status: number): ClientErrorCode {
  switch (status) {
    case 401:
      return 'unauthenticated'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 413:
      return 'payload_too_large'
    case 429:
      return 'rate_limited'
    case 503:
      return 'database_unavailable'
    default:
      return 'internal'
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) {
    return undefined
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The JSON API, one method per HTTP verb. Paths start with `/api`. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) =>
    request<T>('DELETE', path, undefined, options),
}

/**
 * POSTs a JSON body and reports upload progress (0–1) as it goes, for requests that carry a
 * whole file. fetch() cannot report upload progress, so this one uses XMLHttpRequest; its
 * errors are the same `ApiError`s as every other call's.
 */
export function postWithProgress<T>(
  path: string,
  body: unknown,
  onProgress: (fraction: number) => void,
): Promise<T> {
  const payload = JSON.stringify(body ?? {})
  const attempt = () =>
    new Promise<{ status: number; statusText: string; payload: unknown }>((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      xhr.open('POST', path)
      xhr.setRequestHeader('accept', 'application/json')
      xhr.setRequestHeader('content-type', 'application/json')
      const token = hooks.csrfToken()
      if (token) {
        xhr.setRequestHeader('x-csrf-token', token)
      }
      xhr.withCredentials = true
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) {
          onProgress(event.loaded / event.total)
        }
      }
      xhr.onload = () => {
        let parsed: unknown
        try {
          parsed = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined
        } catch {
          parsed = undefined
        }
        resolve({ status: xhr.status, statusText: xhr.statusText, payload: parsed })
      }
      xhr.onerror = () => reject(new ApiError(0, 'network', 'Network error'))
      xhr.send(payload)
    })

  return (async () => {
    let answer = await attempt()
    if (
      answer.status === 403 &&
      isErrorBody(answer.payload) &&
      answer.payload.code === 'csrf_failed' &&
      (await hooks.refreshCsrfToken())
    ) {
      answer = await attempt()
    }
    if (answer.status >= 200 && answer.status < 300) {
      return answer.payload as T
    }
    if (isErrorBody(answer.payload)) {
      if (answer.payload.code === 'unauthenticated') {
        hooks.onUnauthenticated()
      }
      const message =
        typeof answer.payload.message === 'string' ? answer.payload.message : answer.statusText
      throw new ApiError(answer.status, answer.payload.code, message, answer.payload.details)
    }
    throw new ApiError(answer.status, statusToCode(answer.status), answer.statusText)
  })()
}

/** Encodes one path segment (ids come from the URL bar and must not change the route). */
export function seg(value: string): string {
  return encodeURIComponent(value)
}
