import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { errorResponses } from '../../shared/api/common'
import type { ErrorCode } from '../../shared/errors'
import { SubmissionBody } from '../../shared/api/consultations'
import type { App } from '../app'
import type { Actor } from '../auth/actor'
import type { SubmissionRow } from '../db/database'
import { safeEqual } from '../auth/tokens'
import { authenticate } from '../plugins/auth'
import { useStrictFormParser } from '../plugins/body-parsers'
import { AppError, notFound } from '../errors'
import { buildReport } from './report'
import {
  checkFields,
  commentsVisible,
  confirmSubmission,
  findPublicConsultation,
  findVerification,
  findReceipt,
  loadPublicThreads,
  loadVersionDoc,
  mayCommentAsMember,
  pageLanguage,
  problemsOf,
  receiptKeyOf,
  receiptPathOf,
  sectionText,
  submitComment,
  type FieldProblem,
  type PublicConsultation,
} from './public-service'
import {
  confirmPage,
  consultationPage,
  messagePage,
  notFoundPage,
  pageContext,
  receiptPage,
  reportPage,
  sectionOf,
  sectionPage,
  type FormState,
  type PageContext,
} from './pages'
import { escapeText } from '../render/html'

const tags = ['public consultation']

const SlugParams = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
const SectionParams = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 200 }),
    sectionId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
)
const ReceiptParams = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 200 }),
    reference: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
)
// Links get other parameters (trackers, anchors turned into queries): they are ignored.
const PageQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) })
const ReportQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  ref: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'A receipt reference (e.g. DEMO-0010): only the comment carrying it is listed.',
    }),
  ),
})
const ReceiptQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  key: Type.Optional(Type.String({ maxLength: 100 })),
})
const VerifyQuery = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
})

/** SubmissionBody and the CSRF token the form carries when a member comments with their session. */
const PublicSubmissionBody = Type.Object(
  {
    ...SubmissionBody.properties,
    csrf: Type.Optional(
      Type.String({ maxLength: 200, description: 'The session’s CSRF token (members only).' }),
    ),
  },
  { additionalProperties: false },
)

const SubmissionReceipt = Type.Object({
  reference: Type.String({ description: 'The receipt reference, e.g. DEMO-0007.' }),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('unverified')], {
    description: '`unverified`: waiting for the link e-mailed to the address.',
  }),
  pending: Type.Boolean({ description: 'Waiting for a moderator before publication.' }),
  receiptUrl: Type.String(),
})

const HTML = 'text/html; charset=utf-8'

// What a public page answers, for the OpenAPI document: HTML, also for its errors.
const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: Type.String() } },
})
const PAGE_RESPONSES = {
  200: htmlPage('The page.'),
  400: htmlPage('A malformed address or query.'),
  404: htmlPage('No published consultation (or section) here: drafts and unknown addresses alike.'),
}

// Refusals of a whole submission, shown above the form with what was typed kept.
const REFUSALS: Partial<Record<ErrorCode, string>> = {
  consultation_not_open: 'notOpen',
  consultation_closed: 'closed',
  rate_limited: 'rateLimited',
  forbidden: 'membersOnly',
}

/**
 * The public side of a consultation (issue 6, items 3–6, 8, 10): server-rendered pages at
 * /c/:slug that need no account and no JavaScript, the comment form's endpoint (url-encoded
 * from the page, or JSON), receipts, the e-mail confirmation link and the "what we heard" page.
 * A draft and an unknown slug are the same 404.
 */
