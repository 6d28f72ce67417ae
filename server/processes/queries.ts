import { sql } from 'kysely'
import type { Executor } from '../db/database'

/** Processes the user is a member of, with the user's role and the counts shown in lists. */
function processesOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('processes')
    .innerJoin('memberships', 'memberships.process_id', 'processes.id')
    .selectAll('processes')
    .select([
      'memberships.role as my_role',
      (eb) =>
        eb
          .selectFrom('memberships as m')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('m.process_id', '=', 'processes.id')
          .as('member_count'),
      (eb) =>
        eb
          .selectFrom('documents as d')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('d.process_id', '=', 'processes.id')
          .where('d.deleted_at', 'is', null)
          .as('document_count'),
    ])
    .where('memberships.user_id', '=', userId)
}

export function listProcessesForUser(db: Executor, userId: string) {
  return processesOfUser(db, userId).orderBy('processes.created_at', 'desc').execute()
}

export function findProcessForUser(db: Executor, processId: string, userId: string) {
  return processesOfUser(db, userId).where('processes.id', '=', processId).executeTakeFirst()
}

export function insertProcess(
  db: Executor,
  process: { title: string; description: string; languages: string[]; createdBy: string },
) {
  return db
    .insertInto('processes')
    .values({
      title: process.title,
      description: process.description,
      languages: JSON.stringify(process.languages),
      created_by: process.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateProcess(
  db: Executor,
  id: string,
  changes: { title?: string; description?: string; languages?: string[]; archived?: boolean },
) {
  return db
    .updateTable('processes')
    .set({
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.languages !== undefined ? { languages: JSON.stringify(changes.languages) } : {}),
      ...(changes.archived !== undefined ? { archived_at: changes.archived ? sql<Date>`now()` : null } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function listGroups(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups as g')
    .select([
      'g.key',
      'g.label',
      'g.position',
      (eb) =>
        eb
          .selectFrom('memberships as m')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('m.process_id', '=', 'g.process_id')
          .whereRef('m.stakeholder_group', '=', 'g.key')
          .as('member_count'),
    ])
    .where('g.process_id', '=', processId)
    .orderBy('g.position')
    .execute()
}

export function insertGroups(db: Executor, processId: string, groups: { key: string; label: string | null }[], firstPosition: number) {
  return db
    .insertInto('stakeholder_groups')
    .values(groups.map((g, i) => ({ process_id: processId, key: g.key, label: g.label, position: firstPosition + i })))
    .onConflict((oc) => oc.columns(['process_id', 'key']).doNothing())
    .returningAll()
    .execute()
}

export function findGroup(db: Executor, processId: string, key: string) {
  return db
    .selectFrom('stakeholder_groups')
    .selectAll()
    .where('process_id', '=', processId)
    .where('key', '=', key)
    .executeTakeFirst()
}

/** Whether any member or open invitation uses a group. */
export async function isGroupInUse(db: Executor, processId: string, key: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(
          eb.selectFrom('memberships').select('id').where('process_id', '=', processId).where('stakeholder_group', '=', key),
        )
        .as('by_member'),
      eb
        .exists(
          eb
            .selectFrom('invitations')
            .select('id')
            .where('process_id', '=', processId)
            .where('stakeholder_group', '=', key)
            .where('accepted_at', 'is', null)
            .where('revoked_at', 'is', null),
        )
        .as('by_invitation'),
    ])
    .executeTakeFirstOrThrow()
  return Boolean(row.by_member) || Boolean(row.by_invitation)
}

export function deleteGroup(db: Executor, processId: string, key: string) {
  return db.deleteFrom('stakeholder_groups').where('process_id', '=', processId).where('key', '=', key).execute()
}

export function maxGroupPosition(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups')
    .select(sql<number>`coalesce(max(position), -1)::int`.as('max'))
    .where('process_id', '=', processId)
    .executeTakeFirstOrThrow()
}

const memberColumns = [
  'memberships.id',
  'memberships.user_id',
  'memberships.process_id',
  'memberships.role',
  'memberships.stakeholder_group',
  'memberships.organisation',
  'memberships.created_at',
  'users.name',
  'users.email',
] as const

export function listMembers(db: Executor, processId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(memberColumns)
    .where('memberships.process_id', '=', processId)
    .orderBy('users.name')
    .execute()
}

export function findMember(db: Executor, processId: string, memberId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(memberColumns)
    .where('memberships.process_id', '=', processId)
    .where('memberships.id', '=', memberId)
    .executeTakeFirst()
}

export function findMemberByUser(db: Executor, processId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select('id')
    .where('process_id', '=', processId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export function insertMembership(
  db: Executor,
  member: { processId: string; userId: string; role: string; stakeholderGroup: string; organisation: string },
) {
  return db
    .insertInto('memberships')
    .values({
      process_id: member.processId,
      user_id: member.userId,
      role: member.role,
      stakeholder_group: member.stakeholderGroup,
      organisation: member.organisation,
    })
    .onConflict((oc) => oc.columns(['process_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
}

export function updateMembership(
  db: Executor,
  memberId: string,
  changes: { role?: string; stakeholderGroup?: string; organisation?: string },
) {
  return db
    .updateTable('memberships')
    .set({
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.stakeholderGroup !== undefined ? { stakeholder_group: changes.stakeholderGroup } : {}),
      ...(changes.organisation !== undefined ? { organisation: changes.organisation } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', memberId)
    .execute()
}

export function deleteMembership(db: Executor, memberId: string) {
  return db.deleteFrom('memberships').where('id', '=', memberId).execute()
}

/** Locks the process row, so membership changes to one process happen one at a time. */
export function lockProcess(db: Executor, processId: string) {
  return db.selectFrom('processes').select('id').where('id', '=', processId).forUpdate().executeTakeFirst()
}

export async function countSecretariat(db: Executor, processId: string) {
  const row = await db
    .selectFrom('memberships')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('process_id', '=', processId)
    .where('role', '=', 'secretariat')
    .executeTakeFirstOrThrow()
  return row.n
}

const invitationColumns = [
  'invitations.id',
  'invitations.process_id',
  'invitations.email',
  'invitations.role',
  'invitations.stakeholder_group',
  'invitations.organisation',
  'invitations.created_at',
  'invitations.expires_at',
  'invitations.accepted_at',
  'invitations.revoked_at',
  'inviter.name as invited_by_name',
] as const

export function listOpenInvitations(db: Executor, processId: string) {
  return db
    .selectFrom('invitations')
    .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
    .select(invitationColumns)
    .where('invitations.process_id', '=', processId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .orderBy('invitations.created_at', 'desc')
    .execute()
}

export function findOpenInvitationByEmail(db: Executor, processId: string, email: string) {
  return db
    .selectFrom('invitations')
    .select('id')
    .where('process_id', '=', processId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

export function findInvitationByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('processes', 'processes.id', 'invitations.process_id')
    .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
    .select([...invitationColumns, 'processes.title as process_title'])
    .where('invitations.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** Open, unexpired invitations to an address, across processes. */
export function listPendingInvitationsForEmail(db: Executor, email: string) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute()
}

export function insertInvitation(
  db: Executor,
  invitation: {
    processId: string
    email: string
    role: string
    stakeholderGroup: string
    organisation: string
    tokenHash: string
    invitedBy: string
    expiresAt: Date
  },
) {
  return db
    .insertInto('invitations')
    .values({
      process_id: invitation.processId,
      email: invitation.email,
      role: invitation.role,
      stakeholder_group: invitation.stakeholderGroup,
      organisation: invitation.organisation,
      token_hash: invitation.tokenHash,
      invited_by: invitation.invitedBy,
      expires_at: invitation.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Marks an invitation accepted if it is still open; returns whether it was. */
export async function markInvitationAccepted(db: Executor, id: string) {
  const row = await db
    .updateTable('invitations')
    .set({ accepted_at: sql`now()` })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export function revokeInvitation(db: Executor, processId: string, id: string) {
  return db
    .updateTable('invitations')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('process_id', '=', processId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning(['id', 'email'])
    .executeTakeFirst()
}

/** A process's languages, main one first (the languages an invitation e-mail is written in). */
export async function findProcessLanguages(db: Executor, processId: string): Promise<string[]> {
  const row = await db.selectFrom('processes').select('languages').where('id', '=', processId).executeTakeFirst()
  return row ? (row.languages as string[]) : []
}
