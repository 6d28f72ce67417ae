import { Type } from 'typebox'
import { errorResponses, IdParams, Ok } from '../../shared/api/common'
import {
  AcceptInvitationBody,
  AcceptInvitationResult,
  AddMemberBody,
  AddMemberResult,
  ArchiveBody,
  CreateGroupBody,
  CreateProcessBody,
  Created,
  GroupParams,
  Invitation,
  InvitationParams,
  InvitationPreview,
  InvitationTokenParams,
  Member,
  MemberParams,
  ProcessDetail,
  ProcessSummary,
  StakeholderGroup,
  UpdateMemberBody,
  UpdateProcessBody,
} from '../../shared/api/processes'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import { clientOf, setSessionCookie } from '../auth/routes'
import { userRowToUser } from '../auth/present'
import { startSession } from '../auth/sessions'
import { mustEnrolTwoFactorUser } from '../auth/service'
import * as service from './service'

const tags = ['processes']

export async function processRoutes(app: App) {
  app.get(
    '/api/processes',
    { schema: { tags, summary: 'Processes you are a member of', response: { 200: Type.Array(ProcessSummary), ...errorResponses(401) } } },
    async (request) => service.listProcesses(app.ctx, requireActor(request)),
  )

  app.post(
    '/api/processes',
    {
      schema: {
        tags,
        summary: 'Create a process (instance administrators); you become its secretariat',
        body: CreateProcessBody,
        response: { 201: Created, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await service.createProcess(app.ctx, requireActor(request), request.body, app.origin(request))
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/api/processes/:id',
    {
      preHandler: app.guard('process.read'),
      schema: { tags, summary: 'A process, its groups and what you may do', params: IdParams, response: { 200: ProcessDetail, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => service.getProcess(app.ctx.db, requireActor(request), request.params.id),
  )

  app.patch(
    '/api/processes/:id',
    {
      preHandler: app.guard('process.update'),
      schema: {
        tags,
        summary: 'Change title, description or languages',
        params: IdParams,
        body: UpdateProcessBody,
        response: { 200: ProcessDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.updateProcess(app.ctx, requireActor(request), request.membership!, request.body, app.origin(request)),
  )

  app.post(
    '/api/processes/:id/archive',
    {
      preHandler: app.guard('process.archive'),
      schema: {
        tags,
        summary: 'Archive a process (read-only from then on) or unarchive it',
        params: IdParams,
        body: ArchiveBody,
        response: { 200: ProcessDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.setArchived(app.ctx, requireActor(request), request.membership!, request.body.archived, app.origin(request)),
  )

  app.post(
    '/api/processes/:id/groups',
    {
      preHandler: app.guard('groups.manage'),
      schema: {
        tags,
        summary: 'Add a stakeholder group',
        params: IdParams,
        body: CreateGroupBody,
        response: { 201: StakeholderGroup, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const group = await service.addGroup(app.ctx, request.membership!, request.body.label, app.origin(request))
      return reply.status(201).send(group)
    },
  )

  app.delete(
    '/api/processes/:id/groups/:key',
    {
      preHandler: app.guard('groups.manage'),
      schema: { tags, summary: 'Remove an unused stakeholder group', params: GroupParams, response: { 200: Ok, ...errorResponses(400, 401, 403, 404, 409) } },
    },
    async (request) => {
      await service.removeGroup(app.ctx, request.membership!, request.params.key, app.origin(request))
      return { ok: true as const }
    },
  )

  app.get(
    '/api/processes/:id/members',
    {
      preHandler: app.guard('members.read'),
      schema: { tags, summary: 'Members of a process', params: IdParams, response: { 200: Type.Array(Member), ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => service.listMembers(app.ctx, request.params.id),
  )

  app.post(
    '/api/processes/:id/members',
    {
      preHandler: app.guard('members.manage'),
      schema: {
        tags,
        summary: 'Add a member by e-mail; a new address gets an invitation',
        params: IdParams,
        body: AddMemberBody,
        response: { 201: AddMemberResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await service.addMember(app.ctx, request.membership!, request.body, app.origin(request))
      return reply.status(201).send(result)
    },
  )

  app.patch(
    '/api/processes/:id/members/:memberId',
    {
      preHandler: app.guard('members.manage'),
      schema: {
        tags,
        summary: "Change a member's role, group or organisation",
        params: MemberParams,
        body: UpdateMemberBody,
        response: { 200: Member, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.updateMember(app.ctx, request.membership!, request.params.memberId, request.body, app.origin(request)),
  )

  app.delete(
    '/api/processes/:id/members/:memberId',
    {
      preHandler: app.guard('members.manage'),
      schema: { tags, summary: 'Remove a member', params: MemberParams, response: { 200: Ok, ...errorResponses(400, 401, 403, 404, 409) } },
    },
    async (request) => {
      await service.removeMember(app.ctx, request.membership!, request.params.memberId, app.origin(request))
      return { ok: true as const }
    },
  )

  app.get(
    '/api/processes/:id/invitations',
    {
      preHandler: app.guard('members.manage'),
      schema: { tags, summary: 'Open invitations', params: IdParams, response: { 200: Type.Array(Invitation), ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => service.listInvitations(app.ctx, request.params.id),
  )

  app.delete(
    '/api/processes/:id/invitations/:invitationId',
    {
      preHandler: app.guard('members.manage'),
      schema: { tags, summary: 'Revoke an open invitation', params: InvitationParams, response: { 200: Ok, ...errorResponses(400, 401, 403, 404, 409) } },
    },
    async (request) => {
      await service.revokeInvitation(app.ctx, request.membership!, request.params.invitationId, app.origin(request))
      return { ok: true as const }
    },
  )

  app.get(
    '/api/invitations/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What an invitation link offers',
        params: InvitationTokenParams,
        response: { 200: InvitationPreview, ...errorResponses(400, 404, 410) },
      },
    },
    async (request) => service.previewInvitation(app.ctx, request.params.token),
  )

  app.post(
    '/api/invitations/:token/accept',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: {
        tags,
        summary: 'Accept an invitation: create the account and sign in',
        params: InvitationTokenParams,
        body: AcceptInvitationBody,
        response: {
          200: AcceptInvitationResult,
          ...errorResponses(400, 404, 409, 410, 429),
        },
      },
    },
    async (request, reply) => {
      const { user, processId } = await service.acceptInvitation(app.ctx, request.params.token, request.body, request.ip)
      const session = await startSession(app.ctx.db, app.ctx.config.sessionSecret, user.id, clientOf(request))
      setSessionCookie(app, reply, session)
      return {
        processId,
        session: {
          user: userRowToUser(user),
          csrfToken: session.csrfToken,
          twoFactorEnrolmentRequired: await mustEnrolTwoFactorUser(app.ctx, user),
        },
      }
    },
  )
}
