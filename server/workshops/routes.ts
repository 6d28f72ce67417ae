import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { EmptyBody, errorResponses, IdParams } from '../../shared/api/common'
import {
  ActionItem,
  ActionStatusBody,
  Attendance,
  Attendee,
  CancelWorkshopBody,
  CheckInBody,
  CheckInResult,
  Contribution,
  ContributionBody,
  ContributionParams,
  ControlBody,
  CreatePollBody,
  CreateWorkshopBody,
  DoorCheckInBody,
  InviteGroupBody,
  InviteGroupResult,
  LiveState,
  Minutes,
  MinutesQuery,
  MinutesSummaryBody,
  Poll,
  PollParams,
  PublishMinutesBody,
  QueueEntryParams,
  QueueOrderBody,
  RaiseHandBody,
  RegisterBody,
  Registration,
  UpdateWorkshopBody,
  VoteBody,
  Workshop,
  WorkshopParams,
} from '../../shared/api/workshops'
import type { Action } from '../../shared/domain/permissions'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import { getMinutes, editSummary, minutesToDocx, minutesToMarkdown, publishMinutes } from './minutes'
import * as service from './service'

const tags = ['workshops']

/**
 * Workshops (issue 13): the secretariat and facilitators prepare and run live sessions on a
 * draft; members register, check in or join, raise a hand, contribute and vote. A workshop of a
 * process the caller is not a member of is 404, as is a draft to those who do not run workshops.
 */
