import type {
  ApplyBody,
  ApplyPreview,
  Comment,
  CreateThreadBody,
  Endorsements,
  ModerationAction,
  ModerationItem,
  ModerationLogEntry,
  SectionThreadCount,
  Thread,
  ThreadListQuery,
  ThreadPage,
  ThreadSummary,
} from '../../shared/api/threads'
import { ALLOWED_WHEN_ARCHIVED, can, type Action } from '../../shared/domain/permissions'
import { LIMITS } from '../../shared/limits'
import { mentionedUserIds } from '../../shared/text'
import type { Actor } from '../auth/actor'
import { authorize, type MembershipContext } from '../auth/guard'
import { recordAudit } from '../audit/record'
import type { Ctx, Origin } from '../context'
import type { Insertable } from 'kysely'
import type {
  AppliedRecord,
  CommentRow,
  CommentsTable,
  DocumentRow,
  Executor,
  ThreadRow,
  ThreadsTable,
} from '../db/database'
import { inTransaction } from '../db/transaction'
import {
  currentContent,
  currentSections,
  editDocumentIn,
  loadContentIn,
  prepareServerEdit,
} from '../documents/service'
import { listVersions, loadVersionContent } from '../versions/service'
import type { Node as PmNode } from 'prosemirror-model'
import type { ThreadAnsweredIn, ThreadTextChange } from '../../shared/api/threads'
import { sectionSlice } from '../render/compare'
import { answeredInOf, lazyDoc, sliceFromJSON, textChangeOf, versionRef } from './text-history'
import type * as Y from 'yjs'
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors'
import { hiddenNoticeMail, notificationMail } from '../mail/templates'
import { uiLanguageOf } from '../../shared/i18n/languages'
import { insertNotifications } from '../notifications/service'
import {
  decodeAnchor,
  isInSection,
  replaceRange,
  replaceSectionText,
  resolveAnchor,
  textBetween,
  undoReplacement,
  type ReplaceOutcome,
} from './anchors'
import {
  editWindowOpen,
  toComment,
  toModerationLogEntry,
  toThreadSummary,
  type Viewer,
} from './present'
import * as queries from './queries'

/** The most people one post notifies by mention. */
const MENTIONS_MAX = 20

// What preparing the edit of a proposed change found: the replaced text, or why it cannot apply.
type EditOutcome = ReplaceOutcome | { error: string; passageChanged?: boolean }

/** A thread the caller may see, with their membership in its process. */
export interface ThreadAccess {
  thread: ThreadRow
  root: CommentRow
  membership: MembershipContext
}

/** A comment the caller may see, with its thread and the caller's membership. */
export interface CommentAccess extends ThreadAccess {
  comment: CommentRow
}

function viewerOf(actor: Actor, membership: MembershipContext): Viewer {
  return {
    userId: actor.userId,
    moderator: can(membership.role, 'threads.moderate'),
    canPost: can(membership.role, 'threads.create') && !membership.archived,
  }
}

// The same 404 for "no such thread", "not a member" and "hidden from you": existence is private (STYLE 2.7).
async function authorizeProcessOf(
  db: Executor,
  actor: Actor,
  processId: string,
  action: Action,
  what: string,
) {
  try {
    return await authorize(db, actor, processId, action)
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) {
      throw notFound(what)
    }
    throw error
  }
}

/**
 * Decides whether `actor` may do `action` on a thread: an unknown thread, one of a deleted
 * document, one of a process the actor is not a member of, and a hidden thread for someone
 * who does not moderate are all the same 404; a role without the action is 403.
 */
export async function authorizeThread(
  db: Executor,
  actor: Actor,
  threadId: string,
  action: Action,
): Promise<ThreadAccess> {
  const found = await queries.findThread(db, threadId)
  if (!found) {
    throw notFound('Thread')
  }
  const membership = await authorizeProcessOf(
    db,
    actor,
    found.thread.process_id,
    'threads.read',
    'Thread',
  )
  // Its author may still read their own hidden thread, marked, with the reason (issue 15, item 2).
  const ownHidden = found.root.author_id === actor.userId && action === 'threads.read'
  if (found.root.hidden_at !== null && !can(membership.role, 'threads.moderate') && !ownHidden) {
    throw notFound('Thread')
  }
  await authorize(db, actor, found.thread.process_id, action)
  return { thread: found.thread, root: found.root, membership }
}

/** `authorizeThread` for one comment (the root or a reply); a hidden reply is as private as a hidden thread. */
export async function authorizeComment(
  db: Executor,
  actor: Actor,
  commentId: string,
  action: Action,
): Promise<CommentAccess> {
  const comment = await queries.findComment(db, commentId)
  if (!comment) {
    throw notFound('Comment')
  }
  let access: ThreadAccess
  try {
    access = await authorizeThread(db, actor, comment.thread_id, 'threads.read')
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) {
      throw notFound('Comment')
    }
    throw error
  }
  const moderator = can(access.membership.role, 'threads.moderate')
  if (comment.hidden_at !== null && !moderator && action !== 'threads.read') {
    throw notFound('Comment')
  }
  await authorize(db, actor, access.thread.process_id, action)
  return { ...access, comment }
}

// Shapes threads for one viewer: endorsements by group, flags for moderators, current section titles.
async function presentThreads(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  found: queries.ThreadWithRoot[],
): Promise<ThreadSummary[]> {
  const viewer = viewerOf(actor, membership)
  const threadIds = found.map((f) => f.thread.id)
  const [endorsements, flags] = await Promise.all([
    queries.listEndorsements(ctx.db, threadIds, actor.userId),
    queries.listOpenFlagCounts(
      ctx.db,
      found.map((f) => f.root.id),
      actor.userId,
    ),
  ])
  const titles = await currentTitles(ctx, found)
  const histories = await textHistories(ctx, found)
  return found.map((f) => {
    const byGroup = endorsements.byThread.get(f.thread.id) ?? {}
    return toThreadSummary(f, viewer, {
      endorsements: {
        total: Object.values(byGroup).reduce((sum, n) => sum + n, 0),
        byGroup,
        mine: endorsements.mine.has(f.thread.id),
      },
      rootFlags: { count: flags.counts.get(f.root.id) ?? 0, mine: flags.mine.has(f.root.id) },
      currentTitle: titles.get(f.thread.document_id)?.get(f.thread.section_id),
      textChange: histories.get(f.thread.id)?.textChange ?? null,
      answeredIn: histories.get(f.thread.id)?.answeredIn ?? null,
    })
  })
}

