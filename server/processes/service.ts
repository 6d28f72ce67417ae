import type {
  AddMemberBody,
  AddMemberResult,
  Invitation,
  InvitationPreview,
  Member,
  ProcessDetail,
  ProcessSummary,
  StakeholderGroup,
  UpdateMemberBody,
  UpdateProcessBody,
} from '../../shared/api/processes'
import { DEFAULT_STAKEHOLDER_GROUPS, groupKeyFromLabel } from '../../shared/domain/stakeholder-groups'
import type { Role } from '../../shared/domain/roles'
import { isRole } from '../../shared/domain/roles'
import type { Ctx, Origin } from '../context'
import type { Executor, UserRow } from '../db/database'
import { inTransaction } from '../db/transaction'
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors'
import { recordAudit } from '../audit/record'
import type { Actor } from '../auth/actor'
import type { MembershipContext } from '../auth/guard'
import { createAccount, findUserByEmail } from '../auth/service'
import { hashSecret, newSecret } from '../auth/tokens'
import { addedToProcessMail, invitationMail, mailLanguages } from '../mail/templates'
import { uiLanguageOf } from '../../shared/i18n/languages'
import * as queries from './queries'
import { toGroup, toInvitation, toMember, toProcessDetail, toProcessSummary } from './present'

/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 14

/** The processes the actor is a member of, newest first. */
export async function listProcesses(ctx: Ctx, actor: Actor): Promise<ProcessSummary[]> {
  const rows = await queries.listProcessesForUser(ctx.db, actor.userId)
  return rows.map(toProcessSummary)
}

/** One process as its member sees it, with groups and the actions their role allows. */
export async function getProcess(db: Executor, actor: Actor, processId: string): Promise<ProcessDetail> {
  const row = await queries.findProcessForUser(db, processId, actor.userId)
  if (!row) {
    throw notFound('Process')
  }
  const groups = await queries.listGroups(db, processId)
  return toProcessDetail(toProcessSummary(row), groups.map(toGroup))
}

/**
 * Creates a process with the default stakeholder groups; only instance administrators may.
 * The creator becomes its first secretariat member.
 */
export async function createProcess(
  ctx: Ctx,
  actor: Actor,
  input: { title: string; description?: string; languages?: string[] },
  origin: Origin,
): Promise<{ id: string }> {
  if (!actor.isAdmin) {
    throw forbidden('Only an instance administrator can create a process')
  }
  return inTransaction(ctx.db, (trx) => insertProcessWithSecretariat(trx, actor.userId, input, origin))
}

/** Inserts a process, its default groups and its first secretariat member (also used by the demo). */
export async function insertProcessWithSecretariat(
  trx: Executor,
  userId: string,
  input: { title: string; description?: string; languages?: string[] },
  origin: Origin,
  secretariat: { stakeholderGroup: string; organisation: string } = { stakeholderGroup: 'government', organisation: '' },
): Promise<{ id: string }> {
  const process = await queries.insertProcess(trx, {
    title: input.title.trim(),
    description: input.description?.trim() ?? '',
    languages: input.languages ?? ['en'],
    createdBy: userId,
  })
  await queries.insertGroups(
    trx,
    process.id,
    DEFAULT_STAKEHOLDER_GROUPS.map((key) => ({ key, label: null })),
    0,
  )
  await queries.insertMembership(trx, {
    processId: process.id,
    userId,
    role: 'secretariat',
    stakeholderGroup: secretariat.stakeholderGroup,
    organisation: secretariat.organisation,
  })
  await recordAudit(trx, origin, {
    processId: process.id,
    action: 'process.created',
    targetType: 'process',
    targetId: process.id,
    details: { title: process.title },
  })
  return { id: process.id }
}

/** Changes a process's title, description or languages. */
export async function updateProcess(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  changes: UpdateProcessBody,
  origin: Origin,
): Promise<ProcessDetail> {
  return inTransaction(ctx.db, async (trx) => {
    await queries.updateProcess(trx, membership.processId, {
      ...(changes.title !== undefined ? { title: changes.title.trim() } : {}),
      ...(changes.description !== undefined ? { description: changes.description.trim() } : {}),
      ...(changes.languages !== undefined ? { languages: changes.languages } : {}),
    })
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: 'process.updated',
      targetType: 'process',
      targetId: membership.processId,
      details: { fields: Object.keys(changes) },
    })
    return getProcess(trx, actor, membership.processId)
  })
}

