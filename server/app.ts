import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fastifyStatic from '@fastify/static'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Health } from '../shared/api/health'
import { LIMITS } from '../shared/limits'
import type { Action } from '../shared/domain/permissions'
import type { Config } from './config'
import type { Ctx, Origin } from './context'
import type { Db, DocumentRow } from './db/database'
import { databaseAnswers } from './db/unavailable'
import { handleError, notFound } from './errors'
import { EventBus } from './events'
import { createLogger } from './logger'
import { createMailer, type Mailer } from './mail/mailer'
import { authPlugin } from './plugins/auth'
import { validatorCompiler } from './plugins/validation'
import { useStrictJsonParser } from './plugins/body-parsers'
import { authorize, requireActor } from './auth/guard'
import { authRoutes } from './auth/routes'
import { processRoutes } from './processes/routes'
import { documentRoutes } from './documents/routes'
import { authorizeDocument } from './documents/service'
import { auditRoutes } from './audit/routes'
import { commentRoutes } from './comments/routes'
import { notificationRoutes } from './notifications/routes'
import { liveRoutes } from './live/routes'
import { versionRoutes } from './versions/routes'
import { translationRoutes } from './translations/routes'
import { stageRoutes } from './stages/routes'
import { consultationRoutes } from './consultation/routes'
import { reportRoutes } from './consultation/report-routes'
import { publicConsultationRoutes } from './consultation/public-routes'
import { workshopRoutes } from './workshops/routes'
import { publicRecordRoutes } from './public/routes'
import { publicHomeSettingsRoutes } from './public/settings'
import { adoptionRoutes } from './adoption/routes'
import { participationRoutes } from './participation/routes'
import { collabPlugin, type CollabPluginOptions } from './collab/websocket'

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx
    /** A preHandler that lets the request through only if the caller may do `action` in the process `:id`. */
    guard: (action: Action) => (request: FastifyRequest) => Promise<void>
    /**
     * A preHandler that lets the request through only if the caller may do `action` on the
     * live document `:id` (404 for unknown, deleted or other-process documents; 403 for the
     * wrong role), and puts `request.document` and `request.membership` in place.
     */
    documentGuard: (action: Action) => (request: FastifyRequest) => Promise<void>
    /** Who is acting and from where, for the audit log. */
    origin: (request: FastifyRequest) => Origin
  }
  interface FastifyRequest {
    /** The document a document route is about, once `documentGuard` let the request through. */
    document: DocumentRow | undefined
  }
}

/**
 * The global request limits (issue 12, item 7). Signed-in requests count per account, wherever
 * they come from, so forty people behind one venue's or ministry's address never share one
 * limit; anonymous requests count per address, sized for a NAT of a few hundred people
 * (sign-in, public pages and forms have their own, stricter limits on top).
 */
export const REQUEST_LIMITS = {
  /** One person with several tabs open is far below this; a script hammering is not. */
  perAccountPerMinute: 1200,
  /** About ten requests a minute for each of three hundred people behind one address. */
  perAddressPerMinute: 3000,
} as const

export interface AppDeps {
  config: Config
  db: Db
  mailer?: Mailer
  /** A pino logger instance (tests pass a silent one); otherwise one is made from the config. */
  logger?: FastifyBaseLogger
  /** Where the built client lives; defaults to dist/client. */
  clientDir?: string
  /**
   * Requests per minute per address from callers who are not signed in (route limits such as
   * sign-in come on top); `REQUEST_LIMITS.perAddressPerMinute` unless given.
   */
  rateLimitPerMinute?: number
  /** Requests per minute per signed-in account; `REQUEST_LIMITS.perAccountPerMinute` unless given. */
  accountRateLimitPerMinute?: number
  /** Collaboration limits, timings and fan-out other than the defaults (tests, the benchmark). */
  collab?: Omit<CollabPluginOptions, 'ctx'>
}