/**
 * What changed in each thread's section and passage since it was written, and the change
 * that answered it (issue 14, item 3), against the live draft of its document. A thread
 * compares with the section it recorded when it was opened, or, when it is older than that
 * record, with the version it was written against; with neither, it has no history to show.
 */
async function textHistories(
  ctx: Ctx,
  found: queries.ThreadWithRoot[],
): Promise<
  Map<string, { textChange: ThreadTextChange | null; answeredIn: ThreadAnsweredIn | null }>
> {
  const result = new Map<
    string,
    { textChange: ThreadTextChange | null; answeredIn: ThreadAnsweredIn | null }
  >()
  const written = await queries.listWrittenSections(
    ctx.db,
    found.map((f) => f.thread.id),
  )
  for (const documentId of new Set(found.map((f) => f.thread.document_id))) {
    const live = await currentContent(ctx.db, documentId)
    if (!live) {
      continue
    }
    const versions = await listVersions(ctx, documentId)
    const scratch = lazyDoc(live.state.update)
    const slices = new Map<string, PmNode | null>()
    const sliceOf = async (versionId: string, sectionId: string) => {
      const key = `${versionId}/${sectionId}`
      if (!slices.has(key)) {
        slices.set(key, sectionSlice(await loadVersionContent(ctx.db, versionId), sectionId))
      }
      return slices.get(key)!
    }
    try {
      for (const f of found) {
        const { thread } = f
        if (thread.document_id !== documentId) {
          continue
        }
        const recorded = written.has(thread.id) ? sliceFromJSON(written.get(thread.id)) : null
        const writtenVersion = versions.find((v) => v.id === thread.written_version_id)
        const then =
          recorded ?? (writtenVersion ? await sliceOf(writtenVersion.id, thread.section_id) : null)
        const textChange = then
          ? textChangeOf(
              thread,
              then,
              recorded ? 'recorded' : 'version',
              writtenVersion ? versionRef(writtenVersion) : null,
              { content: live.content, ydoc: scratch.get },
              // A withdrawn thread's quoted passage goes with its author's words.
              f.root.withdrawn_at === null,
            )
          : null
        const answeredIn = await answeredInOf(thread, then, versions, (versionId) =>
          sliceOf(versionId, thread.section_id),
        )
        result.set(thread.id, { textChange, answeredIn })
      }
    } finally {
      scratch.destroy()
    }
  }
  return result
}

/**
 * Records the text a new thread is written on (issue 14, item 3), inside the transaction that
 * inserts it: its section as it stands in the consultation's frozen version for a public
 * comment, else in the live draft (`live` when the caller has read it already), and the
 * version it is written against. A section that is not there records nothing.
 */
async function recordWrittenText(trx: Executor, thread: ThreadRow, live?: PmNode): Promise<void> {
  const consultationVersion = thread.consultation_id
    ? await queries.findConsultationVersionId(trx, thread.consultation_id)
    : undefined
  const versionId =
    consultationVersion?.id ?? (await queries.findLatestVersionId(trx, thread.document_id))?.id
  const content = consultationVersion
    ? await loadVersionContent(trx, consultationVersion.id)
    : (live ?? (await loadContentIn(trx, thread.document_id)))
  const slice = sectionSlice(content, thread.section_id)
  await queries.updateThread(trx, thread.id, {
    written_section: slice ? JSON.stringify(slice.toJSON()) : null,
    written_version_id: versionId ?? null,
  })
}

// The current title of every section the threads are on, per document; a missing entry
// means the section is gone. Titles that changed are stored as the threads' last known ones.
async function currentTitles(
  ctx: Ctx,
  found: queries.ThreadWithRoot[],
): Promise<Map<string, Map<string, string>>> {
  const byDocument = new Map<string, Map<string, string>>()
  for (const documentId of new Set(found.map((f) => f.thread.document_id))) {
    const sections = await currentSections(ctx.db, documentId)
    byDocument.set(
      documentId,
      new Map(sections.filter((s) => s.id !== null).map((s) => [s.id!, s.title])),
    )
  }
  for (const [documentId, titles] of byDocument) {
    const changed = new Map<string, string>()
    for (const f of found) {
      const title = titles.get(f.thread.section_id)
      if (
        f.thread.document_id === documentId &&
        title !== undefined &&
        title !== f.thread.section_title
      ) {
        changed.set(f.thread.section_id, title)
      }
    }
    if (changed.size > 0) {
      await queries.updateSectionTitles(ctx.db, documentId, changed)
    }
  }
  return byDocument
}

async function presentThread(ctx: Ctx, actor: Actor, access: ThreadAccess): Promise<Thread> {
  const found = await queries.findThread(
    ctx.db,
    access.thread.id,
    can(access.membership.role, 'threads.moderate'),
  )
  if (!found) {
    throw notFound('Thread')
  }
  const [summary] = await presentThreads(ctx, actor, access.membership, [found])
  const replies = await queries.listReplies(ctx.db, access.thread.id)
  const viewer = viewerOf(actor, access.membership)
  const flags = await queries.listOpenFlagCounts(
    ctx.db,
    replies.map((r) => r.id),
    actor.userId,
  )
  return {
    ...summary!,
    replies: replies
      // Hidden replies keep their place (with the reason) so a conversation stays readable.
      .map((reply) =>
        toComment(reply, viewer, {
          count: flags.counts.get(reply.id) ?? 0,
          mine: flags.mine.has(reply.id),
        }),
      ),
  }
}

async function presentComment(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  row: CommentRow,
): Promise<Comment> {
  const flags = await queries.listOpenFlagCounts(ctx.db, [row.id], actor.userId)
  return toComment(row, viewerOf(actor, membership), {
    count: flags.counts.get(row.id) ?? 0,
    mine: flags.mine.has(row.id),
  })
}

/**
 * Lists the threads of a process that match the filters, one page at a time, newest
 * activity first, most endorsed first, or in section order (documents by title, sections as
 * they stand in each document). Hidden threads are listed for moderators only, when asked.
 */