/** Archives a process (it becomes read-only) or brings it back. */
export async function setArchived(
  ctx: Ctx,
  actor: Actor,
  membership: MembershipContext,
  archived: boolean,
  origin: Origin,
): Promise<ProcessDetail> {
  return inTransaction(ctx.db, async (trx) => {
    if (membership.archived !== archived) {
      await queries.updateProcess(trx, membership.processId, { archived })
      await recordAudit(trx, origin, {
        processId: membership.processId,
        action: archived ? 'process.archived' : 'process.unarchived',
        targetType: 'process',
        targetId: membership.processId,
      })
    }
    return getProcess(trx, actor, membership.processId)
  })
}

/** Adds a stakeholder group (for example technical community or trade unions) to a process. */
export async function addGroup(ctx: Ctx, membership: MembershipContext, label: string, origin: Origin): Promise<StakeholderGroup> {
  const key = groupKeyFromLabel(label)
  if (key === '') {
    throw badRequest('The group name needs at least one letter or digit', [{ path: 'body/label', message: 'needs a letter or digit' }])
  }
  return inTransaction(ctx.db, async (trx) => {
    await queries.lockProcess(trx, membership.processId)
    const existing = await queries.listGroups(trx, membership.processId)
    if (existing.length >= 30) {
      throw conflict('A process can have at most 30 stakeholder groups')
    }
    if (existing.some((g) => g.key === key)) {
      throw conflict('A group with this name exists already')
    }
    await insertGroup(trx, membership.processId, key, label.trim(), origin)
    return { key, label: label.trim(), builtIn: false, memberCount: 0 }
  })
}

/** Appends a group after the existing ones and records it (also used by the demo). */
export async function insertGroup(trx: Executor, processId: string, key: string, label: string, origin: Origin): Promise<void> {
  const { max } = await queries.maxGroupPosition(trx, processId)
  await queries.insertGroups(trx, processId, [{ key, label }], max + 1)
  await recordAudit(trx, origin, { processId, action: 'group.added', targetType: 'group', targetId: key, details: { label } })
}

/** Removes a stakeholder group nobody uses; a group in use is kept (409). */
export async function removeGroup(ctx: Ctx, membership: MembershipContext, key: string, origin: Origin): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    await queries.lockProcess(trx, membership.processId)
    if (!(await queries.findGroup(trx, membership.processId, key))) {
      throw notFound('Stakeholder group')
    }
    if (await queries.isGroupInUse(trx, membership.processId, key)) {
      throw conflict('Members or invitations use this group; move them to another group first')
    }
    await queries.deleteGroup(trx, membership.processId, key)
    await recordAudit(trx, origin, { processId: membership.processId, action: 'group.removed', targetType: 'group', targetId: key })
  })
}

export async function listMembers(ctx: Ctx, processId: string): Promise<Member[]> {
  const rows = await queries.listMembers(ctx.db, processId)
  return rows.map(toMember)
}

/** Makes an existing account a member of a process and records it; 409 if it is one already. */
export async function insertMember(
  trx: Executor,
  processId: string,
  user: { id: string; email: string },
  input: { role: Role; stakeholderGroup: string; organisation: string },
  origin: Origin,
): Promise<Member> {
  const inserted = await queries.insertMembership(trx, { processId, userId: user.id, ...input })
  if (!inserted) {
    throw conflict('This person is a member already')
  }
  await recordAudit(trx, origin, {
    processId,
    action: 'member.added',
    targetType: 'user',
    targetId: user.id,
    details: { email: user.email, role: input.role, stakeholderGroup: input.stakeholderGroup, organisation: input.organisation },
  })
  const row = await queries.findMember(trx, processId, inserted.id)
  return toMember(row!)
}

async function assertGroupExists(db: Executor, processId: string, key: string) {
  if (!(await queries.findGroup(db, processId, key))) {
    throw badRequest('This process has no such stakeholder group', [{ path: 'body/stakeholderGroup', message: 'unknown group' }])
  }
}

/**
 * Adds a member by e-mail. An existing account becomes a member at once; a new address
 * gets an invitation whose link works once and expires after INVITATION_DAYS.
 */
