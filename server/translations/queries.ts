import { sql } from 'kysely'
import type { Db, Executor } from '../db/database'
import { loadConsistentState } from '../documents/service'

/** A live (not deleted) document. */
export function findLiveDocument(db: Executor, documentId: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/** A process's languages, the main one first. */
export async function findProcessLanguages(db: Executor, processId: string): Promise<string[]> {
  const row = await db
    .selectFrom('processes')
    .select('languages')
    .where('id', '=', processId)
    .executeTakeFirst()
  return row?.languages ?? []
}

/** Locks a live document's row (translations of one source are made one at a time). */
export async function lockLiveDocument(trx: Executor, documentId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('documents')
    .select('id')
    .where('id', '=', documentId)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  return row !== undefined
}

/** The live translation of a source into a language, if any. */
export function findTranslation(db: Executor, sourceId: string, language: string) {
  return db
    .selectFrom('documents')
    .select('id')
    .where('source_document_id', '=', sourceId)
    .where('language', '=', language)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/** The live translations of a source, by language. */
export function listTranslations(db: Executor, sourceId: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('source_document_id', '=', sourceId)
    .where('deleted_at', 'is', null)
    .orderBy('language')
    .execute()
}

export function setTranslationOf(
  trx: Executor,
  documentId: string,
  sourceId: string,
  language: string,
) {
  return trx
    .updateTable('documents')
    .set({ source_document_id: sourceId, language })
    .where('id', '=', documentId)
    .execute()
}

/** Records sections as brought up to date with the given source sections. */
export async function upsertSectionsUpToDate(
  trx: Executor,
  documentId: string,
  sections: { sectionId: string; sourceSection: unknown; sourceSeq: number }[],
  userId: string | null,
): Promise<void> {
  if (sections.length === 0) {
    return
  }
  await trx
    .insertInto('translation_sections')
    .values(
      sections.map((s) => ({
        document_id: documentId,
        section_id: s.sectionId,
        source_section: JSON.stringify(s.sourceSection),
        source_seq: s.sourceSeq,
        updated_by: userId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['document_id', 'section_id']).doUpdateSet({
        source_section: (eb) => eb.ref('excluded.source_section'),
        source_seq: (eb) => eb.ref('excluded.source_seq'),
        updated_by: (eb) => eb.ref('excluded.updated_by'),
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

export interface TranslationSectionRecord {
  section_id: string
  source_section: unknown
  updated_at: Date
  updated_by_name: string | null
}

/** What each section of a translation was last brought up to date with, and by whom. */
export function listSectionRecords(
  db: Executor,
  documentId: string,
): Promise<TranslationSectionRecord[]> {
  return db
    .selectFrom('translation_sections as ts')
    .leftJoin('users as u', 'u.id', 'ts.updated_by')
    .select(['ts.section_id', 'ts.source_section', 'ts.updated_at', 'u.name as updated_by_name'])
    .where('ts.document_id', '=', documentId)
    .execute()
}

/** The source's stored state, read consistently (outside any transaction). */
export function loadConsistentSourceState(db: Db, documentId: string) {
  return loadConsistentState(db, documentId)
}