export async function listThreads(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  query: ThreadListQuery,
): Promise<ThreadPage> {
  const moderator = can(membership.role, 'threads.moderate')
  if (query.hidden !== undefined && query.hidden !== 'exclude' && !moderator) {
    throw forbidden('Only moderators see hidden threads')
  }
  const filters: queries.ThreadFilters = {
    processId: membership.processId,
    documentId: query.document,
    sectionId: query.section,
    group: query.group,
    kind: query.kind,
    status: query.status,
    authorId: query.author,
    consultationId: query.consultation,
    origin: query.origin,
    q: query.q?.trim() || undefined,
    hidden: moderator ? (query.hidden ?? 'exclude') : 'exclude',
    ...(moderator ? {} : { ownHiddenOf: actor.userId }),
  }
  const limit = query.limit ?? 50
  const offset = query.offset ?? 0
  const sort = query.sort ?? 'recent'
  if (sort !== 'section') {
    const page = await queries.listThreads(ctx.db, filters, { sort, limit, offset, moderator })
    return { items: await presentThreads(ctx, actor, membership, page.items), total: page.total }
  }
  const keys = await queries.listThreadKeys(ctx.db, filters)
  const order = new Map<string, Map<string, number>>()
  for (const documentId of new Set(keys.map((k) => k.document_id))) {
    const sections = await currentSections(ctx.db, documentId)
    order.set(documentId, new Map(sections.map((s, i) => [s.id ?? '', i])))
  }
  const position = (k: (typeof keys)[number]) =>
    order.get(k.document_id)?.get(k.section_id) ?? Number.MAX_SAFE_INTEGER
  keys.sort(
    (a, b) =>
      a.document_title.localeCompare(b.document_title) ||
      a.document_id.localeCompare(b.document_id) ||
      position(a) - position(b) ||
      a.number - b.number,
  )
  const pageIds = keys.slice(offset, offset + limit).map((k) => k.id)
  const byId = new Map(
    (await queries.listThreadsByIds(ctx.db, pageIds, moderator)).map((f) => [f.thread.id, f]),
  )
  const items = pageIds
    .map((id) => byId.get(id))
    .filter((f): f is queries.ThreadWithRoot => f !== undefined)
  return { items: await presentThreads(ctx, actor, membership, items), total: keys.length }
}

/** One thread with its replies, as the caller may see it. */
export async function getThread(ctx: Ctx, actor: Actor, access: ThreadAccess): Promise<Thread> {
  return presentThread(ctx, actor, access)
}

/** Open threads per section of a document, per stakeholder group of their authors; hidden threads never count. */
export async function countThreads(ctx: Ctx, documentId: string): Promise<SectionThreadCount[]> {
  const rows = await queries.countOpenThreads(ctx.db, documentId)
  const bySection = new Map<string, SectionThreadCount>()
  for (const row of rows) {
    const entry = bySection.get(row.section_id) ?? {
      sectionId: row.section_id,
      open: 0,
      byGroup: {},
    }
    entry.open += Number(row.n)
    entry.byGroup[row.author_group] = (entry.byGroup[row.author_group] ?? 0) + Number(row.n)
    bySection.set(row.section_id, entry)
  }
  return [...bySection.values()]
}

// Posting is limited per person across instances, counted in PostgreSQL (issue 5, item 9).
// Inside the transaction that posts, under a per-person lock, so parallel requests cannot all
// pass the count before any of them is stored.
async function checkPostingRate(db: Executor, userId: string): Promise<void> {
  await queries.lockPoster(db, userId)
  const now = Date.now()
  const lastMinute = await queries.countRecentComments(db, userId, new Date(now - 60_000))
  const lastHour =
    lastMinute >= LIMITS.commentsPerMinute
      ? lastMinute
      : await queries.countRecentComments(db, userId, new Date(now - 3_600_000))
  if (lastMinute >= LIMITS.commentsPerMinute || lastHour >= LIMITS.commentsPerHour) {
    throw new AppError(429, 'rate_limited', 'You are posting too fast; wait a moment and try again')
  }
}

function authorOf(actor: Actor, membership: MembershipContext) {
  return {
    author_id: actor.userId,
    author_name: actor.name,
    author_group: membership.stakeholderGroup,
    author_organisation: membership.organisation,
    author_role: membership.role,
  }
}

/**
 * Starts a thread on a section of a document, optionally anchored to a passage, with the
 * author's name, stakeholder group, organisation and role as they are now. The section must
 * be in the document's stored content; a proposed change to a passage must lie within one
 * paragraph. Mentioned members are notified.
 */
export async function createThread(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  document: DocumentRow,
  body: CreateThreadBody,
): Promise<Thread> {
  if (body.kind === 'proposal' && !body.proposal) {
    throw badRequest('A proposed change needs its replacement text', [
      { path: 'body/proposal', message: 'is required for a proposal' },
    ])
  }
  if (body.kind !== 'proposal' && body.proposal) {
    throw badRequest('Only a proposal carries a proposed change', [
      { path: 'body/proposal', message: 'is only for kind "proposal"' },
    ])
  }
  if (body.proposal?.scope === 'range' && !body.anchor) {
    throw badRequest('A proposed change to a passage needs the passage', [
      { path: 'body/anchor', message: 'is required for scope "range"' },
    ])
  }
  if (body.anchor && !decodeAnchor(body.anchor)) {
    throw badRequest('The anchor is not a pair of Yjs relative positions', [
      { path: 'body/anchor', message: 'is malformed' },
    ])
  }
  const sections = await currentSections(ctx.db, document.id)
  const section = sections.find((s) => s.id === body.sectionId)
  if (!section) {
    throw conflict('That section is not in the document (any more); reload and try again')
  }
  const quote = body.anchor
    ? await readAnchoredPassage(ctx, document.id, section.id!, body.anchor, {
        rangeProposal: body.proposal?.scope === 'range',
      })
    : null
  // The text the thread is written on, read before the transaction (a consistent read is a
  // transaction of its own); it is the same text the section check above read.
  const live = await currentContent(ctx.db, document.id)
  const { thread, root } = await inTransaction(ctx.db, async (trx) => {
    await checkPostingRate(trx, actor.userId)
    const number = await queries.nextThreadNumber(trx, membership.processId)
    const thread = await queries.insertThread(trx, {
      process_id: membership.processId,
      document_id: document.id,
      number,
      section_id: section.id!,
      section_title: section.title,
      kind: body.kind,
      anchor_start: body.anchor?.start ?? null,
      anchor_end: body.anchor?.end ?? null,
      quote,
      proposal_scope: body.proposal?.scope ?? null,
      proposal_text: body.proposal?.text ?? null,
      created_by: actor.userId,
    })
    await recordWrittenText(trx, thread, live?.content)
    const root = await queries.insertComment(trx, {
      thread_id: thread.id,
      process_id: membership.processId,
      is_root: true,
      body: body.body,
      ...authorOf(actor, membership),
    })
    return { thread, root }
  })
  announceThread(ctx, thread, false)
  await notify(ctx, actor, membership, thread, root, { mentionsIn: body.body })
  return presentThread(ctx, actor, { thread, root, membership })
}

