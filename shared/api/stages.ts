import { Type, type Static } from 'typebox'
import { Timestamp, Uuid } from './common'
import { StageSchema } from './processes'
import { ACTIONS } from '../domain/permissions'

/** The longest reason for a stage move, in characters (the database checks the same bound). */
export const STAGE_REASON_MAX = 2000

/**
 * A move to another stage: forward to the next one (a reason is optional), or back to any
 * earlier one, which needs a reason.
 */
export const ChangeStageBody = Type.Object(
  {
    stage: StageSchema,
    reason: Type.Optional(
      Type.String({
        maxLength: STAGE_REASON_MAX,
        description:
          'Why the process moves; required when it moves back. Plain text; rendered inert.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ChangeStageBody = Static<typeof ChangeStageBody>

/** One move on a process's timeline. */
export const StageChange = Type.Object({
  id: Uuid,
  from: StageSchema,
  to: StageSchema,
  isBack: Type.Boolean({ description: 'The move went back to an earlier stage.' }),
  reason: Type.String({ maxLength: STAGE_REASON_MAX }),
  changedBy: Type.String({ description: 'The name of the person who moved it, as it was then.' }),
  changedAt: Timestamp,
})
export type StageChange = Static<typeof StageChange>

/** A process's stage, its timeline of moves (oldest first) and what its stage forbids. */
export const StageTimeline = Type.Object({
  stage: StageSchema,
  since: Timestamp,
  forbids: Type.Array(Type.Enum(ACTIONS), {
    maxItems: ACTIONS.length,
    description: 'Actions the current stage forbids, whatever the role.',
  }),
  changes: Type.Array(StageChange),
})
export type StageTimeline = Static<typeof StageTimeline>
