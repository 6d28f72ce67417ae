import { Type, type Static } from 'typebox'
import {
  Email,
  GroupKey,
  LanguageSchema,
  Organisation,
  Password,
  PersonName,
  RoleSchema,
  Timestamp,
  Uuid,
} from './common'
import { LANGUAGES, LIMITS } from '../limits'
import { SessionInfo } from './auth'
import { STAGES } from '../domain/lifecycle'
import { ACTIONS } from '../domain/permissions'
import { DOCUMENT_TEMPLATES } from './documents'

export const StageSchema = Type.Enum(STAGES)
const ProcessTitle = Type.String({ minLength: 1, maxLength: LIMITS.processTitleMax, pattern: '\\S' })
const Languages = Type.Array(LanguageSchema, {
  minItems: 1,
  maxItems: LIMITS.languagesMax,
  uniqueItems: true,
  description: 'The languages the process publishes in; the first is the main one.',
})

/** A stakeholder group of one process. Built-in groups have no label: clients translate the key. */
export const StakeholderGroup = Type.Object({
  key: GroupKey,
  label: Type.Union([Type.String(), Type.Null()]),
  builtIn: Type.Boolean(),
  memberCount: Type.Integer(),
})
export type StakeholderGroup = Static<typeof StakeholderGroup>

/** A process as listed for the signed-in user, with the user's own role in it. */
export const ProcessSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Type.String(),
  languages: Type.Array(LanguageSchema),
  stage: StageSchema,
  archived: Type.Boolean(),
  myRole: RoleSchema,
  memberCount: Type.Integer(),
  documentCount: Type.Integer(),
  createdAt: Timestamp,
})
export type ProcessSummary = Static<typeof ProcessSummary>

export const ProcessDetail = Type.Object({
  ...ProcessSummary.properties,
  groups: Type.Array(StakeholderGroup),
  myActions: Type.Array(Type.Enum(ACTIONS), {
    description: 'What the caller may do here; for showing controls only.',
  }),
})
export type ProcessDetail = Static<typeof ProcessDetail>

export const CreateProcessBody = Type.Object(
  {
    title: ProcessTitle,
    languages: Type.Optional(Languages),
    description: Type.Optional(Type.String({ maxLength: LIMITS.processDescriptionMax })),
  },
  { additionalProperties: false },
)
export type CreateProcessBody = Static<typeof CreateProcessBody>

export const UpdateProcessBody = Type.Object(
  {
    title: Type.Optional(ProcessTitle),
    languages: Type.Optional(Languages),
    description: Type.Optional(Type.String({ maxLength: LIMITS.processDescriptionMax })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateProcessBody = Static<typeof UpdateProcessBody>

export const ArchiveBody = Type.Object({ archived: Type.Boolean() }, { additionalProperties: false })
export type ArchiveBody = Static<typeof ArchiveBody>

export const CreateGroupBody = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: LIMITS.groupLabelMax, pattern: '\\S' }) },
  { additionalProperties: false },
)
export type CreateGroupBody = Static<typeof CreateGroupBody>
export const GroupParams = Type.Object({ id: Uuid, key: GroupKey }, { additionalProperties: false })

/** A member of a process: an account with a role, a stakeholder group and an organisation. */
export const Member = Type.Object({
  id: Uuid,
  userId: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  stakeholderGroup: GroupKey,
  organisation: Type.String(),
  joinedAt: Timestamp,
})
export type Member = Static<typeof Member>

export const AddMemberBody = Type.Object(
  {
    email: Email,
    role: RoleSchema,
    stakeholderGroup: GroupKey,
    organisation: Type.Optional(Organisation),
  },
  { additionalProperties: false },
)
export type AddMemberBody = Static<typeof AddMemberBody>

export const UpdateMemberBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    stakeholderGroup: Type.Optional(GroupKey),
    organisation: Type.Optional(Organisation),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMemberBody = Static<typeof UpdateMemberBody>
export const MemberParams = Type.Object({ id: Uuid, memberId: Uuid }, { additionalProperties: false })