/**
 * Checks that an anchor (a pair of Yjs relative positions) points at a passage of the stored
 * document inside the section `sectionId`, and returns the quote to keep: the server's reading
 * of it, not what the client claimed (or the client's quote for a passage over several
 * paragraphs, which the server cannot read across runs). A proposed change to the passage
 * (`rangeProposal`) must stay within one paragraph. Throws 400 for a malformed anchor, one
 * outside the section or an empty passage, and 409 when the passage is not saved yet.
 */
export async function readAnchoredPassage(
  ctx: Ctx,
  documentId: string,
  sectionId: string,
  anchor: { start: string; end: string; quote: string },
  options: { rangeProposal: boolean },
): Promise<string> {
  const positions = decodeAnchor(anchor)
  if (!positions) {
    throw badRequest('The anchor is not a pair of Yjs relative positions', [
      { path: 'body/anchor', message: 'is malformed' },
    ])
  }
  const { result } = await prepareServerEdit(ctx.db, documentId, (doc, fragment) => {
    const range = resolveAnchor(doc, positions)
    if (typeof range === 'string') {
      return range
    }
    return isInSection(fragment, range.text, sectionId)
      ? textBetween(range.text, range.from, range.to)
      : ('elsewhere' as const)
  })
  if (result === 'spans' && options.rangeProposal) {
    throw badRequest('A proposed change to a passage must stay within one paragraph', [
      {
        path: 'body/anchor',
        message: 'spans several paragraphs; propose a change to the whole section instead',
      },
    ])
  }
  if (result === 'unknown' || result === 'gone') {
    throw conflict('That passage is not in the saved document (yet); try again in a moment')
  }
  if (result === 'elsewhere') {
    throw badRequest('The passage is not in that section', [
      { path: 'body/anchor', message: 'lies outside the section' },
    ])
  }
  const quote =
    result === 'spans'
      ? anchor.quote
      : result.trim().length > 0
        ? result.slice(0, LIMITS.quoteMax)
        : null
  if (quote === null) {
    throw badRequest('The passage is empty', [{ path: 'body/anchor', message: 'encloses no text' }])
  }
  return quote
}

/** Adds a reply to a thread (replies nest one level). A withdrawn or hidden thread takes no replies. */
export async function reply(
  ctx: Ctx,
  actor: Actor,
  access: ThreadAccess,
  body: string,
): Promise<Comment> {
  if (access.root.withdrawn_at !== null || access.root.hidden_at !== null) {
    throw conflict('This thread was withdrawn or hidden and takes no replies')
  }
  const row = await inTransaction(ctx.db, async (trx) => {
    await checkPostingRate(trx, actor.userId)
    const inserted = await queries.insertComment(trx, {
      thread_id: access.thread.id,
      process_id: access.thread.process_id,
      is_root: false,
      body,
      ...authorOf(actor, access.membership),
    })
    await queries.touchThread(trx, access.thread.id)
    return inserted
  })
  announceThread(ctx, access.thread, false)
  await notify(ctx, actor, access.membership, access.thread, row, {
    mentionsIn: body,
    replyTo: access.root,
  })
  return presentComment(ctx, actor, access.membership, row)
}

/**
 * Changes the text of the caller's own comment within the edit window. The earlier text is
 * kept as a revision and the comment shows as edited; newly mentioned members are notified.
 */
export async function editComment(
  ctx: Ctx,
  actor: Actor,
  access: CommentAccess,
  body: string,
): Promise<Comment> {
  const row = await inTransaction(ctx.db, async (trx) => {
    const comment = await queries.lockComment(trx, access.comment.id)
    if (!comment || comment.author_id !== actor.userId) {
      throw forbidden('Only the author may edit this')
    }
    if (comment.withdrawn_at !== null || comment.hidden_at !== null) {
      throw conflict('A withdrawn or hidden comment cannot be edited')
    }
    if (!editWindowOpen(comment)) {
      throw conflict(
        `Comments can be edited for ${LIMITS.commentEditWindowMinutes} minutes after posting`,
      )
    }
    if (comment.body === body) {
      return comment
    }
    await queries.insertRevision(trx, comment.id, comment.body)
    const updated = await queries.updateComment(trx, comment.id, {
      body,
      edited_at: new Date().toISOString(),
    })
    await queries.touchThread(trx, comment.thread_id)
    return updated
  })
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  await notify(ctx, actor, access.membership, access.thread, row, { mentionsIn: body })
  return presentComment(ctx, actor, access.membership, row)
}

/** Withdraws the caller's own comment: its text is no longer shown, and a placeholder keeps its place. */
export async function withdrawComment(
  ctx: Ctx,
  actor: Actor,
  access: CommentAccess,
): Promise<Comment> {
  const row = await inTransaction(ctx.db, async (trx) => {
    const comment = await queries.lockComment(trx, access.comment.id)
    if (!comment || comment.author_id !== actor.userId) {
      throw forbidden('Only the author may withdraw this')
    }
    if (comment.withdrawn_at !== null) {
      throw conflict('This was withdrawn already')
    }
    const updated = await queries.updateComment(trx, comment.id, {
      withdrawn_at: new Date().toISOString(),
    })
    await queries.touchThread(trx, comment.thread_id)
    return updated
  })
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  return presentComment(ctx, actor, access.membership, row)
}

async function endorsementsOf(ctx: Ctx, actor: Actor, threadId: string): Promise<Endorsements> {
  const { byThread, mine } = await queries.listEndorsements(ctx.db, [threadId], actor.userId)
  const byGroup = byThread.get(threadId) ?? {}
  return {
    total: Object.values(byGroup).reduce((sum, n) => sum + n, 0),
    byGroup,
    mine: mine.has(threadId),
  }
}

/**
 * Endorses a thread for the caller, counted under their stakeholder group as it is now.
 * Endorsing twice, even in parallel requests, counts once.
 */
export async function endorse(ctx: Ctx, actor: Actor, access: ThreadAccess): Promise<Endorsements> {
  if (access.root.withdrawn_at !== null) {
    throw conflict('A withdrawn thread cannot be endorsed')
  }
  await queries.insertEndorsement(ctx.db, {
    thread_id: access.thread.id,
    user_id: actor.userId,
    stakeholder_group: access.membership.stakeholderGroup,
    organisation: access.membership.organisation,
  })
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  return endorsementsOf(ctx, actor, access.thread.id)
}

