import type { Executor, NewAuditEntry } from '../db/database'

// The audit log is append-only: this file holds no UPDATE or DELETE (STYLE 2.6), and a
// trigger in the database refuses both.

export function insertAuditEntry(db: Executor, entry: NewAuditEntry) {
  return db.insertInto('audit_log').values(entry).execute()
}

export function listAuditEntries(db: Executor, processId: string, limit: number, before?: number) {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .where('process_id', '=', processId)
    .orderBy('id', 'desc')
    .limit(limit)
  if (before !== undefined) {
    query = query.where('id', '<', String(before))
  }
  return query.execute()
}

// What entries are about, by id, to name and link them when the log is read. Each takes the
// process too, so an id recorded in one process never names something of another.

export function listThreadsByIds(db: Executor, processId: string, ids: string[]) {
  return db
    .selectFrom('threads')
    .select(['id', 'number', 'document_id', 'section_title'])
    .where('process_id', '=', processId)
    .where('id', 'in', ids)
    .execute()
}

export function listDocumentsByIds(db: Executor, processId: string, ids: string[]) {
  return db
    .selectFrom('documents')
    .select(['id', 'title', 'deleted_at'])
    .where('process_id', '=', processId)
    .where('id', 'in', ids)
    .execute()
}

export function listVersionsByIds(db: Executor, processId: string, ids: string[]) {
  return db
    .selectFrom('document_versions')
    .select(['id', 'number', 'name', 'document_id'])
    .where('process_id', '=', processId)
    .where('id', 'in', ids)
    .execute()
}

export function listConsultationsByIds(db: Executor, processId: string, ids: string[]) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title'])
    .where('process_id', '=', processId)
    .where('id', 'in', ids)
    .execute()
}
