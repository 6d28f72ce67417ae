import {
  adequacyOf,
  CONSULTATION_LIMITS,
  type Adequacy,
  type AnswerBody,
  type Consultation,
  type ConsultationList,
  type ConsultationProgress,
  type CreateConsultationBody,
  type UpdateConsultationBody,
} from '../../shared/api/consultations'
import type { Thread } from '../../shared/api/threads'
import { estimatedPages } from '../../shared/api/versions'
import type { Action } from '../../shared/domain/permissions'
import type { Ctx, Origin } from '../context'
import type { Actor } from '../auth/actor'
import { authorize, type MembershipContext } from '../auth/guard'
import type { ConsultationRow, DocumentRow, Executor, PerLanguage } from '../db/database'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { AppError, badRequest, conflict, notFound } from '../errors'
import { announceThread, getThread, authorizeThread } from '../comments/service'
import { freezeDocument, insertFrozenVersion } from '../versions/service'
import * as queries from './queries'
import { phaseOfRow, toConsultation } from './present'

/** A consultation the caller may act on, and their membership in its process. */
export interface ConsultationAccess {
  consultation: queries.ConsultationWithVersion
  membership: MembershipContext
}

/**
 * Decides whether `actor` may do `action` on a consultation: an unknown one and one of a
 * process the actor is not a member of are the same 404; a role without the action is 403.
 */
export async function authorizeConsultation(
  db: Executor,
  actor: Actor,
  consultationId: string,
  action: Action,
): Promise<ConsultationAccess> {
  const consultation = await queries.findConsultation(db, consultationId)
  if (!consultation) {
    throw notFound('Consultation')
  }
  try {
    const membership = await authorize(db, actor, consultation.process_id, action)
    return { consultation, membership }
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) {
      throw notFound('Consultation')
    }
    throw error
  }
}

async function present(ctx: Ctx, rows: queries.ConsultationWithVersion[]): Promise<Consultation[]> {
  const ids = rows.map((row) => row.id)
  const [changes, counts] = await Promise.all([
    queries.listChanges(ctx.db, ids),
    queries.countSubmissions(ctx.db, ids),
  ])
  return rows.map((row) =>
    toConsultation(row, {
      changes: changes.filter((change) => change.consultation_id === row.id),
      counts: counts.get(row.id),
      publicUrl: ctx.config.publicUrl,
      minimumDaysPerPage: ctx.config.consultationMinDaysPerPage,
    }),
  )
}

async function presentOne(ctx: Ctx, consultationId: string): Promise<Consultation> {
  const row = await queries.findConsultation(ctx.db, consultationId)
  if (!row) {
    throw notFound('Consultation')
  }
  const [consultation] = await present(ctx, [row])
  return consultation!
}

/** A process's consultations, newest first, with the server's minimum days per page. */
export async function listConsultations(ctx: Ctx, processId: string): Promise<ConsultationList> {
  const rows = await queries.listConsultations(ctx.db, processId)
  return {
    items: await present(ctx, rows),
    minimumDaysPerPage: ctx.config.consultationMinDaysPerPage,
  }
}

export function getConsultation(ctx: Ctx, access: ConsultationAccess): Promise<Consultation> {
  return presentOne(ctx, access.consultation.id)
}

// A live document of the process, or the same 404 as an unknown one.
async function documentOf(db: Executor, processId: string, documentId: string): Promise<DocumentRow> {
  const document = await queries.findLiveDocument(db, documentId)
  if (!document || document.process_id !== processId) {
    throw notFound('Document')
  }
  return document
}

async function versionOf(db: Executor, processId: string, versionId: string) {
  const version = await queries.findVersionSummary(db, versionId)
  if (!version || version.process_id !== processId) {
    throw notFound('Version')
  }
  return version
}

/**
 * How a window compares with a text's length, for the opening form: the text is a version's,
 * or a document's current one (counted the way freezing it would).
 */
