import { errorResponses, IdParams } from '../../shared/api/common'
import { Participation, ParticipationQuery } from '../../shared/api/participation'
import type { App } from '../app'
import { buildParticipation } from './service'

export async function participationRoutes(app: App) {
  app.get(
    '/api/processes/:id/participation',
    {
      preHandler: app.guard('participation.read'),
      schema: {
        tags: ['participation'],
        summary:
          'Who took part: sections × stakeholder groups, totals and weeks, filtered by period, origin and consultation',
        params: IdParams,
        querystring: ParticipationQuery,
        response: { 200: Participation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => buildParticipation(app.ctx.db, request.params.id, request.query),
  )
}
