import { estimatedPages, type Version } from '../../shared/api/versions'
import type { DocumentVersionRow } from '../db/database'

/** A version's row without the frozen state and content, as queries.ts selects it. */
export type VersionSummaryRow = Omit<DocumentVersionRow, 'state' | 'content'>

const iso = (value: Date | string) => new Date(value).toISOString()

/** A version as the API shows it: its numbers, its author's name as it was, its sections. */
export function toVersion(row: VersionSummaryRow): Version {
  return {
    id: row.id,
    number: row.number,
    documentId: row.document_id,
    name: row.name,
    createdAt: iso(row.created_at),
    createdBy: row.created_by_name,
    words: row.words,
    estimatedPages: estimatedPages(row.words),
    sections: row.sections.map((s) => ({ id: s.id, level: s.level, title: s.title })),
    sourceVersionId: row.source_version_id,
  }
}