export async function consultationAdequacy(
  ctx: Ctx,
  membership: MembershipContext,
  query: { versionId?: string; documentId?: string; opensAt: string; closesAt: string },
): Promise<Adequacy> {
  let words: number
  if (query.versionId) {
    words = (await versionOf(ctx.db, membership.processId, query.versionId)).words
  } else if (query.documentId) {
    const document = await documentOf(ctx.db, membership.processId, query.documentId)
    words = (await freezeDocument(ctx, document)).words
  } else {
    throw badRequest('Give a versionId or a documentId')
  }
  return adequacyOf(
    words,
    estimatedPages(words),
    new Date(query.opensAt),
    new Date(query.closesAt),
    ctx.config.consultationMinDaysPerPage,
  )
}

/** A 400 about one field of the body, named the way schema errors name it. */
function fieldError(field: string, message: string): AppError {
  return badRequest(`${field}: ${message}`, [{ path: `body/${field}`, message }])
}

/** Whether an IANA time zone name is one this server knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

interface Settings {
  slug: string
  title: PerLanguage
  introduction: PerLanguage
  opensAt: string
  closesAt: string
  timeZone: string
}

// The rules the schema cannot say: languages of the process, a real time zone, a sane window.
async function checkSettings(
  db: Executor,
  processId: string,
  settings: Settings,
  exceptId?: string,
): Promise<void> {
  const process = await db
    .selectFrom('processes')
    .select('languages')
    .where('id', '=', processId)
    .executeTakeFirstOrThrow()
  const languages = process.languages
  const problems: { field: string; message: string }[] = []
  for (const [field, texts] of [
    ['title', settings.title],
    ['introduction', settings.introduction],
  ] as const) {
    for (const language of Object.keys(texts)) {
      if (!languages.includes(language)) {
        problems.push({ field, message: `${language} is not a language of this process` })
      }
    }
  }
  const primary = languages[0]
  if (primary !== undefined && !(settings.title[primary] ?? '').trim()) {
    problems.push({ field: 'title', message: `A title in ${primary} is needed` })
  }
  if (!isTimeZone(settings.timeZone)) {
    problems.push({ field: 'timeZone', message: 'Unknown time zone' })
  }
  const opens = Date.parse(settings.opensAt)
  const closes = Date.parse(settings.closesAt)
  if (!(closes > opens)) {
    problems.push({ field: 'closesAt', message: 'The window must close after it opens' })
  } else if (closes - opens > CONSULTATION_LIMITS.windowDaysMax * 86_400_000) {
    problems.push({
      field: 'closesAt',
      message: `A window lasts at most ${CONSULTATION_LIMITS.windowDaysMax} days`,
    })
  }
  if (problems.length > 0) {
    throw badRequest(
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems.map((p) => ({ path: `body/${p.field}`, message: p.message })),
    )
  }
  if (await queries.slugTaken(db, settings.slug, exceptId)) {
    const message = 'Another consultation already has this address'
    throw new AppError(409, 'conflict', message, [{ path: 'body/slug', message }])
  }
}

const trimmed = (texts: PerLanguage): PerLanguage =>
  Object.fromEntries(Object.entries(texts).map(([language, text]) => [language, text.trim()]))

/**
 * Opens a consultation on a frozen version: one made earlier, or one frozen now from the
 * document's current state, in the same transaction as the consultation, so a refused
 * consultation leaves no version behind. Published at once when asked, else a draft.
 */
