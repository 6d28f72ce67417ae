import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { errorResponses, IdParams } from '../../shared/api/common'
import {
  Adequacy,
  AdequacyQuery,
  AnswerBody,
  CloseConsultationBody,
  Consultation,
  ConsultationList,
  ConsultationParams,
  ConsultationProgress,
  CreateConsultationBody,
  ExtendConsultationBody,
  UpdateConsultationBody,
} from '../../shared/api/consultations'
import { Thread, ThreadParams } from '../../shared/api/threads'
import type { Action } from '../../shared/domain/permissions'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import * as service from './service'

const tags = ['consultations']

/**
 * The members' side of public consultations (issue 6): the secretariat opens one on a frozen
 * version, publishes, closes early or extends it and answers every thread; members read them
 * and their progress. Consultations of a process the caller is not a member of are 404.
 */
export async function consultationRoutes(app: App) {
  const access = (request: FastifyRequest, action: Action) =>
    service.authorizeConsultation(
      app.ctx.db,
      requireActor(request),
      (request.params as { consultationId: string }).consultationId,
      action,
    )

  app.get(
    '/api/processes/:id/consultations',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'The consultations of a process, newest first',
        params: IdParams,
        response: { 200: ConsultationList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listConsultations(app.ctx, request.membership!.processId),
  )

  app.post(
    '/api/processes/:id/consultations',
    {
      preHandler: app.guard('consultations.manage'),
      schema: {
        tags,
        summary: 'Open a consultation on a version (or on the document’s current state, frozen now)',
        params: IdParams,
        body: CreateConsultationBody,
        response: { 201: Consultation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const consultation = await service.openConsultation(
        app.ctx,
        request.membership!,
        request.body,
        app.origin(request),
      )
      return reply.status(201).send(consultation)
    },
  )

  app.get(
    '/api/processes/:id/consultations/adequacy',
    {
      preHandler: app.guard('consultations.manage'),
      schema: {
        tags,
        summary: 'How a window compares with the text’s length (words, pages, days per page)',
        params: IdParams,
        querystring: AdequacyQuery,
        response: { 200: Adequacy, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.consultationAdequacy(app.ctx, request.membership!, request.query),
  )

  app.get(
    '/api/consultations/:consultationId',
    {
      schema: {
        tags,
        summary: 'A consultation',
        params: ConsultationParams,
        response: { 200: Consultation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.getConsultation(app.ctx, await access(request, 'process.read')),
  )

  app.patch(
    '/api/consultations/:consultationId',
    {
      schema: {
        tags,
        summary: 'Change a draft consultation’s settings',
        params: ConsultationParams,
        body: UpdateConsultationBody,
        response: { 200: Consultation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.updateDraft(
        app.ctx,
        await access(request, 'consultations.manage'),
        request.body,
        app.origin(request),
      ),
  )

  app.post(
    '/api/consultations/:consultationId/publish',
    {
      schema: {
        tags,
        summary: 'Publish a draft consultation at /c/:slug',
        params: ConsultationParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 200: Consultation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.publishConsultation(
        app.ctx,
        await access(request, 'consultations.manage'),
        app.origin(request),
      ),
  )

  app.post(
    '/api/consultations/:consultationId/close',
    {
      schema: {
        tags,
        summary: 'Close an open consultation early, with a reason shown publicly',
        params: ConsultationParams,
        body: CloseConsultationBody,
        response: { 200: Consultation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.closeConsultation(
        app.ctx,
        await access(request, 'consultations.manage'),
        request.body.reason,
        app.origin(request),
      ),
  )

  app.post(
    '/api/consultations/:consultationId/extend',
    {
      schema: {
        tags,
        summary: 'Move a published consultation’s closing time later, with a reason shown publicly',
        params: ConsultationParams,
        body: ExtendConsultationBody,
        response: { 200: Consultation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.extendConsultation(
        app.ctx,
        await access(request, 'consultations.manage'),
        request.body.closesAt,
        request.body.reason,
        app.origin(request),
      ),
  )

  app.get(
    '/api/consultations/:consultationId/progress',
    {
      schema: {
        tags,
        summary: 'Threads still without an answer, per section and per stakeholder group',
        params: ConsultationParams,
        response: { 200: ConsultationProgress, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.consultationProgress(app.ctx, await access(request, 'threads.read')),
  )

  app.put(
    '/api/threads/:threadId/answer',
    {
      schema: {
        tags,
        summary: 'Record the disposition and public answer of a thread',
        params: ThreadParams,
        body: AnswerBody,
        response: { 200: Thread, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.answerThread(
        app.ctx,
        requireActor(request),
        request.params.threadId,
        request.body,
        app.origin(request),
      ),
  )
}