/** Withdraws the caller's endorsement, if they gave one. */
export async function unendorse(
  ctx: Ctx,
  actor: Actor,
  access: ThreadAccess,
): Promise<Endorsements> {
  await queries.deleteEndorsement(ctx.db, access.thread.id, actor.userId)
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  return endorsementsOf(ctx, actor, access.thread.id)
}

/** Resolves an open thread, or reopens a resolved or accepted one, recording who did it. */
export async function setThreadStatus(
  ctx: Ctx,
  actor: Actor,
  access: ThreadAccess,
  next: 'resolved' | 'open',
  origin: Origin,
): Promise<Thread> {
  await inTransaction(ctx.db, async (trx) => {
    const thread = await queries.lockThread(trx, access.thread.id)
    if (!thread) {
      throw notFound('Thread')
    }
    if (next === 'resolved' && thread.status !== 'open') {
      throw conflict('Only an open thread can be resolved')
    }
    if (next === 'open' && thread.status === 'open') {
      throw conflict('This thread is open already')
    }
    await queries.updateThread(trx, thread.id, {
      status: next,
      status_by_name: actor.name,
      status_at: new Date().toISOString(),
      last_activity_at: new Date().toISOString(),
    })
    await recordAudit(trx, origin, {
      processId: thread.process_id,
      action: next === 'resolved' ? 'thread.resolved' : 'thread.reopened',
      targetType: 'thread',
      targetId: thread.id,
      details: { number: thread.number },
    })
  })
  announceThread(ctx, access.thread, access.root.hidden_at !== null)
  return presentThread(ctx, actor, access)
}

/**
 * The checks before a proposed change can be applied, and the edit that applies it to a
 * scratch document: what `applyProposal` commits and `previewProposal` only shows.
 */
function proposalEdit(access: ThreadAccess, force: boolean) {
  const { thread } = access
  if (thread.kind !== 'proposal' || thread.proposal_scope === null) {
    throw conflict('This thread proposes no change')
  }
  if (thread.status === 'accepted' || thread.applied !== null) {
    // Reopening an accepted proposal does not make it applicable again: applied twice, it
    // would undo what was written since.
    throw conflict('This proposed change was applied already')
  }
  if (access.root.withdrawn_at !== null) {
    throw conflict('The proposal was withdrawn by its author')
  }
  const replacement = thread.proposal_text ?? ''
  const scope = thread.proposal_scope as 'range' | 'section'
  const prepare = (doc: Y.Doc, fragment: Y.XmlFragment): EditOutcome => {
    if (scope === 'section') {
      const replaced = replaceSectionText(doc, fragment, thread.section_id, replacement)
      return replaced === null ? { error: 'The section is no longer in the document' } : replaced
    }
    const positions = decodeAnchor({
      start: thread.anchor_start ?? '',
      end: thread.anchor_end ?? '',
    })
    const range = positions ? resolveAnchor(doc, positions) : 'unknown'
    if (range === 'gone' || range === 'unknown') {
      return { error: 'The passage this change was proposed for is no longer in the document' }
    }
    if (range === 'spans') {
      return { error: 'The passage now spans several paragraphs; edit it by hand' }
    }
    if (textBetween(range.text, range.from, range.to) !== (thread.quote ?? '') && !force) {
      return {
        error: 'The passage changed since the proposal; apply anyway to replace its current text',
        passageChanged: true,
      }
    }
    return replaceRange(doc, range, replacement)
  }
  return { replacement, scope, prepare }
}

/**
 * What applying a thread's proposed change would do to the live document now, without doing
 * it (issue 15, item 3): the current text of the passage or section and the text that would
 * replace it, so the person applying sees the change and confirms it. The same refusals as
 * `applyProposal`; a passage that changed since the proposal is shown with its current text
 * and `passageChanged`. Nothing is written.
 */
export async function previewProposal(ctx: Ctx, access: ThreadAccess): Promise<ApplyPreview> {
  const { replacement, scope, prepare } = proposalEdit(access, true)
  const edit = await inTransaction(ctx.db, (trx) =>
    editDocumentIn(trx, access.thread.document_id, (doc, fragment) => {
      const outcome = prepare(doc, fragment)
      return { result: outcome, keep: false }
    }),
  )
  const outcome = edit.result
  if ('error' in outcome) {
    throw conflict(outcome.error)
  }
  // `prepare` ran as if forced, so a changed passage shows with its current text.
  const passageChanged = scope === 'range' && outcome.before !== (access.thread.quote ?? '')
  return { scope, before: outcome.before, after: replacement, passageChanged }
}

/**
 * Applies a thread's proposed change to the live document, through the collaboration layer:
 * the edit is one Yjs update appended to the document's log, and every open editor receives
 * it like any collaborator's change. A passage proposal replaces the anchored passage (refused
 * with 409 when the passage was deleted, or changed since the proposal unless `force`); a
 * section proposal replaces the section's text below its heading. The thread records what
 * changed and is marked accepted, in the same transaction as the edit.
 */
export async function applyProposal(
  ctx: Ctx,
  actor: Actor,
  access: ThreadAccess,
  body: ApplyBody,
  origin: Origin,
): Promise<Thread> {
  const { thread } = access
  const { replacement, scope, prepare } = proposalEdit(access, body.force === true)
  const at = new Date().toISOString()
  // One transaction: the thread's row lock and the document's edit lock make concurrent
  // applies take turns, and each reads the log with every earlier apply in it.
  const seq = await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockThread(trx, thread.id)
    if (!locked || locked.status === 'accepted' || locked.applied !== null) {
      throw conflict('This proposed change was applied already')
    }
    const edit = await editDocumentIn(trx, thread.document_id, (doc, fragment) => {
      const outcome = prepare(doc, fragment)
      return { result: outcome, keep: !('error' in outcome) }
    })
    const outcome = edit.result
    if ('error' in outcome) {
      throw new AppError(
        409,
        'conflict',
        outcome.error,
        outcome.passageChanged ? { passageChanged: true } : undefined,
      )
    }
    const applied: AppliedRecord = {
      by: actor.name,
      at,
      scope,
      before: outcome.before,
      after: replacement,
      undo: outcome.undo,
    }
    await queries.updateThread(trx, thread.id, {
      status: 'accepted',
      status_by_name: actor.name,
      status_at: at,
      last_activity_at: at,
      applied: JSON.stringify(applied),
    })
    await recordAudit(trx, origin, {
      processId: thread.process_id,
      action: 'thread.applied',
      targetType: 'thread',
      targetId: thread.id,
      details: { number: thread.number, documentId: thread.document_id, scope },
    })
    return edit.seq
  })
  // After the commit: rooms relay the change, and nobody is told of an edit that could still roll back.
  if (seq !== undefined) {
    ctx.events.emit('document.appended', { documentId: thread.document_id, seq })
  }
  announceThread(ctx, thread, access.root.hidden_at !== null)
  return presentThread(ctx, actor, access)
}

