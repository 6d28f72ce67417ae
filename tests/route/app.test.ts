import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app'
import { createLogger } from '../../server/logger'
import { createTestApp, testConfig } from '../support/app'
import { createCapturingMailer } from '../../server/mail/mailer'

const t = await createTestApp()

describe('the HTTP surface', () => {
  it('reports health once migrated', async () => {
    const response = await t.anonymous.get('/api/health')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok' })
  })

  it('serves the OpenAPI document, where every route has request and response schemas', async () => {
    const response = await t.anonymous.get('/api/docs/json')
    expect(response.statusCode).toBe(200)
    const spec = response.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>> }
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
    expect(operations.length).toBeGreaterThan(20)
    for (const { path, method, op } of operations) {
      expect(Object.keys(op.responses).some((status) => /^20[0-2]$/.test(status)), `${method} ${path} documents its success`).toBe(true)
      expect(Object.keys(op.responses).some((status) => /^4\d\d$/.test(status)) || path === '/api/health', `${method} ${path} documents its errors`).toBe(true)
      if (method === 'post' || method === 'patch') {
        expect(op.requestBody, `${method} ${path} has a body schema`).toBeDefined()
      }
    }
    expect((await t.anonymous.get('/api/docs')).statusCode).toBeLessThan(400)
  })

  it('answers unknown API routes and malformed JSON with the one error shape', async () => {
    const missing = await t.anonymous.get('/api/nothing-here')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ statusCode: 404, code: 'not_found' })
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"email":' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().code).toBe('validation_failed')
    const huge = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a@b.org', password: 'x'.repeat(2 * 1024 * 1024) }) })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().code).toBe('payload_too_large')
  })

  it('sends security headers', async () => {
    const response = await t.anonymous.get('/api/health')
    expect(response.headers['content-security-policy']).toContain("default-src 'self'")
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })
})

describe('logs', () => {
  it('never contain passwords, cookies, CSRF tokens or API tokens', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const app = await buildApp({ config: testConfig(), db: t.db, mailer: createCapturingMailer(), logger: createLogger('trace', sink), rateLimitPerMinute: 1000, clientDir: '/nonexistent' })
    const user = await t.factories.createUser()
    const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: user.password } })
    const cookie = signIn.cookies.find((c) => c.name === 'concord_session')!.value
    const csrf = signIn.json().csrfToken as string
    const token = await app.inject({ method: 'POST', url: '/api/me/tokens', payload: { name: 'log test' }, cookies: { concord_session: cookie }, headers: { 'x-csrf-token': csrf } })
    const secret = token.json().secret as string
    await app.inject({ method: 'GET', url: '/api/processes', headers: { authorization: `Bearer ${secret}` } })
    await app.inject({ method: 'GET', url: `/api/processes?token=${secret}` })
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: 'wrong-password-in-log' } })
    await app.close()
    const log = lines.join('')
    expect(log).toContain('incoming request')
    for (const secretValue of [user.password, 'wrong-password-in-log', cookie, csrf, secret]) {
      expect(log).not.toContain(secretValue)
    }
  })
})
