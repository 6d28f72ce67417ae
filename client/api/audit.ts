import type { AuditPage } from '../../shared/api/audit'
import { api, seg } from './client'

/** One page of a process's activity, newest first; pass `before` from the previous page. */
export function listAudit(
  processId: string,
  before?: number | null,
  limit = 50,
): Promise<AuditPage> {
  const query = new URLSearchParams({ limit: String(limit) })
  if (before !== undefined && before !== null) {
    query.set('before', String(before))
  }
  return api.get<AuditPage>(`/api/processes/${seg(processId)}/audit?${query.toString()}`)
}
