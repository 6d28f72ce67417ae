import type { Executor } from '../db/database'
import type { Origin } from '../context'
import { insertAuditEntry } from './queries'

export interface AuditEvent {
  processId?: string | null
  action: string
  targetType?: string
  targetId?: string
  details?: Record<string, unknown>
}

/**
 * Appends one entry to the audit log. Call it inside the transaction that made the change,
 * so the record and the change commit together or not at all.
 */
export function recordAudit(db: Executor, origin: Origin | null, event: AuditEvent): Promise<unknown> {
  return insertAuditEntry(db, {
    process_id: event.processId ?? null,
    actor_id: origin?.userId ?? null,
    actor_name: origin?.name ?? null,
    action: event.action,
    target_type: event.targetType ?? null,
    target_id: event.targetId ?? null,
    details: JSON.stringify(event.details ?? {}),
    ip: origin?.ip ?? null,
  })
}
