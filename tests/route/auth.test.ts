import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createTestApp, sessionCookieFrom } from '../support/app'

const t = await createTestApp()
const { app, db, factories, mail } = t

const signIn = (email: string, password: string, ip = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress: ip })

async function countSessions(userId: string) {
  const row = await db.selectFrom('sessions').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return row.n
}

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite session cookie', async () => {
    const user = await factories.createUser()
    const response = await signIn(user.email.toUpperCase(), user.password)
    expect(response.statusCode).toBe(200)
    expect(response.json().user.email).toBe(user.email)
    const cookie = response.cookies.find((c) => c.name === 'concord_session')!
    expect(cookie.httpOnly).toBe(true)
    expect(cookie.sameSite).toBe('Lax')
    const session = await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: cookie.value } })
    expect(session.statusCode).toBe(200)
    expect(session.json().user.id).toBe(user.id)
  })

  it('answers an unknown account and a wrong password the same way', async () => {
    const user = await factories.createUser()
    const wrong = await signIn(user.email, 'not-the-password', '10.0.1.1')
    const unknown = await signIn('nobody-here@example.org', 'not-the-password', '10.0.1.2')
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
    expect(wrong.json().code).toBe('invalid_credentials')
    expect(wrong.cookies).toHaveLength(0)
  })

  it('rejects a malformed body with 400 validation_failed and records nothing', async () => {
    const before = await db.selectFrom('sign_in_attempts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    for (const payload of [{ email: 'x' }, { email: 'not-an-email', password: 'x' }, { email: 'a@b.org', password: 'x', admin: true }]) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload })
      expect(response.statusCode).toBe(400)
      expect(response.json().code).toBe('validation_failed')
      expect(Array.isArray(response.json().details)).toBe(true)
    }
    const after = await db.selectFrom('sign_in_attempts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('throttles an address after repeated failures on an account, even with the right password', async () => {
    const user = await factories.createUser()
    for (let i = 0; i < 5; i++) {
      expect((await signIn(user.email, 'wrong-password', '10.1.0.1')).statusCode).toBe(401)
    }
    const blocked = await signIn(user.email, user.password, '10.1.0.1')
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().code).toBe('rate_limited')
    // Time passes: the wait ends and the account works again from that address.
    await db.updateTable('sign_in_throttles').set({ blocked_until: new Date(Date.now() - 1000) }).where('scope', '=', 'pair').execute()
    expect((await signIn(user.email, user.password, '10.1.0.1')).statusCode).toBe(200)
  })

  it('rotates the session on sign-in: the previous cookie stops working', async () => {
    const user = await factories.createUser()
    const first = sessionCookieFrom(await signIn(user.email, user.password))
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: user.password },
      cookies: { concord_session: first },
      headers: { 'x-csrf-token': (await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: first } })).json().csrfToken },
    })
    const second = sessionCookieFrom(again)
    expect(second).not.toBe(first)
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: first } })).json()).toEqual({ user: null })
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: second } })).statusCode).toBe(200)
  })

  it('expires sessions after the idle time and after the absolute lifetime', async () => {
    const user = await factories.createUser()
    const idle = await t.as(user)
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 9 * 60 * 60 * 1000) }).where('user_id', '=', user.id).execute()
    expect((await idle.get('/api/auth/session')).json()).toEqual({ user: null })

    const old = await t.as(user)
    await db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute()
    expect((await old.get('/api/auth/session')).json()).toEqual({ user: null })
  })

  it('signs out: the cookie stops working', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    expect((await client.post('/api/auth/sign-out')).statusCode).toBe(200)
    expect((await client.get('/api/auth/session')).json()).toEqual({ user: null })
  })
})

