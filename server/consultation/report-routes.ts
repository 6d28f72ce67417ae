import { Type } from 'typebox'
import { errorResponses } from '../../shared/api/common'
import {
  ConsultationParams,
  ConsultationReport,
  ReportExportQuery,
} from '../../shared/api/consultations'
import { can } from '../../shared/domain/permissions'
import { UI_LANGUAGES, type UiLanguage } from '../../shared/limits'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import { forbidden } from '../errors'
import { exportReport } from './exports'
import { buildReport } from './report'
import { authorizeConsultation } from './service'

const tags = ['consultations']

const isUiLanguage = (value: string): value is UiLanguage =>
  (UI_LANGUAGES as readonly string[]).includes(value)

/**
 * The secretariat's exports of a consultation's report (issue 6, item 8): the comment-response
 * matrix as CSV, JSON or .docx, downloaded as a file. Reading them takes `consultations.manage`
 * (they hold hidden comments and every name); an archived process's reports stay readable.
 * A consultation of a process the caller is not a member of is 404, as an unknown one.
 */
export async function reportRoutes(app: App) {
  app.get(
    '/api/consultations/:consultationId/report',
    {
      schema: {
        tags,
        summary:
          'What we heard: totals and every thread with its disposition and answer, as a file',
        description:
          '`format=csv` (one row per thread, UTF-8 with BOM), `json` (the report) or `docx` (a comment-response matrix on landscape pages); `lang` sets the headings and labels.',
        params: ConsultationParams,
        querystring: ReportExportQuery,
        response: {
          200: {
            description: 'The report, as an attachment in the content type of its format.',
            content: {
              'application/json': { schema: ConsultationReport },
              'text/csv': { schema: Type.String() },
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
      const actor = requireActor(request)
      // Membership first (404 for outsiders, also when archived), then the secretariat's right.
      const { consultation, membership } = await authorizeConsultation(
        app.ctx.db,
        actor,
        request.params.consultationId,
        'process.read',
      )
      if (!can(membership.role, 'consultations.manage')) {
        throw forbidden(`Your role (${membership.role}) may not export consultation reports`)
      }
      const lang = request.query.lang ?? (isUiLanguage(actor.locale) ? actor.locale : 'en')
      const report = await buildReport(app.ctx.db, consultation, 'secretariat')
      const file = await exportReport(report, request.query.format, lang)
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.body)
    },
  )
}
