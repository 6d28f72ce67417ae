import { generate } from 'otplib'
import { describe, expect, it } from 'vitest'
import { createTestApp, type Client } from '../support/app'
import type { TestUser } from '../support/factories'

// Issue 12, item 8: a second factor is required of secretariat members and instance
// administrators. Until they have one, a staff session may only set it up (and choose its
// language, or sign out); every other route answers 403 `two_factor_enrolment_required`.
const t = await createTestApp({ config: { STAFF_TWO_FACTOR: 'required' } })
const { app, db, factories } = t

const ENROLMENT_REQUIRED = 'two_factor_enrolment_required'

const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) })

async function signIn(user: TestUser) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: user.email, password: user.password },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { csrfToken: string; twoFactorEnrolmentRequired?: boolean }
}

async function enrol(client: Client) {
  const started = await client.post('/api/me/two-factor/enrol')
  expect(started.statusCode, started.body).toBe(200)
  const { secret } = started.json() as { secret: string }
  const confirmed = await client.post('/api/me/two-factor/confirm', { code: await codeNow(secret) })
  expect(confirmed.statusCode, confirmed.body).toBe(200)
}

const processCount = async () =>
  (
    await db
      .selectFrom('processes')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n

describe('staff without a second factor', () => {
  it('an administrator is told at sign-in, refused everything but the set-up, and let in once it is on', async () => {
    const admin = await factories.createUser({ isAdmin: true })
    expect((await signIn(admin)).twoFactorEnrolmentRequired).toBe(true)
    const client = await t.as(admin)
    expect((await client.get('/api/auth/session')).json()).toMatchObject({
      twoFactorEnrolmentRequired: true,
    })

    const listed = await client.get('/api/processes')
    expect(listed.statusCode).toBe(403)
    expect(listed.json()).toMatchObject({ statusCode: 403, code: ENROLMENT_REQUIRED })
    const before = await processCount()
    const created = await client.post('/api/processes', { title: 'Created before enrolling' })
    expect(created.statusCode).toBe(403)
    expect(created.json().code).toBe(ENROLMENT_REQUIRED)
    expect(await processCount()).toBe(before)
    expect((await client.get('/api/me/tokens')).json().code).toBe(ENROLMENT_REQUIRED)
    expect((await client.post('/api/me/tokens', { name: 'script' })).json().code).toBe(
      ENROLMENT_REQUIRED,
    )

    // What the set-up needs still answers: its status, the language, and the set-up itself.
    expect((await client.get('/api/me/two-factor')).json()).toEqual({
      enabled: false,
      required: true,
      recoveryCodesLeft: 0,
    })
    const language = await client.patch('/api/me', { locale: 'pt' })
    expect(language.statusCode, language.body).toBe(200)
    expect(language.json().locale).toBe('pt')
    await enrol(client)

    expect((await client.get('/api/auth/session')).json()).toMatchObject({
      twoFactorEnrolmentRequired: false,
    })
    expect((await client.get('/api/processes')).statusCode).toBe(200)
    expect(
      (await client.post('/api/processes', { title: 'Created after enrolling' })).statusCode,
    ).toBe(201)
  })

  it('a secretariat member is held back; the other roles are not; promotion holds back at the next request', async () => {
    const secretariat = await factories.createUser()
    const stakeholder = await factories.createUser()
    const process = await factories.createProcess({
      secretariat,
      members: [{ user: stakeholder, role: 'stakeholder', group: 'academia' }],
    })
    const asSecretariat = await t.as(secretariat)
    expect((await asSecretariat.get(`/api/processes/${process.id}`)).json().code).toBe(
      ENROLMENT_REQUIRED,
    )

    expect((await signIn(stakeholder)).twoFactorEnrolmentRequired).toBe(false)
    const asStakeholder = await t.as(stakeholder)
    expect((await asStakeholder.get(`/api/processes/${process.id}`)).statusCode).toBe(200)
    expect((await asStakeholder.get('/api/processes')).statusCode).toBe(200)

    // Made secretariat by a colleague who has a second factor: the very next request is refused.
    await enrol(asSecretariat)
    const memberId = process.membershipIds.get(stakeholder.email)!
    const promoted = await asSecretariat.patch(`/api/processes/${process.id}/members/${memberId}`, {
      role: 'secretariat',
    })
    expect(promoted.statusCode, promoted.body).toBe(200)
    expect((await asStakeholder.get(`/api/processes/${process.id}`)).json().code).toBe(
      ENROLMENT_REQUIRED,
    )
    expect((await asStakeholder.get('/api/auth/session')).json()).toMatchObject({
      twoFactorEnrolmentRequired: true,
    })
  })

  it('public routes and signing out still answer; signed-out requests are 401 as before', async () => {
    const admin = await factories.createUser({ isAdmin: true })
    const client = await t.as(admin)
    expect((await client.get('/api/health')).statusCode).toBe(200)
    expect((await t.anonymous.get('/api/processes')).statusCode).toBe(401)
    expect((await client.post('/api/auth/sign-out')).statusCode).toBe(200)
    expect((await client.get('/api/processes')).statusCode).toBe(401)
  })
})

describe('where staff are only advised', () => {
  it('nothing is held back, and the session says nothing is required', async () => {
    const advised = await createTestApp({ config: { STAFF_TWO_FACTOR: 'advised' } })
    const admin = await advised.factories.createUser({ isAdmin: true })
    const client = await advised.as(admin)
    expect((await client.get('/api/auth/session')).json()).toMatchObject({
      twoFactorEnrolmentRequired: false,
    })
    expect((await client.get('/api/processes')).statusCode).toBe(200)
    expect((await client.get('/api/me/two-factor')).json()).toMatchObject({
      enabled: false,
      required: true,
    })
  })
})
