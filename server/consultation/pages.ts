import type { Node } from 'prosemirror-model'
import type { ConsultationReport } from '../../shared/api/consultations'
import { schema } from '../../shared/schema'
import type { SubmissionRow } from '../db/database'
import { escapeAttribute as attr, escapeText as text, renderHtml } from '../render/html'
import { groupLabel, translator, uiLanguageOf, type Translate } from './public-i18n'
import { h, type ComponentChildren } from 'preact'
import {
  ConfirmBody,
  MessageBody,
  ReceiptBody,
  receiptHeading,
  ReportBody,
  SectionBody,
} from './page-components'
import { Layout, NotFoundPage, renderDocument } from '../public/components'
import type { PublicThreadRow } from './public-queries'
import { type FieldProblem, type MemberAuthor, type PublicConsultation } from './public-service'

// Server-rendered public pages of a consultation (issue 6, item 3). They load one small style
// sheet and no script, so they read the same with JavaScript off, on a slow phone and in print.
// STYLE 2.10: every piece of user text (names, organisations, comments, answers, titles,
// reasons) goes through `text` or `attr`; nothing here inserts stored text as markup. The
// version's content is rendered by render/html.ts, which escapes it the same way.

/** The address of the style sheet, with a version so it can be cached for good. */
export interface PageAssets {
  stylesheet: string
}

/** What every page knows: the consultation, the language, the moment, the address. */
export interface PageContext {
  pc: PublicConsultation
  lang: string
  t: Translate
  now: Date
  /** The path of this page, for the language links (the language goes in `?lang=`). */
  path: string
  assets: PageAssets
}

/** A page context for a consultation in a language. */
export function pageContext(
  pc: PublicConsultation,
  lang: string,
  path: string,
  assets: PageAssets,
  now = new Date(),
): PageContext {
  return { pc, lang, t: translator(lang), now, path, assets }
}

