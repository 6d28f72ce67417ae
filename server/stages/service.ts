import type { StageTimeline } from '../../shared/api/stages'
import {
  isStage,
  STAGE_FORBIDS,
  stageIndex,
  STAGES,
  type Stage,
} from '../../shared/domain/lifecycle'
import type { Ctx, Origin } from '../context'
import type { Executor } from '../db/database'
import type { MembershipContext } from '../auth/guard'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { badRequest, conflict, notFound } from '../errors'
import * as queries from './queries'
import { toStageChange } from './present'

/**
 * A process's stage with its timeline: every move, oldest first, and what the current stage
 * forbids. Members read it with `process.read`.
 */
export async function getTimeline(db: Executor, processId: string): Promise<StageTimeline> {
  const process = await queries.findProcessStage(db, processId)
  if (!process || !isStage(process.stage)) {
    throw notFound('Process')
  }
  const changes = (await queries.listStageChanges(db, processId)).map(toStageChange)
  const last = changes[changes.length - 1]
  return {
    stage: process.stage,
    since: last ? last.changedAt : new Date(process.created_at).toISOString(),
    forbids: [...STAGE_FORBIDS[process.stage]],
    changes,
  }
}

/**
 * Moves a process to another stage of its life cycle (issue 14, item 4): forward to the next
 * stage only (a stage is not skipped, so the record shows each step), or back to any earlier
 * stage with a reason, which stays on the timeline. The move, its timeline entry and its
 * audit record (`process.stage_changed`) commit together; the process row is locked, so two
 * moves at once are applied one after the other and the second is judged on the first's result.
 */
export async function changeStage(
  ctx: Ctx,
  membership: MembershipContext,
  to: Stage,
  reason: string | undefined,
  origin: Origin,
): Promise<StageTimeline> {
  const why = (reason ?? '').trim()
  return inTransaction(ctx.db, async (trx) => {
    const process = await queries.lockProcessStage(trx, membership.processId)
    if (!process || !isStage(process.stage)) {
      throw notFound('Process')
    }
    const from = process.stage
    if (from === to) {
      throw conflict(`The process is already at the ${to} stage`)
    }
    const isBack = stageIndex(to) < stageIndex(from)
    if (!isBack && stageIndex(to) !== stageIndex(from) + 1) {
      throw conflict(
        `The process moves forward one stage at a time: from ${from} to ${STAGES[stageIndex(from) + 1] ?? from}`,
      )
    }
    if (isBack && why === '') {
      throw badRequest('Moving back to an earlier stage needs a reason', [
        { path: 'body/reason', message: 'required when moving back' },
      ])
    }
    await recordStageMove(trx, membership.processId, from, to, why, origin)
    return getTimeline(trx, membership.processId)
  })
}

/**
 * Sets a process's stage and records the move on its timeline and in the audit log
 * (`process.stage_changed`), inside `trx`. `changeStage` checks the rules first; the demo seed
 * calls it directly to write a history, with `at` as the time of the move.
 */
export async function recordStageMove(
  trx: Executor,
  processId: string,
  from: Stage,
  to: Stage,
  reason: string,
  origin: Origin,
  at?: Date,
): Promise<void> {
  await queries.updateProcessStage(trx, processId, to)
  const row = await queries.insertStageChange(trx, {
    processId,
    from,
    to,
    reason,
    actorId: origin.userId,
    actorName: origin.name,
    ...(at ? { at } : {}),
  })
  await recordAudit(trx, origin, {
    processId,
    action: 'process.stage_changed',
    targetType: 'process',
    targetId: processId,
    details: { from, to, reason, isBack: stageIndex(to) < stageIndex(from), changeId: row.id },
  })
}
