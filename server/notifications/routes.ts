import { errorResponses, Ok } from '../../shared/api/common'
import { MarkReadBody, NotificationList, NotificationQuery } from '../../shared/api/threads'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import * as service from './service'

const tags = ['notifications']

export async function notificationRoutes(app: App) {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'Your inbox: mentions and replies to your threads, newest first',
        querystring: NotificationQuery,
        response: { 200: NotificationList, ...errorResponses(400, 401) },
      },
    },
    async (request) =>
      service.listInbox(app.ctx, requireActor(request), {
        unreadOnly: request.query.unread ?? false,
        limit: request.query.limit ?? 50,
      }),
  )

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark notifications read: some by id, or all',
        body: MarkReadBody,
        response: { 200: Ok, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      await service.markRead(app.ctx, requireActor(request), request.body)
      return { ok: true as const }
    },
  )
}
