import type { FastifyRequest } from 'fastify'
import { ALLOWED_WHEN_ARCHIVED, can, type Action } from '../../shared/domain/permissions'
import { canInStage, isStage, type Stage } from '../../shared/domain/lifecycle'
import { isRole, type Role } from '../../shared/domain/roles'
import type { Executor } from '../db/database'
import { AppError, forbidden, notFound, unauthenticated } from '../errors'
import type { Actor } from './actor'

/** The caller's membership in the process a request is about. */
export interface MembershipContext {
  id: string
  processId: string
  processTitle: string
  archived: boolean
  /** The process's life-cycle stage, whose rules apply on top of the role's (lifecycle.ts). */
  stage: Stage
  role: Role
  stakeholderGroup: string
  organisation: string
}

declare module 'fastify' {
  interface FastifyRequest {
    membership: MembershipContext | undefined
  }
}

/** The caller, or 401 when the request carries no valid credential. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw unauthenticated()
  }
  return request.actor
}

/** Loads a user's membership in a process, with the process's title and archive state. */
export async function findMembership(db: Executor, processId: string, userId: string): Promise<MembershipContext | undefined> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('processes', 'processes.id', 'memberships.process_id')
    .select([
      'memberships.id',
      'memberships.process_id',
      'memberships.role',
      'memberships.stakeholder_group',
      'memberships.organisation',
      'processes.title',
      'processes.archived_at',
      'processes.stage',
    ])
    .where('memberships.process_id', '=', processId)
    .where('memberships.user_id', '=', userId)
    .executeTakeFirst()
  if (!row || !isRole(row.role) || !isStage(row.stage)) {
    return undefined
  }
  return {
    id: row.id,
    processId: row.process_id,
    processTitle: row.title,
    archived: row.archived_at !== null,
    stage: row.stage,
    role: row.role,
    stakeholderGroup: row.stakeholder_group,
    organisation: row.organisation,
  }
}

/**
 * Decides whether `actor` may perform `action` in a process: no membership → 404 (the
 * process's existence stays private), a role without the action → 403, a change to an
 * archived process → 409 `archived`, an action the process's stage forbids (no drafting
 * edits once adopted, issue 14) → 409 `stage_forbidden`. This is the one place authorization
 * is decided, for routes and for the collaboration socket alike (STYLE 2.8).
 */
export async function authorize(
  db: Executor,
  actor: Actor,
  processId: string,
  action: Action,
): Promise<MembershipContext> {
  const membership = await findMembership(db, processId, actor.userId)
  if (!membership) {
    throw notFound('Process')
  }
  if (!can(membership.role, action)) {
    throw forbidden(`Your role (${membership.role}) may not do this`)
  }
  if (membership.archived && !ALLOWED_WHEN_ARCHIVED.has(action)) {
    throw new AppError(409, 'archived', 'This process is archived; unarchive it to make changes')
  }
  if (!canInStage(membership.stage, action)) {
    throw new AppError(
      409,
      'stage_forbidden',
      `The process is at the ${membership.stage} stage, which does not allow this; a new cycle (back to drafting) does`,
    )
  }
  return membership
}