export async function openConsultation(
  ctx: Ctx,
  membership: MembershipContext,
  body: CreateConsultationBody,
  origin: Origin,
): Promise<Consultation> {
  const processId = membership.processId
  if ((body.versionId === undefined) === (body.documentId === undefined)) {
    throw badRequest('Give either a versionId or a documentId with a versionName')
  }
  if (body.documentId !== undefined && body.versionName === undefined) {
    throw fieldError('versionName', 'a name for the version to freeze is needed')
  }
  await checkSettings(ctx.db, processId, body)
  if (body.publish && Date.parse(body.closesAt) <= Date.now()) {
    throw fieldError('closesAt', 'a published consultation must close in the future')
  }
  let document: DocumentRow | undefined
  let frozen: Awaited<ReturnType<typeof freezeDocument>> | undefined
  let version: Awaited<ReturnType<typeof versionOf>> | undefined
  if (body.documentId !== undefined) {
    document = await documentOf(ctx.db, processId, body.documentId)
    frozen = await freezeDocument(ctx, document)
  } else {
    version = await versionOf(ctx.db, processId, body.versionId!)
  }
  const id = await inTransaction(ctx.db, async (trx) => {
    const versionId =
      document && frozen
        ? (await insertFrozenVersion(trx, document, frozen, body.versionName!, origin)).id
        : version!.id
    const documentId = document ? document.id : version!.document_id
    const { id } = await queries.insertConsultation(trx, {
      process_id: processId,
      document_id: documentId,
      version_id: versionId,
      slug: body.slug,
      title: JSON.stringify(trimmed(body.title)),
      introduction: JSON.stringify(trimmed(body.introduction)),
      opens_at: body.opensAt,
      closes_at: body.closesAt,
      time_zone: body.timeZone,
      access: body.access,
      moderation: body.moderation,
      visibility: body.visibility,
      show_member_threads: body.showMemberThreads ?? false,
      published_at: body.publish ? new Date().toISOString() : null,
      created_by: origin.userId,
      created_by_name: origin.name,
    })
    if (body.publish) {
      await queries.insertChange(trx, {
        consultation_id: id,
        kind: 'published',
        closes_after: body.closesAt,
        actor_name: origin.name,
      })
    }
    await recordAudit(trx, origin, {
      processId,
      action: 'consultation.opened',
      targetType: 'consultation',
      targetId: id,
      details: { slug: body.slug, versionId, published: body.publish ?? false },
    })
    return id
  })
  return presentOne(ctx, id)
}

/**
 * Runs `change` on a consultation's row locked for update, in one transaction (so closing,
 * extending and publishing at once take turns), then reads it back as members see it.
 */
async function changeLocked(
  ctx: Ctx,
  consultationId: string,
  change: (trx: Executor, locked: ConsultationRow) => Promise<void>,
): Promise<Consultation> {
  await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockConsultation(trx, consultationId)
    if (!locked) {
      throw notFound('Consultation')
    }
    await change(trx, locked)
  })
  return presentOne(ctx, consultationId)
}

/** Changes a draft's settings; a published consultation only closes early or extends. */
export async function updateDraft(
  ctx: Ctx,
  access: ConsultationAccess,
  body: UpdateConsultationBody,
  origin: Origin,
): Promise<Consultation> {
  const current = access.consultation
  const merged: Settings = {
    slug: body.slug ?? current.slug,
    title: body.title ?? current.title,
    introduction: body.introduction ?? current.introduction,
    opensAt: body.opensAt ?? new Date(current.opens_at).toISOString(),
    closesAt: body.closesAt ?? new Date(current.closes_at).toISOString(),
    timeZone: body.timeZone ?? current.time_zone,
  }
  await checkSettings(ctx.db, current.process_id, merged, current.id)
  return changeLocked(ctx, current.id, async (trx, locked) => {
    if (locked.published_at !== null) {
      throw conflict('A published consultation cannot be changed; close it early or extend it')
    }
    await queries.updateConsultation(trx, current.id, {
      slug: merged.slug,
      title: JSON.stringify(trimmed(merged.title)),
      introduction: JSON.stringify(trimmed(merged.introduction)),
      opens_at: merged.opensAt,
      closes_at: merged.closesAt,
      time_zone: merged.timeZone,
      ...(body.access !== undefined ? { access: body.access } : {}),
      ...(body.moderation !== undefined ? { moderation: body.moderation } : {}),
      ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
      ...(body.showMemberThreads !== undefined
        ? { show_member_threads: body.showMemberThreads }
        : {}),
    })
    await recordAudit(trx, origin, {
      processId: current.process_id,
      action: 'consultation.updated',
      targetType: 'consultation',
      targetId: current.id,
      details: { fields: Object.keys(body) },
    })
  })
}

/** Publishes a draft: from now on /c/:slug shows it, and it opens at its opening time. */
export async function publishConsultation(
  ctx: Ctx,
  access: ConsultationAccess,
  origin: Origin,
): Promise<Consultation> {
  const id = access.consultation.id
  return changeLocked(ctx, id, async (trx, locked) => {
    if (locked.published_at !== null) {
      throw conflict('This consultation is published already')
    }
    if (new Date(locked.closes_at).getTime() <= Date.now()) {
      throw conflict('Its window has passed; change the closing time before publishing')
    }
    await queries.updateConsultation(trx, id, { published_at: new Date().toISOString() })
    await queries.insertChange(trx, {
      consultation_id: id,
      kind: 'published',
      closes_after: locked.closes_at,
      actor_name: origin.name,
    })
    await recordAudit(trx, origin, {
      processId: locked.process_id,
      action: 'consultation.published',
      targetType: 'consultation',
      targetId: id,
    })
  })
}