describe('CSRF', () => {
  it('refuses cookie-authenticated writes without the right token and changes nothing', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    for (const token of [undefined, 'wrong-token']) {
      const response = await app.inject({
        method: 'PATCH',
        url: '/api/me',
        payload: { name: 'Changed By CSRF' },
        cookies: { concord_session: client.cookie },
        ...(token ? { headers: { 'x-csrf-token': token } } : {}),
      })
      expect(response.statusCode).toBe(403)
      expect(response.json().code).toBe('csrf_failed')
    }
    const row = await db.selectFrom('users').select('name').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.name).toBe(user.name)
    expect((await client.patch('/api/me', { name: 'Changed Properly' })).json().name).toBe('Changed Properly')
  })
})

describe('passwords', () => {
  it('changes the password after checking the current one, ending other sessions', async () => {
    const user = await factories.createUser()
    const other = await t.as(user)
    const client = await t.as(user)
    const wrong = await client.post('/api/auth/password', { currentPassword: 'wrong-password', newPassword: 'a-new-password-1' })
    expect(wrong.statusCode).toBe(401)
    expect((await signIn(user.email, user.password)).statusCode).toBe(200)

    const changed = await client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'a-new-password-1' })
    expect(changed.statusCode).toBe(200)
    expect(await countSessions(user.id)).toBe(1)
    expect((await other.get('/api/auth/session')).json()).toEqual({ user: null })
    expect((await client.get('/api/auth/session')).json()).toEqual({ user: null }) // rotated…
    const fresh = sessionCookieFrom(changed)
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: fresh } })).statusCode).toBe(200)
    expect((await signIn(user.email, user.password)).statusCode).toBe(401)
    expect((await signIn(user.email, 'a-new-password-1')).statusCode).toBe(200)
  })

  it('rejects a too-short new password with 400', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const response = await client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'short' })
    expect(response.statusCode).toBe(400)
    expect((await signIn(user.email, user.password)).statusCode).toBe(200)
  })

  it('resets a password through a one-time link, which then stops working', async () => {
    const user = await factories.createUser()
    const session = await t.as(user)
    mail.messages.length = 0
    const unknown = await t.anonymous.post('/api/auth/password-reset', { email: 'no-account@example.org' })
    expect(unknown.statusCode).toBe(202)
    expect(mail.messages).toHaveLength(0)

    const known = await t.anonymous.post('/api/auth/password-reset', { email: user.email })
    expect(known.statusCode).toBe(202)
    expect(known.json()).toEqual(unknown.json())
    expect(mail.messages).toHaveLength(1)
    const token = /reset-password\?token=([\w-]+)/.exec(mail.messages[0]!.text)![1]!

    const done = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'reset-password-1' })
    expect(done.statusCode).toBe(200)
    expect((await signIn(user.email, 'reset-password-1')).statusCode).toBe(200)
    expect((await session.get('/api/auth/session')).json()).toEqual({ user: null })

    const reused = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'reset-password-2' })
    expect(reused.statusCode).toBe(410)
    expect(reused.json().code).toBe('link_expired')
    expect((await signIn(user.email, 'reset-password-1')).statusCode).toBe(200)
  })

  it('refuses an expired reset link', async () => {
    const user = await factories.createUser()
    mail.messages.length = 0
    await t.anonymous.post('/api/auth/password-reset', { email: user.email })
    const token = /token=([\w-]+)/.exec(mail.messages[0]!.text)![1]!
    await db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute()
    const response = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'reset-password-1' })
    expect(response.statusCode).toBe(410)
    expect((await signIn(user.email, user.password)).statusCode).toBe(200)
  })
})

