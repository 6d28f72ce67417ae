import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { FastifyReply } from 'fastify'
import { h } from 'preact'
import { Type } from 'typebox'
import type { Minutes } from '../../shared/api/workshops'
import type { App } from '../app'
import { isPublicStrategyVersion, publicCommitments, publicStrategy } from '../adoption/public'
import { loadVersionDoc } from '../consultation/public-service'
import { renderHtml, renderHtmlDocument } from '../render/html'
import { toMarkdown } from '../render/markdown'
import { renderDocx } from '../render/docx'
import type { Executor } from '../db/database'
import { phaseOfRow } from '../consultation/present'
import type { DraftMinutes } from '../workshops/minutes'
import { toContribution } from '../workshops/present'
import { buildPublicParticipation } from '../participation/service'
import { findConsultedBeforeAdoption, loadPublicChanges } from './changes'
import { NotFoundPage, renderDocument, type PageAssets } from './components'
import { ParticipationPage } from './participation'
import { translator } from './i18n'
import {
  ChangesPage,
  ProcessHomePage,
  StrategyTextPage,
  WorkshopMinutesPage,
  type PublicMinutes,
  type RecordContext,
  type RecordProcess,
} from './record'

// The public record of a process (issue 14, item 7): /p/:slug and the minutes its workshops
// published to the public. Every query here asks for what is published and nothing else; an
// unknown slug, a process without a public home and anything unpublished are one and the same
// 404, so the address of a draft reveals nothing.

const tags = ['public record']
const HTML = 'text/html; charset=utf-8'

