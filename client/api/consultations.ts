import type {
  Adequacy,
  AnswerBody,
  Consultation,
  ConsultationList,
  ConsultationProgress,
  CreateConsultationBody,
  UpdateConsultationBody,
} from '../../shared/api/consultations'
import type { Comment, Thread } from '../../shared/api/threads'
import type { Version } from '../../shared/api/versions'
import { api, seg } from './client'

/** A process's consultations, newest first, with the server's minimum days per page. */
export const listConsultations = (processId: string) =>
  api.get<ConsultationList>(`/api/processes/${seg(processId)}/consultations`)

export const createConsultation = (processId: string, body: CreateConsultationBody) =>
  api.post<Consultation>(`/api/processes/${seg(processId)}/consultations`, body)

/**
 * The length of a version (or of a document's current state) against a window, as the
 * opening form shows it before anything is stored.
 */
export const checkAdequacy = (
  processId: string,
  query: { versionId?: string; documentId?: string; opensAt: string; closesAt: string },
  signal?: AbortSignal,
) => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value) {
      params.set(key, value)
    }
  }
  return api.get<Adequacy>(
    `/api/processes/${seg(processId)}/consultations/adequacy?${params.toString()}`,
    { signal },
  )
}

export const fetchConsultation = (consultationId: string) =>
  api.get<Consultation>(`/api/consultations/${seg(consultationId)}`)

export const updateConsultation = (consultationId: string, body: UpdateConsultationBody) =>
  api.patch<Consultation>(`/api/consultations/${seg(consultationId)}`, body)

export const publishConsultation = (consultationId: string) =>
  api.post<Consultation>(`/api/consultations/${seg(consultationId)}/publish`, {})

export const closeConsultation = (consultationId: string, reason: string) =>
  api.post<Consultation>(`/api/consultations/${seg(consultationId)}/close`, { reason })

export const extendConsultation = (consultationId: string, closesAt: string, reason: string) =>
  api.post<Consultation>(`/api/consultations/${seg(consultationId)}/extend`, { closesAt, reason })

export const fetchProgress = (consultationId: string) =>
  api.get<ConsultationProgress>(`/api/consultations/${seg(consultationId)}/progress`)

/** Where the secretariat downloads the report in a format (a plain link, not a fetch). */
export const reportHref = (consultationId: string, format: 'csv' | 'json' | 'docx') =>
  `/api/consultations/${seg(consultationId)}/report?format=${format}`

/** Records, or changes, a thread's disposition and public answer. */
export const answerThread = (threadId: string, body: AnswerBody) =>
  api.put<Thread>(`/api/threads/${seg(threadId)}/answer`, body)

/** Publishes a public comment that was waiting for a moderator's approval. */
export const approveComment = (commentId: string, reason: string) =>
  api.post<Comment>(`/api/comments/${seg(commentId)}/approve`, { reason })

/** The named versions of a document, by number. */
export const listVersions = (documentId: string) =>
  api.get<Version[]>(`/api/documents/${seg(documentId)}/versions`)