function withLang(path: string, lang: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${encodeURIComponent(lang)}`
}

function localised(values: Record<string, string>, lang: string, languages: string[]): string {
  if (values[lang]) {
    return values[lang]!
  }
  for (const other of languages) {
    if (values[other]) {
      return values[other]!
    }
  }
  return Object.values(values).find((v) => v !== '') ?? ''
}

/** The consultation's title in the page's language (or the first language that has one). */
export function titleOf(ctx: PageContext): string {
  return localised(ctx.pc.consultation.title, ctx.lang, ctx.pc.process.languages)
}

function formatDate(ctx: PageContext, at: Date | string): string {
  // Spelled out with the zone's short name ("December 31, 2026, 8:15 PM GMT-5"): dateStyle
  // and timeZoneName cannot be combined.
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }
  try {
    return new Intl.DateTimeFormat(ctx.lang, {
      ...options,
      timeZone: ctx.pc.consultation.time_zone,
    }).format(new Date(at))
  } catch {
    // A zone this engine does not know: UTC, named as such.
    return new Intl.DateTimeFormat(ctx.lang, { ...options, timeZone: 'UTC' }).format(new Date(at))
  }
}

function timeElement(ctx: PageContext, at: Date | string): string {
  const iso = new Date(at).toISOString()
  return `<time datetime="${attr(iso)}">${text(formatDate(ctx, at))}</time>`
}

/** "in 12 days", "in 5 hours", in the page's language. */
function relative(ctx: PageContext, to: Date | string): string {
  const ms = new Date(to).getTime() - ctx.now.getTime()
  const format = new Intl.RelativeTimeFormat(ctx.lang, { numeric: 'auto' })
  const abs = Math.abs(ms)
  if (abs >= 2 * 86_400_000) {
    return format.format(Math.round(ms / 86_400_000), 'day')
  }
  if (abs >= 2 * 3_600_000) {
    return format.format(Math.round(ms / 3_600_000), 'hour')
  }
  return format.format(Math.max(1, Math.round(ms / 60_000)) * Math.sign(ms || 1), 'minute')
}

/** Plain text as paragraphs: blank lines separate them, single line breaks stay. */
function paragraphs(value: string): string {
  return value
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${text(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}

/** The page frame (server/public/components.tsx): skip link, language switch, main, footer. */
export function layout(ctx: PageContext, title: string, body: string): string {
  return framed(ctx, title, { bodyHtml: body })
}

/** The page frame around a body written as components. */
function layoutOf(ctx: PageContext, title: string, children: ComponentChildren): string {
  return framed(ctx, title, { children })
}

function framed(
  ctx: PageContext,
  title: string,
  body: { bodyHtml: string } | { children: ComponentChildren },
): string {
  const { t, pc } = ctx
  return renderDocument(
    h(Layout, {
      lang: ctx.lang,
      t,
      title,
      assets: ctx.assets,
      site: { name: pc.process.title, href: withLang(`/c/${pc.consultation.slug}`, ctx.lang) },
      languages: pc.process.languages.map((code) => ({ code, href: withLang(ctx.path, code) })),
      footer: t('publicConsultation.footer'),
      ...body,
    }),
  )
}

// ---------------------------------------------------------------------------------------
// The window, its changes and the state of the consultation

function windowBox(ctx: PageContext): string {
  const { t, pc } = ctx
  const c = pc.consultation
  const lines: string[] = []
  const state = t(`publicConsultation.phase.${pc.phase}`)
  lines.push(`<p class="phase phase-${attr(pc.phase)}"><strong>${text(state)}</strong></p>`)
  lines.push('<dl class="window">')
  lines.push(
    `<dt>${text(t('publicConsultation.opensAt'))}</dt><dd>${timeElement(ctx, c.opens_at)}</dd>`,
  )
  lines.push(
    `<dt>${text(t('publicConsultation.closesAt'))}</dt><dd>${timeElement(ctx, c.closes_at)}</dd>`,
  )
  lines.push(`<dt>${text(t('publicConsultation.timeZone'))}</dt><dd>${text(c.time_zone)}</dd>`)
  lines.push('</dl>')
  if (pc.phase === 'open') {
    lines.push(
      `<p class="time-left">${text(t('publicConsultation.closesIn', { relative: relative(ctx, c.closes_at) }))}</p>`,
    )
  } else if (pc.phase === 'scheduled') {
    lines.push(
      `<p class="time-left">${text(t('publicConsultation.opensIn', { relative: relative(ctx, c.opens_at) }))}</p>`,
    )
  }
  return `<section class="window-box" aria-labelledby="window-heading"><h2 id="window-heading">${text(t('publicConsultation.windowHeading'))}</h2>${lines.join('\n')}</section>`
}

function changesList(ctx: PageContext): string {
  const { t, pc } = ctx
  if (pc.changes.length === 0) {
    return ''
  }
  const items = pc.changes.map((change) => {
    const when = timeElement(ctx, change.created_at)
    let line: string
    switch (change.kind) {
      case 'closed-early':
        line = t('publicConsultation.changes.closedEarly', { when: '\u0000when\u0000' })
        break
      case 'extended':
        line = t('publicConsultation.changes.extended', {
          when: '\u0000when\u0000',
          until: '\u0000until\u0000',
        })
        break
      default:
        line = t('publicConsultation.changes.published', { when: '\u0000when\u0000' })
    }
    // The sentence is escaped first; the <time> elements go in where their markers are.
    const html = text(line)
      .replace('\uFFFDwhen\uFFFD', when)
      .replace(
        '\uFFFDuntil\uFFFD',
        change.closes_after ? timeElement(ctx, change.closes_after) : '',
      )
    const reason =
      change.reason.trim() !== ''
        ? ` <span class="reason">${text(t('publicConsultation.changes.reason', { reason: change.reason }))}</span>`
        : ''
    return `<li>${html}${reason}</li>`
  })
  return `<section class="changes" aria-labelledby="changes-heading"><h2 id="changes-heading">${text(t('publicConsultation.changes.heading'))}</h2><ul>${items.join('')}</ul></section>`
}

// ---------------------------------------------------------------------------------------
// The version's text, cut at its top-level headings

/** A part of the version: the text before the first heading, or a heading and what follows it. */
interface Part {
  sectionId: string | null
  level: number
  title: string
  blocks: Node[]
}

function partsOf(doc: Node): Part[] {
  const parts: Part[] = []
  const seen = new Set<string>()
  let current: Part = { sectionId: null, level: 0, title: '', blocks: [] }
  doc.forEach((block) => {
    if (block.type.name === 'heading') {
      const id = typeof block.attrs.sectionId === 'string' ? block.attrs.sectionId : null
      if (current.blocks.length > 0 || current.sectionId !== null || current.title !== '') {
        parts.push(current)
      }
      const unique = id !== null && !seen.has(id) ? id : null
      if (unique) {
        seen.add(unique)
      }
      current = {
        sectionId: unique,
        level: Number(block.attrs.level),
        title: block.textBetween(0, block.content.size, ' ', ' ').replace(/\s+/g, ' ').trim(),
        blocks: [],
      }
      return
    }
    current.blocks.push(block)
  })
  if (current.blocks.length > 0 || current.sectionId !== null || current.title !== '') {
    parts.push(current)
  }
  return parts
}

function renderBlocks(blocks: Node[]): string {
  if (blocks.length === 0) {
    return ''
  }
  return renderHtml(schema.topNodeType.create(null, blocks))
}

/** A heading one level below the page's own h1 (and the section's h2 of the page). */
function headingTag(level: number): string {
  return `h${Math.min(6, Math.max(2, level + 1))}`
}

// ---------------------------------------------------------------------------------------
// Comments

function authorLine(ctx: PageContext, thread: PublicThreadRow): string {
  const { t, pc } = ctx
  const name =
    thread.author_name.trim() === '' ? t('publicConsultation.anonymous') : thread.author_name
  const group = groupLabel(t, thread.author_group, pc.groups)
  const parts = [`<span class="author">${text(name)}</span>`]
  parts.push(
    `<span class="group">${text(group)}${
      thread.consultation_id !== null && thread.self_declared
        ? ` <span class="badge">${text(t('publicConsultation.selfDeclared'))}</span>`
        : ''
    }</span>`,
  )
  if (thread.author_organisation.trim() !== '') {
    parts.push(`<span class="organisation">${text(thread.author_organisation)}</span>`)
  }
  if (thread.consultation_id === null) {
    parts.push(`<span class="badge member">${text(t('publicConsultation.memberThread'))}</span>`)
  }
  parts.push(timeElement(ctx, thread.created_at))
  return `<p class="comment-meta">${parts.join(' · ')}</p>`
}

function answerBlock(ctx: PageContext, thread: PublicThreadRow): string {
  const { t } = ctx
  if (thread.disposition === null || thread.answer === null || thread.answered_at === null) {
    return `<p class="no-answer">${text(t('publicConsultation.awaitingAnswer'))}</p>`
  }
  const where =
    thread.answer_version_name !== null || thread.answer_section_title !== null
      ? `<p class="answer-where">${text(
          t('publicConsultation.answerWhere', {
            version: thread.answer_version_name ?? '—',
            section: thread.answer_section_title ?? '—',
          }),
        )}</p>`
      : ''
  return [
    '<div class="answer">',
    `<p class="answer-head"><strong>${text(t('publicConsultation.answer'))}</strong> <span class="disposition disposition-${attr(thread.disposition)}">${text(t(`publicConsultation.dispositions.${thread.disposition}`))}</span></p>`,
    paragraphs(thread.answer),
    where,
    `<p class="answer-by">${text(thread.answered_by_name ?? '')} · ${timeElement(ctx, thread.answered_at)}</p>`,
    '</div>',
  ].join('\n')
}

function commentItem(ctx: PageContext, thread: PublicThreadRow): string {
  const { t } = ctx
  const campaign =
    thread.submission_count > 1
      ? `<p class="campaign">${text(t('publicConsultation.identicalSubmissions', { count: thread.submission_count }))}</p>`
      : ''
  if (thread.hidden_at !== null) {
    return [
      `<li class="comment comment-hidden" id="thread-${thread.number}">`,
      `<p class="hidden-note">${text(t('publicConsultation.hiddenByModerator', { reason: thread.hidden_reason?.trim() || t('publicConsultation.noReason') }))}</p>`,
      campaign,
      answerBlock(ctx, thread),
      '</li>',
    ].join('\n')
  }
  return [
    `<li class="comment" id="thread-${thread.number}">`,
    authorLine(ctx, thread),
    thread.quote ? `<blockquote class="quote"><p>${text(thread.quote)}</p></blockquote>` : '',
    `<div class="comment-body">${paragraphs(thread.body)}</div>`,
    campaign,
    answerBlock(ctx, thread),
    '</li>',
  ].join('\n')
}

function commentList(
  ctx: PageContext,
  threads: PublicThreadRow[],
  headingId: string,
  title: string,
): string {
  if (threads.length === 0) {
    return ''
  }
  return [
    `<section class="comments" aria-labelledby="${attr(headingId)}">`,
    `<h3 id="${attr(headingId)}" class="comments-heading">${text(ctx.t('publicConsultation.commentsOn', { section: title }))}</h3>`,
    `<ol class="comment-list">${threads.map((th) => commentItem(ctx, th)).join('\n')}</ol>`,
    '</section>',
  ].join('\n')
}

function countLine(ctx: PageContext, count: number): string {
  return `<p class="count">${text(ctx.t('publicConsultation.commentCount', { count }))}</p>`
}

// ---------------------------------------------------------------------------------------
// The consultation page

export interface ConsultationPageData {
  doc: Node
  threads: PublicThreadRow[]
  counts: Map<string, number>
  commentsVisible: boolean
}

/** GET /c/:slug: the frozen version with its contents, window, changes and comments. */
export function consultationPage(ctx: PageContext, data: ConsultationPageData): string {
  const { t, pc } = ctx
  const c = pc.consultation
  const slug = c.slug
  const title = titleOf(ctx)
  const introduction = localised(c.introduction, ctx.lang, pc.process.languages)
  const parts = partsOf(data.doc)
  const bySection = new Map<string, PublicThreadRow[]>()
  for (const thread of data.threads) {
    const list = bySection.get(thread.section_id) ?? []
    list.push(thread)
    bySection.set(thread.section_id, list)
  }
  const open = pc.phase === 'open'

  const toc = c.version_sections
    .filter((s) => s.id !== null)
    .map((s) => {
      const count = data.counts.get(s.id!) ?? 0
      return `<li class="toc-level-${Math.min(3, Math.max(1, s.level))}"><a href="#${attr(s.id!)}">${text(s.title || t('publicConsultation.untitledSection'))}</a> <span class="toc-count">${text(t('publicConsultation.commentCountShort', { count }))}</span></li>`
    })
    .join('\n')

  const sections = parts.map((part) => {
    if (part.sectionId === null) {
      const heading =
        part.title !== ''
          ? `<${headingTag(part.level)}>${text(part.title)}</${headingTag(part.level)}>`
          : ''
      return `<div class="doc-part">${heading}${renderBlocks(part.blocks)}</div>`
    }
    const id = part.sectionId
    const tag = headingTag(part.level)
    const threads = bySection.get(id) ?? []
    const sectionTitle = part.title || t('publicConsultation.untitledSection')
    const action = open
      ? `<p class="comment-link"><a href="${attr(withLang(`/c/${slug}/sections/${id}`, ctx.lang))}">${text(t('publicConsultation.commentOnSection'))}<span class="visually-hidden">: ${text(sectionTitle)}</span></a></p>`
      : ''
    return [
      `<section class="doc-section" aria-labelledby="${attr(id)}">`,
      `<${tag} id="${attr(id)}">${text(sectionTitle)}</${tag}>`,
      renderBlocks(part.blocks),
      `<div class="section-footer">${countLine(ctx, data.counts.get(id) ?? 0)}${action}</div>`,
      commentList(ctx, threads, `comments-${id}`, sectionTitle),
      '</section>',
    ].join('\n')
  })

  let visibilityNote = ''
  if (!data.commentsVisible) {
    visibilityNote = `<p class="note">${text(t(c.visibility === 'never' ? 'publicConsultation.visibility.never' : 'publicConsultation.visibility.afterClose'))}</p>`
  }
  const reportLink =
    pc.phase === 'closed'
      ? `<p><a href="${attr(withLang(`/c/${slug}/report`, ctx.lang))}">${text(t('publicConsultation.report.link'))}</a></p>`
      : ''
  const how = open
    ? `<p>${text(t(`publicConsultation.how.${c.access}`))}</p>`
    : pc.phase === 'scheduled'
      ? `<p>${text(t('publicConsultation.notOpenYet'))}</p>`
      : `<p>${text(t('publicConsultation.closedNote'))}</p>`

  const body = [
    `<h1>${text(title)}</h1>`,
    `<p class="version-name">${text(t('publicConsultation.versionLine', { name: c.version_name, number: c.version_number }))}</p>`,
    introduction ? `<div class="introduction">${paragraphs(introduction)}</div>` : '',
    windowBox(ctx),
    how,
    visibilityNote,
    reportLink,
    changesList(ctx),
    toc
      ? `<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">${text(t('publicConsultation.contents'))}</h2><ol>${toc}</ol></nav>`
      : '',
    `<article class="document" aria-labelledby="document-heading"><h2 id="document-heading" class="visually-hidden">${text(t('publicConsultation.documentHeading'))}</h2>`,
    sections.join('\n'),
    '</article>',
  ].join('\n')
  return layout(ctx, title, body)
}

