import pino from 'pino'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll } from 'vitest'
import { buildApp, type App } from '../../server/app'
import { loadConfig, type Config } from '../../server/config'
import { createCapturingMailer } from '../../server/mail/mailer'
import { createTestDatabase, type TestDatabase } from './db'
import { factories, type Factories, type TestUser } from './factories'

export const TEST_SECRET = 'test-session-secret-0123456789-abcdefghij'

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ SESSION_SECRET: TEST_SECRET, PUBLIC_URL: 'http://concord.test', DATA_DIR: '/nonexistent', ...overrides })
}

type Body = InjectOptions['payload']

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>
  post(url: string, body?: Body): Promise<LightMyRequestResponse>
  patch(url: string, body?: Body): Promise<LightMyRequestResponse>
  put(url: string, body?: Body): Promise<LightMyRequestResponse>
  delete(url: string): Promise<LightMyRequestResponse>
  cookie: string
  csrfToken: string
}

export interface TestApp {
  app: App
  db: TestDatabase['db']
  database: TestDatabase
  factories: Factories
  mail: ReturnType<typeof createCapturingMailer>
  /** Signs the user in through the API and returns a client that sends their cookie and CSRF token. */
  as(user: TestUser): Promise<Client>
  /** A client with a Bearer token and no cookie. */
  withToken(token: string): Omit<Client, 'cookie' | 'csrfToken'>
  /** Requests with no credentials. */
  anonymous: Omit<Client, 'cookie' | 'csrfToken'>
  close(): Promise<void>
}

/** The session cookie's value from a response's Set-Cookie headers. */
export function sessionCookieFrom(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'concord_session')
  if (!cookie) {
    throw new Error(`No session cookie in the response (status ${response.statusCode}: ${response.body})`)
  }
  return cookie.value
}

function makeClient(app: App, headers: Record<string, string>) {
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: Body) =>
    app.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : method === 'POST' || method === 'PATCH' || method === 'PUT' ? { payload: {} } : {}) })
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, body?: Body) => send('POST', url, body),
    patch: (url: string, body?: Body) => send('PATCH', url, body),
    put: (url: string, body?: Body) => send('PUT', url, body),
    delete: (url: string) => send('DELETE', url),
  }
}

/**
 * The real app on a fresh database for one test file (STYLE 2.12), with a capturing mailer
 * and a silent log. The database and the app close after the file's tests.
 */
export async function createTestApp(
  options: { config?: Record<string, string>; rateLimitPerMinute?: number; accountRateLimitPerMinute?: number; clientDir?: string } = {},
): Promise<TestApp> {
  const database = await createTestDatabase()
  const mail = createCapturingMailer()
  const app = await buildApp({
    config: testConfig(options.config),
    db: database.db,
    mailer: mail,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    accountRateLimitPerMinute: options.accountRateLimitPerMinute ?? 100_000,
    clientDir: options.clientDir ?? '/nonexistent',
  })
  await app.ready()
  const close = async () => {
    await app.close()
    await database.close()
  }
  afterAll(close)
  return {
    app,
    db: database.db,
    database,
    factories: factories(database.db),
    mail,
    async as(user) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: user.password } })
      if (response.statusCode !== 200) {
        throw new Error(`Sign-in failed for ${user.email}: ${response.statusCode} ${response.body}`)
      }
      const cookie = sessionCookieFrom(response)
      const csrfToken = (response.json() as { csrfToken: string }).csrfToken
      return { ...makeClient(app, { cookie: `concord_session=${cookie}`, 'x-csrf-token': csrfToken }), cookie, csrfToken }
    },
    withToken: (token) => makeClient(app, { authorization: `Bearer ${token}` }),
    anonymous: makeClient(app, {}),
    close,
  }
}