/**
 * Builds the Fastify application from its dependencies: plugins first, then each module's
 * routes in one explicit list. Nothing here listens or migrates; main.ts and the tests do.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app: App = Fastify({
    loggerInstance: deps.logger ?? createLogger(deps.config.logLevel),
    bodyLimit: LIMITS.bodyBytesMax,
    // Behind https the server sits behind a proxy (see docker-compose.yml): trust one hop.
    ...(deps.config.publicUrl.startsWith('https://')
      ? { trustProxy: (_address: string, hop: number) => hop < 1 }
      : {}),
  }).withTypeProvider<TypeBoxTypeProvider>()

  const ctx: Ctx = {
    db: deps.db,
    config: deps.config,
    mailer:
      deps.mailer ??
      createMailer({ smtpUrl: deps.config.smtpUrl, from: deps.config.smtpFrom, log: app.log }),
    log: app.log,
    events: new EventBus(),
  }
  app.decorate('ctx', ctx)
  app.decorate('origin', (request: FastifyRequest): Origin => {
    const actor = requireActor(request)
    return { userId: actor.userId, name: actor.name, ip: request.ip }
  })
  app.decorate('guard', (action: Action) => async (request: FastifyRequest) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    request.membership = await authorize(ctx.db, actor, id, action)
  })
  app.decorate('documentGuard', (action: Action) => async (request: FastifyRequest) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const { document, membership } = await authorizeDocument(ctx.db, actor, id, action)
    request.document = document
    request.membership = membership
  })
  app.decorateRequest('membership', undefined)
  app.decorateRequest('document', undefined)
  app.setValidatorCompiler(validatorCompiler)
  app.setErrorHandler(handleError)
  useStrictJsonParser(app)

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  })
  await app.register(cookie)
  // Pages, styles and the app's shell leave compressed (brotli, else gzip) when the browser
  // accepts it; the built scripts are compressed once at build (scripts/precompress.mjs) and
  // sent as they are (issue 15, item 11). API answers are left alone: several carry the
  // CSRF token or an API token next to text a caller chose, which is what a BREACH-style
  // attack on compressed responses needs. Compressed request bodies are refused as before.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') || route.url.startsWith('/collab/')) {
      route.compress ??= false
    }
  })
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
  })
  const perAccount = deps.accountRateLimitPerMinute ?? REQUEST_LIMITS.perAccountPerMinute
  const perAddress = deps.rateLimitPerMinute ?? REQUEST_LIMITS.perAddressPerMinute
  await app.register(rateLimit, {
    global: true,
    timeWindow: '1 minute',
    // The limit's hook runs on each route after the auth plugin's, so the caller is known here.
    keyGenerator: (request) =>
      request.actor ? `account:${request.actor.userId}` : `address:${request.ip}`,
    max: (_request, key) => (key.startsWith('account:') ? perAccount : perAddress),
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Concord API',
        version: '0.1.0',
        description: 'Co-drafting, commenting and consultation on national strategies.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A personal API token (`npm run cli -- token:create`).',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } })
  await app.register(authPlugin, { ctx })

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Up and migrated; 503 "degraded" while the database cannot be reached',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      // A load balancer must see the outage (issue 12, item 4): REST reads fail meanwhile.
      if (await databaseAnswers(ctx.db)) {
        return { status: 'ok' as const }
      }
      return reply
        .status(503)
        .send({ status: 'degraded' as const, database: 'unavailable' as const })
    },
  )
  await app.register(authRoutes)
  await app.register(processRoutes)
  await app.register(documentRoutes)
  await app.register(auditRoutes)
  await app.register(commentRoutes)
  await app.register(versionRoutes)
  await app.register(translationRoutes)
  await app.register(stageRoutes)
  await app.register(consultationRoutes)
  await app.register(reportRoutes)
  await app.register(publicConsultationRoutes)
  await app.register(notificationRoutes)
  await app.register(liveRoutes)
  await app.register(workshopRoutes)
  await app.register(publicHomeSettingsRoutes)
  await app.register(publicRecordRoutes)
  await app.register(adoptionRoutes)
  await app.register(participationRoutes)
  await app.register(collabPlugin, { ctx, ...deps.collab })
  // Stores what every room received and closes the sockets before the database closes (issue 3, item 5).
  app.addHook('onClose', async () => app.collab.close())

  const clientDir = deps.clientDir ?? resolve(import.meta.dirname, '../dist/client')
  const hasClient = existsSync(resolve(clientDir, 'index.html'))
  if (hasClient) {
    // Hashed build assets are looked up per request, so a rebuilt client is served without
    // a restart; a missing asset is a 404, never the app's HTML in its place.
    await app.register(fastifyStatic, {
      root: resolve(clientDir, 'assets'),
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      // The .br/.gz copies written at build are sent in place of the file when accepted.
      preCompressed: true,
      // Caches must keep the brotli, gzip and plain answers apart.
      setHeaders: (res) => {
        res.setHeader('vary', 'accept-encoding')
      },
    })
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    // The single-page app owns every other path: send its shell and let its router decide.
    const isAppPath =
      !path.startsWith('/api/') && !path.startsWith('/collab/') && !path.startsWith('/assets/')
    if (hasClient && request.method === 'GET' && isAppPath) {
      return reply
        .type('text/html')
        .header('cache-control', 'no-cache')
        .sendFile('index.html', clientDir)
    }
    throw notFound('Route')
  })
  return app
}
