import type { Invitation, Member, ProcessDetail, ProcessSummary, StakeholderGroup } from '../../shared/api/processes'
import { ACTIONS, ALLOWED_WHEN_ARCHIVED, can } from '../../shared/domain/permissions'
import { isDefaultGroup } from '../../shared/domain/stakeholder-groups'
import { isRole, type Role } from '../../shared/domain/roles'
import type { Language } from '../../shared/limits'
import { canInStage, type Stage } from '../../shared/domain/lifecycle'
import type { ProcessRow } from '../db/database'

function role(value: string): Role {
  if (!isRole(value)) {
    throw new Error(`Unknown role in the database: ${value}`)
  }
  return value
}

export function toProcessSummary(
  row: ProcessRow & { my_role: string; member_count: number | null; document_count: number | null },
): ProcessSummary {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    languages: row.languages as Language[],
    stage: row.stage as Stage,
    archived: row.archived_at !== null,
    myRole: role(row.my_role),
    memberCount: row.member_count ?? 0,
    documentCount: row.document_count ?? 0,
    createdAt: row.created_at.toISOString(),
  }
}

export function toGroup(row: { key: string; label: string | null; member_count: number | null }): StakeholderGroup {
  return { key: row.key, label: row.label, builtIn: isDefaultGroup(row.key) && row.label === null, memberCount: row.member_count ?? 0 }
}

export function toProcessDetail(summary: ProcessSummary, groups: StakeholderGroup[]): ProcessDetail {
  // The stage's rules hide what it forbids, as archiving does (lifecycle.ts STAGE_FORBIDS).
  const myActions = ACTIONS.filter(
    (a) =>
      can(summary.myRole, a) &&
      (!summary.archived || ALLOWED_WHEN_ARCHIVED.has(a)) &&
      canInStage(summary.stage, a),
  )
  return { ...summary, groups, myActions }
}

export function toMember(row: {
  id: string
  user_id: string
  name: string
  email: string
  role: string
  stakeholder_group: string
  organisation: string
  created_at: Date
}): Member {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: role(row.role),
    stakeholderGroup: row.stakeholder_group,
    organisation: row.organisation,
    joinedAt: row.created_at.toISOString(),
  }
}

export function toInvitation(row: {
  id: string
  email: string
  role: string
  stakeholder_group: string
  organisation: string
  invited_by_name: string | null
  created_at: Date
  expires_at: Date
}): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: role(row.role),
    stakeholderGroup: row.stakeholder_group,
    organisation: row.organisation,
    invitedBy: row.invited_by_name ?? '',
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }
}