/**
 * Undoes an applied change (issue 15, item 3): a second Yjs edit, made on the server as the
 * apply was, that puts back the passage or the section's blocks as they were before, formatting
 * and all. Refused with 409, changing nothing, when the text the change wrote was edited since
 * (undoing would throw that work away) or the thread has no applied change to undo. The thread
 * is open again, its proposal applicable again; the undo is in the activity log.
 */
export async function undoApplied(
  ctx: Ctx,
  actor: Actor,
  access: ThreadAccess,
  origin: Origin,
): Promise<Thread> {
  const { thread } = access
  const at = new Date().toISOString()
  const seq = await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockThread(trx, thread.id)
    if (!locked || locked.applied === null) {
      throw conflict('This thread has no applied change to undo')
    }
    const { undo } = locked.applied
    if (undo === undefined) {
      throw conflict('This change was applied before undo was kept; edit the text by hand')
    }
    const edit = await editDocumentIn(trx, locked.document_id, (doc, fragment) => {
      const refused = undoReplacement(doc, fragment, undo)
      return { result: refused, keep: refused === null }
    })
    if (edit.result !== null) {
      throw conflict(edit.result.error)
    }
    await queries.updateThread(trx, locked.id, {
      status: 'open',
      status_by_name: actor.name,
      status_at: at,
      last_activity_at: at,
      applied: null,
    })
    await recordAudit(trx, origin, {
      processId: locked.process_id,
      action: 'thread.undone',
      targetType: 'thread',
      targetId: locked.id,
      details: { number: locked.number, documentId: locked.document_id, scope: undo.scope },
    })
    return edit.seq
  })
  if (seq !== undefined) {
    ctx.events.emit('document.appended', { documentId: thread.document_id, seq })
  }
  announceThread(ctx, thread, access.root.hidden_at !== null)
  return presentThread(ctx, actor, access)
}

/** Flags a comment for the moderators, with a reason; one open flag per member and comment. */
export async function flagComment(
  ctx: Ctx,
  actor: Actor,
  access: CommentAccess,
  reason: string,
): Promise<void> {
  if (access.comment.hidden_at !== null) {
    throw conflict('This is hidden already')
  }
  const { mine } = await queries.listOpenFlagCounts(ctx.db, [access.comment.id], actor.userId)
  if (mine.has(access.comment.id)) {
    throw conflict('You flagged this already')
  }
  await queries.insertFlag(ctx.db, {
    comment_id: access.comment.id,
    process_id: access.thread.process_id,
    user_id: actor.userId,
    user_name: actor.name,
    reason,
  })
  announceThread(ctx, access.thread, true)
}

/**
 * A moderator's decision on a comment, with a reason, recorded in the moderation log in the
 * same transaction: `hide` keeps the item stored and visible to moderators only (a hidden
 * root hides the whole thread), `restore` shows it again, `dismiss-flags` closes the open
 * flags and leaves the item as it is.
 */
export async function moderate(
  ctx: Ctx,
  actor: Actor,
  access: CommentAccess,
  action: ModerationAction,
  reason: string,
): Promise<Comment> {
  // Whether only moderators knew the comment: hiding one that awaited approval tells no one else.
  let wasPending = false
  let hiddenNotice: Awaited<ReturnType<typeof noticeHidden>>
  const row = await inTransaction(ctx.db, async (trx) => {
    const comment = await queries.lockComment(trx, access.comment.id)
    if (!comment) {
      throw notFound('Comment')
    }
    wasPending = comment.pending
    let updated = comment
    switch (action) {
      case 'hide':
        // A public comment awaiting approval may be hidden instead: it then shows the reason.
        if (comment.hidden_at !== null && !comment.pending) {
          throw conflict('This is hidden already')
        }
        updated = await queries.updateComment(trx, comment.id, {
          hidden_at: new Date().toISOString(),
          hidden_by_name: actor.name,
          hidden_reason: reason,
          pending: false,
        })
        await queries.closeFlags(trx, comment.id)
        break
      case 'restore':
        if (comment.hidden_at === null) {
          throw conflict('This is not hidden')
        }
        if (comment.pending) {
          throw conflict('This awaits approval; approve it to publish it')
        }
        updated = await queries.updateComment(trx, comment.id, {
          hidden_at: null,
          hidden_by_name: null,
          hidden_reason: null,
        })
        break
      case 'approve':
        if (!comment.pending) {
          throw conflict('This is not awaiting approval')
        }
        updated = await queries.updateComment(trx, comment.id, {
          hidden_at: null,
          hidden_by_name: null,
          hidden_reason: null,
          pending: false,
        })
        break
      case 'dismiss-flags':
        if ((await queries.closeFlags(trx, comment.id)) === 0) {
          throw conflict('There are no open flags on this')
        }
        break
    }
    await queries.insertModerationEntry(trx, {
      process_id: comment.process_id,
      comment_id: comment.id,
      thread_id: comment.thread_id,
      action,
      reason,
      moderator_id: actor.userId,
      moderator_name: actor.name,
    })
    if (action === 'hide' && comment.author_id !== null && comment.author_id !== actor.userId) {
      hiddenNotice = await noticeHidden(trx, actor, access, comment.author_id, reason)
    }
    return updated
  })
  if (hiddenNotice) {
    ctx.events.emit('notification.created', hiddenNotice.event)
    mailHiddenNotice(ctx, access, hiddenNotice.email)
  }
  // Hiding and restoring are announced to every page, which fetch the thread again and get
  // the placeholder (or a 404 for a hidden thread): the event names only a thread they knew.
  // Dismissed flags concern moderators alone, and so does refusing a comment that awaited
  // approval: members never saw its thread, so the event must not name it to them.
  announceThread(
    ctx,
    access.thread,
    action === 'dismiss-flags' || (action === 'hide' && wasPending),
  )
  return presentComment(ctx, actor, access.membership, row)
}

/**
 * Tells a comment's author, in their inbox, that a moderator hid it and why (issue 15, item 2),
 * inside the transaction that hid it. Someone no longer a member gets nothing. Returns what
 * to announce and whom to mail once the change is committed.
 */