const SlugParams = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
const MinutesParams = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 200 }),
    workshopId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
)
const PageQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) })
const StrategyQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  format: Type.Optional(
    Type.Union(
      [Type.Literal('docx'), Type.Literal('html'), Type.Literal('md'), Type.Literal('json')],
      {
        description: 'Download instead of reading: .docx, HTML, Markdown or ProseMirror JSON.',
      },
    ),
  ),
})
const StrategyParams = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 200 }),
    versionId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
)
const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: Type.String() } },
})
const PAGE_RESPONSES = {
  200: htmlPage('The page.'),
  400: htmlPage('A malformed address or query.'),
  404: htmlPage('No public record here: unknown addresses, drafts and private records alike.'),
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The process behind a public home that is on, with its groups. */
export async function findPublicProcess(
  db: Executor,
  slug: string,
): Promise<RecordProcess | undefined> {
  const row = await db
    .selectFrom('processes')
    .select(['id', 'title', 'description', 'languages', 'stage', 'created_at', 'public_slug'])
    .where('public_slug', '=', slug)
    .where('public_home', '=', true)
    .executeTakeFirst()
  if (!row || row.public_slug === null) {
    return undefined
  }
  const groups = await db
    .selectFrom('stakeholder_groups')
    .select(['key', 'label'])
    .where('process_id', '=', row.id)
    .orderBy('position')
    .execute()
  return {
    id: row.id,
    slug: row.public_slug,
    title: row.title,
    description: row.description,
    languages: row.languages,
    stage: row.stage,
    createdAt: new Date(row.created_at),
    groups,
  }
}

/** The stage moves, the published consultations and the workshops with public minutes. */
export async function loadProcessHome(db: Executor, processId: string, now = new Date()) {
  const [moves, consultations, workshops, strategy, commitments] = await Promise.all([
    db
      .selectFrom('process_stage_changes')
      .select(['from_stage', 'to_stage', 'created_at'])
      .where('process_id', '=', processId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('consultations')
      .selectAll()
      .where('process_id', '=', processId)
      .where('published_at', 'is not', null)
      .orderBy('opens_at', 'desc')
      .execute(),
    db
      .selectFrom('workshops')
      .select(['id', 'title', 'starts_at', 'time_zone', 'minutes_published_at'])
      .where('process_id', '=', processId)
      .where('state', '=', 'published')
      .where('minutes_public', '=', true)
      .where('minutes_published_at', 'is not', null)
      .orderBy('starts_at', 'desc')
      .execute(),
    publicStrategy(db, processId),
    publicCommitments(db, processId),
  ])
  const consulted = await findConsultedBeforeAdoption(db, processId, strategy, now)
  const order = [
    'drafting',
    'stakeholder-review',
    'public-consultation',
    'response',
    'adopted',
    'implementation-review',
  ]
  return {
    moves: moves.map((m) => ({
      from: m.from_stage,
      to: m.to_stage,
      at: new Date(m.created_at),
      isBack: order.indexOf(m.to_stage) < order.indexOf(m.from_stage),
    })),
    consultations: consultations.map((c) => ({
      slug: c.slug,
      title: c.title,
      opensAt: new Date(c.opens_at),
      closesAt: new Date(c.closes_at),
      timeZone: c.time_zone,
      phase: (() => {
        const phase = phaseOfRow(c, now)
        return phase === 'draft' ? 'scheduled' : phase
      })(),
    })),
    workshops: workshops.map((w) => ({
      id: w.id,
      title: w.title,
      startsAt: new Date(w.starts_at),
      timeZone: w.time_zone,
      publishedAt: new Date(w.minutes_published_at!),
    })),
    strategy,
    commitments,
    changesAfter: consulted
      ? { slug: consulted.consultation.slug, title: consulted.consultation.title }
      : null,
  }
}

/**
 * The minutes a workshop of the process published to the public, as the public reads them:
 * contributions whose thread a moderator hid (or its author withdrew) are left out, and a
 * contribution names its author and organisation only when that attendee agreed to be named.
 */
export async function loadPublicMinutes(
  db: Executor,
  processId: string,
  workshopId: string,
): Promise<PublicMinutes | undefined> {
  if (!UUID.test(workshopId)) {
    return undefined
  }
  const workshop = await db
    .selectFrom('workshops')
    .selectAll()
    .where('id', '=', workshopId)
    .where('process_id', '=', processId)
    .where('state', '=', 'published')
    .where('minutes_public', '=', true)
    .where('minutes_published_at', 'is not', null)
    .executeTakeFirst()
  if (!workshop || !workshop.minutes) {
    return undefined
  }
  const stored = workshop.minutes as unknown as DraftMinutes
  const [rows, consenting, hiddenThreads] = await Promise.all([
    db
      .selectFrom('workshop_contributions')
      .selectAll()
      .where('workshop_id', '=', workshopId)
      .execute(),
    db
      .selectFrom('workshop_attendees')
      .select(['id', 'name', 'organisation'])
      .where('workshop_id', '=', workshopId)
      .where('consent_public', '=', true)
      .execute(),
    db
      .selectFrom('comments')
      .innerJoin('workshop_contributions', 'workshop_contributions.thread_id', 'comments.thread_id')
      .select('comments.thread_id')
      .where('workshop_contributions.workshop_id', '=', workshopId)
      .where((eb) =>
        eb.or([
          eb('comments.hidden_at', 'is not', null),
          eb('comments.withdrawn_at', 'is not', null),
        ]),
      )
      .execute(),
  ])
  const named = new Set(consenting.map((a) => a.id))
  // Consent is read as it is now: someone who withdrew it after the workshop is no longer named.
  const names = new Set(consenting.map((a) => a.name))
  const organisations = new Set(consenting.map((a) => a.organisation))
  const hidden = new Set(hiddenThreads.map((r) => r.thread_id))
  const byId = new Map(rows.map((row) => [row.id, row]))
  type Item = Minutes['decisions'][number]
  const publicItem = (item: Item): Item | null => {
    const row = byId.get(item.id)
    if (!row || (row.thread_id !== null && hidden.has(row.thread_id))) {
      return null
    }
    const current = toContribution(row)
    const consented = row.attendee_id !== null && named.has(row.attendee_id)
    return {
      ...current,
      authorName: consented ? current.authorName : '',
      authorOrganisation: consented ? current.authorOrganisation : '',
      recordedBy: null,
    }
  }
  const keep = (items: Item[]) => items.map(publicItem).filter((i): i is Item => i !== null)
  return {
    title: stored.title,
    purpose: stored.purpose,
    startsAt: stored.startsAt,
    endsAt: stored.endsAt,
    timeZone: stored.timeZone,
    startedAt: stored.startedAt,
    closedAt: stored.closedAt,
    summary: workshop.minutes_summary,
    publishedAt: new Date(workshop.minutes_published_at!).toISOString(),
    attendance: {
      ...stored.attendance,
      byOrganisation: stored.attendance.byOrganisation.filter((o) =>
        organisations.has(o.organisation),
      ),
      named: stored.attendance.named.filter((p) => names.has(p.name)),
    },
    agenda: stored.agenda,
    contributions: stored.contributions
      .map((section) => ({ ...section, items: keep(section.items) }))
      .filter((section) => section.items.length > 0),
    decisions: keep(stored.decisions),
    actions: keep(stored.actions),
    polls: stored.polls,
  }
}

/** The language of a page: the one asked for if the process has it, else its first. */
function languageOf(process: RecordProcess, asked: unknown): string {
  if (typeof asked === 'string' && process.languages.includes(asked)) {
    return asked
  }
  return process.languages[0] ?? 'en'
}

export async function publicRecordRoutes(app: App) {
  const { ctx } = app
  // The consultation pages' style sheet serves these pages too: one file, cached for good.
  const css = readFileSync(resolve(import.meta.dirname, '../consultation/assets/consultation.css'))
  const cssVersion = createHash('sha256').update(css).digest('hex').slice(0, 12)
  const assets: PageAssets = { stylesheet: `/c/_assets/consultation.css?v=${cssVersion}` }

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply.status(status).type(HTML).header('cache-control', 'no-cache').send(html)
  const notFound = (reply: FastifyReply, lang: unknown) => {
    const code = typeof lang === 'string' ? lang : 'en'
    return send(
      reply,
      404,
      renderDocument(h(NotFoundPage, { t: translator(code), lang: code, assets })),
    )
  }
  const contextOf = (process: RecordProcess, lang: unknown, path: string): RecordContext => {
    const code = languageOf(process, lang)
    return { process, lang: code, t: translator(code), path, assets }
  }

  app.get(
    '/p/:slug',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The public record of a process: stages, consultations, workshop minutes (HTML)',
        params: SlugParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const process = await findPublicProcess(ctx.db, request.params.slug)
      if (!process) {
        return notFound(reply, request.query.lang)
      }
      const page = contextOf(process, request.query.lang, `/p/${process.slug}`)
      const data = await loadProcessHome(ctx.db, process.id)
      return send(reply, 200, renderDocument(h(ProcessHomePage, { ctx: page, data })))
    },
  )

  app.get(
    '/p/:slug/participation',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Who took part: counts by group and week, named organisations, workshops, consultation windows (HTML)',
        params: SlugParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const process = await findPublicProcess(ctx.db, request.params.slug)
      if (!process) {
        return notFound(reply, request.query.lang)
      }
      const page = contextOf(process, request.query.lang, `/p/${process.slug}/participation`)
      const data = await buildPublicParticipation(ctx.db, process.id)
      return send(reply, 200, renderDocument(h(ParticipationPage, { ctx: page, data })))
    },
  )

  app.get(
    '/p/:slug/workshops/:workshopId',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The minutes a workshop published to the public (HTML)',
        params: MinutesParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const process = await findPublicProcess(ctx.db, request.params.slug)
      if (!process) {
        return notFound(reply, request.query.lang)
      }
      const minutes = await loadPublicMinutes(ctx.db, process.id, request.params.workshopId)
      if (!minutes) {
        return notFound(reply, request.query.lang)
      }
      const page = contextOf(
        process,
        request.query.lang,
        `/p/${process.slug}/workshops/${request.params.workshopId}`,
      )
      return send(reply, 200, renderDocument(h(WorkshopMinutesPage, { ctx: page, minutes })))
    },
  )

  app.get(
    '/p/:slug/changes',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'What changed after the consultation: the consulted text compared with the adopted strategy (HTML)',
        params: SlugParams,
        querystring: PageQuery,
        response: PAGE_RESPONSES,
      },
    },
    async (request, reply) => {
      const process = await findPublicProcess(ctx.db, request.params.slug)
      if (!process) {
        return notFound(reply, request.query.lang)
      }
      const strategy = await publicStrategy(ctx.db, process.id)
      const changes = await loadPublicChanges(ctx.db, process.id, strategy)
      if (!changes) {
        return notFound(reply, request.query.lang)
      }
      const page = contextOf(process, request.query.lang, `/p/${process.slug}/changes`)
      return send(reply, 200, renderDocument(h(ChangesPage, { ctx: page, changes })))
    },
  )

  app.get(
    '/p/:slug/strategy/:versionId',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'One language of the strategy in force, to read (HTML) or download (?format=)',
        params: StrategyParams,
        querystring: StrategyQuery,
        response: {
          ...PAGE_RESPONSES,
          200: {
            description: 'The page, or the download in the content type of its format.',
            content: {
              'text/html': { schema: Type.String() },
              'text/markdown': { schema: Type.String() },
              'application/json': { schema: Type.String() },
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
                schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const process = await findPublicProcess(ctx.db, request.params.slug)
      const { versionId } = request.params
      if (
        !process ||
        !UUID.test(versionId) ||
        !(await isPublicStrategyVersion(ctx.db, process.id, versionId))
      ) {
        return notFound(reply, request.query.lang)
      }
      const strategy = await publicStrategy(ctx.db, process.id)
      const text = strategy?.texts.find((t) => t.versionId === versionId)
      if (!text) {
        return notFound(reply, request.query.lang)
      }
      const doc = await loadVersionDoc(ctx.db, versionId)
      const name = `${process.slug}-${text.language}`
      const attachment = (ext: string) => `attachment; filename="${name}.${ext}"`
      switch (request.query.format) {
        case 'docx':
          return reply
            .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
            .header('content-disposition', attachment('docx'))
            .send(await renderDocx(doc, { title: text.title }))
        case 'html':
          return reply
            .type(HTML)
            .header('content-disposition', attachment('html'))
            .send(renderHtmlDocument(doc, { title: text.title, lang: text.language }))
        case 'md':
          return reply
            .type('text/markdown; charset=utf-8')
            .header('content-disposition', attachment('md'))
            .send(toMarkdown(doc))
        case 'json':
          return reply
            .type('application/json; charset=utf-8')
            .header('content-disposition', attachment('json'))
            .send(JSON.stringify(doc.toJSON()))
        case undefined: {
          const page = contextOf(
            process,
            request.query.lang ?? text.language,
            `/p/${process.slug}/strategy/${versionId}`,
          )
          return send(
            reply,
            200,
            renderDocument(
              h(StrategyTextPage, { ctx: page, title: text.title, html: renderHtml(doc) }),
            ),
          )
        }
      }
    },
  )
}
