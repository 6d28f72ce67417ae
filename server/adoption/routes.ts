import { errorResponses, IdParams } from '../../shared/api/common'
import {
  AdoptBody,
  Commitment,
  CommitmentList,
  CommitmentParams,
  CommitmentQuery,
  CreateCommitmentBody,
  CreateIndicatorBody,
  IndicatorParams,
  MeasurementBody,
  ProgressUpdateBody,
  ReviewCycleBody,
  ReviewCycleResult,
  StrategyState,
  UpdateCommitmentBody,
  WithdrawBody,
} from '../../shared/api/strategy'
import type { App } from '../app'
import * as service from './service'

const tags = ['strategy']

/**
 * The adopted strategy and its follow-up (issue 14, items 5 and 6): every member reads the
 * strategy and its commitments; the secretariat adopts, withdraws and opens review cycles
 * (`strategy.adopt`) and keeps the commitments (`commitments.manage`).
 */
export async function adoptionRoutes(app: App) {
  app.get(
    '/api/processes/:id/strategy',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'The strategy in force and the record of every adoption and withdrawal',
        params: IdParams,
        response: { 200: StrategyState, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.getStrategy(app.ctx.db, request.membership!.processId),
  )

  app.post(
    '/api/processes/:id/strategy/adoptions',
    {
      preHandler: app.guard('strategy.adopt'),
      schema: {
        tags,
        summary:
          'Adopt a version as the strategy (from the response stage, or while adopted to supersede)',
        params: IdParams,
        body: AdoptBody,
        response: { 201: StrategyState, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.adopt(app.ctx, request.membership!, request.body, app.origin(request))),
  )

  app.post(
    '/api/processes/:id/strategy/withdrawal',
    {
      preHandler: app.guard('strategy.adopt'),
      schema: {
        tags,
        summary: 'Withdraw the strategy in force, with a date and a reason kept on the record',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: StrategyState, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.withdraw(app.ctx, request.membership!, request.body, app.origin(request)),
  )

  app.post(
    '/api/processes/:id/strategy/review-cycle',
    {
      preHandler: app.guard('strategy.adopt'),
      schema: {
        tags,
        summary:
          'Open a review cycle: back to drafting, on new working documents copied from the adopted text',
        params: IdParams,
        body: ReviewCycleBody,
        response: { 201: ReviewCycleResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.openReviewCycle(
            app.ctx,
            request.membership!,
            request.body.reason,
            app.origin(request),
          ),
        ),
  )

  app.get(
    '/api/processes/:id/commitments',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'The commitments of the strategy, with indicators and progress updates',
        params: IdParams,
        querystring: CommitmentQuery,
        response: { 200: CommitmentList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.listCommitments(app.ctx.db, request.membership!.processId, request.query.status),
  )

  app.post(
    '/api/processes/:id/commitments',
    {
      preHandler: app.guard('commitments.manage'),
      schema: {
        tags,
        summary: 'Add a commitment to a section of the strategy in force',
        params: IdParams,
        body: CreateCommitmentBody,
        response: { 201: Commitment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createCommitment(
            app.ctx,
            request.membership!,
            request.body,
            app.origin(request),
          ),
        ),
  )

  app.patch(
    '/api/processes/:id/commitments/:commitmentId',
    {
      preHandler: app.guard('commitments.manage'),
      schema: {
        tags,
        summary:
          'Change a commitment: its organisation, status (dropping needs a reason), due date',
        params: CommitmentParams,
        body: UpdateCommitmentBody,
        response: { 200: Commitment, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      service.updateCommitment(
        app.ctx,
        request.membership!,
        request.params.commitmentId,
        request.body,
        app.origin(request),
      ),
  )

  app.post(
    '/api/processes/:id/commitments/:commitmentId/indicators',
    {
      preHandler: app.guard('commitments.manage'),
      schema: {
        tags,
        summary: 'Add an indicator with its baseline and target',
        params: CommitmentParams,
        body: CreateIndicatorBody,
        response: { 201: Commitment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.addIndicator(
            app.ctx,
            request.membership!,
            request.params.commitmentId,
            request.body,
            app.origin(request),
          ),
        ),
  )

  app.post(
    '/api/processes/:id/commitments/:commitmentId/indicators/:indicatorId/measurements',
    {
      preHandler: app.guard('commitments.manage'),
      schema: {
        tags,
        summary: 'Record a measured value of an indicator on a date',
        params: IndicatorParams,
        body: MeasurementBody,
        response: { 201: Commitment, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.addMeasurement(
            app.ctx,
            request.membership!,
            request.params.commitmentId,
            request.params.indicatorId,
            request.body,
            app.origin(request),
          ),
        ),
  )

  app.post(
    '/api/processes/:id/commitments/:commitmentId/updates',
    {
      preHandler: app.guard('commitments.manage'),
      schema: {
        tags,
        summary: 'Add a dated progress update',
        params: CommitmentParams,
        body: ProgressUpdateBody,
        response: { 201: Commitment, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.addProgressUpdate(
            app.ctx,
            request.membership!,
            request.params.commitmentId,
            request.body.body,
            app.origin(request),
          ),
        ),
  )
}
