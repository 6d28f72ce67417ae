import type { AuditPage } from '../../shared/api/audit'
import type { Executor } from '../db/database'
import { listAuditEntries } from './queries'

/** One page of a process's audit log, newest first. */
export async function readAuditLog(db: Executor, processId: string, limit: number, before?: number): Promise<AuditPage> {
  const rows = await listAuditEntries(db, processId, limit + 1, before)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    entries: page.map((row) => ({
      id: Number(row.id),
      action: row.action,
      actorName: row.actor_name,
      targetType: row.target_type,
      targetId: row.target_id,
      details: row.details,
      createdAt: row.created_at.toISOString(),
    })),
    nextBefore: rows.length > limit && last ? Number(last.id) : null,
  }
}
