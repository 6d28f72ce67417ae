import type { Ok } from '../../shared/api/common'
import type {
  ApplyPreview,
  Comment,
  CreateThreadBody,
  Endorsements,
  ModerationItem,
  ModerationLogEntry,
  NotificationList,
  SectionThreadCount,
  Thread,
  ThreadListQuery,
  ThreadPage,
} from '../../shared/api/threads'
import { api, seg } from './client'

function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      query.set(key, String(value))
    }
  }
  const text = query.toString()
  return text ? `?${text}` : ''
}

/** One page of a process's threads, filtered and sorted as asked. */
export const listThreads = (processId: string, filters: ThreadListQuery = {}) =>
  api.get<ThreadPage>(`/api/processes/${seg(processId)}/threads${queryString({ ...filters })}`)

/** Open threads per section of a document, with their authors' stakeholder groups. */
export const listThreadCounts = (documentId: string) =>
  api.get<SectionThreadCount[]>(`/api/documents/${seg(documentId)}/thread-counts`)

export const createThread = (documentId: string, body: CreateThreadBody) =>
  api.post<Thread>(`/api/documents/${seg(documentId)}/threads`, body)

export const fetchThread = (threadId: string) => api.get<Thread>(`/api/threads/${seg(threadId)}`)

export const replyToThread = (threadId: string, body: string) =>
  api.post<Comment>(`/api/threads/${seg(threadId)}/replies`, { body })

export const editComment = (commentId: string, body: string) =>
  api.patch<Comment>(`/api/comments/${seg(commentId)}`, { body })

export const withdrawComment = (commentId: string) =>
  api.post<Comment>(`/api/comments/${seg(commentId)}/withdraw`, {})

export const endorseThread = (threadId: string) =>
  api.post<Endorsements>(`/api/threads/${seg(threadId)}/endorsement`, {})

export const unendorseThread = (threadId: string) =>
  api.delete<Endorsements>(`/api/threads/${seg(threadId)}/endorsement`)

export const resolveThread = (threadId: string) =>
  api.post<Thread>(`/api/threads/${seg(threadId)}/resolve`, {})

export const reopenThread = (threadId: string) =>
  api.post<Thread>(`/api/threads/${seg(threadId)}/reopen`, {})

/** Applies a proposed change to the live document; `force` applies it even if the passage changed since. */
export const previewProposal = (threadId: string) =>
  api.get<ApplyPreview>(`/api/threads/${seg(threadId)}/apply-preview`)

export const applyProposal = (threadId: string, force = false) =>
  api.post<Thread>(`/api/threads/${seg(threadId)}/apply`, force ? { force } : {})

/** Undoes an applied change: the replaced text comes back (409 when it was edited since). */
export const undoAppliedProposal = (threadId: string) =>
  api.post<Thread>(`/api/threads/${seg(threadId)}/undo-apply`, {})

export const flagComment = (commentId: string, reason: string) =>
  api.post<Ok>(`/api/comments/${seg(commentId)}/flags`, { reason })

export const dismissFlags = (commentId: string, reason: string) =>
  api.post<Comment>(`/api/comments/${seg(commentId)}/flags/dismiss`, { reason })

export const hideComment = (commentId: string, reason: string) =>
  api.post<Comment>(`/api/comments/${seg(commentId)}/hide`, { reason })

export const restoreComment = (commentId: string, reason: string) =>
  api.post<Comment>(`/api/comments/${seg(commentId)}/restore`, { reason })

/** Flagged items awaiting a decision, the hidden ones, or public comments awaiting approval. */
export const listModerationQueue = (
  processId: string,
  state: 'flagged' | 'hidden' | 'pending' = 'flagged',
) =>
  api.get<ModerationItem[]>(
    `/api/processes/${seg(processId)}/moderation/queue${queryString({ state })}`,
  )

export const listModerationLog = (processId: string) =>
  api.get<ModerationLogEntry[]>(`/api/processes/${seg(processId)}/moderation/log`)

export const listNotifications = (unread?: boolean) =>
  api.get<NotificationList>(`/api/notifications${queryString({ unread })}`)

export const markNotificationsRead = (which: { ids: string[] } | { all: true }) =>
  api.post<Ok>('/api/notifications/read', which)
