import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  ChangePasswordBody,
  CreatedToken,
  CreateTokenBody,
  ApiToken,
  ResetCompleteBody,
  ResetRequestBody,
  DisableTwoFactorBody,
  RecoveryCodes,
  SessionInfo,
  SessionState,
  SignInBody,
  TwoFactorChallenge,
  TwoFactorCodeBody,
  TwoFactorEnrolment,
  TwoFactorSignInBody,
  TwoFactorStatus,
  UpdateAccountBody,
  User,
} from '../../shared/api/auth'
import { EmptyBody, errorResponses, IdParams, Ok } from '../../shared/api/common'
import type { App } from '../app'
import { requireActor } from './guard'
import { actorToUser, userRowToUser } from './present'
import * as service from './service'
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, type NewSession } from './sessions'
import { Type } from 'typebox'

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Lax, Secure behind https. */
export function setSessionCookie(app: App, reply: FastifyReply, session: NewSession) {
  reply.setCookie(SESSION_COOKIE, session.cookieValue, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.ctx.config.publicUrl.startsWith('https://'),
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  })
}

export function clientOf(request: FastifyRequest) {
  const agent = request.headers['user-agent']
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent : null }
}

const tags = ['auth']

export async function authRoutes(app: App) {
  app.get(
    '/api/auth/session',
    {
      // Public: a signed-out visitor gets `{ user: null }`, not a 401 the browser would log on
      // every page load (issue 15, item 12). A malformed Bearer header is still a 401.
      config: { public: true },
      schema: {
        tags,
        summary: 'The signed-in user and the CSRF token, or { user: null } when signed out',
        response: { 200: SessionState, ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = request.actor
      if (!actor) {
        return { user: null }
      }
      return {
        user: actorToUser(actor),
        csrfToken: actor.csrfToken ?? '',
        twoFactorEnrolmentRequired: await service.mustEnrolTwoFactor(app.ctx, actor),
      }
    },
  )

  app.post(
    '/api/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password; an account with a second factor gets a challenge for the code',
        body: SignInBody,
        response: { 200: Type.Union([SessionInfo, TwoFactorChallenge]), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const previous = request.actor?.via === 'session' ? request.actor.sessionIdHash : undefined
      const result = await service.signIn(app.ctx, request.body, clientOf(request), previous)
      if ('challenge' in result) {
        return { twoFactorRequired: true as const, challenge: result.challenge }
      }
      setSessionCookie(app, reply, result.session)
      return {
        user: userRowToUser(result.user),
        csrfToken: result.session.csrfToken,
        twoFactorEnrolmentRequired: await service.mustEnrolTwoFactorUser(app.ctx, result.user),
      }
    },
  )

  app.post(
    '/api/auth/sign-in/two-factor',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Finish a sign-in with the code from the authenticator app or a recovery code',
        body: TwoFactorSignInBody,
        response: { 200: SessionInfo, ...errorResponses(400, 401, 410, 429) },
      },
    },
    async (request, reply) => {
      const previous = request.actor?.via === 'session' ? request.actor.sessionIdHash : undefined
      const { user, session } = await service.completeTwoFactorSignIn(app.ctx, request.body, clientOf(request), previous)
      setSessionCookie(app, reply, session)
      return { user: userRowToUser(user), csrfToken: session.csrfToken }
    },
  )

  app.get(
    '/api/me/two-factor',
    { config: { duringEnrolment: true }, schema: { tags, summary: 'Whether your account has a second factor, and must', response: { 200: TwoFactorStatus, ...errorResponses(401) } } },
    async (request) => service.twoFactorStatus(app.ctx, requireActor(request)),
  )

  app.post(
    '/api/me/two-factor/enrol',
    {
      config: { duringEnrolment: true },
      schema: {
        tags,
        summary: 'Start adding an authenticator app: a new secret, its otpauth URI and QR code',
        body: EmptyBody,
        response: { 200: TwoFactorEnrolment, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => service.startTwoFactorEnrolment(app.ctx, requireActor(request)),
  )

  app.post(
    '/api/me/two-factor/confirm',
    {
      config: { duringEnrolment: true, rateLimit: { max: 20, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Turn the second factor on with the first code from the app; returns recovery codes once',
        body: TwoFactorCodeBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) => ({ recoveryCodes: await service.confirmTwoFactor(app.ctx, requireActor(request), request.body.code, request.ip) }),
  )

  app.post(
    '/api/me/two-factor/disable',
    {
      config: { rateLimit: { max: 20, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Turn the second factor off (not for secretariat members and administrators)',
        body: DisableTwoFactorBody,
        response: { 200: Ok, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      await service.disableTwoFactor(app.ctx, requireActor(request), request.body, clientOf(request))
      return { ok: true as const }
    },
  )

  app.post(
    '/api/auth/sign-out',
    { config: { public: true }, schema: { tags, summary: 'End this session', body: EmptyBody, response: { 200: Ok, ...errorResponses(400, 403) } } },
    async (request, reply) => {
      if (request.actor) {
        await service.signOut(app.ctx, request.actor)
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Change the password; every session ends and a new one starts',
        body: ChangePasswordBody,
        response: { 200: SessionInfo, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const session = await service.changePassword(app.ctx, actor, request.body, clientOf(request))
      setSessionCookie(app, reply, session)
      return { user: actorToUser(actor), csrfToken: session.csrfToken }
    },
  )

  app.post(
    '/api/auth/password-reset',
    {
      config: { public: true, rateLimit: { max: 5, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Send a one-time reset link, if the address has an account',
        body: ResetRequestBody,
        response: { 202: Ok, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await service.requestPasswordReset(app.ctx, request.body.email)
      return reply.status(202).send({ ok: true as const })
    },
  )

  app.post(
    '/api/auth/password-reset/complete',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Set a new password with a reset link (and a code, for an account with a second factor)',
        body: ResetCompleteBody,
        response: { 200: Ok, ...errorResponses(400, 401, 403, 410, 429) },
      },
    },
    async (request) => {
      await service.completePasswordReset(app.ctx, request.body.token, request.body.newPassword, request.ip, request.body.code)
      return { ok: true as const }
    },
  )

  app.patch(
    '/api/me',
    { config: { duringEnrolment: true }, schema: { tags, summary: 'Change your name or interface language', body: UpdateAccountBody, response: { 200: User, ...errorResponses(400, 401, 403) } } },
    async (request) => {
      const user = await service.updateAccount(app.ctx, requireActor(request), request.body)
      return userRowToUser(user)
    },
  )

  app.get(
    '/api/me/tokens',
    { schema: { tags, summary: 'Your personal API tokens', response: { 200: Type.Array(ApiToken), ...errorResponses(401) } } },
    async (request) => service.listApiTokens(app.ctx, requireActor(request)),
  )

  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token (its secret is shown once; an account with a second factor sends a code)',
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await service.createApiToken(app.ctx, requireActor(request), request.body.name, { code: request.body.code })
      return reply.status(201).send(created)
    },
  )

  app.delete(
    '/api/me/tokens/:id',
    { schema: { tags, summary: 'Revoke a personal API token', params: IdParams, response: { 200: Ok, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => {
      await service.revokeApiToken(app.ctx, requireActor(request), request.params.id)
      return { ok: true as const }
    },
  )
}
