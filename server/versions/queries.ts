import { sql } from 'kysely'
import type { Executor, StoredSection } from '../db/database'

// document_versions is append-only: this file holds no UPDATE or DELETE (STYLE 2.6), and a
// trigger in the database refuses both.

/** Every column but the frozen state and content, which only exports and later features read. */
const SUMMARY_COLUMNS = [
  'document_versions.id',
  'document_versions.process_id',
  'document_versions.document_id',
  'document_versions.number',
  'document_versions.title',
  'document_versions.name',
  'document_versions.sections',
  'document_versions.words',
  'document_versions.created_by',
  'document_versions.created_by_name',
  'document_versions.created_at',
  'document_versions.source_version_id',
] as const

export interface NewVersion {
  processId: string
  documentId: string
  title: string
  name: string
  state: Uint8Array
  content: unknown
  sections: StoredSection[]
  words: number
  createdBy: string
  createdByName: string
  /** The source's version a translation's version is frozen with. */
  sourceVersionId?: string
}

/**
 * Takes a transaction-scoped advisory lock on the versions of one document, so two versions
 * made at once get consecutive numbers instead of one of them failing on the unique
 * constraint. It does not lock the document row, which every stored edit updates.
 */
export async function lockVersionNumbers(trx: Executor, documentId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('concord-versions'), hashtext(${documentId}))`.execute(
    trx,
  )
}

/** Inserts a version with the next number of its document; take `lockVersionNumbers` first. */
export function insertVersion(trx: Executor, version: NewVersion) {
  return trx
    .insertInto('document_versions')
    .values({
      process_id: version.processId,
      document_id: version.documentId,
      number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM document_versions WHERE document_id = ${version.documentId})`,
      title: version.title,
      name: version.name,
      state: version.state,
      content: JSON.stringify(version.content),
      sections: JSON.stringify(version.sections),
      words: version.words,
      created_by: version.createdBy,
      created_by_name: version.createdByName,
      source_version_id: version.sourceVersionId ?? null,
    })
    .returning(SUMMARY_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** The versions of a document, by number. */
export function listVersions(db: Executor, documentId: string) {
  return db
    .selectFrom('document_versions')
    .select(SUMMARY_COLUMNS)
    .where('document_id', '=', documentId)
    .orderBy('number')
    .execute()
}

/** A version of a live document, without its frozen state and content. */
export function findVersion(db: Executor, versionId: string) {
  return db
    .selectFrom('document_versions')
    .innerJoin('documents', 'documents.id', 'document_versions.document_id')
    .select(SUMMARY_COLUMNS)
    .where('document_versions.id', '=', versionId)
    .where('documents.deleted_at', 'is', null)
    .executeTakeFirst()
}

/** A version's frozen content as ProseMirror JSON. */
export function findVersionContent(db: Executor, versionId: string) {
  return db
    .selectFrom('document_versions')
    .select('content')
    .where('id', '=', versionId)
    .executeTakeFirst()
}
