import type { Node } from 'prosemirror-model'
import type { ConsultationReport } from '../../shared/api/consultations'
import { schema } from '../../shared/schema'
import type { SubmissionRow } from '../db/database'
import { escapeText as text, renderHtml } from '../render/html'
import { translator, uiLanguageOf, type Translate } from './public-i18n'
import { h, type ComponentChildren } from 'preact'
import {
  ConfirmBody,
  ConsultationBody,
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
  const parts = partsOf(data.doc).map((part) => ({
    sectionId: part.sectionId,
    level: part.level,
    title: part.title,
    html: renderBlocks(part.blocks),
  }))
  return layoutOf(
    ctx,
    titleOf(ctx),
    h(ConsultationBody, {
      ctx,
      data: {
        parts,
        threads: data.threads,
        counts: data.counts,
        commentsVisible: data.commentsVisible,
      },
    }),
  )
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
