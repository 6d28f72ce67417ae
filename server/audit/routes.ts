import { errorResponses, IdParams, PageQuery } from '../../shared/api/common'
import { AuditPage } from '../../shared/api/audit'
import type { App } from '../app'
import { readAuditLog } from './service'

export async function auditRoutes(app: App) {
  app.get(
    '/api/processes/:id/audit',
    {
      preHandler: app.guard('audit.read'),
      schema: {
        tags: ['audit'],
        summary: "A process's audit log, newest first",
        params: IdParams,
        querystring: PageQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => readAuditLog(app.ctx.db, request.params.id, request.query.limit ?? 50, request.query.before),
  )
}
