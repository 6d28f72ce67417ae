import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { UndoRecord } from '../comments/anchors'

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
  /** The TOTP secret, encrypted (server/auth/two-factor.ts); set at enrolment, kept while enabled. */
  totp_secret: string | null
  /** When the second factor was confirmed; null while it is off or not yet confirmed. */
  totp_enabled_at: Timestamp | null
  /** The last TOTP time step accepted, so that a code is never accepted twice. */
  totp_last_step: ColumnType<string | null, string | number | null, string | number | null>
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

/** A sign-in counter per scope ('account' | 'address' | 'pair') and key (issue 12, item 5). */
export interface SignInThrottlesTable {
  scope: string
  key: string
  failures: Generated<number>
  window_started_at: CreatedAt
  last_failed_at: CreatedAt
  blocked_until: Timestamp | null
}

export interface RecoveryCodesTable {
  id: Generated<string>
  user_id: string
  code_hash: string
  created_at: CreatedAt
  used_at: Timestamp | null
}

export interface SignInChallengesTable {
  id_hash: string
  user_id: string
  ip: string
  failures: Generated<number>
  created_at: CreatedAt
  expires_at: Timestamp
}

export interface ProcessesTable {
  id: Generated<string>
  title: string
  description: Generated<string>
  languages: Json<string[]>
  stage: Generated<string>
  thread_seq: Generated<number>
  /** The public home at /p/:public_slug is on (issue 14, item 7). */
  public_home: Generated<boolean>
  public_slug: string | null
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
  /** The document a review cycle's working document continues (migration 0016). */
  predecessor_id: Generated<string | null>
  /** The language it is written in; null for the process's main language (migration 0025). */
  language: Generated<string | null>
  /** The document this one translates, or null for a source (migration 0025). */
  source_document_id: Generated<string | null>
}

/** What a translated section was last brought up to date with (migration 0025). */
export interface TranslationSectionsTable {
  document_id: string
  section_id: string
  source_section: Json<unknown>
  source_seq: ColumnType<number, number, number>
  updated_by: string | null
  updated_at: Generated<Date>
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
  /** The workshop the thread was recorded in (origin "workshop"). */
  workshop_id: string | null
  /** The section as it stood when the thread was opened: ProseMirror JSON of its heading and blocks. */
  written_section: ColumnType<unknown, string | null | undefined, string | null>
  /** The version the thread was written against: a consultation's, or the newest one then. */
  written_version_id: string | null
}