// ---------------------------------------------------------------------------------------
// The section page with the comment form

/** What the form shows: the values typed (kept after an error) and the problems found. */
export interface FormState {
  values: Record<string, string>
  problems: FieldProblem[]
  /** A refusal of the whole submission (window, access, rate limit), translated already. */
  refusal?: string
}

export interface SectionPageData {
  sectionId: string
  title: string
  level: number
  /** The section's text as HTML (render/html.ts). */
  html: string
  threads: PublicThreadRow[]
  count: number
  commentsVisible: boolean
  form: FormState
  /** Access 'members': the signed-in member who may comment, and their CSRF token. */
  member?: MemberAuthor
  csrfToken?: string
  signedIn: boolean
}

/** GET /c/:slug/sections/:sectionId: one section, its comments and the comment form. */
export function sectionPage(ctx: PageContext, data: SectionPageData): string {
  const sectionTitle = data.title || ctx.t('publicConsultation.untitledSection')
  const pageTitle = `${ctx.t('publicConsultation.commentOnTitle', { section: sectionTitle })} — ${titleOf(ctx)}`
  return layoutOf(ctx, pageTitle, h(SectionBody, { ctx, data }))
}

/** The section of the version with its HTML, for the section page; undefined if it is not a top-level one. */
export function sectionOf(
  doc: Node,
  sectionId: string,
): { title: string; level: number; html: string } | undefined {
  const parts = partsOf(doc)
  const index = parts.findIndex((p) => p.sectionId === sectionId)
  if (index === -1) {
    return undefined
  }
  const part = parts[index]!
  // The section runs to the next heading of its level or higher, as sections do (section-ids.ts).
  const html: string[] = [renderBlocks(part.blocks)]
  for (const next of parts.slice(index + 1)) {
    if (next.level <= part.level) {
      break
    }
    const tag = `h${Math.min(6, next.level + 1)}`
    html.push(`<${tag}>${text(next.title)}</${tag}>`, renderBlocks(next.blocks))
  }
  return { title: part.title, level: part.level, html: html.join('\n') }
}