export async function workshopRoutes(app: App) {
  const { ctx } = app
  const access = (request: FastifyRequest, action: Action) =>
    service.authorizeWorkshop(
      ctx.db,
      requireActor(request),
      (request.params as { workshopId: string }).workshopId,
      action,
    )
  const actorOf = requireActor

  app.get(
    '/api/processes/:id/workshops',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'The workshops of a process, latest first, each with its state',
        params: IdParams,
        response: { 200: Type.Array(Workshop), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listWorkshops(ctx, request.membership!),
  )

  app.post(
    '/api/processes/:id/workshops',
    {
      preHandler: app.guard('workshops.manage'),
      schema: {
        tags,
        summary: 'Prepare a workshop (a draft until scheduled)',
        params: IdParams,
        body: CreateWorkshopBody,
        response: { 201: Workshop, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createWorkshop(ctx, request.membership!, request.body, app.origin(request))),
  )

  app.get(
    '/api/processes/:id/action-items',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'Action items of the process’s workshops that are not done yet',
        params: IdParams,
        response: { 200: Type.Array(ActionItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listActionItems(ctx, request.membership!),
  )

  app.get(
    '/api/workshops/:workshopId',
    {
      schema: {
        tags,
        summary: 'A workshop with its agenda',
        params: WorkshopParams,
        response: { 200: Workshop, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.getWorkshop(ctx, await access(request, 'process.read')),
  )

  app.patch(
    '/api/workshops/:workshopId',
    {
      schema: {
        tags,
        summary: 'Change a draft or scheduled workshop; `agenda` replaces (and reorders) the agenda',
        params: WorkshopParams,
        body: UpdateWorkshopBody,
        response: { 200: Workshop, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.updateWorkshop(ctx, await access(request, 'workshops.manage'), request.body, app.origin(request)),
  )

  app.post(
    '/api/workshops/:workshopId/schedule',
    {
      schema: {
        tags,
        summary: 'Make a draft workshop visible to members, open for registration',
        params: WorkshopParams,
        body: EmptyBody,
        response: { 200: Workshop, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.scheduleWorkshop(ctx, await access(request, 'workshops.manage'), app.origin(request)),
  )

  app.post(
    '/api/workshops/:workshopId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a workshop that has not started',
        params: WorkshopParams,
        body: CancelWorkshopBody,
        response: { 200: Workshop, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.cancelWorkshop(
        ctx,
        await access(request, 'workshops.manage'),
        request.body.reason,
        app.origin(request),
      ),
  )

  app.post(
    '/api/workshops/:workshopId/duplicate',
    {
      schema: {
        tags,
        summary: 'Copy a workshop’s settings and agenda into a new draft',
        params: WorkshopParams,
        body: EmptyBody,
        response: { 201: Workshop, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.duplicateWorkshop(ctx, await access(request, 'workshops.manage'), app.origin(request))),
  )

  app.get(
    '/api/workshops/:workshopId/registrations',
    {
      schema: {
        tags,
        summary: 'Who registered, with their check-in codes',
        params: WorkshopParams,
        response: { 200: Type.Array(Registration), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listRegistrations(ctx, await access(request, 'workshops.manage')),
  )

  app.post(
    '/api/workshops/:workshopId/registrations',
    {
      schema: {
        tags,
        summary: 'Register oneself, another member, or a person without an account',
        params: WorkshopParams,
        body: RegisterBody,
        response: { 201: Registration, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.register(
            ctx,
            actorOf(request),
            await access(request, 'workshops.attend'),
            request.body,
            app.origin(request),
          ),
        ),
  )

  app.post(
    '/api/workshops/:workshopId/invitations',
    {
      schema: {
        tags,
        summary: 'Register every member of a stakeholder group (all of them, or none when full)',
        params: WorkshopParams,
        body: InviteGroupBody,
        response: { 200: InviteGroupResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.inviteGroup(ctx, await access(request, 'workshops.manage'), request.body.group, app.origin(request)),
  )

  app.post(
    '/api/workshops/:workshopId/check-in',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Check in with a code (no account needed); wrong codes are rate-limited',
        params: WorkshopParams,
        body: CheckInBody,
        security: [],
        response: { 200: CheckInResult, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request) => service.checkInWithCode(ctx, request.params.workshopId, request.body.code, request.ip),
  )

  app.post(
    '/api/workshops/:workshopId/attendees',
    {
      schema: {
        tags,
        summary: 'Check a registered person in from the list at the door',
        params: WorkshopParams,
        body: DoorCheckInBody,
        response: { 200: Attendee, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.checkInAtDoor(ctx, await access(request, 'workshops.manage'), request.body.registrationId),
  )

  app.post(
    '/api/workshops/:workshopId/join',
    {
      schema: {
        tags,
        summary: 'Join a running workshop (online, or in the room)',
        params: WorkshopParams,
        body: EmptyBody,
        response: { 200: Attendee, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.join(ctx, actorOf(request), await access(request, 'workshops.attend')),
  )

  app.get(
    '/api/workshops/:workshopId/attendance',
    {
      schema: {
        tags,
        summary: 'Attendance by group and organisation, with warnings for absent or small groups',
        params: WorkshopParams,
        response: { 200: Attendance, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.getAttendance(ctx, await access(request, 'process.read')),
  )

  app.get(
    '/api/workshops/:workshopId/live',
    {
      schema: {
        tags,
        summary: 'The live state: current item, countdown, queue, spotlight, attendance, polls',
        params: WorkshopParams,
        response: { 200: LiveState, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.getLiveState(ctx, actorOf(request), await access(request, 'workshops.attend')),
  )

  app.post(
    '/api/workshops/:workshopId/control',
    {
      schema: {
        tags,
        summary: 'The console: start, pause, resume, next item, extend, spotlight, close',
        description: 'A stale `revision` gets 409 with the current live state in `details.current`.',
        params: WorkshopParams,
        body: ControlBody,
        response: { 200: LiveState, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.control(
        ctx,
        actorOf(request),
        await access(request, 'workshops.manage'),
        request.body,
        app.origin(request),
      ),
  )

  app.post(
    '/api/workshops/:workshopId/queue',
    {
      schema: {
        tags,
        summary: 'Raise a hand (one’s own, or an attendee’s on their behalf)',
        params: WorkshopParams,
        body: RaiseHandBody,
        response: { 200: LiveState, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.raiseHand(ctx, actorOf(request), await access(request, 'workshops.attend'), request.body.attendeeId),
  )

  app.put(
    '/api/workshops/:workshopId/queue',
    {
      schema: {
        tags,
        summary: 'Put the waiting hands in order',
        params: WorkshopParams,
        body: QueueOrderBody,
        response: { 200: LiveState, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.orderQueue(ctx, actorOf(request), await access(request, 'workshops.manage'), request.body.entryIds),
  )

  for (const outcome of ['call', 'remove'] as const) {
    app.post(
      `/api/workshops/:workshopId/queue/:entryId/${outcome}`,
      {
        schema: {
          tags,
          summary: outcome === 'call' ? 'Call a raised hand to speak' : 'Remove (or lower one’s own) raised hand',
          params: QueueEntryParams,
          body: EmptyBody,
          response: { 200: LiveState, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.settleHand(
          ctx,
          actorOf(request),
          await access(request, 'workshops.attend'),
          request.params.entryId,
          outcome,
        ),
    )
  }

  app.get(
    '/api/workshops/:workshopId/contributions',
    {
      schema: {
        tags,
        summary: 'What was recorded: comments, questions, proposals, decisions, action items',
        params: WorkshopParams,
        response: { 200: Type.Array(Contribution), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listContributions(ctx, await access(request, 'process.read')),
  )

  app.post(
    '/api/workshops/:workshopId/contributions',
    {
      schema: {
        tags,
        summary: 'Record a contribution (comments, questions and proposals become threads)',
        params: WorkshopParams,
        body: ContributionBody,
        response: { 201: Contribution, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.contribute(
            ctx,
            actorOf(request),
            await access(request, 'workshops.contribute'),
            request.body,
            app.origin(request),
          ),
        ),
  )

  app.patch(
    '/api/workshops/:workshopId/contributions/:contributionId',
    {
      schema: {
        tags,
        summary: 'Move an action item’s status on (also after the workshop closed)',
        params: ContributionParams,
        body: ActionStatusBody,
        response: { 200: Contribution, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.setActionStatus(
        ctx,
        await access(request, 'workshops.manage'),
        request.params.contributionId,
        request.body.status,
        app.origin(request),
      ),
  )

  app.post(
    '/api/workshops/:workshopId/polls',
    {
      schema: {
        tags,
        summary: 'Prepare a straw poll',
        params: WorkshopParams,
        body: CreatePollBody,
        response: { 201: Poll, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createPoll(ctx, await access(request, 'workshops.manage'), request.body, app.origin(request))),
  )

  for (const [path, next] of [
    ['open', 'open'],
    ['close', 'closed'],
  ] as const) {
    app.post(
      `/api/workshops/:workshopId/polls/:pollId/${path}`,
      {
        schema: {
          tags,
          summary: path === 'open' ? 'Open a poll for votes' : 'Close a poll',
          params: PollParams,
          body: EmptyBody,
          response: { 200: Poll, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.setPollState(
          ctx,
          await access(request, 'workshops.manage'),
          request.params.pollId,
          next,
          app.origin(request),
        ),
    )
  }

  app.post(
    '/api/workshops/:workshopId/polls/:pollId/votes',
    {
      schema: {
        tags,
        summary: 'Answer an open poll (once per attendee)',
        params: PollParams,
        body: VoteBody,
        response: { 200: Poll, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.vote(
        ctx,
        actorOf(request),
        await access(request, 'workshops.contribute'),
        request.params.pollId,
        request.body,
      ),
  )

  app.get(
    '/api/workshops/:workshopId/minutes',
    {
      schema: {
        tags,
        summary: 'The minutes: JSON, Markdown or .docx (published ones; drafts for facilitators)',
        params: WorkshopParams,
        querystring: MinutesQuery,
        response: {
          200: {
            description: 'The minutes in the format asked for.',
            content: {
              'application/json': { schema: Minutes },
              'text/markdown': { schema: Type.String() },
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
                schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
              },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const minutes = await getMinutes(ctx, await access(request, 'process.read'))
      const format = request.query.format ?? 'json'
      if (format === 'json') {
        return reply.header('cache-control', 'private, no-store').send(minutes)
      }
      const fileName = `minutes-${minutes.workshopId}.${format}`
      reply
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
      if (format === 'md') {
        return reply.type('text/markdown; charset=utf-8').send(minutesToMarkdown(minutes))
      }
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .send(await minutesToDocx(minutes))
    },
  )

  app.patch(
    '/api/workshops/:workshopId/minutes',
    {
      schema: {
        tags,
        summary: 'Edit the summary of minutes not yet published',
        params: WorkshopParams,
        body: MinutesSummaryBody,
        response: { 200: Minutes, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      editSummary(ctx, await access(request, 'workshops.manage'), request.body.summary, app.origin(request)),
  )

  app.post(
    '/api/workshops/:workshopId/minutes/publish',
    {
      schema: {
        tags,
        summary: 'Publish the minutes to members (and, with `public`, on the process’s public pages)',
        params: WorkshopParams,
        body: PublishMinutesBody,
        response: { 200: Minutes, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      publishMinutes(ctx, await access(request, 'workshops.manage'), request.body.public ?? false, app.origin(request)),
  )
}
