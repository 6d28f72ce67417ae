import type { Executor } from '../db/database'

// process_stage_changes is append-only: no UPDATE or DELETE here (STYLE 2.6), and a trigger in
// the database refuses both.

/** A process's stage and creation time, locked for the rest of the transaction. */
export function lockProcessStage(trx: Executor, processId: string) {
  return trx
    .selectFrom('processes')
    .select(['stage', 'created_at'])
    .where('id', '=', processId)
    .forUpdate()
    .executeTakeFirst()
}

/** A process's stage and creation time. */
export function findProcessStage(db: Executor, processId: string) {
  return db
    .selectFrom('processes')
    .select(['stage', 'created_at'])
    .where('id', '=', processId)
    .executeTakeFirst()
}

/** Sets a process's stage. */
export function updateProcessStage(trx: Executor, processId: string, stage: string) {
  return trx
    .updateTable('processes')
    .set({ stage, updated_at: new Date() })
    .where('id', '=', processId)
    .execute()
}

export interface NewStageChange {
  processId: string
  from: string
  to: string
  reason: string
  actorId: string
  actorName: string
  /** When the move was made; now unless a seed writes history. */
  at?: Date
}

/** Appends a move to a process's timeline. */
export function insertStageChange(trx: Executor, change: NewStageChange) {
  return trx
    .insertInto('process_stage_changes')
    .values({
      process_id: change.processId,
      from_stage: change.from,
      to_stage: change.to,
      reason: change.reason,
      actor_id: change.actorId,
      actor_name: change.actorName,
      ...(change.at ? { created_at: change.at } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A process's moves, oldest first. */
export function listStageChanges(db: Executor, processId: string) {
  return db
    .selectFrom('process_stage_changes')
    .selectAll()
    .where('process_id', '=', processId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}
