import { generate } from 'otplib'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { decryptTotpSecret } from '../../server/auth/two-factor'
import { createTestApp, sessionCookieFrom, TEST_SECRET, type Client } from '../support/app'
import type { TestUser } from '../support/factories'

// A second factor (issue 12, item 8): TOTP with single-use recovery codes; sign-in, password
// reset and token creation ask for it.
const t = await createTestApp()
const { app, db, factories, mail } = t

/** The code of the app `steps` time steps from now (-1, 0 and 1 are all accepted). */
const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 })

const signIn = (user: TestUser, password = user.password) =>
  app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password }, remoteAddress: '10.9.0.1' })
const secondStep = (challenge: string, code: string) =>
  app.inject({ method: 'POST', url: '/api/auth/sign-in/two-factor', payload: { challenge, code }, remoteAddress: '10.9.0.1' })

async function userRow(id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** Enrols a user through the API and returns the secret and recovery codes. */
async function enrol(client: Client) {
  const started = await client.post('/api/me/two-factor/enrol')
  expect(started.statusCode, started.body).toBe(200)
  const { secret } = started.json() as { secret: string }
  const confirmed = await client.post('/api/me/two-factor/confirm', { code: await codeAt(secret, -1) })
  expect(confirmed.statusCode, confirmed.body).toBe(200)
  return { secret, recoveryCodes: (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes }
}

describe('enrolment', () => {
  it('gives a secret, otpauth URI and QR code, stores the secret encrypted, and turns on with the first right code', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    expect((await client.get('/api/me/two-factor')).json()).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 })
    const started = await client.post('/api/me/two-factor/enrol')
    expect(started.statusCode).toBe(200)
    const { secret, otpauthUri, qrCodeDataUrl } = started.json() as { secret: string; otpauthUri: string; qrCodeDataUrl: string }
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Concord:/)
    expect(otpauthUri).toContain(`secret=${secret}`)
    expect(qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(qrCodeDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg')
    const stored = await userRow(user.id)
    expect(stored.totp_secret).not.toContain(secret)
    expect(decryptTotpSecret(TEST_SECRET, stored.totp_secret!)).toBe(secret)
    expect(stored.totp_enabled_at).toBeNull()

    const wrong = await client.post('/api/me/two-factor/confirm', { code: '000000' === (await codeAt(secret)) ? '111111' : '000000' })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().code).toBe('invalid_code')
    expect((await userRow(user.id)).totp_enabled_at).toBeNull()

    const confirmed = await client.post('/api/me/two-factor/confirm', { code: await codeAt(secret) })
    expect(confirmed.statusCode).toBe(200)
    const codes = (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    const hashes = await db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute()
    expect(hashes).toHaveLength(10)
    for (const code of codes) {
      expect(hashes.map((h) => h.code_hash).join(' ')).not.toContain(code.replace('-', ''))
    }
    expect((await client.get('/api/me/two-factor')).json()).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 })
    expect((await client.post('/api/me/two-factor/enrol')).statusCode).toBe(409)
  })

  it('refuses bad bodies with 400 and changes nothing; without a session, 401', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    await client.post('/api/me/two-factor/enrol')
    const before = await userRow(user.id)
    for (const body of [{}, { code: '12' }, { code: '<script>' }, { code: '123456', extra: true }]) {
      const response = await client.post('/api/me/two-factor/confirm', body)
      expect(response.statusCode).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect(await userRow(user.id)).toEqual(before)
    for (const [method, url] of [['GET', '/api/me/two-factor'], ['POST', '/api/me/two-factor/enrol'], ['POST', '/api/me/two-factor/confirm'], ['POST', '/api/me/two-factor/disable']] as const) {
      expect((await app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode).toBe(401)
    }
  })

  it('tells secretariat members and administrators that they must have one', async () => {
    const admin = await factories.createUser({ isAdmin: true })
    expect((await (await t.as(admin)).get('/api/me/two-factor')).json()).toMatchObject({ required: true })
    const process = await factories.createProcess()
    expect((await (await t.as(process.secretariat)).get('/api/me/two-factor')).json()).toMatchObject({ required: true })
  })
})

