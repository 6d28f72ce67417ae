import type { Comparison } from '../../shared/api/comparison'
import type { ProseMirrorDoc } from '../../shared/api/documents'
import type { Version } from '../../shared/api/versions'
import { api, seg } from './client'

/** The named versions of a document, by number. */
export const listDocumentVersions = (documentId: string) =>
  api.get<Version[]>(`/api/documents/${seg(documentId)}/versions`)

/** Freezes the document's current content as a named version (the secretariat). */
export const createVersion = (documentId: string, name: string) =>
  api.post<Version>(`/api/documents/${seg(documentId)}/versions`, { name })

/** A version's frozen content as ProseMirror JSON. */
export const fetchVersionContent = (versionId: string) =>
  api.get<ProseMirrorDoc>(`/api/versions/${seg(versionId)}/export?format=json`)

/** Compares a version with another one or with the live draft (`to = 'live'`). */
export const compareVersions = (versionId: string, to: string) =>
  api.get<Comparison>(`/api/versions/${seg(versionId)}/compare?to=${encodeURIComponent(to)}`)

/** The download formats of a version or the live draft. */
export const DOWNLOAD_FORMATS = ['docx', 'html', 'md', 'json'] as const

export const versionDownloadUrl = (versionId: string, format: string) =>
  `/api/versions/${seg(versionId)}/export?format=${format}`

export const documentDownloadUrl = (documentId: string, format: string) =>
  `/api/documents/${seg(documentId)}/export?format=${format}`

export const comparisonDownloadUrl = (versionId: string, to: string) =>
  `/api/versions/${seg(versionId)}/compare/export?to=${encodeURIComponent(to)}&format=docx`
