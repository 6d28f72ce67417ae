import type { Ok } from '../../shared/api/common'
import type {
  DocumentTemplate,
  ImportDocumentBody,
  ImportResult,
  Section,
} from '../../shared/api/documents'
import type { Created, DocumentSummary } from '../../shared/api/processes'
import type { Language } from '../../shared/limits'
import { api, postWithProgress, seg } from './client'

/**
 * The import sizes the server accepts (IMPORT_LIMITS in shared/api/documents.ts), so the form
 * can refuse a file before uploading it. Repeated here because importing a value from that
 * module would bring its TypeBox schemas into the client bundle; the server enforces its own.
 */
export const IMPORT_SIZES = {
  docxBytesMax: 28 * 1024 * 1024,
  markdownCharsMax: 10 * 1024 * 1024,
} as const

export const listDocuments = (processId: string) =>
  api.get<DocumentSummary[]>(`/api/processes/${seg(processId)}/documents`)

/** Creates a document, empty or from a template (in the process's main language). */
export const createDocument = (
  processId: string,
  title: string,
  from?: { template: DocumentTemplate; language: Language },
) => api.post<Created>(`/api/processes/${seg(processId)}/documents`, { title, ...from })

export const fetchDocument = (id: string) => api.get<DocumentSummary>(`/api/documents/${seg(id)}`)

export const renameDocument = (id: string, title: string) =>
  api.patch<DocumentSummary>(`/api/documents/${seg(id)}`, { title })

export const deleteDocument = (id: string) => api.delete<Ok>(`/api/documents/${seg(id)}`)

export const listSections = (id: string) => api.get<Section[]>(`/api/documents/${seg(id)}/sections`)

/**
 * Imports Markdown or a .docx file (base64) as a new document, reporting upload progress.
 * The server converts the whole file before it creates anything.
 */
export const importDocument = (
  processId: string,
  body: ImportDocumentBody,
  onProgress: (fraction: number) => void,
) =>
  postWithProgress<ImportResult>(
    `/api/processes/${seg(processId)}/documents/import`,
    body,
    onProgress,
  )