/** Closes an open consultation now, with a reason shown publicly. */
export async function closeConsultation(
  ctx: Ctx,
  access: ConsultationAccess,
  reason: string,
  origin: Origin,
): Promise<Consultation> {
  const id = access.consultation.id
  return changeLocked(ctx, id, async (trx, locked) => {
    const now = new Date()
    if (phaseOfRow(locked, now) !== 'open') {
      throw conflict('Only an open consultation can be closed early')
    }
    await queries.updateConsultation(trx, id, { closes_at: now.toISOString() })
    await queries.insertChange(trx, {
      consultation_id: id,
      kind: 'closed-early',
      closes_before: locked.closes_at,
      closes_after: now.toISOString(),
      reason: reason.trim(),
      actor_name: origin.name,
    })
    await recordAudit(trx, origin, {
      processId: locked.process_id,
      action: 'consultation.closed-early',
      targetType: 'consultation',
      targetId: id,
      details: { reason: reason.trim() },
    })
  })
}

/**
 * Moves a published consultation's closing time later, with a reason shown publicly; a closed
 * one opens again until then.
 */
export async function extendConsultation(
  ctx: Ctx,
  access: ConsultationAccess,
  closesAt: string,
  reason: string,
  origin: Origin,
): Promise<Consultation> {
  const id = access.consultation.id
  return changeLocked(ctx, id, async (trx, locked) => {
    if (locked.published_at === null) {
      throw conflict('A draft is changed directly, not extended')
    }
    const next = Date.parse(closesAt)
    if (next <= new Date(locked.closes_at).getTime() || next <= Date.now()) {
      throw fieldError('closesAt', 'the new closing time must be later than the current one and in the future')
    }
    if (next - new Date(locked.opens_at).getTime() > CONSULTATION_LIMITS.windowDaysMax * 86_400_000) {
      throw fieldError('closesAt', `a window lasts at most ${CONSULTATION_LIMITS.windowDaysMax} days`)
    }
    await queries.updateConsultation(trx, id, { closes_at: closesAt })
    await queries.insertChange(trx, {
      consultation_id: id,
      kind: 'extended',
      closes_before: locked.closes_at,
      closes_after: closesAt,
      reason: reason.trim(),
      actor_name: origin.name,
    })
    await recordAudit(trx, origin, {
      processId: locked.process_id,
      action: 'consultation.extended',
      targetType: 'consultation',
      targetId: id,
      details: { closesAt, reason: reason.trim() },
    })
  })
}

/** How many of a consultation's threads still wait for an answer, per section and per group. */
export async function consultationProgress(
  ctx: Ctx,
  access: ConsultationAccess,
): Promise<ConsultationProgress> {
  const rows = await queries.listProgressThreads(ctx.db, access.consultation.id)
  const order = new Map(
    access.consultation.version_sections.map((section, index) => [section.id, index]),
  )
  const bySection = new Map<string, ConsultationProgress['bySection'][number]>()
  const byGroup = new Map<string, ConsultationProgress['byGroup'][number]>()
  let answered = 0
  for (const row of rows) {
    const isAnswered = row.disposition !== null && row.answer !== null
    answered += isAnswered ? 1 : 0
    const section = bySection.get(row.section_id) ?? {
      sectionId: row.section_id,
      sectionTitle: row.section_title,
      total: 0,
      unanswered: 0,
    }
    section.total += 1
    section.unanswered += isAnswered ? 0 : 1
    bySection.set(row.section_id, section)
    const group = byGroup.get(row.author_group) ?? { group: row.author_group, total: 0, unanswered: 0 }
    group.total += 1
    group.unanswered += isAnswered ? 0 : 1
    byGroup.set(row.author_group, group)
  }
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER
  return {
    total: rows.length,
    answered,
    unanswered: rows.length - answered,
    bySection: [...bySection.values()].sort((a, b) => rank(a.sectionId) - rank(b.sectionId)),
    byGroup: [...byGroup.values()].sort((a, b) => a.group.localeCompare(b.group)),
  }
}