// ---------------------------------------------------------------------------------------
// Receipts, confirmation, errors

/** The receipt of a submission: its reference and where it stands. It names no person. */
export function receiptPage(
  ctx: PageContext,
  submission: SubmissionRow,
  options: { pending: boolean; hidden?: boolean; confirmed?: boolean },
): string {
  const heading = receiptHeading(ctx, submission, options.confirmed)
  return layoutOf(ctx, `${heading} — ${titleOf(ctx)}`, h(ReceiptBody, { ctx, submission, options }))
}

/** GET /c/:slug/verify: what a confirmation link opens (it confirms nothing by itself). */
export function confirmPage(ctx: PageContext, submission: SubmissionRow, token: string): string {
  return layoutOf(
    ctx,
    `${ctx.t('publicConsultation.verify.confirmHeading')} — ${titleOf(ctx)}`,
    h(ConfirmBody, { ctx, submission, token }),
  )
}

/** A page that says something went wrong with a link back: an expired link, a refusal. */
export function messagePage(ctx: PageContext, heading: string, message: string): string {
  return layoutOf(ctx, heading, h(MessageBody, { ctx, heading, message }))
}

/**
 * The one 404 page of the public side: an unknown slug and a draft look exactly the same
 * (issue 6: a draft is never visible). It is in English and Spanish, since no process tells
 * us the language.
 */
export function notFoundPage(assets: PageAssets, lang: string): string {
  return renderDocument(h(NotFoundPage, { t: translator(lang), lang: uiLanguageOf(lang), assets }))
}

// ---------------------------------------------------------------------------------------
// What we heard

export { normaliseReference } from './page-components'

/**
 * GET /c/:slug/report: totals by group × section, submissions over time, every thread with
 * its references; with `ref`, only the comment with that reference (issue 15, item 1).
 */
export function reportPage(
  ctx: PageContext,
  report: ConsultationReport | null,
  ref?: string,
): string {
  const title = `${ctx.t('publicConsultation.report.heading')} — ${titleOf(ctx)}`
  return layoutOf(ctx, title, h(ReportBody, { ctx, report, searched: ref }))
}