export async function addMember(ctx: Ctx, membership: MembershipContext, input: AddMemberBody, origin: Origin): Promise<AddMemberResult> {
  const email = input.email.trim()
  const organisation = input.organisation?.trim() ?? ''
  const processLink = `${ctx.config.publicUrl}/processes/${membership.processId}`
  const result = await inTransaction(ctx.db, async (trx) => {
    await queries.lockProcess(trx, membership.processId)
    await assertGroupExists(trx, membership.processId, input.stakeholderGroup)
    const user = await findUserByEmail(trx, email)
    if (user) {
      const member = await insertMember(trx, membership.processId, user, { ...input, organisation }, origin)
      return { kind: 'added' as const, member, mailTo: user.email, mailLanguage: uiLanguageOf(user.locale) }
    }
    if (await queries.findOpenInvitationByEmail(trx, membership.processId, email)) {
      throw conflict('This address has an open invitation already; revoke it to send a new one')
    }
    const token = newSecret()
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 60 * 60 * 1000)
    const { id } = await queries.insertInvitation(trx, {
      processId: membership.processId,
      email,
      role: input.role,
      stakeholderGroup: input.stakeholderGroup,
      organisation,
      tokenHash: hashSecret(ctx.config.sessionSecret, token),
      invitedBy: origin.userId,
      expiresAt,
    })
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: 'invitation.created',
      targetType: 'invitation',
      targetId: id,
      details: { email, role: input.role, stakeholderGroup: input.stakeholderGroup, organisation },
    })
    const invitation: Invitation = {
      id,
      email,
      role: input.role,
      stakeholderGroup: input.stakeholderGroup,
      organisation,
      invitedBy: origin.name,
      createdAt: new Date().toISOString(),
      expiresAt: expiresAt.toISOString(),
    }
    return { kind: 'invited' as const, invitation, token }
  })
  // Mail goes out after the commit: a rolled-back invitation must not send a working link.
  if (result.kind === 'added') {
    await ctx.mailer.send(addedToProcessMail(result.mailTo, processLink, membership.processTitle, origin.name, result.mailLanguage))
    return { status: 'added', member: result.member }
  }
  const link = `${ctx.config.publicUrl}/invitations/${encodeURIComponent(result.token)}`
  await ctx.mailer.send(
    invitationMail(
      email,
      link,
      { processTitle: membership.processTitle, invitedBy: origin.name, validDays: INVITATION_DAYS },
      mailLanguages(await queries.findProcessLanguages(ctx.db, membership.processId)),
    ),
  )
  return { status: 'invited', invitation: result.invitation }
}

/**
 * Changes a member's role, group or organisation. The process always keeps at least one
 * secretariat member, so nobody can lock everyone out of its administration.
 */
export async function updateMember(
  ctx: Ctx,
  membership: MembershipContext,
  memberId: string,
  changes: UpdateMemberBody,
  origin: Origin,
): Promise<Member> {
  const member = await inTransaction(ctx.db, async (trx) => {
    await queries.lockProcess(trx, membership.processId)
    const before = await queries.findMember(trx, membership.processId, memberId)
    if (!before) {
      throw notFound('Member')
    }
    if (changes.stakeholderGroup !== undefined) {
      await assertGroupExists(trx, membership.processId, changes.stakeholderGroup)
    }
    if (changes.role !== undefined && changes.role !== 'secretariat' && before.role === 'secretariat') {
      if ((await queries.countSecretariat(trx, membership.processId)) <= 1) {
        throw conflict('A process needs at least one secretariat member')
      }
    }
    await queries.updateMembership(trx, memberId, {
      ...changes,
      ...(changes.organisation !== undefined ? { organisation: changes.organisation.trim() } : {}),
    })
    const after = (await queries.findMember(trx, membership.processId, memberId))!
    const details: Record<string, unknown> = { email: before.email }
    for (const [field, from, to] of [
      ['role', before.role, after.role],
      ['stakeholderGroup', before.stakeholder_group, after.stakeholder_group],
      ['organisation', before.organisation, after.organisation],
    ] as const) {
      if (from !== to) {
        details[field] = { from, to }
      }
    }
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: before.role !== after.role ? 'member.role_changed' : 'member.updated',
      targetType: 'user',
      targetId: before.user_id,
      details,
    })
    return toMember(after)
  })
  ctx.events.emit('membership.changed', { processId: membership.processId, userId: member.userId })
  return member
}

