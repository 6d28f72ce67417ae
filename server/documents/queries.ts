import { sql } from 'kysely'
import type { Executor } from '../db/database'

export function listDocuments(db: Executor, processId: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('process_id', '=', processId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute()
}

export function insertDocument(db: Executor, doc: { processId: string; title: string; createdBy: string | null }) {
  return db
    .insertInto('documents')
    .values({ process_id: doc.processId, title: doc.title, created_by: doc.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function findLiveDocument(db: Executor, documentId: string) {
  return db.selectFrom('documents').selectAll().where('id', '=', documentId).where('deleted_at', 'is', null).executeTakeFirst()
}

/** Renames a live document; returns the row, or undefined if it was not live. */
export function updateDocumentTitle(db: Executor, documentId: string, title: string) {
  return db
    .updateTable('documents')
    .set({ title, updated_at: sql`now()` })
    .where('id', '=', documentId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** Soft-deletes a live document; returns the row, or undefined if it was not live. */
export function markDocumentDeleted(db: Executor, documentId: string) {
  return db
    .updateTable('documents')
    .set({ deleted_at: sql`now()` })
    .where('id', '=', documentId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}
