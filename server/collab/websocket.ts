import websocket from '@fastify/websocket'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CloseCodes } from '../../shared/collab/close-codes'
import type { Ctx } from '../context'
import { CollabServer, type Admission, type CollabSettings } from './collab-server'
import { connectRedisPubSub, PubSubFanout, type PubSubClient } from './fanout'

declare module 'fastify' {
  interface FastifyInstance {
    /** The collaboration server behind `/collab/:documentId`. */
    collab: CollabServer
  }
  interface FastifyRequest {
    /** What `admit` decided before the WebSocket upgrade. */
    collabAdmission: Admission | undefined
  }
}

export interface CollabPluginOptions {
  ctx: Ctx
  /** Changes to the default limits and timings (tests, the benchmark). */
  options?: CollabSettings
  /** The transport of the cross-instance fan-out; by default Redis when `REDIS_URL` is set, else none. */
  pubsub?: PubSubClient
}

/**
 * The collaboration socket `GET /collab/:documentId`, speaking the standard y-websocket
 * protocol. The caller is authenticated (session cookie or `?token=`) and authorised in a
 * `preValidation` hook, before the upgrade completes; a refused caller's socket is closed with
 * the decided code as soon as it opens, and no message of it is ever read (STYLE 2.9).
 * Limits on the `ws` server: messages up to `maxMessageBytes` summed over at most
 * `maxFragmentsPerMessage` fragments, no
 * compression (a deflate bomb would bypass the size limit), no client tracking (the rooms
 * track their connections).
 */
export const collabPlugin = fp(
  async (app: FastifyInstance, { ctx, options, pubsub }: CollabPluginOptions) => {
    // Several instances share documents through Redis when REDIS_URL is set (issue 3, item 7).
    const log = ctx.log.child({ module: 'collab' })
    const transport =
      pubsub ??
      (ctx.config.redisUrl ? await connectRedisPubSub(ctx.config.redisUrl, log) : undefined)
    const collab = new CollabServer(
      ctx,
      options,
      transport ? new PubSubFanout(transport, ctx.events, log) : undefined,
    )
    app.decorate('collab', collab)
    app.decorateRequest('collabAdmission', undefined)
    await app.register(websocket, {
      options: {
        maxPayload: collab.options.limits.maxMessageBytes,
        maxFragments: collab.options.limits.maxFragmentsPerMessage,
        perMessageDeflate: false,
        clientTracking: false,
      },
      // Graceful shutdown runs before the HTTP server stops: store what was received, then
      // close every socket with ShuttingDown (issue 3, item 5).
      preClose: async () => {
        await collab.stop()
      },
    })
    app.get(
      '/collab/:documentId',
      {
        websocket: true,
        config: { public: true },
        // The request line carries `?token=`: keep it out of the per-request info logs.
        logLevel: 'warn',
        preValidation: async (request: FastifyRequest) => {
          if (request.ws) {
            request.collabAdmission = await collab.admit(request)
          }
        },
      },
      (socket, request) => {
        collab.accept(
          socket,
          request.collabAdmission ?? {
            ok: false,
            code: CloseCodes.Unauthenticated,
            reason: 'sign in first',
          },
          request.raw.socket,
        )
      },
    )
  },
  { name: 'concord-collab', dependencies: ['@fastify/cookie'] },
)
