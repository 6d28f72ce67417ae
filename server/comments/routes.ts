import { Type } from 'typebox'
import { EmptyBody, errorResponses, IdParams, Ok } from '../../shared/api/common'
import {
  ApplyBody,
  ApplyPreview,
  Comment,
  CommentParams,
  CreateThreadBody,
  EditCommentBody,
  Endorsements,
  ModerationItem,
  ModerationLogEntry,
  ModerationQueueQuery,
  ReasonBody,
  ReplyBody,
  SectionThreadCount,
  Thread,
  ThreadListQuery,
  ThreadPage,
  ThreadParams,
} from '../../shared/api/threads'
import type { FastifyRequest } from 'fastify'
import type { Action } from '../../shared/domain/permissions'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import * as service from './service'

const tags = ['threads']

/**
 * Section comment threads (issue 5): threads and replies, endorsements, status changes,
 * proposed changes, flags and moderation. Every route decides with the permissions table on
 * the server; threads and comments of a process the caller is not a member of, and hidden
 * ones for people who do not moderate, are 404.
 */
export async function commentRoutes(app: App) {
  const db = app.ctx.db
  const threadAccess = (request: FastifyRequest, action: Action) =>
    service.authorizeThread(
      db,
      requireActor(request),
      (request.params as { threadId: string }).threadId,
      action,
    )
  const commentAccess = (request: FastifyRequest, action: Action) =>
    service.authorizeComment(
      db,
      requireActor(request),
      (request.params as { commentId: string }).commentId,
      action,
    )

  app.get(
    '/api/processes/:id/threads',
    {
      preHandler: app.guard('threads.read'),
      schema: {
        tags,
        summary: 'Threads of a process, filtered, sorted and paginated',
        params: IdParams,
        querystring: ThreadListQuery,
        response: { 200: ThreadPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.listThreads(app.ctx, requireActor(request), request.membership!, request.query),
  )

  app.get(
    '/api/documents/:id/thread-counts',
    {
      preHandler: app.documentGuard('threads.read'),
      schema: {
        tags,
        summary: 'Open threads per section, per stakeholder group of their authors',
        params: IdParams,
        response: { 200: Type.Array(SectionThreadCount), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.countThreads(app.ctx, request.document!.id),
  )

  app.post(
    '/api/documents/:id/threads',
    {
      preHandler: app.documentGuard('threads.create'),
      schema: {
        tags,
        summary: 'Start a thread on a section, optionally anchored to a passage',
        params: IdParams,
        body: CreateThreadBody,
        response: { 201: Thread, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const thread = await service.createThread(
        app.ctx,
        requireActor(request),
        request.membership!,
        request.document!,
        request.body,
      )
      return reply.status(201).send(thread)
    },
  )

  app.get(
    '/api/threads/:threadId',
    {
      schema: {
        tags,
        summary: 'A thread with its replies',
        params: ThreadParams,
        response: { 200: Thread, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.getThread(
        app.ctx,
        requireActor(request),
        await threadAccess(request, 'threads.read'),
      ),
  )

  app.post(
    '/api/threads/:threadId/replies',
    {
      schema: {
        tags,
        summary: 'Reply to a thread',
        params: ThreadParams,
        body: ReplyBody,
        response: { 201: Comment, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const access = await threadAccess(request, 'threads.create')
      return reply
        .status(201)
        .send(await service.reply(app.ctx, requireActor(request), access, request.body.body))
    },
  )

  app.patch(
    '/api/comments/:commentId',
    {
      schema: {
        tags,
        summary: 'Edit your own comment or reply, within the edit window',
        params: CommentParams,
        body: EditCommentBody,
        response: { 200: Comment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.editComment(
        app.ctx,
        requireActor(request),
        await commentAccess(request, 'threads.create'),
        request.body.body,
      ),
  )

  app.post(
    '/api/comments/:commentId/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw your own comment or reply (a placeholder keeps its place)',
        params: CommentParams,
        body: EmptyBody,
        response: { 200: Comment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.withdrawComment(
        app.ctx,
        requireActor(request),
        await commentAccess(request, 'threads.create'),
      ),
  )

  app.post(
    '/api/threads/:threadId/endorsement',
    {
      schema: {
        tags,
        summary: 'Endorse a thread (once per member)',
        params: ThreadParams,
        body: EmptyBody,
        response: { 200: Endorsements, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.endorse(
        app.ctx,
        requireActor(request),
        await threadAccess(request, 'threads.endorse'),
      ),
  )

  app.delete(
    '/api/threads/:threadId/endorsement',
    {
      schema: {
        tags,
        summary: 'Withdraw your endorsement',
        params: ThreadParams,
        response: { 200: Endorsements, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.unendorse(
        app.ctx,
        requireActor(request),
        await threadAccess(request, 'threads.endorse'),
      ),
  )

  for (const [path, next, summary] of [
    ['resolve', 'resolved', 'Resolve an open thread'],
    ['reopen', 'open', 'Reopen a resolved or accepted thread'],
  ] as const) {
    app.post(
      `/api/threads/:threadId/${path}`,
      {
        schema: {
          tags,
          summary,
          params: ThreadParams,
          body: EmptyBody,
          response: { 200: Thread, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.setThreadStatus(
          app.ctx,
          requireActor(request),
          await threadAccess(request, 'threads.resolve'),
          next,
          app.origin(request),
        ),
    )
  }

  app.get(
    '/api/threads/:threadId/apply-preview',
    {
      schema: {
        tags,
        summary:
          'What applying a proposed change would replace, to show before confirming; changes nothing',
        params: ThreadParams,
        response: { 200: ApplyPreview, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.previewProposal(app.ctx, await threadAccess(request, 'threads.apply')),
  )

  app.post(
    '/api/threads/:threadId/apply',
    {
      schema: {
        tags,
        summary: 'Apply a proposed change to the document; the thread is marked accepted',
        params: ThreadParams,
        body: ApplyBody,
        response: { 200: Thread, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.applyProposal(
        app.ctx,
        requireActor(request),
        await threadAccess(request, 'threads.apply'),
        request.body,
        app.origin(request),
      ),
  )

  app.post(
    '/api/threads/:threadId/undo-apply',
    {
      schema: {
        tags,
        summary:
          'Undo an applied change: the replaced text comes back; 409 when it was edited since',
        params: ThreadParams,
        body: EmptyBody,
        response: { 200: Thread, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.undoApplied(
        app.ctx,
        requireActor(request),
        await threadAccess(request, 'threads.apply'),
        app.origin(request),
      ),
  )

  app.post(
    '/api/comments/:commentId/flags',
    {
      schema: {
        tags,
        summary: 'Flag a comment or reply for the moderators',
        params: CommentParams,
        body: ReasonBody,
        response: { 201: Ok, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await service.flagComment(
        app.ctx,
        requireActor(request),
        await commentAccess(request, 'threads.flag'),
        request.body.reason,
      )
      return reply.status(201).send({ ok: true as const })
    },
  )

  for (const [path, action, summary] of [
    ['hide', 'hide', 'Hide a comment or reply (a hidden opening comment hides its thread)'],
    ['restore', 'restore', 'Show a hidden comment or reply again'],
    ['flags/dismiss', 'dismiss-flags', 'Close the open flags of a comment and leave it shown'],
    ['approve', 'approve', 'Publish a public comment that awaits approval before publication'],
  ] as const) {
    app.post(
      `/api/comments/:commentId/${path}`,
      {
        schema: {
          tags,
          summary,
          params: CommentParams,
          body: ReasonBody,
          response: { 200: Comment, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.moderate(
          app.ctx,
          requireActor(request),
          await commentAccess(request, 'threads.moderate'),
          action,
          request.body.reason,
        ),
    )
  }

  app.get(
    '/api/processes/:id/moderation/queue',
    {
      preHandler: app.guard('threads.moderate'),
      schema: {
        tags,
        summary: 'The moderation queue: flagged items, or hidden ones',
        params: IdParams,
        querystring: ModerationQueueQuery,
        response: { 200: Type.Array(ModerationItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.moderationQueue(
        app.ctx,
        requireActor(request),
        request.membership!,
        request.query.state ?? 'flagged',
      ),
  )

  app.get(
    '/api/processes/:id/moderation/log',
    {
      preHandler: app.guard('moderation.log'),
      schema: {
        tags,
        summary: 'Every moderation decision in a process, newest first',
        params: IdParams,
        response: { 200: Type.Array(ModerationLogEntry), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.moderationLog(app.ctx, request.membership!),
  )
}