/**
 * Records the secretariat's disposition and public answer on a thread, optionally pointing to
 * the version and section where the change was made. A later call revises it; the audit log
 * keeps each one.
 */
export async function answerThread(
  ctx: Ctx,
  actor: Actor,
  threadId: string,
  body: AnswerBody,
  origin: Origin,
): Promise<Thread> {
  const access = await authorizeThread(ctx.db, actor, threadId, 'threads.answer')
  const versionId = body.versionId ?? null
  const sectionId = body.sectionId ?? null
  let sectionTitle: string | null = null
  if (sectionId !== null && versionId === null) {
    throw fieldError('sectionId', 'give the version the section belongs to')
  }
  if (versionId !== null) {
    const version = await queries.findVersionSections(ctx.db, versionId)
    if (!version || version.process_id !== access.thread.process_id) {
      throw notFound('Version')
    }
    if (sectionId !== null) {
      const section = version.sections.find((s) => s.id === sectionId)
      if (!section) {
        throw fieldError('sectionId', 'that version has no such section')
      }
      sectionTitle = section.title
    }
  }
  await inTransaction(ctx.db, async (trx) => {
    await queries.lockThread(trx, threadId)
    await queries.updateAnswer(trx, threadId, {
      disposition: body.disposition,
      answer: body.answer.trim(),
      answer_version_id: versionId,
      answer_section_id: sectionId,
      answer_section_title: sectionTitle,
      answered_by_name: actor.name,
    })
    await recordAudit(trx, origin, {
      processId: access.thread.process_id,
      action: 'thread.answered',
      targetType: 'thread',
      targetId: threadId,
      details: { disposition: body.disposition, versionId, sectionId },
    })
  })
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  const fresh = await authorizeThread(ctx.db, actor, threadId, 'threads.read')
  return getThread(ctx, actor, fresh)
}

/** A consultation as the demo seed writes it: published, with its publication logged. */
export interface SeedConsultation {
  processId: string
  documentId: string
  versionId: string
  slug: string
  title: PerLanguage
  introduction: PerLanguage
  opensAt: Date
  closesAt: Date
  timeZone: string
  access: string
  moderation: string
  visibility: string
}

/**
 * Writes a published consultation inside an existing transaction, without the checks of the
 * request path: for the demo. Its publication is logged as of its opening.
 */
export async function insertSeedConsultation(
  trx: Executor,
  seed: SeedConsultation,
  origin: Origin,
): Promise<queries.ConsultationWithVersion> {
  const { id } = await queries.insertConsultation(trx, {
    process_id: seed.processId,
    document_id: seed.documentId,
    version_id: seed.versionId,
    slug: seed.slug,
    title: JSON.stringify(seed.title),
    introduction: JSON.stringify(seed.introduction),
    opens_at: seed.opensAt.toISOString(),
    closes_at: seed.closesAt.toISOString(),
    time_zone: seed.timeZone,
    access: seed.access,
    moderation: seed.moderation,
    visibility: seed.visibility,
    published_at: seed.opensAt.toISOString(),
    created_by: origin.userId,
    created_by_name: origin.name,
  })
  await queries.insertChange(trx, {
    consultation_id: id,
    kind: 'published',
    closes_after: seed.closesAt.toISOString(),
    actor_name: origin.name,
    created_at: seed.opensAt.toISOString(),
  })
  await recordAudit(trx, origin, {
    processId: seed.processId,
    action: 'consultation.opened',
    targetType: 'consultation',
    targetId: id,
    details: { slug: seed.slug, versionId: seed.versionId, published: true },
  })
  return (await queries.findConsultation(trx, id))!
}

/** Records an answer inside an existing transaction, as of `at`: for the demo. */
export async function insertSeedAnswer(
  trx: Executor,
  threadId: string,
  answer: { disposition: string; text: string; by: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('threads')
    .set({
      disposition: answer.disposition,
      answer: answer.text,
      answered_at: answer.at.toISOString(),
      answered_by_name: answer.by,
    })
    .where('id', '=', threadId)
    .execute()
}