/** Removes a member from a process; the last secretariat member cannot be removed. */
export async function removeMember(ctx: Ctx, membership: MembershipContext, memberId: string, origin: Origin): Promise<void> {
  const userId = await inTransaction(ctx.db, async (trx) => {
    await queries.lockProcess(trx, membership.processId)
    const member = await queries.findMember(trx, membership.processId, memberId)
    if (!member) {
      throw notFound('Member')
    }
    if (member.role === 'secretariat' && (await queries.countSecretariat(trx, membership.processId)) <= 1) {
      throw conflict('A process needs at least one secretariat member')
    }
    await queries.deleteMembership(trx, memberId)
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: 'member.removed',
      targetType: 'user',
      targetId: member.user_id,
      details: { email: member.email, role: member.role },
    })
    return member.user_id
  })
  ctx.events.emit('membership.changed', { processId: membership.processId, userId })
}

export async function listInvitations(ctx: Ctx, processId: string): Promise<Invitation[]> {
  const rows = await queries.listOpenInvitations(ctx.db, processId)
  return rows.map(toInvitation)
}

/** Revokes an open invitation; its link stops working at once. */
export async function revokeInvitation(ctx: Ctx, membership: MembershipContext, invitationId: string, origin: Origin): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const revoked = await queries.revokeInvitation(trx, membership.processId, invitationId)
    if (!revoked) {
      throw notFound('Invitation')
    }
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: 'invitation.revoked',
      targetType: 'invitation',
      targetId: invitationId,
      details: { email: revoked.email },
    })
  })
}

async function findUsableInvitation(ctx: Ctx, db: Executor, token: string) {
  const row = await queries.findInvitationByTokenHash(db, hashSecret(ctx.config.sessionSecret, token))
  if (!row || row.revoked_at !== null) {
    throw notFound('Invitation')
  }
  if (row.accepted_at !== null || row.expires_at.getTime() <= Date.now()) {
    throw new AppError(410, 'invitation_expired', 'This invitation has expired or was already used')
  }
  return row
}

/** What an invitation link offers, shown before the person creates their account. */
export async function previewInvitation(ctx: Ctx, token: string): Promise<InvitationPreview> {
  const row = await findUsableInvitation(ctx, ctx.db, token)
  return {
    processTitle: row.process_title,
    email: row.email,
    role: isRole(row.role) ? row.role : 'observer',
    stakeholderGroup: row.stakeholder_group,
    organisation: row.organisation,
    invitedBy: row.invited_by_name ?? '',
    expiresAt: row.expires_at.toISOString(),
  }
}

/**
 * Accepts an invitation: creates the account for the invited address and turns every open
 * invitation to that address into a membership. The link works once, even under parallel
 * requests, because accepting marks it in the same transaction that creates the account.
 */
export async function acceptInvitation(
  ctx: Ctx,
  token: string,
  account: { name: string; password: string },
  ip: string,
): Promise<{ user: UserRow; processId: string }> {
  return inTransaction(ctx.db, async (trx) => {
    const invitation = await findUsableInvitation(ctx, trx, token)
    if (await findUserByEmail(trx, invitation.email)) {
      throw conflict('An account with this address exists already; sign in instead')
    }
    const user = await createAccount(trx, { email: invitation.email, name: account.name, password: account.password }, null)
    const origin: Origin = { userId: user.id, name: user.name, ip }
    const joined = await joinInvitedProcesses(trx, user, origin)
    if (!joined.includes(invitation.process_id)) {
      throw new AppError(410, 'invitation_expired', 'This invitation has expired or was already used')
    }
    return { user, processId: invitation.process_id }
  })
}

/**
 * Turns every open invitation to a new account's address into a membership (used when an
 * invitation is accepted and when an administrator creates an account). Returns the ids
 * of the processes joined.
 */
export async function joinInvitedProcesses(trx: Executor, user: UserRow, origin: Origin): Promise<string[]> {
  const joined: string[] = []
  for (const invitation of await queries.listPendingInvitationsForEmail(trx, user.email)) {
    if (!(await queries.markInvitationAccepted(trx, invitation.id))) {
      continue
    }
    await queries.insertMembership(trx, {
      processId: invitation.process_id,
      userId: user.id,
      role: invitation.role as Role,
      stakeholderGroup: invitation.stakeholder_group,
      organisation: invitation.organisation,
    })
    await recordAudit(trx, origin, {
      processId: invitation.process_id,
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: invitation.id,
      details: { email: user.email, role: invitation.role, stakeholderGroup: invitation.stakeholder_group },
    })
    joined.push(invitation.process_id)
  }
  return joined
}