async function noticeHidden(
  trx: Executor,
  actor: Actor,
  access: CommentAccess,
  authorId: string,
  reason: string,
) {
  const [author] = await queries.listMembersAmong(trx, access.thread.process_id, [authorId])
  if (!author) {
    return undefined
  }
  const [row] = await insertNotifications(trx, [
    {
      user_id: author.id,
      process_id: access.thread.process_id,
      thread_id: access.thread.id,
      comment_id: access.comment.id,
      kind: 'hidden',
      actor_name: actor.name,
      reason,
    },
  ])
  if (!row) {
    return undefined
  }
  return {
    event: { userId: row.user_id, notificationId: row.id },
    email: { to: author.email, locale: author.locale },
  }
}

// The e-mail says where, never what: neither the comment's text nor the reason leaves the
// server by mail (a mailbox is less private than the inbox); the link opens the thread.
function mailHiddenNotice(
  ctx: Ctx,
  access: CommentAccess,
  to: { to: string; locale: string | null },
) {
  if (!ctx.config.smtpUrl) {
    return
  }
  const link = new URL(
    `/documents/${access.thread.document_id}?thread=${access.thread.id}`,
    ctx.config.publicUrl,
  ).toString()
  const mail = hiddenNoticeMail(
    to.to,
    link,
    {
      processTitle: access.membership.processTitle,
      threadNumber: access.thread.number,
      sectionTitle: access.thread.section_title,
    },
    uiLanguageOf(to.locale),
  )
  setImmediate(() => {
    ctx.mailer
      .send(mail)
      .catch((error: unknown) => ctx.log.error({ err: error }, 'could not send a hidden notice'))
  })
}

/** The moderation queue: comments with open flags, or hidden ones, with their threads and flags. */
export async function moderationQueue(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  state: 'flagged' | 'hidden' | 'pending',
): Promise<ModerationItem[]> {
  const rows = await queries.listModerationComments(ctx.db, membership.processId, state)
  const ids = rows.map((row) => row.id)
  const [flags, counts] = await Promise.all([
    queries.listFlags(ctx.db, ids, state === 'flagged'),
    queries.listOpenFlagCounts(ctx.db, ids, actor.userId),
  ])
  const viewer = viewerOf(actor, membership)
  return rows.map((row) => ({
    comment: toComment(row, viewer, {
      count: counts.counts.get(row.id) ?? 0,
      mine: counts.mine.has(row.id),
    }),
    thread: {
      id: row.thread_id,
      number: row.thread_number,
      documentId: row.document_id,
      sectionTitle: row.section_title,
      kind: row.thread_kind as ModerationItem['thread']['kind'],
    },
    isThreadRoot: row.is_root,
    flags: flags
      .filter((flag) => flag.comment_id === row.id)
      .map((flag) => ({
        reason: flag.reason,
        by: flag.user_name,
        at: new Date(flag.created_at).toISOString(),
      })),
  }))
}

/** The newest entries of a process's moderation log. */
export async function moderationLog(
  ctx: Ctx,
  membership: MembershipContext,
): Promise<ModerationLogEntry[]> {
  const rows = await queries.listModerationLog(ctx.db, membership.processId, LIMITS.pageSizeMax)
  return rows.map(toModerationLogEntry)
}

/** Whether a member may still see a process's threads live: the same rule as the list route. */
export function canWatch(membership: MembershipContext): boolean {
  return (
    can(membership.role, 'threads.read') &&
    (!membership.archived || ALLOWED_WHEN_ARCHIVED.has('threads.read'))
  )
}

/** Whether a member moderates, so that live events of hidden threads may reach them. */
export function isModerator(membership: MembershipContext): boolean {
  return can(membership.role, 'threads.moderate')
}

/** Tells live views that a thread changed; `hidden` keeps the event to moderators. */
export function announceThread(ctx: Ctx, thread: ThreadRow, hidden: boolean): void {
  ctx.events.emit('thread.changed', {
    processId: thread.process_id,
    documentId: thread.document_id,
    threadId: thread.id,
    sectionId: thread.section_id,
    hidden,
  })
}

// Mentions of members (never of oneself) and, for a reply, the thread's author get a
// notification; by e-mail too when SMTP is configured. The e-mail names who and where only.
async function notify(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  thread: ThreadRow,
  comment: CommentRow,
  about: { mentionsIn: string; replyTo?: CommentRow },
): Promise<void> {
  // A post notifies at most MENTIONS_MAX people by mention: enough for a working group, not a mailing list.
  const mentioned = mentionedUserIds(about.mentionsIn).slice(0, MENTIONS_MAX)
  const replyAuthor = about.replyTo?.author_id ?? null
  const candidates = [...new Set([...mentioned, ...(replyAuthor ? [replyAuthor] : [])])].filter(
    (id) => id !== actor.userId,
  )
  if (candidates.length === 0) {
    return
  }
  const members = await queries.listMembersAmong(ctx.db, thread.process_id, candidates)
  const kindOf = (userId: string) => (mentioned.includes(userId) ? 'mention' : 'reply')
  const inserted = await insertNotifications(
    ctx.db,
    members.map((member) => ({
      user_id: member.id,
      process_id: thread.process_id,
      thread_id: thread.id,
      comment_id: comment.id,
      kind: kindOf(member.id),
      actor_name: actor.name,
    })),
  )
  for (const row of inserted) {
    ctx.events.emit('notification.created', { userId: row.user_id, notificationId: row.id })
  }
  if (!ctx.config.smtpUrl) {
    return
  }
  const link = new URL(
    `/documents/${thread.document_id}?thread=${thread.id}`,
    ctx.config.publicUrl,
  ).toString()
  const mails = inserted.flatMap((row) => {
    const member = members.find((m) => m.id === row.user_id)
    return member
      ? [
          notificationMail(
            member.email,
            link,
            {
              kind: kindOf(member.id),
              actorName: actor.name,
              processTitle: membership.processTitle,
              threadNumber: thread.number,
              sectionTitle: thread.section_title,
            },
            uiLanguageOf(member.locale),
          ),
        ]
      : []
  })
  // E-mail goes out after the answer: a slow mail server must not hold the post (the mailer
  // logs its own failures; what was posted is committed either way).
  setImmediate(() => {
    void (async () => {
      for (const mail of mails) {
        await ctx.mailer.send(mail)
      }
    })().catch((error: unknown) =>
      ctx.log.error({ err: error }, 'could not send notification e-mails'),
    )
  })
}

