import type { DocumentSummary } from '../../shared/api/processes'
import type { AlignedSection, Alignment, TranslationList } from '../../shared/api/translations'
import type { Language } from '../../shared/limits'
import { api, seg } from './client'

/** Every language of a document: its source first, then each translation with what is behind. */
export const listTranslations = (documentId: string) =>
  api.get<TranslationList>(`/api/documents/${seg(documentId)}/translations`)

/** Makes the translation of a source document into another language of its process. */
export const createTranslation = (documentId: string, language: Language, title?: string) =>
  api.post<DocumentSummary>(`/api/documents/${seg(documentId)}/translations`, {
    language,
    ...(title ? { title } : {}),
  })

/** A translation section by section against its source. */
export const fetchAlignment = (documentId: string) =>
  api.get<Alignment>(`/api/documents/${seg(documentId)}/alignment`)

/** Marks a translated section as up to date with its source section as it is now. */
export const markSectionUpToDate = (documentId: string, sectionId: string) =>
  api.post<AlignedSection>(
    `/api/documents/${seg(documentId)}/sections/${seg(sectionId)}/up-to-date`,
    {},
  )

/** Brings a section the source has and the translation lacks over, to be translated. */
export const bringSection = (documentId: string, sectionId: string) =>
  api.post<AlignedSection>(`/api/documents/${seg(documentId)}/sections/${seg(sectionId)}/bring`, {})
