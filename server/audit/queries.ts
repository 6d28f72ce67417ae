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
