import type { Page } from 'playwright-core'
import type { ImportResult } from '../../shared/api/documents'
import type { CreateThreadBody, Thread } from '../../shared/api/threads'

/** Someone's API session against a running test server, over real HTTP with cookie and CSRF. */
export interface ApiSession {
  get<T>(url: string): Promise<T>
  post<T>(url: string, body?: unknown): Promise<T>
}

export async function apiAs(
  baseUrl: string,
  user: { email: string; password: string },
): Promise<ApiSession> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  })
  if (!response.ok) {
    throw new Error(`sign-in failed: ${response.status} ${await response.text()}`)
  }
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const answer = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const text = await answer.text()
    if (!answer.ok) {
      throw new Error(`${method} ${url}: ${answer.status} ${text}`)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }
  return {
    get: (url) => call('GET', url),
    post: (url, body = {}) => call('POST', url, body),
  }
}

/** Imports a Markdown draft through the API; its headings become sections. */
export function importDraft(api: ApiSession, processId: string, title: string, markdown: string) {
  return api.post<ImportResult>(`/api/processes/${processId}/documents/import`, {
    title,
    format: 'markdown',
    content: markdown,
  })
}

export function sectionIdOf(result: ImportResult, title: string): string {
  const id = result.sections.find((s) => s.title === title)?.id
  if (!id) {
    throw new Error(`no section ${title}`)
  }
  return id
}

export function postThread(api: ApiSession, documentId: string, body: CreateThreadBody) {
  return api.post<Thread>(`/api/documents/${documentId}/threads`, body)
}

/** The ids of the thread cards on the page, in order. */
export function cardIds(page: Page): Promise<string[]> {
  return page
    .locator('article.thread-card')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-thread-id') ?? ''))
}