/** A pending invitation to a process, sent to an address that has no account yet. */
export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: RoleSchema,
  stakeholderGroup: GroupKey,
  organisation: Type.String(),
  invitedBy: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
})
export type Invitation = Static<typeof Invitation>
export const InvitationParams = Type.Object(
  { id: Uuid, invitationId: Uuid },
  { additionalProperties: false },
)

/** The answer to adding a member: either a membership made at once, or an invitation sent. */
export const AddMemberResult = Type.Union([
  Type.Object({ status: Type.Literal('added'), member: Member }),
  Type.Object({ status: Type.Literal('invited'), invitation: Invitation }),
])
export type AddMemberResult = Static<typeof AddMemberResult>

/** What the holder of an invitation link sees before accepting it. */
export const InvitationPreview = Type.Object({
  processTitle: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  stakeholderGroup: GroupKey,
  organisation: Type.String(),
  invitedBy: Type.String(),
  expiresAt: Timestamp,
})
export type InvitationPreview = Static<typeof InvitationPreview>

export const InvitationTokenParams = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
)
export const AcceptInvitationBody = Type.Object(
  { name: PersonName, password: Password },
  { additionalProperties: false },
)
export type AcceptInvitationBody = Static<typeof AcceptInvitationBody>
export const AcceptInvitationResult = Type.Object({ processId: Uuid, session: SessionInfo })
export type AcceptInvitationResult = Static<typeof AcceptInvitationResult>

/** A document of a process, as listed on the process home. */
export const DocumentSummary = Type.Object({
  id: Uuid,
  processId: Uuid,
  title: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** The language it is written in; null for the process's main language (issue 16). */
  language: Type.Union([Type.String(), Type.Null()]),
  /** The document this one translates (its sections aligned by id), or null for a source. */
  translationOf: Type.Union([Uuid, Type.Null()]),
})
export type DocumentSummary = Static<typeof DocumentSummary>

export const CreateDocumentBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: LIMITS.documentTitleMax, pattern: '\\S' }),
    template: Type.Optional(
      Type.Enum(DOCUMENT_TEMPLATES, {
        description: "Start from an outline instead of an empty page: 'national-strategy' (vision, principles, objectives, action lines, governance, indicators).",
      }),
    ),
    language: Type.Optional(
      Type.Enum(LANGUAGES, {
        description:
          "The language of the template's outline: one of the process's languages (default: its first). Outlines exist in English and Spanish; other languages get English.",
      }),
    ),
  },
  { additionalProperties: false },
)
export type CreateDocumentBody = Static<typeof CreateDocumentBody>

/** One entry of a process's append-only audit log. */
/**
 * What an audit entry is about, looked up when the log is read (issue 15, item 6), so the
 * activity log names and links it: the thread's number, the version's name, the consultation's
 * title, the document's title. A subject that no longer exists (a deleted document) is absent
 * or marked, and the entry's own details still say what it was.
 */
export const AuditSubjects = Type.Object({
  thread: Type.Optional(
    Type.Object({
      id: Uuid,
      number: Type.Integer(),
      documentId: Uuid,
      sectionTitle: Type.String(),
    }),
  ),
  document: Type.Optional(
    Type.Object({
      id: Uuid,
      title: Type.String(),
      deleted: Type.Boolean({ description: 'Deleted since: named, not linked.' }),
    }),
  ),
  version: Type.Optional(
    Type.Object({ id: Uuid, number: Type.Integer(), name: Type.String(), documentId: Uuid }),
  ),
  consultation: Type.Optional(
    Type.Object({
      id: Uuid,
      slug: Type.String(),
      title: Type.Record(Type.String(), Type.String(), { description: 'Per language.' }),
    }),
  ),
})
export type AuditSubjects = Static<typeof AuditSubjects>

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  subjects: AuditSubjects,
  createdAt: Timestamp,
})
export type AuditEntry = Static<typeof AuditEntry>

export const Created = Type.Object({ id: Uuid })
export type Created = Static<typeof Created>
