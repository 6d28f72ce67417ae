import type { Notification } from '../../shared/api/threads'
import { plainExcerpt } from '../../shared/text'

/** One inbox entry; the excerpt is the comment's start as plain text, mentions as names. */
export function toNotification(row: {
  id: string
  kind: string
  process_id: string
  process_title: string
  document_id: string
  thread_id: string
  thread_number: number
  section_title: string
  comment_id: string
  actor_name: string
  reason: string | null
  body: string
  created_at: Date
  read_at: Date | null
}): Notification {
  return {
    id: row.id,
    kind: row.kind as Notification['kind'],
    processId: row.process_id,
    processTitle: row.process_title,
    documentId: row.document_id,
    threadId: row.thread_id,
    threadNumber: row.thread_number,
    sectionTitle: row.section_title,
    commentId: row.comment_id,
    actorName: row.actor_name,
    reason: row.kind === 'hidden' ? (row.reason ?? '') : null,
    excerpt: plainExcerpt(row.body, 160),
    createdAt: new Date(row.created_at).toISOString(),
    read: row.read_at !== null,
  }
}
