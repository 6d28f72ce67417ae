import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type Timestamp = ColumnType<Date, Date | string, Date | string>
type Json<T> = ColumnType<T, string, string>

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  is_admin: Generated<boolean>
  locale: Generated<string>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface SessionsTable {
  id_hash: string
  user_id: string
  csrf_token: string
  created_at: CreatedAt
  last_seen_at: UpdatedAt
  expires_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  token_hash: string
  prefix: string
  created_at: CreatedAt
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface PasswordResetsTable {
  token_hash: string
  user_id: string
  created_at: CreatedAt
  expires_at: Timestamp
  used_at: Timestamp | null
}

export interface SignInAttemptsTable {
  id: Generated<string>
  email: string
  ip: string
  succeeded: boolean
  created_at: CreatedAt
}

export interface ProcessesTable {
  id: Generated<string>
  title: string
  description: Generated<string>
  languages: Json<string[]>
  stage: Generated<string>
  thread_seq: Generated<number>
  archived_at: Timestamp | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface StakeholderGroupsTable {
  process_id: string
  key: string
  label: string | null
  position: number
  created_at: CreatedAt
}

export interface MembershipsTable {
  id: Generated<string>
  process_id: string
  user_id: string
  role: string
  stakeholder_group: string
  organisation: Generated<string>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface InvitationsTable {
  id: Generated<string>
  process_id: string
  email: string
  role: string
  stakeholder_group: string
  organisation: Generated<string>
  token_hash: string
  invited_by: string | null
  created_at: CreatedAt
  expires_at: Timestamp
  accepted_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface DocumentsTable {
  id: Generated<string>
  process_id: string
  title: string
  created_by: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
  deleted_at: Timestamp | null
  update_seq: Generated<number>
}

export interface DocUpdatesTable {
  document_id: string
  seq: number
  update: Uint8Array
  created_at: CreatedAt
}

export interface DocSnapshotsTable {
  document_id: string
  state: Uint8Array
  seq: number
  updated_at: UpdatedAt
}

export interface AuditLogTable {
  id: Generated<string>
  process_id: string | null
  actor_id: string | null
  actor_name: string | null
  action: string
  target_type: string | null
  target_id: string | null
  details: Json<Record<string, unknown>>
  ip: string | null
  created_at: CreatedAt
}

export interface ThreadsTable {
  id: Generated<string>
  process_id: string
  document_id: string
  number: number
  section_id: string
  section_title: string
  kind: string
  status: Generated<string>
  anchor_start: string | null
  anchor_end: string | null
  quote: string | null
  proposal_scope: string | null
  proposal_text: string | null
  created_by: string | null
  created_at: CreatedAt
  last_activity_at: UpdatedAt
  status_by_name: string | null
  status_at: Timestamp | null
  applied: ColumnType<AppliedRecord | null, string | null, string | null>
  consultation_id: string | null
  /** Public submissions gathered in this thread: 1 for a single one, N for a campaign. */
  submission_count: Generated<number>
  disposition: string | null
  answer: string | null
  answer_version_id: string | null
  answer_section_id: string | null
  answer_section_title: string | null
  answered_at: Timestamp | null
  answered_by_name: string | null
}

/** What applying a proposed change did to the document, as a thread records it. */
export interface AppliedRecord {
  by: string
  at: string
  scope: 'range' | 'section'
  before: string
  after: string
}

export interface CommentsTable {
  id: Generated<string>
  thread_id: string
  process_id: string
  is_root: boolean
  author_id: string | null
  author_name: string
  author_group: string
  author_organisation: Generated<string>
  author_role: string | null
  body: string
  created_at: CreatedAt
  edited_at: Timestamp | null
  withdrawn_at: Timestamp | null
  hidden_at: Timestamp | null
  hidden_by_name: string | null
  hidden_reason: string | null
  /** The stakeholder group was declared by a member of the public, not given by the secretariat. */
  self_declared: Generated<boolean>
  /** Waiting for a moderator's approval before publication (hidden_at is set meanwhile). */
  pending: Generated<boolean>
}

export interface CommentRevisionsTable {
  id: Generated<string>
  comment_id: string
  body: string
  replaced_at: CreatedAt
}

export interface EndorsementsTable {
  thread_id: string
  user_id: string
  stakeholder_group: string
  organisation: Generated<string>
  created_at: CreatedAt
}

export interface FlagsTable {
  id: Generated<string>
  comment_id: string
  process_id: string
  user_id: string | null
  user_name: string
  reason: string
  created_at: CreatedAt
  closed_at: Timestamp | null
}

export interface ModerationLogTable {
  id: Generated<string>
  process_id: string
  comment_id: string
  thread_id: string
  action: string
  reason: string
  moderator_id: string | null
  moderator_name: string
  created_at: CreatedAt
}

export interface NotificationsTable {
  id: Generated<string>
  user_id: string
  process_id: string
  thread_id: string
  comment_id: string
  kind: string
  actor_name: string
  created_at: CreatedAt
  read_at: Timestamp | null
}

/** A section of a frozen version, as it was stored with it. */
export interface StoredSection {
  id: string | null
  level: number
  title: string
}

/** A named, immutable version of a document (append-only: a trigger refuses UPDATE and DELETE). */
export interface DocumentVersionsTable {
  id: Generated<string>
  process_id: string
  document_id: string
  number: number
  /** The document's title when the version was made. */
  title: string
  name: string
  /** The frozen Yjs state: one update that builds the whole document. */
  state: Uint8Array
  /** The frozen content as ProseMirror JSON. */
  content: Json<{ type: 'doc'; content: unknown[] }>
  sections: Json<StoredSection[]>
  words: number
  created_by: string | null
  created_by_name: string
  created_at: CreatedAt
}

/** Text per language of the process, such as a consultation's title. */
export type PerLanguage = Record<string, string>

/** A public consultation on a frozen version of a document. */
export interface ConsultationsTable {
  id: Generated<string>
  process_id: string
  document_id: string
  version_id: string
  slug: string
  title: Json<PerLanguage>
  introduction: Json<PerLanguage>
  opens_at: Timestamp
  closes_at: Timestamp
  time_zone: string
  access: string
  moderation: string
  visibility: string
  show_member_threads: Generated<boolean>
  published_at: Timestamp | null
  submission_seq: Generated<number>
  created_by: string | null
  created_by_name: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** Publishing, closing early and extending a consultation (append-only). */
export interface ConsultationChangesTable {
  id: Generated<string>
  consultation_id: string
  kind: string
  closes_before: Timestamp | null
  closes_after: Timestamp | null
  reason: Generated<string>
  actor_name: string
  created_at: CreatedAt
}

/** One move of a process from one life-cycle stage to another (append-only). */
export interface ProcessStageChangesTable {
  id: Generated<string>
  process_id: string
  from_stage: string
  to_stage: string
  reason: Generated<string>
  actor_id: string | null
  actor_name: string
  created_at: CreatedAt
}
export type ProcessStageChangeRow = Selectable<ProcessStageChangesTable>

/** One public submission and its receipt. */
export interface ConsultationSubmissionsTable {
  id: Generated<string>
  consultation_id: string
  reference: string
  status: string
  thread_id: string | null
  section_id: string
  author_name: string | null
  stakeholder_group: string
  organisation: Generated<string>
  email: string | null
  /** The mailbox the per-e-mail limit counts: lower case, no `+tag` (public-queries emailKeyOf). */
  email_key: string | null
  email_verified_at: Timestamp | null
  verify_token_hash: string | null
  verify_expires_at: Timestamp | null
  consent: boolean
  body: string
  quote: string | null
  text_hash: string
  address_hash: string
  language: string
  created_at: CreatedAt
}

/** The tables of Concord's database, as Kysely sees them. */
export interface Database {
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  password_resets: PasswordResetsTable
  sign_in_attempts: SignInAttemptsTable
  processes: ProcessesTable
  stakeholder_groups: StakeholderGroupsTable
  memberships: MembershipsTable
  invitations: InvitationsTable
  documents: DocumentsTable
  doc_updates: DocUpdatesTable
  doc_snapshots: DocSnapshotsTable
  audit_log: AuditLogTable
  threads: ThreadsTable
  comments: CommentsTable
  comment_revisions: CommentRevisionsTable
  endorsements: EndorsementsTable
  flags: FlagsTable
  moderation_log: ModerationLogTable
  notifications: NotificationsTable
  document_versions: DocumentVersionsTable
  consultations: ConsultationsTable
  consultation_changes: ConsultationChangesTable
  consultation_submissions: ConsultationSubmissionsTable
  process_stage_changes: ProcessStageChangesTable
}

export type Db = Kysely<Database>
export type Trx = Transaction<Database>
/** Either the database or a transaction: most queries run in both. */
export type Executor = Db | Trx

export type UserRow = Selectable<UsersTable>
export type SessionRow = Selectable<SessionsTable>
export type ApiTokenRow = Selectable<ApiTokensTable>
export type ProcessRow = Selectable<ProcessesTable>
export type MembershipRow = Selectable<MembershipsTable>
export type InvitationRow = Selectable<InvitationsTable>
export type DocumentRow = Selectable<DocumentsTable>
export type AuditRow = Selectable<AuditLogTable>
export type NewAuditEntry = Insertable<AuditLogTable>
export type ThreadRow = Selectable<ThreadsTable>
export type CommentRow = Selectable<CommentsTable>
export type NotificationRow = Selectable<NotificationsTable>
export type DocumentVersionRow = Selectable<DocumentVersionsTable>
export type ConsultationRow = Selectable<ConsultationsTable>
export type ConsultationChangeRow = Selectable<ConsultationChangesTable>
export type SubmissionRow = Selectable<ConsultationSubmissionsTable>