/** A thread as the demo (or an import of earlier discussions) records it, written directly. */
export interface SeedThread {
  processId: string
  documentId: string
  sectionId: string
  sectionTitle: string
  kind: 'comment' | 'question' | 'proposal'
  author: SeedAuthor
  body: string
  anchor?: { start: string; end: string; quote: string }
  proposal?: { scope: 'range' | 'section'; text: string }
  replies?: {
    author: SeedAuthor
    body: string
    hiddenBy?: { name: string; userId: string; reason: string }
    flaggedBy?: { name: string; userId: string; reason: string }
  }[]
  endorsedBy?: { userId: string; group: string; organisation: string }[]
  resolvedBy?: string
  /** When the thread was opened and resolved, for a demo thread with a history; else now. */
  dates?: { openedAt: Date; resolvedAt: Date }
}

/** Who wrote a seeded item, as they were then. */
export interface SeedAuthor {
  userId: string
  name: string
  group: string
  organisation: string
  role: string
}

/**
 * Writes a thread with its replies, endorsements, flags and moderation decisions inside an
 * existing transaction, without the checks and events of the request path: for the demo.
 * Moderation decisions still go into the moderation log, and mentions still notify.
 */
export async function insertSeedThread(trx: Executor, seed: SeedThread): Promise<string> {
  const number = await queries.nextThreadNumber(trx, seed.processId)
  const thread = await queries.insertThread(trx, {
    process_id: seed.processId,
    document_id: seed.documentId,
    number,
    section_id: seed.sectionId,
    section_title: seed.sectionTitle,
    kind: seed.kind,
    status: seed.resolvedBy ? 'resolved' : 'open',
    status_by_name: seed.resolvedBy ?? null,
    status_at: seed.resolvedBy ? (seed.dates?.resolvedAt ?? new Date()).toISOString() : null,
    ...(seed.dates
      ? {
          created_at: seed.dates.openedAt.toISOString(),
          last_activity_at: seed.dates.resolvedAt.toISOString(),
        }
      : {}),
    anchor_start: seed.anchor?.start ?? null,
    anchor_end: seed.anchor?.end ?? null,
    quote: seed.anchor?.quote ?? null,
    proposal_scope: seed.proposal?.scope ?? null,
    proposal_text: seed.proposal?.text ?? null,
    created_by: seed.author.userId,
  })
  await recordWrittenText(trx, thread)
  const asAuthor = (author: SeedAuthor) => ({
    author_id: author.userId,
    author_name: author.name,
    author_group: author.group,
    author_organisation: author.organisation,
    author_role: author.role,
  })
  const root = await queries.insertComment(trx, {
    thread_id: thread.id,
    process_id: seed.processId,
    is_root: true,
    body: seed.body,
    ...asAuthor(seed.author),
    ...(seed.dates ? { created_at: seed.dates.openedAt.toISOString() } : {}),
  })
  const mentions = async (comment: CommentRow, author: SeedAuthor) => {
    const ids = mentionedUserIds(comment.body).filter((id) => id !== author.userId)
    await insertNotifications(
      trx,
      ids.map((id) => ({
        user_id: id,
        process_id: seed.processId,
        thread_id: thread.id,
        comment_id: comment.id,
        kind: 'mention',
        actor_name: author.name,
      })),
    )
  }
  await mentions(root, seed.author)
  for (const item of seed.replies ?? []) {
    const reply = await queries.insertComment(trx, {
      thread_id: thread.id,
      process_id: seed.processId,
      is_root: false,
      body: item.body,
      ...asAuthor(item.author),
      ...(seed.dates ? { created_at: seed.dates.resolvedAt.toISOString() } : {}),
    })
    await mentions(reply, item.author)
    if (item.flaggedBy) {
      await queries.insertFlag(trx, {
        comment_id: reply.id,
        process_id: seed.processId,
        user_id: item.flaggedBy.userId,
        user_name: item.flaggedBy.name,
        reason: item.flaggedBy.reason,
      })
    }
    if (item.hiddenBy) {
      await queries.updateComment(trx, reply.id, {
        hidden_at: new Date().toISOString(),
        hidden_by_name: item.hiddenBy.name,
        hidden_reason: item.hiddenBy.reason,
      })
      await queries.closeFlags(trx, reply.id)
      await queries.insertModerationEntry(trx, {
        process_id: seed.processId,
        comment_id: reply.id,
        thread_id: thread.id,
        action: 'hide',
        reason: item.hiddenBy.reason,
        moderator_id: item.hiddenBy.userId,
        moderator_name: item.hiddenBy.name,
      })
    }
  }
  for (const endorser of seed.endorsedBy ?? []) {
    await queries.insertEndorsement(trx, {
      thread_id: thread.id,
      user_id: endorser.userId,
      stakeholder_group: endorser.group,
      organisation: endorser.organisation,
    })
  }
  return thread.id
}

/**
 * Hides a thread's opening comment inside an existing transaction, with its moderation-log
 * entry, without the checks and events of the request path: for the demo.
 */
export async function hideSeedThread(
  trx: Executor,
  threadId: string,
  moderator: { userId: string; name: string },
  reason: string,
): Promise<void> {
  const root = await queries.findRootComment(trx, threadId)
  await queries.updateComment(trx, root.id, {
    hidden_at: new Date().toISOString(),
    hidden_by_name: moderator.name,
    hidden_reason: reason,
  })
  await queries.insertModerationEntry(trx, {
    process_id: root.process_id,
    comment_id: root.id,
    thread_id: threadId,
    action: 'hide',
    reason,
    moderator_id: moderator.userId,
    moderator_name: moderator.name,
  })
}

/**
 * Inserts a thread and its opening comment inside `trx`, numbered next in its process: for
 * threads that do not come through the members' API (public consultation submissions), whose
 * checks the caller has made.
 */
export async function insertThreadWithRoot(
  trx: Executor,
  thread: Omit<Insertable<ThreadsTable>, 'number'>,
  root: Omit<Insertable<CommentsTable>, 'thread_id' | 'process_id' | 'is_root'>,
): Promise<ThreadRow> {
  const number = await queries.nextThreadNumber(trx, thread.process_id)
  const inserted = await queries.insertThread(trx, { ...thread, number })
  await recordWrittenText(trx, inserted)
  await queries.insertComment(trx, {
    ...root,
    thread_id: inserted.id,
    process_id: thread.process_id,
    is_root: true,
  })
  return inserted
}