describe('signing in with a second factor', () => {
  it('asks for the code after the password, refuses a wrong or replayed code, and starts the session with the right one', async () => {
    const user = await factories.createUser()
    const { secret } = await enrol(await t.as(user))
    const first = await signIn(user)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ twoFactorRequired: true, challenge: expect.any(String) })
    expect(first.cookies).toHaveLength(0)
    const { challenge } = first.json() as { challenge: string }
    // The code the enrolment used is not accepted again.
    const replayed = await secondStep(challenge, await codeAt(secret, -1))
    expect(replayed.statusCode).toBe(401)
    expect(replayed.json().code).toBe('invalid_code')
    const done = await secondStep(challenge, await codeAt(secret))
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json().user.id).toBe(user.id)
    const session = await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { concord_session: sessionCookieFrom(done) } })
    expect(session.statusCode).toBe(200)
    // A challenge works once.
    expect((await secondStep(challenge, await codeAt(secret, 1))).statusCode).toBe(410)
  })

  it('takes a recovery code once, in place of the app', async () => {
    const user = await factories.createUser()
    const { recoveryCodes } = await enrol(await t.as(user))
    const code = recoveryCodes[0]!
    const { challenge } = (await signIn(user)).json() as { challenge: string }
    expect((await secondStep(challenge, code.toUpperCase())).statusCode).toBe(200)
    const again = (await signIn(user)).json() as { challenge: string }
    expect((await secondStep(again.challenge, code)).statusCode).toBe(401)
    expect((await secondStep(again.challenge, recoveryCodes[1]!)).statusCode).toBe(200)
  })

  it('ends a challenge after five wrong codes, so guessing needs the password again', async () => {
    const user = await factories.createUser()
    const { secret } = await enrol(await t.as(user))
    const { challenge } = (await signIn(user)).json() as { challenge: string }
    const right = await codeAt(secret)
    const wrongCode = right === '123456' ? '654321' : '123456'
    for (let i = 0; i < 5; i++) {
      expect((await secondStep(challenge, wrongCode)).statusCode).toBe(401)
    }
    expect((await secondStep(challenge, right)).statusCode).toBe(410)
    const sessions = await db.selectFrom('sessions').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(sessions.n).toBe(1) // the one the enrolment used
  })
})

describe('what needs the second factor', () => {
  it('creating an API token asks for a code', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const { secret } = await enrol(client)
    const without = await client.post('/api/me/tokens', { name: 'CI' })
    expect(without.statusCode).toBe(403)
    expect(without.json().code).toBe('two_factor_required')
    const wrong = await client.post('/api/me/tokens', { name: 'CI', code: '00000a' })
    expect(wrong.statusCode).toBe(401)
    expect((await client.get('/api/me/tokens')).json()).toHaveLength(0)
    const created = await client.post('/api/me/tokens', { name: 'CI', code: await codeAt(secret) })
    expect(created.statusCode, created.body).toBe(201)
    expect((await client.get('/api/me/tokens')).json()).toHaveLength(1)
  })

  it('a password reset link alone does not change the password; with a code it does', async () => {
    const user = await factories.createUser()
    const { recoveryCodes } = await enrol(await t.as(user))
    mail.messages.length = 0
    await t.anonymous.post('/api/auth/password-reset', { email: user.email })
    const token = /reset-password\?token=([\w-]+)/.exec(mail.messages[0]!.text)![1]!
    const before = (await userRow(user.id)).password_hash
    const without = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'a-new-password-1' })
    expect(without.statusCode).toBe(403)
    expect(without.json().code).toBe('two_factor_required')
    const wrong = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'a-new-password-1', code: 'aaaaa-bbbbb' })
    expect(wrong.statusCode).toBe(401)
    expect((await userRow(user.id)).password_hash).toBe(before)
    const done = await t.anonymous.post('/api/auth/password-reset/complete', { token, newPassword: 'a-new-password-1', code: recoveryCodes[0]! })
    expect(done.statusCode, done.body).toBe(200)
    expect((await userRow(user.id)).password_hash).not.toBe(before)
  })

  it('turning it off needs the password and a code, and is refused to those who must keep it', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const { secret, recoveryCodes } = await enrol(client)
    expect((await client.post('/api/me/two-factor/disable', { password: 'wrong-password', code: recoveryCodes[0]! })).statusCode).toBe(401)
    expect((await client.post('/api/me/two-factor/disable', { password: user.password, code: 'zzzzz-zzzzz' })).statusCode).toBe(401)
    expect((await userRow(user.id)).totp_enabled_at).not.toBeNull()
    const off = await client.post('/api/me/two-factor/disable', { password: user.password, code: await codeAt(secret) })
    expect(off.statusCode, off.body).toBe(200)
    expect(await userRow(user.id)).toMatchObject({ totp_secret: null, totp_enabled_at: null })
    expect((await signIn(user)).json().user.id).toBe(user.id)

    const admin = await factories.createUser({ isAdmin: true })
    const adminClient = await t.as(admin)
    const enrolled = await enrol(adminClient)
    const refused = await adminClient.post('/api/me/two-factor/disable', { password: admin.password, code: enrolled.recoveryCodes[0]! })
    expect(refused.statusCode).toBe(403)
    expect((await userRow(admin.id)).totp_enabled_at).not.toBeNull()
  })
})
