import type { DocumentSummary } from '../../shared/api/processes'
import type { Section } from '../../shared/api/documents'
import type { Section as SchemaSection } from '../../shared/schema'
import type { DocumentRow } from '../db/database'

export function toDocumentSummary(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    processId: row.process_id,
    title: row.title,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    language: row.language,
    translationOf: row.source_document_id,
  }
}

/** A section as the API lists it; positions stay on the server, since they change with every edit. */
export function toSection(section: SchemaSection): Section {
  return { id: section.id, level: section.level, title: section.title }
}