/** What applying a proposed change did to the document, as a thread records it. */
export interface AppliedRecord {
  by: string
  at: string
  scope: 'range' | 'section'
  before: string
  after: string
  /** How to undo the change (issue 15, item 3); absent on changes applied before undo existed. */
  undo?: UndoRecord
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
  /** The moderator's reason, on a notice that they hid the reader's comment; else null. */
  reason: Generated<string | null>
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
  /** For a translation's version, the source's version it was frozen with (migration 0025). */
  source_version_id: Generated<string | null>
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

/** What the spotlight points at while a workshop runs: a thread, or a passage of a section. */
export type Spotlight = { threadId: string } | { sectionId: string; quote: string }

/** The minutes drafted when a workshop closes (server/workshops/minutes.ts builds them). */
export type StoredMinutes = Record<string, unknown>

/** A live session on a draft (issue 13), with its live state while it runs. */
export interface WorkshopsTable {
  id: Generated<string>
  process_id: string
  document_id: string | null
  title: string
  purpose: Generated<string>
  starts_at: Timestamp
  ends_at: Timestamp
  time_zone: string
  format: string
  place: Generated<string>
  meeting_url: Generated<string>
  languages: Json<string[]>
  capacity: number | null
  state: Generated<string>
  revision: Generated<number>
  group_threshold: Generated<number>
  current_item_id: string | null
  clock_elapsed_ms: ColumnType<number, number | undefined, number>
  clock_resumed_at: Timestamp | null
  spotlight: ColumnType<Spotlight | null, string | null, string | null>
  started_at: Timestamp | null
  closed_at: Timestamp | null
  cancelled_at: Timestamp | null
  cancel_reason: string | null
  minutes: ColumnType<StoredMinutes | null, string | null, string | null>
  minutes_summary: Generated<string>
  minutes_published_at: Timestamp | null
  minutes_public: Generated<boolean>
  created_by: string | null
  created_by_name: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** One item of a workshop's agenda: a section (by id) or a free topic, with a time box. */
export interface WorkshopAgendaItemsTable {
  id: Generated<string>
  workshop_id: string
  position: number
  section_id: string | null
  topic: string | null
  title: string
  minutes: number
  extra_minutes: Generated<number>
  lead: Generated<string>
  started_at: Timestamp | null
  ended_at: Timestamp | null
}

/** A person registered for a workshop, a member or someone without an account. */
export interface WorkshopRegistrationsTable {
  id: Generated<string>
  workshop_id: string
  user_id: string | null
  name: string
  email: string | null
  organisation: Generated<string>
  stakeholder_group: string
  consent_public: Generated<boolean>
  code: string
  created_at: CreatedAt
}

/** Someone who attended, with their group and organisation as they were at check-in. */
export interface WorkshopAttendeesTable {
  id: Generated<string>
  workshop_id: string
  registration_id: string | null
  user_id: string | null
  name: string
  organisation: Generated<string>
  stakeholder_group: string
  consent_public: Generated<boolean>
  mode: string
  checked_in_at: CreatedAt
}

export interface WorkshopCheckinFailuresTable {
  id: Generated<string>
  workshop_id: string
  address: string
  created_at: CreatedAt
}

/** A raised hand in a workshop's speaking queue. */
export interface WorkshopQueueTable {
  id: Generated<string>
  workshop_id: string
  attendee_id: string
  position: number
  raised_at: CreatedAt
  called_at: Timestamp | null
  removed_at: Timestamp | null
}

/** A comment, question, proposal, decision or action item recorded in a workshop. */
export interface WorkshopContributionsTable {
  id: Generated<string>
  workshop_id: string
  agenda_item_id: string | null
  kind: string
  thread_id: string | null
  section_id: string | null
  body: string
  attendee_id: string | null
  author_name: string
  author_group: string
  author_organisation: Generated<string>
  recorded_by_name: string | null
  owner: string | null
  due_date: ColumnType<string | null, string | null, string | null>
  status: string | null
  created_at: CreatedAt
  status_at: Timestamp | null
}

/** A straw poll of a workshop. */
export interface WorkshopPollsTable {
  id: Generated<string>
  workshop_id: string
  agenda_item_id: string | null
  question: string
  options: Json<string[]>
  multiple: Generated<boolean>
  state: Generated<string>
  opened_at: Timestamp | null
  closed_at: Timestamp | null
  created_at: CreatedAt
}

/** One attendee's answer to a poll (the primary key keeps it to one). */
export interface WorkshopVotesTable {
  poll_id: string
  attendee_id: string
  choices: Json<number[]>
  stakeholder_group: string
  created_at: CreatedAt
}

/** The tables of Concord's database, as Kysely sees them. */
/** `date` columns: a Date from pg, a string from PGlite; written as 'YYYY-MM-DD'. */
type DateOnly = ColumnType<Date | string, string, string>

/** The adoption of a version as the process's strategy (append-only, issue 14 item 5). */
export interface StrategyAdoptionsTable {
  id: Generated<string>
  process_id: string
  number: number
  adopted_on: DateOnly
  instrument: string
  note: Generated<string>
  supersedes_id: string | null
  created_by: string | null
  created_by_name: string
  created_at: CreatedAt
}

/** The adopted text in one language: a frozen version (append-only). */
export interface StrategyAdoptionTextsTable {
  adoption_id: string
  language: string
  document_id: string
  version_id: string
  is_source: Generated<boolean>
}

/** A recorded, reasoned withdrawal of an adoption (append-only). */
export interface StrategyWithdrawalsTable {
  id: Generated<string>
  adoption_id: string
  process_id: string
  withdrawn_on: DateOnly
  reason: string
  created_by: string | null
  created_by_name: string
  created_at: CreatedAt
}

/** A commitment of the adopted strategy (issue 14, item 6). */
export interface CommitmentsTable {
  id: Generated<string>
  process_id: string
  number: number
  adoption_id: string
  source: string
  section_id: string
  section_title: string
  thread_id: string | null
  title: string
  description: Generated<string>
  organisation: Generated<string>
  status: Generated<string>
  dropped_reason: Generated<string>
  due_on: DateOnly | null
  created_by_name: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CommitmentIndicatorsTable {
  id: Generated<string>
  commitment_id: string
  name: string
  unit: Generated<string>
  baseline: number | null
  target: number
  created_at: CreatedAt
}

/** A measured value of an indicator on a date (append-only). */
export interface IndicatorMeasurementsTable {
  id: Generated<string>
  indicator_id: string
  value: number
  measured_on: DateOnly
  note: Generated<string>
  created_by_name: string
  created_at: CreatedAt
}

/** A dated progress update of a commitment (append-only). */
export interface CommitmentUpdatesTable {
  id: Generated<string>
  commitment_id: string
  body: string
  status: string
  created_by_name: string
  created_at: CreatedAt
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  password_resets: PasswordResetsTable
  sign_in_attempts: SignInAttemptsTable
  sign_in_throttles: SignInThrottlesTable
  recovery_codes: RecoveryCodesTable
  sign_in_challenges: SignInChallengesTable
  processes: ProcessesTable
  stakeholder_groups: StakeholderGroupsTable
  memberships: MembershipsTable
  invitations: InvitationsTable
  documents: DocumentsTable
  translation_sections: TranslationSectionsTable
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
  workshops: WorkshopsTable
  workshop_agenda_items: WorkshopAgendaItemsTable
  workshop_registrations: WorkshopRegistrationsTable
  workshop_attendees: WorkshopAttendeesTable
  workshop_checkin_failures: WorkshopCheckinFailuresTable
  workshop_queue: WorkshopQueueTable
  workshop_contributions: WorkshopContributionsTable
  workshop_polls: WorkshopPollsTable
  workshop_votes: WorkshopVotesTable
  process_stage_changes: ProcessStageChangesTable
  strategy_adoptions: StrategyAdoptionsTable
  strategy_adoption_texts: StrategyAdoptionTextsTable
  strategy_withdrawals: StrategyWithdrawalsTable
  commitments: CommitmentsTable
  commitment_indicators: CommitmentIndicatorsTable
  indicator_measurements: IndicatorMeasurementsTable
  commitment_updates: CommitmentUpdatesTable
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
export type WorkshopRow = Selectable<WorkshopsTable>
export type AgendaItemRow = Selectable<WorkshopAgendaItemsTable>
export type RegistrationRow = Selectable<WorkshopRegistrationsTable>
export type AttendeeRow = Selectable<WorkshopAttendeesTable>
export type QueueRow = Selectable<WorkshopQueueTable>
export type ContributionRow = Selectable<WorkshopContributionsTable>
export type PollRow = Selectable<WorkshopPollsTable>
export type VoteRow = Selectable<WorkshopVotesTable>
export type StrategyAdoptionRow = Selectable<StrategyAdoptionsTable>
export type CommitmentRow = Selectable<CommitmentsTable>
export type IndicatorRow = Selectable<CommitmentIndicatorsTable>
export type MeasurementRow = Selectable<IndicatorMeasurementsTable>
export type CommitmentUpdateRow = Selectable<CommitmentUpdatesTable>
