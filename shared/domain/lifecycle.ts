import type { Action } from './permissions'

/**
 * The stages of a process's life cycle, in order. Each step leaves a record; the
 * implementation review starts the next cycle.
 */
export const STAGES = [
  'drafting',
  'stakeholder-review',
  'public-consultation',
  'response',
  'adopted',
  'implementation-review',
] as const

export type Stage = (typeof STAGES)[number]

/** Tells whether a string names a stage. */
export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value)
}

/** A stage's place in the life cycle, from 0 (drafting). */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage)
}

/**
 * What each stage forbids, whatever the role (issue 14, item 4). Drafting, review,
 * consultation and response leave the draft open: a consultation shows a frozen version, so
 * drafting may go on beside it. Once a version is adopted, and during the implementation
 * review that follows, the working text is the adopted strategy: no drafting edits, no
 * applied proposals, no new, renamed or deleted documents. Changing it takes a new cycle (the
 * secretariat moves the process back to drafting, with a reason that stays on the record).
 */
export const STAGE_FORBIDS: Record<Stage, ReadonlySet<Action>> = {
  drafting: new Set<Action>(),
  'stakeholder-review': new Set<Action>(),
  'public-consultation': new Set<Action>(),
  response: new Set<Action>(),
  adopted: new Set<Action>([
    'documents.edit',
    'documents.create',
    'documents.manage',
    'threads.apply',
  ]),
  'implementation-review': new Set<Action>([
    'documents.edit',
    'documents.create',
    'documents.manage',
    'threads.apply',
  ]),
}

/** Tells whether a process in `stage` allows `action` at all (the role is checked apart). */
export function canInStage(stage: Stage, action: Action): boolean {
  return !STAGE_FORBIDS[stage].has(action)
}
