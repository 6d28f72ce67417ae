import { errorResponses, IdParams } from '../../shared/api/common'
import { ChangeStageBody, StageTimeline } from '../../shared/api/stages'
import type { App } from '../app'
import * as service from './service'

const tags = ['stages']

/**
 * The life cycle of a process (issue 14, item 4): every member reads its stage and timeline;
 * the secretariat moves it forward one stage, or back with a reason.
 */
export async function stageRoutes(app: App) {
  app.get(
    '/api/processes/:id/stages',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: "The process's stage, its timeline of moves, and what the stage forbids",
        params: IdParams,
        response: { 200: StageTimeline, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.getTimeline(app.ctx.db, request.membership!.processId),
  )

  app.post(
    '/api/processes/:id/stage',
    {
      preHandler: app.guard('process.stage'),
      schema: {
        tags,
        summary:
          'Move the process forward to the next stage, or back to an earlier one with a reason',
        params: IdParams,
        body: ChangeStageBody,
        response: { 200: StageTimeline, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.changeStage(
        app.ctx,
        request.membership!,
        request.body.stage,
        request.body.reason,
        app.origin(request),
      ),
  )
}