describe('API tokens', () => {
  it('creates, uses, lists and revokes a personal token', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const created = await client.post('/api/me/tokens', { name: 'CI script' })
    expect(created.statusCode).toBe(201)
    const { secret, token } = created.json()
    expect(secret.startsWith(token.prefix)).toBe(true)

    const viaToken = t.withToken(secret)
    expect((await viaToken.get('/api/processes')).statusCode).toBe(200)
    // A token request needs no CSRF token: it carries no ambient credential.
    expect((await viaToken.patch('/api/me', { locale: 'es' })).json().locale).toBe('es')

    const list = await client.get('/api/me/tokens')
    expect(list.json()).toHaveLength(1)
    expect(list.json()[0].lastUsedAt).not.toBeNull()
    expect(JSON.stringify(list.json())).not.toContain(secret)

    expect((await client.delete(`/api/me/tokens/${token.id}`)).statusCode).toBe(200)
    expect((await viaToken.get('/api/processes')).statusCode).toBe(401)
    expect((await client.get('/api/me/tokens')).json()).toHaveLength(0)
  })

  it("cannot revoke another user's token", async () => {
    const owner = await factories.createUser()
    const thief = await factories.createUser()
    const created = (await (await t.as(owner)).post('/api/me/tokens', { name: 'mine' })).json()
    const response = await (await t.as(thief)).delete(`/api/me/tokens/${created.token.id}`)
    expect(response.statusCode).toBe(404)
    expect((await t.withToken(created.secret).get('/api/processes')).statusCode).toBe(200)
  })

  it('answers 401 to a malformed or unknown Bearer token', async () => {
    expect((await t.withToken('cct_unknown-token-value').get('/api/processes')).statusCode).toBe(401)
    const response = await app.inject({ method: 'GET', url: '/api/processes', headers: { authorization: 'Basic abc' } })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('unauthenticated')
  })
})

describe('session probe', () => {
  it('answers a signed-out visitor 200 { user: null }, not an error (issue 15, item 12)', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/auth/session' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ user: null })
    const unknown = await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: 'not-a-session-cookie' } })
    expect(unknown.statusCode).toBe(200)
    expect(unknown.json()).toEqual({ user: null })
  })

  it('still refuses a malformed or unknown Bearer token with 401', async () => {
    const malformed = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { authorization: 'Basic abc' } })
    expect(malformed.statusCode).toBe(401)
    expect(malformed.json().code).toBe('unauthenticated')
  })

  it('answers a token caller with its user', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const created = await client.post('/api/me/tokens', { name: 'probe' })
    const response = await t.withToken(created.json().secret).get('/api/auth/session')
    expect(response.statusCode).toBe(200)
    expect(response.json().user.id).toBe(user.id)
  })
})

describe('account', () => {
  it('requires a caller for every non-public route', async () => {
    for (const [method, url] of [
      ['GET', '/api/processes'],
      ['PATCH', '/api/me'],
      ['GET', '/api/me/tokens'],
    ] as const) {
      const response = await app.inject({ method, url, ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}) })
      expect(response.statusCode, `${method} ${url}`).toBe(401)
      expect(response.json().code).toBe('unauthenticated')
    }
  })

  it('updates name and language and rejects unknown fields', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    expect((await client.patch('/api/me', { isAdmin: true })).statusCode).toBe(400)
    expect((await client.patch('/api/me', { locale: 'de' })).statusCode).toBe(400)
    const row = await db.selectFrom('users').select(['is_admin', 'locale']).where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ is_admin: false, locale: 'en' })
    const response = await client.patch('/api/me', { name: '  Ana  ', locale: 'es' })
    expect(response.json()).toMatchObject({ name: 'Ana', locale: 'es' })
    expect((await client.get('/api/auth/session')).json().user.locale).toBe('es')
  })
})

describe('housekeeping', () => {
  it('prunes expired sessions, old attempts and finished reset links, keeping live ones', async () => {
    const { pruneExpired } = await import('../../server/auth/service')
    const user = await factories.createUser()
    const live = await t.as(user)
    const stale = await t.as(user)
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 9 * 60 * 60 * 1000) }).where('csrf_token', '=', stale.csrfToken).execute()
    await signIn(user.email, 'wrong-password', '10.9.9.9')
    await db.updateTable('sign_in_attempts').set({ created_at: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000) }).where('ip', '=', '10.9.9.9').execute()
    await pruneExpired(db)
    expect(await countSessions(user.id)).toBe(1)
    expect((await live.get('/api/auth/session')).statusCode).toBe(200)
    expect(await db.selectFrom('sign_in_attempts').select('id').where('ip', '=', '10.9.9.9').execute()).toHaveLength(0)
  })
})