export async function publicConsultationRoutes(app: App) {
  // Scoped to this plugin: the JSON API keeps refusing url-encoded bodies.
  useStrictFormParser(app, 64 * 1024)
  const { ctx } = app

  const css = readFileSync(resolve(import.meta.dirname, 'assets/consultation.css'))
  const cssVersion = createHash('sha256').update(css).digest('hex').slice(0, 12)
  const assets = { stylesheet: `/c/_assets/consultation.css?v=${cssVersion}` }

  const sendHtml = (reply: FastifyReply, status: number, html: string, privatePage = false) => {
    if (privatePage) {
      // A private page carries a CSRF token or a personal link beside text others wrote:
      // it leaves uncompressed, so its length cannot leak the secret (BREACH).
      reply.request.headers['x-no-compression'] = 'private'
    }
    return reply
      .status(status)
      .type(HTML)
      .header('cache-control', privatePage ? 'private, no-store' : 'no-cache')
      .send(html)
  }

  const notFoundHtml = (reply: FastifyReply, lang: unknown) =>
    sendHtml(reply, 404, notFoundPage(assets, typeof lang === 'string' ? lang : 'en'))

  const contextFor = (pc: PublicConsultation, lang: unknown, path: string): PageContext =>
    pageContext(pc, pageLanguage(pc, lang), path, assets)

  // The caller, for 'members' consultations only: the others ignore any session, so a public
  // comment never carries a member's identity by accident.
  const callerOf = async (request: FastifyRequest): Promise<Actor | undefined> => {
    try {
      return await authenticate(ctx, request)
    } catch {
      return undefined
    }
  }

  app.get(
    '/c/_assets/consultation.css',
    { config: { public: true }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(css),
  )

  app.get(
    '/c/:slug',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The public page of a published consultation (HTML)',
        params: SlugParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        return notFoundHtml(reply, request.query.lang)
      }
      const page = contextFor(pc, request.query.lang, `/c/${pc.consultation.slug}`)
      const [doc, listed] = await Promise.all([
        loadVersionDoc(ctx.db, pc.consultation.version_id),
        loadPublicThreads(ctx.db, pc),
      ])
      return sendHtml(
        reply,
        200,
        consultationPage(page, {
          doc,
          threads: listed.threads,
          counts: listed.counts,
          commentsVisible: commentsVisible(pc),
        }),
      )
    },
  )

  // The section page: its text, its comments and the comment form, with what was typed and
  // the problems found when a submission is sent back.
  async function renderSection(
    request: FastifyRequest,
    reply: FastifyReply,
    pc: PublicConsultation,
    sectionId: string,
    lang: unknown,
    status: number,
    form: FormState,
  ) {
    const page = contextFor(pc, lang, `/c/${pc.consultation.slug}/sections/${sectionId}`)
    const stored = pc.consultation.version_sections.find((s) => s.id === sectionId)
    if (!stored) {
      return notFoundHtml(reply, lang)
    }
    const doc = await loadVersionDoc(ctx.db, pc.consultation.version_id)
    const section = sectionOf(doc, sectionId) ?? {
      title: stored.title,
      level: stored.level,
      html: `<p>${escapeText(sectionText(doc, sectionId))}</p>`,
    }
    const listed = await loadPublicThreads(ctx.db, pc, sectionId)
    let member
    let actor: Actor | undefined
    if (pc.consultation.access === 'members') {
      actor = await callerOf(request)
      member = await mayCommentAsMember(ctx.db, pc.consultation.process_id, actor)
    }
    return sendHtml(
      reply,
      status,
      sectionPage(page, {
        sectionId,
        title: section.title,
        level: section.level,
        html: section.html,
        threads: listed.threads,
        count: listed.counts.get(sectionId) ?? 0,
        commentsVisible: commentsVisible(pc),
        form,
        member,
        csrfToken: actor?.via === 'session' ? actor.csrfToken : undefined,
        signedIn: actor !== undefined,
      }),
      pc.consultation.access === 'members',
    )
  }

  app.get(
    '/c/:slug/sections/:sectionId',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'One section of a consultation with its comment form (HTML)',
        params: SectionParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        return notFoundHtml(reply, request.query.lang)
      }
      return renderSection(request, reply, pc, request.params.sectionId, request.query.lang, 200, {
        values: {},
        problems: [],
      })
    },
  )

  app.post(
    '/c/:slug/comments',
    {
      config: { public: true },
      attachValidation: true,
      schema: {
        tags,
        summary: 'Comment on a section of a consultation (url-encoded from the page, or JSON)',
        description:
          'A url-encoded submission (the page’s form) is answered with a redirect to its receipt (303), or with the form again and its problems (400, 403, 429). A JSON submission is answered with JSON.',
        params: SlugParams,
        body: PublicSubmissionBody,
        response: { 201: SubmissionReceipt, ...errorResponses(400, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      // Media types are case-insensitive (RFC 9110), as the body parser treats them.
      const fromForm = (request.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('application/x-www-form-urlencoded')
      const raw = (request.body ?? {}) as Record<string, unknown>
      const lang = typeof raw.lang === 'string' ? raw.lang : undefined
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        if (fromForm) {
          return notFoundHtml(reply, lang)
        }
        throw notFound('Consultation')
      }
      const sectionId = typeof raw.sectionId === 'string' ? raw.sectionId : ''
      const values = Object.fromEntries(
        Object.entries(raw).filter(
          (e): e is [string, string] =>
            typeof e[1] === 'string' && e[0] !== 'csrf' && e[0] !== 'website',
        ),
      )
      const sendBack = (status: number, problems: FieldProblem[], refusal?: string) => {
        if (!pc.consultation.version_sections.some((s) => s.id === sectionId)) {
          // No section to show the form on: the consultation's page says what happened.
          const page = contextFor(pc, lang, `/c/${pc.consultation.slug}`)
          const message = refusal ?? problems.map((p) => p.message).join('; ')
          return sendHtml(
            reply,
            status,
            messagePage(page, page.t('publicConsultation.form.problemHeading'), message),
          )
        }
        return renderSection(request, reply, pc, sectionId, lang, status, {
          values,
          problems,
          refusal,
        })
      }

      if (request.validationError) {
        if (!fromForm) {
          throw request.validationError
        }
        const problems = checkFields(raw)
        return sendBack(
          400,
          problems.length > 0
            ? problems
            : [{ field: 'form', key: 'invalid', message: 'The form is not valid' }],
        )
      }
      const body = request.body
      let actor: Actor | undefined
      if (pc.consultation.access === 'members') {
        actor = await callerOf(request)
        // A session cookie is an ambient credential: the form carries the session's CSRF token
        // (a JSON client may send it as the x-csrf-token header instead), as the API requires.
        if (actor?.via === 'session') {
          const header = request.headers['x-csrf-token']
          const sent = body.csrf ?? (typeof header === 'string' ? header : '')
          if (!actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
            const error = new AppError(
              403,
              'csrf_failed',
              'Missing or wrong CSRF token; reload the page',
            )
            if (!fromForm) {
              throw error
            }
            return sendBack(403, [], contextFor(pc, lang, '/').t('publicConsultation.errors.csrf'))
          }
        }
      }
      const { csrf: _csrf, ...submission } = body
      try {
        const result = await submitComment(ctx, pc, submission, { ip: request.ip, actor })
        const page = contextFor(pc, lang, '/')
        const receiptUrl = receiptPathOf(
          ctx.config.sessionSecret,
          pc.consultation.slug,
          result.reference,
          page.lang,
        )
        if (fromForm) {
          // Post/Redirect/Get: reloading the receipt never sends the comment again.
          return reply.header('cache-control', 'no-store').redirect(receiptUrl, 303)
        }
        return reply.status(201).send({
          reference: result.reference,
          status: result.status,
          pending: result.pending,
          receiptUrl,
        })
      } catch (error) {
        if (!fromForm || !(error instanceof AppError)) {
          throw error
        }
        const t = contextFor(pc, lang, '/').t
        if (error.code === 'validation_failed') {
          return sendBack(400, problemsOf(error))
        }
        if (error.code === 'not_found') {
          return notFoundHtml(reply, lang)
        }
        const refusal = REFUSALS[error.code]
        if (refusal === undefined) {
          throw error
        }
        return sendBack(error.statusCode, [], t(`publicConsultation.errors.${refusal}`))
      }
    },
  )

  app.get(
    '/c/:slug/receipts/:reference',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The receipt of a submission (HTML): its reference and status',
        params: ReceiptParams,
        querystring: ReceiptQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      const { reference } = request.params
      // Without the key of its own link a receipt is the same 404 as an unknown one.
      const keyed = safeEqual(
        request.query.key ?? '',
        receiptKeyOf(ctx.config.sessionSecret, reference),
      )
      const found = pc && keyed ? await findReceipt(ctx.db, pc, reference) : undefined
      if (!pc || !found) {
        return notFoundHtml(reply, request.query.lang)
      }
      const page = contextFor(
        pc,
        request.query.lang,
        receiptPathOf(ctx.config.sessionSecret, pc.consultation.slug, found.submission.reference),
      )
      return sendHtml(
        reply,
        200,
        receiptPage(page, found.submission, { pending: found.pending, hidden: found.hidden }),
      )
    },
  )

  // Confirming by a link's page and its button, so that a mail scanner opening the link
  // confirms nothing: what the link shows and what confirming answers share these two.
  const verifyFailure = (
    reply: FastifyReply,
    pc: PublicConsultation,
    lang: string | undefined,
    error: unknown,
  ) => {
    if (!(error instanceof AppError) || (error.statusCode !== 404 && error.statusCode !== 410)) {
      throw error
    }
    const page = contextFor(pc, lang, `/c/${pc.consultation.slug}`)
    const expired = error.statusCode === 410
    return sendHtml(
      reply,
      error.statusCode,
      messagePage(
        page,
        page.t(
          expired
            ? 'publicConsultation.verify.expiredHeading'
            : 'publicConsultation.verify.invalidHeading',
        ),
        page.t(expired ? 'publicConsultation.verify.expired' : 'publicConsultation.verify.invalid'),
      ),
      true,
    )
  }
  const confirmAndShow = async (
    reply: FastifyReply,
    pc: PublicConsultation,
    token: string,
    lang: string | undefined,
  ) => {
    try {
      const result = await confirmSubmission(ctx, pc, token)
      const found = await findReceipt(ctx.db, pc, result.reference)
      const { submission, hidden } = found!
      const page = contextFor(
        pc,
        lang ?? submission.language,
        receiptPathOf(ctx.config.sessionSecret, pc.consultation.slug, submission.reference),
      )
      return sendHtml(
        reply,
        200,
        receiptPage(page, submission, { pending: result.pending, hidden, confirmed: true }),
        true,
      )
    } catch (error) {
      return verifyFailure(reply, pc, lang, error)
    }
  }

  app.get(
    '/c/:slug/verify',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The page of an e-mail confirmation link: the comment and a button that confirms it (opening the link confirms nothing)',
        params: SlugParams,
        querystring: VerifyQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        return notFoundHtml(reply, request.query.lang)
      }
      const { token, lang } = request.query
      let submission: SubmissionRow
      try {
        submission = await findVerification(ctx, pc, token)
      } catch (error) {
        return verifyFailure(reply, pc, lang, error)
      }
      if (submission.status === 'accepted') {
        // Opened again after confirming: the receipt, and nothing changes.
        return confirmAndShow(reply, pc, token, lang)
      }
      // The language switch keeps the person on this page, so the path carries the token.
      const page = contextFor(
        pc,
        lang ?? submission.language,
        `/c/${pc.consultation.slug}/verify?token=${encodeURIComponent(token)}`,
      )
      return sendHtml(reply, 200, confirmPage(page, submission, token), true)
    },
  )

  app.post(
    '/c/:slug/verify',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Confirm an e-mail address (the button of the link’s page); the comment is accepted',
        params: SlugParams,
        body: VerifyQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        return notFoundHtml(reply, request.body.lang)
      }
      return confirmAndShow(reply, pc, request.body.token, request.body.lang)
    },
  )

  app.get(
    '/c/:slug/report',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What we heard (HTML), once the window has closed; `ref` finds one comment',
        params: SlugParams,
        querystring: ReportQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const pc = await findPublicConsultation(ctx.db, request.params.slug)
      if (!pc) {
        return notFoundHtml(reply, request.query.lang)
      }
      const page = contextFor(pc, request.query.lang, `/c/${pc.consultation.slug}/report`)
      const report =
        pc.phase === 'closed'
          ? await buildReport(ctx.db, pc.consultation, 'public', page.now)
          : null
      return sendHtml(reply, 200, reportPage(page, report, request.query.ref))
    },
  )
}
