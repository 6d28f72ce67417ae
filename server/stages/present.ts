import type { StageChange } from '../../shared/api/stages'
import { stageIndex, type Stage } from '../../shared/domain/lifecycle'
import type { ProcessStageChangeRow } from '../db/database'

/** A move as the API shows it: both stages, whether it went back, who and when. */
export function toStageChange(row: ProcessStageChangeRow): StageChange {
  const from = row.from_stage as Stage
  const to = row.to_stage as Stage
  return {
    id: row.id,
    from,
    to,
    isBack: stageIndex(to) < stageIndex(from),
    reason: row.reason,
    changedBy: row.actor_name,
    changedAt: new Date(row.created_at).toISOString(),
  }
}
