import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../auth/actor'
import { enrolmentRequired, mustEnrolTwoFactor } from '../auth/service'
import { resolveApiToken, resolveSession, SESSION_COOKIE } from '../auth/sessions'
import { safeEqual } from '../auth/tokens'
import { AppError, unauthenticated } from '../errors'
import type { Ctx } from '../context'

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, when the request carried a valid session cookie or API token. */
    actor: Actor | undefined
  }
  interface FastifyContextConfig {
    /** Routes that answer without credentials say so; every other /api route needs a caller. */
    public?: boolean
    /**
     * Routes a staff session may use before it has set up its second factor (setting it up,
     * the language, signing out); every other route refuses it with `two_factor_enrolment_required`.
     */
    duringEnrolment?: boolean
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Reads the caller from a Bearer token or a `?token=` (sockets only), else the session cookie. */
export async function authenticate(ctx: Ctx, request: FastifyRequest, allowQueryToken = false): Promise<Actor | undefined> {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header)
    if (!match?.[1]) {
      throw unauthenticated()
    }
    return resolveApiToken(ctx.db, ctx.config.sessionSecret, match[1])
  }
  if (allowQueryToken) {
    const token = (request.query as Record<string, unknown> | undefined)?.token
    if (typeof token === 'string' && token.length >= 10 && token.length <= 200) {
      return resolveApiToken(ctx.db, ctx.config.sessionSecret, token)
    }
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (cookie && cookie.length <= 200) {
    return resolveSession(ctx.db, ctx.config.sessionSecret, cookie)
  }
  return undefined
}

/**
 * Puts `request.actor` on every /api request and answers 401 before anything else is
 * parsed when a non-public route has no caller. It refuses state-changing requests made
 * with the session cookie unless they carry the session's CSRF token in `x-csrf-token`
 * (the synchronizer-token pattern). Token-authenticated requests carry no ambient
 * credential, so they need no CSRF token.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { ctx: Ctx }) => {
    app.decorateRequest('actor', undefined)
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) {
        return
      }
      request.actor = await authenticate(options.ctx, request)
      if (!request.actor && !request.is404 && request.routeOptions.config.public !== true && !request.url.startsWith('/api/docs')) {
        throw unauthenticated()
      }
      if (request.actor?.via === 'session' && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token']
        if (typeof sent !== 'string' || !request.actor.csrfToken || !safeEqual(sent, request.actor.csrfToken)) {
          throw new AppError(403, 'csrf_failed', 'Missing or wrong CSRF token; reload the page')
        }
      }
      const config = request.routeOptions.config
      if (
        request.actor &&
        !request.is404 &&
        config.public !== true &&
        config.duringEnrolment !== true &&
        (await mustEnrolTwoFactor(options.ctx, request.actor))
      ) {
        throw enrolmentRequired()
      }
    })
  },
  { name: 'concord-auth', dependencies: ['@fastify/cookie'] },
)
