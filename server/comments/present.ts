import type {
  Comment,
  Endorsements,
  ModerationLogEntry,
  ThreadSummary,
} from '../../shared/api/threads'
import { isRole } from '../../shared/domain/roles'
import { LIMITS } from '../../shared/limits'
import type { Disposition } from '../../shared/api/consultations'
import type { CommentRow, ThreadRow } from '../db/database'
import type { ThreadWithRoot } from './queries'

/** What shapes a comment for one viewer: who they are and whether they moderate. */
export interface Viewer {
  userId: string
  moderator: boolean
  /** The viewer may still write here (not an archived process, a role that may post). */
  canPost: boolean
}

const iso = (value: Date | string) => new Date(value).toISOString()

/** Whether the author may still edit a comment: their own, still shown, within the edit window. */
export function editWindowOpen(row: CommentRow, now = Date.now()): boolean {
  return now - new Date(row.created_at).getTime() < LIMITS.commentEditWindowMinutes * 60_000
}

/**
 * A comment as `viewer` may see it. This is where hidden and withdrawn text is kept back:
 * a hidden item shows only the moderator's reason to people who do not moderate, with no
 * author and no text (its own author still sees both, marked hidden); a withdrawn one keeps its author and loses its text (issue 5, items 2 and 7).
 */
export function toComment(
  row: CommentRow,
  viewer: Viewer,
  flags: { count: number; mine: boolean },
): Comment {
  const hidden = row.hidden_at !== null
  const withdrawn = row.withdrawn_at !== null
  const own = row.author_id !== null && row.author_id === viewer.userId
  // Its author still reads their own hidden item, marked with the reason (issue 15, item 2).
  const concealed = hidden && !viewer.moderator && !own
  return {
    id: row.id,
    threadId: row.thread_id,
    author: concealed
      ? null
      : {
          userId: row.author_id,
          name: row.author_name,
          stakeholderGroup: row.author_group,
          organisation: row.author_organisation,
          role: row.author_role !== null && isRole(row.author_role) ? row.author_role : null,
          selfDeclared: row.self_declared,
        },
    body: concealed || withdrawn ? null : row.body,
    createdAt: iso(row.created_at),
    editedAt: row.edited_at ? iso(row.edited_at) : null,
    withdrawn,
    hidden: hidden
      ? {
          reason: row.hidden_reason ?? '',
          at: iso(row.hidden_at!),
          by: viewer.moderator ? row.hidden_by_name : null,
          pending: row.pending,
        }
      : null,
    flagCount: viewer.moderator ? flags.count : 0,
    flaggedByMe: flags.mine,
    canEdit: own && viewer.canPost && !withdrawn && !hidden && editWindowOpen(row),
    canWithdraw: own && viewer.canPost && !withdrawn,
  }
}

/** A thread as lists show it, for one viewer. */
export function toThreadSummary(
  found: ThreadWithRoot,
  viewer: Viewer,
  extra: {
    endorsements: Endorsements
    rootFlags: { count: number; mine: boolean }
    currentTitle: string | undefined
    textChange: ThreadSummary['textChange']
    answeredIn: ThreadSummary['answeredIn']
  },
): ThreadSummary {
  const { thread } = found
  return {
    id: thread.id,
    number: thread.number,
    processId: thread.process_id,
    documentId: thread.document_id,
    documentTitle: found.documentTitle,
    documentLanguage: found.documentLanguage,
    sectionId: thread.section_id,
    sectionTitle: extra.currentTitle ?? thread.section_title,
    sectionRemoved: extra.currentTitle === undefined,
    kind: thread.kind as ThreadSummary['kind'],
    status: thread.status as ThreadSummary['status'],
    anchor:
      thread.anchor_start !== null && thread.anchor_end !== null
        ? { start: thread.anchor_start, end: thread.anchor_end, quote: thread.quote ?? '' }
        : null,
    // A withdrawn proposal's replacement text goes with its author's words.
    proposal:
      thread.proposal_scope !== null && found.root.withdrawn_at === null
        ? { scope: thread.proposal_scope as 'range' | 'section', text: thread.proposal_text ?? '' }
        : null,
    root: toComment(found.root, viewer, extra.rootFlags),
    replyCount: found.replyCount,
    endorsements: extra.endorsements,
    createdAt: iso(thread.created_at),
    lastActivityAt: iso(thread.last_activity_at),
    resolved:
      thread.status !== 'open' && thread.status_by_name !== null && thread.status_at !== null
        ? { by: thread.status_by_name, at: iso(thread.status_at) }
        : null,
    applied:
      thread.applied === null
        ? null
        : {
            by: thread.applied.by,
            at: thread.applied.at,
            scope: thread.applied.scope,
            before: thread.applied.before,
            after: thread.applied.after,
            undoable: thread.applied.undo !== undefined,
          },
    quote: found.root.withdrawn_at === null ? thread.quote : null,
    origin:
      thread.consultation_id !== null && found.consultationSlug !== null
        ? {
            consultationId: thread.consultation_id,
            consultationSlug: found.consultationSlug,
            consultationTitle: found.consultationTitle ?? {},
            submissions: thread.submission_count,
          }
        : null,
    workshop:
      thread.workshop_id !== null
        ? {
            workshopId: thread.workshop_id,
            workshopTitle: found.workshopTitle ?? '',
            recordedBy: found.workshopRecordedBy,
          }
        : null,
    answer: toThreadAnswer(thread, found.answerVersionName),
    textChange: extra.textChange,
    answeredIn: extra.answeredIn,
  }
}

/** A thread's disposition and answer, or null while it has none. */
export function toThreadAnswer(
  thread: ThreadRow,
  versionName: string | null,
): ThreadSummary['answer'] {
  if (thread.disposition === null || thread.answer === null || thread.answered_at === null) {
    return null
  }
  return {
    disposition: thread.disposition as Disposition,
    answer: thread.answer,
    versionId: thread.answer_version_id,
    versionName,
    sectionId: thread.answer_section_id,
    sectionTitle: thread.answer_section_title,
    at: iso(thread.answered_at),
    by: thread.answered_by_name ?? '',
  }
}

/** One moderation log entry. */
export function toModerationLogEntry(row: {
  id: string
  action: string
  reason: string
  moderator_name: string
  comment_id: string
  thread_id: string
  created_at: Date
  thread_number: number
}): ModerationLogEntry {
  return {
    id: Number(row.id),
    action: row.action as ModerationLogEntry['action'],
    reason: row.reason,
    moderator: row.moderator_name,
    commentId: row.comment_id,
    threadId: row.thread_id,
    threadNumber: row.thread_number,
    at: iso(row.created_at),
  }
}
