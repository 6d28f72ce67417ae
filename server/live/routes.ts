import { Type } from 'typebox'
import { errorResponses } from '../../shared/api/common'
import { EventsQuery, type LiveEvent } from '../../shared/api/threads'
import type { App } from '../app'
import { authorize, requireActor, type MembershipContext } from '../auth/guard'
import { credentialIsLive } from '../auth/sessions'
import { canWatch, isModerator } from '../comments/service'
import type { DomainEvents } from '../events'

/** Idle streams send a comment this often, so proxies and browsers keep them open. */
const HEARTBEAT_MS = 25_000

/**
 * The live stream `GET /api/events` (server-sent events): the signed-in person's
 * notifications, and with `?process=` the thread events of that process (issue 5, item 6).
 * Events name what changed and never carry its content; pages fetch it through the API, so
 * every permission and every moderation decision applies to what they show. Events about
 * hidden threads reach moderators only. A stream ends when its member loses access to the
 * process or their session or token ends; EventSource then reconnects and is authorised again.
 */
export async function liveRoutes(app: App) {
  const { ctx } = app
  // Open streams end when the server closes; an HTTP server waits for open responses otherwise.
  const open = new Set<() => void>()
  app.addHook('preClose', async () => {
    for (const end of [...open]) {
      end()
    }
  })
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Server-sent events: thread changes of a process and your notifications',
        querystring: EventsQuery,
        response: {
          200: Type.String({
            description:
              'A `text/event-stream`: `event: thread`, `event: workshop` and `event: notification`, each with a JSON `data` line naming what changed.',
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const processId = request.query.process
      let membership: MembershipContext | undefined = processId
        ? await authorize(ctx.db, actor, processId, 'threads.read')
        : undefined

      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      })
      // Reconnects wait 2–5 s with jitter, so a restart does not bring every page back at once (DESIGN).
      raw.write(`retry: ${2000 + Math.floor(Math.random() * 3000)}\n\n`)
      const send = (type: LiveEvent['type'], event: LiveEvent) => {
        raw.write(`event: ${type}\ndata: ${JSON.stringify(event)}\n\n`)
      }

      let ended = false
      const end = () => {
        if (ended) {
          return
        }
        ended = true
        open.delete(end)
        clearInterval(heartbeat)
        ctx.events.off('thread.changed', onThread)
        ctx.events.off('notification.created', onNotification)
        ctx.events.off('workshop.changed', onWorkshop)
        ctx.events.off('membership.changed', onMembership)
        ctx.events.off('credentials.ended', onCredentials)
        raw.end()
      }
      const onThread = (event: DomainEvents['thread.changed'][0]) => {
        if (
          !membership ||
          event.processId !== membership.processId ||
          (event.hidden && !isModerator(membership))
        ) {
          return
        }
        send('thread', {
          type: 'thread',
          processId: event.processId,
          documentId: event.documentId,
          threadId: event.threadId,
          sectionId: event.sectionId,
        })
      }
      // Workshops of the process: the page fetches the live state, whose route checks access.
      const onWorkshop = (event: DomainEvents['workshop.changed'][0]) => {
        if (membership && event.processId === membership.processId) {
          send('workshop', { type: 'workshop', processId: event.processId, workshopId: event.workshopId })
        }
      }
      const onNotification = (event: DomainEvents['notification.created'][0]) => {
        if (event.userId === actor.userId) {
          send('notification', { type: 'notification', notificationId: event.notificationId })
        }
      }
      const onMembership = (event: DomainEvents['membership.changed'][0]) => {
        if (!processId || event.processId !== processId || event.userId !== actor.userId) {
          return
        }
        authorize(ctx.db, actor, processId, 'threads.read').then(
          (next) => {
            membership = canWatch(next) ? next : undefined
            if (!membership) {
              end()
            }
          },
          () => end(),
        )
      }
      const onCredentials = (event: DomainEvents['credentials.ended'][0]) => {
        if (event.userId !== actor.userId) {
          return
        }
        credentialIsLive(ctx.db, actor).then(
          (live) => !live && end(),
          () => end(),
        )
      }
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS)
      heartbeat.unref()
      ctx.events.on('thread.changed', onThread)
      ctx.events.on('notification.created', onNotification)
      ctx.events.on('workshop.changed', onWorkshop)
      ctx.events.on('membership.changed', onMembership)
      ctx.events.on('credentials.ended', onCredentials)
      request.raw.on('close', end)
      raw.on('error', end)
      open.add(end)
    },
  )
}
