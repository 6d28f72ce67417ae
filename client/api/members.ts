import type { SessionInfo } from '../../shared/api/auth'
import type { Ok } from '../../shared/api/common'
import type {
  AddMemberBody,
  AddMemberResult,
  Invitation,
  InvitationPreview,
  Member,
  UpdateMemberBody,
} from '../../shared/api/processes'
import { api, seg } from './client'

export const listMembers = (processId: string) =>
  api.get<Member[]>(`/api/processes/${seg(processId)}/members`)

export const addMember = (processId: string, body: AddMemberBody) =>
  api.post<AddMemberResult>(`/api/processes/${seg(processId)}/members`, body)

export const updateMember = (processId: string, memberId: string, body: UpdateMemberBody) =>
  api.patch<Member>(`/api/processes/${seg(processId)}/members/${seg(memberId)}`, body)

export const removeMember = (processId: string, memberId: string) =>
  api.delete<Ok>(`/api/processes/${seg(processId)}/members/${seg(memberId)}`)

export const listInvitations = (processId: string) =>
  api.get<Invitation[]>(`/api/processes/${seg(processId)}/invitations`)

export const revokeInvitation = (processId: string, invitationId: string) =>
  api.delete<Ok>(`/api/processes/${seg(processId)}/invitations/${seg(invitationId)}`)

/** What the holder of an invitation link sees; needs no session. */
export const fetchInvitation = (token: string) =>
  api.get<InvitationPreview>(`/api/invitations/${seg(token)}`)

/** The answer to accepting: the process to open, and (from current servers) the new session. */
export interface AcceptedInvitation {
  processId: string
  session?: SessionInfo
}

export const acceptInvitation = (token: string, name: string, password: string) =>
  api.post<AcceptedInvitation>(`/api/invitations/${seg(token)}/accept`, { name, password })
