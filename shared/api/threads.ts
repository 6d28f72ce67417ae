import { Type, type Static } from 'typebox'
import { LIMITS } from '../limits'
import { GroupKey, RoleSchema, Timestamp, Uuid } from './common'
import { RedlinePart } from './comparison'
import { ThreadAnswer, ThreadOrigin } from './consultations'

/** What a thread is about: a remark, a question to the drafters, or a proposed change to the text. */
export const THREAD_KINDS = ['comment', 'question', 'proposal'] as const
export type ThreadKind = (typeof THREAD_KINDS)[number]

/** Where a thread stands: open, resolved by a drafter, or accepted (its proposed change was applied). */
export const THREAD_STATUSES = ['open', 'resolved', 'accepted'] as const
export type ThreadStatus = (typeof THREAD_STATUSES)[number]

/** What a proposed change replaces: the anchored passage, or everything in the section below its heading. */
export const PROPOSAL_SCOPES = ['range', 'section'] as const
export type ProposalScope = (typeof PROPOSAL_SCOPES)[number]

/** How a thread list is ordered. */
export const THREAD_SORTS = ['recent', 'endorsements', 'section'] as const
export type ThreadSort = (typeof THREAD_SORTS)[number]

/** Moderation actions, as the moderation log records them. */
export const MODERATION_ACTIONS = ['hide', 'restore', 'dismiss-flags', 'approve'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

export const SectionId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'The stable section id of a heading (see GET /api/documents/:id/sections).',
})

/**
 * Plain text with light formatting: blank lines separate paragraphs, `*emphasis*`,
 * `**strong**`, `[text](https://…)` and bare https links, and mentions written
 * `@[Name](user-id)`. It is never interpreted as HTML anywhere it is shown.
 */
export const Body = Type.String({
  minLength: 1,
  maxLength: LIMITS.commentBodyMax,
  pattern: '\\S',
  description: 'Plain text with light formatting; mentions are written @[Name](user-id).',
})

const Reason = Type.String({ minLength: 1, maxLength: LIMITS.moderationReasonMax, pattern: '\\S' })

const Base64 = Type.String({
  minLength: 1,
  maxLength: LIMITS.anchorMax,
  pattern: '^[A-Za-z0-9+/]+={0,2}$',
})

/**
 * A text range inside a section: two Yjs relative positions (encoded with
 * `Y.encodeRelativePosition`, then base64) and the passage they enclosed when the thread was
 * made. The start associates to the right and the end to the left, so text typed at either
 * edge stays outside the range. When the passage is deleted, the thread falls back to its section.
 */
export const Anchor = Type.Object(
  {
    start: Base64,
    end: Base64,
    quote: Type.String({ minLength: 1, maxLength: LIMITS.quoteMax }),
  },
  { additionalProperties: false },
)
export type Anchor = Static<typeof Anchor>

/** The proposed replacement text of a `proposal` thread, and what it replaces. */
export const Proposal = Type.Object(
  {
    scope: Type.Enum(PROPOSAL_SCOPES, {
      description:
        '`range`: the anchored passage (within one paragraph); `section`: the section’s text below its heading.',
    }),
    text: Type.String({
      maxLength: LIMITS.proposalTextMax,
      description: 'The replacement; blank lines separate paragraphs.',
    }),
  },
  { additionalProperties: false },
)
export type Proposal = Static<typeof Proposal>

/** Who wrote something, as they were when they wrote it: a later role change does not rewrite history. */
export const Author = Type.Object({
  userId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
  stakeholderGroup: Type.String(),
  organisation: Type.String(),
  role: Type.Union([RoleSchema, Type.Null()]),
  selfDeclared: Type.Boolean({
    description: 'The group was declared by a member of the public in a consultation.',
  }),
})
export type Author = Static<typeof Author>

/** A moderator's decision to hide an item, as shown in its place. */
export const HiddenInfo = Type.Object({
  reason: Type.String(),
  at: Timestamp,
  by: Type.Union([Type.String(), Type.Null()], {
    description: 'The moderator’s name; shown to moderators only.',
  }),
  pending: Type.Boolean({
    description:
      'A public comment waiting for approval before publication (moderators only see it).',
  }),
})
export type HiddenInfo = Static<typeof HiddenInfo>

/**
 * The opening comment of a thread or one reply. A withdrawn item keeps its place with
 * `body: null`; a hidden one shows only the moderator's reason to people who may not
 * moderate (`author` and `body` are null for them).
 */
export const Comment = Type.Object({
  id: Uuid,
  threadId: Uuid,
  author: Type.Union([Author, Type.Null()]),
  body: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  editedAt: Type.Union([Timestamp, Type.Null()]),
  withdrawn: Type.Boolean(),
  hidden: Type.Union([HiddenInfo, Type.Null()]),
  /** Open flags on the item; moderators only, else 0. */
  flagCount: Type.Integer(),
  flaggedByMe: Type.Boolean(),
  canEdit: Type.Boolean({ description: 'The caller wrote it and the edit window is still open.' }),
  canWithdraw: Type.Boolean(),
})
export type Comment = Static<typeof Comment>

/** Endorsements of a thread, counted per stakeholder group (as each endorser was at the time). */
export const Endorsements = Type.Object({
  total: Type.Integer(),
  byGroup: Type.Record(Type.String(), Type.Integer()),
  mine: Type.Boolean(),
})
export type Endorsements = Static<typeof Endorsements>

/** Who changed a thread's status, and when. */
export const StatusChange = Type.Object({
  by: Type.String(),
  at: Timestamp,
})

/** The edit that applying a proposed change made to the document. */
export const AppliedChange = Type.Object({
  by: Type.String(),
  at: Timestamp,
  scope: Type.Enum(PROPOSAL_SCOPES),
  before: Type.String({ description: 'The text that was replaced.' }),
  after: Type.String({ description: 'The text that replaced it.' }),
  undoable: Type.Boolean({
    description: 'Whether the change can be undone (changes applied before undo existed cannot).',
  }),
})
export type AppliedChange = Static<typeof AppliedChange>

/** A version of a document as a thread refers to it. */
export const ThreadVersionRef = Type.Object({
  versionId: Uuid,
  number: Type.Integer({ minimum: 1 }),
  name: Type.String(),
})
export type ThreadVersionRef = Static<typeof ThreadVersionRef>

/** How a thread's section stands now against the text the thread was written on. */
export const SECTION_CHANGE_STATUSES = ['unchanged', 'changed', 'renamed', 'removed'] as const
/** How a thread's passage stands now against the passage it quoted. */
export const PASSAGE_CHANGE_STATUSES = ['unchanged', 'changed', 'removed'] as const

/**
 * What changed in a thread's section, and in its passage, since the thread was written
 * (issue 14, item 3). The comparison is with the live draft, section by section id, so a
 * renamed or moved section is still the thread's own.
 */
export const ThreadTextChange = Type.Object({
  isChanged: Type.Boolean({
    description:
      'The section’s text or title, or the passage, changed since the thread was written.',
  }),
  basis: Type.Enum(['recorded', 'version'] as const, {
    description:
      '`recorded`: the section’s text as the thread recorded it when it was opened; `version`: the text of the version it was written against (threads older than that record).',
  }),
  writtenOn: Type.Union([ThreadVersionRef, Type.Null()], {
    description:
      'The version the thread was written against: a consultation’s, or the newest one then.',
  }),
  section: Type.Object({
    status: Type.Enum(SECTION_CHANGE_STATUSES, {
      description:
        'changed when its text below the heading changed, renamed when only its title did.',
    }),
    titleThen: Type.String(),
    titleNow: Type.Union([Type.String(), Type.Null()], { description: 'Null when removed.' }),
    redline: Type.Array(RedlinePart, {
      description: 'The section’s text then and now, word by word; empty when it is unchanged.',
    }),
  }),
  passage: Type.Union(
    [
      Type.Object({
        status: Type.Enum(PASSAGE_CHANGE_STATUSES),
        then: Type.String({ description: 'The passage as the thread quoted it.' }),
        now: Type.Union([Type.String(), Type.Null()], {
          description: 'The passage as it reads now; null when it was deleted.',
        }),
        redline: Type.Array(RedlinePart, { description: 'Empty when it is unchanged.' }),
      }),
      Type.Null(),
    ],
    { description: 'For a thread on a passage; null for a thread on a whole section.' },
  ),
})
export type ThreadTextChange = Static<typeof ThreadTextChange>

/**
 * The change that answered a thread (issue 14, item 3): its applied proposal, or the first
 * version named after the answer in which its section changed, with the redline of that change.
 */
export const ThreadAnsweredIn = Type.Object({
  how: Type.Enum(['applied', 'version'] as const, {
    description:
      '`applied`: its proposed change was applied; `version`: its section changed in a version named after the answer.',
  }),
  version: Type.Union([ThreadVersionRef, Type.Null()], {
    description:
      'The first version holding the change; null while an applied change is in no version yet.',
  }),
  previousVersionId: Type.Union([Uuid, Type.Null()], {
    description: 'The version before it, to compare the two; null for the first version.',
  }),
  redline: Type.Array(RedlinePart, {
    description: 'The section’s (or passage’s) change, word by word.',
  }),
})
export type ThreadAnsweredIn = Static<typeof ThreadAnsweredIn>

/**
 * The workshop a thread was recorded in (issue 13, item 5), as members read it: its title and,
 * when a facilitator recorded it on an attendee's behalf, that facilitator's name. Members' API
 * only; public pages never carry it.
 */
export const ThreadWorkshop = Type.Object({
  workshopId: Uuid,
  workshopTitle: Type.String(),
  recordedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'The facilitator who recorded it on the attendee’s behalf, or null.',
  }),
})
export type ThreadWorkshop = Static<typeof ThreadWorkshop>

/** A thread as lists show it: its opening comment and counts, without the replies. */
export const ThreadSummary = Type.Object({
  id: Uuid,
  number: Type.Integer({ description: 'A short reference, unique within the process (#12).' }),
  processId: Uuid,
  documentId: Uuid,
  documentTitle: Type.String(),
  documentLanguage: Type.Union([Type.String(), Type.Null()], {
    description:
      'The language of the document it was written on (null: the process’s main language). A document’s thread list includes the threads of its other languages, aligned by section (issue 16).',
  }),
  sectionId: Type.String(),
  sectionTitle: Type.String({
    description: 'The section’s current title, or its last known one when it was removed.',
  }),
  sectionRemoved: Type.Boolean(),
  kind: Type.Enum(THREAD_KINDS),
  status: Type.Enum(THREAD_STATUSES),
  anchor: Type.Union([Anchor, Type.Null()]),
  proposal: Type.Union([Proposal, Type.Null()]),
  root: Comment,
  replyCount: Type.Integer(),
  endorsements: Endorsements,
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
  resolved: Type.Union([StatusChange, Type.Null()]),
  applied: Type.Union([AppliedChange, Type.Null()]),
  quote: Type.Union([Type.String(), Type.Null()], {
    description: 'The quoted passage, also for public comments that quote without an anchor.',
  }),
  origin: Type.Union([ThreadOrigin, Type.Null()], {
    description: 'The consultation the thread came from, or null for members’ threads.',
  }),
  workshop: Type.Union([ThreadWorkshop, Type.Null()], {
    description: 'The workshop the thread was recorded in (origin "workshop"), or null.',
  }),
  answer: Type.Union([ThreadAnswer, Type.Null()], {
    description: 'The secretariat’s disposition and public answer, once recorded.',
  }),
  textChange: Type.Union([ThreadTextChange, Type.Null()], {
    description:
      'What changed in its section and passage since it was written; null when no record of that text exists.',
  }),
  answeredIn: Type.Union([ThreadAnsweredIn, Type.Null()], {
    description: 'The change that answered it, once it is resolved, accepted or answered.',
  }),
})
export type ThreadSummary = Static<typeof ThreadSummary>

/** A thread with all its replies, oldest first. Replies nest one level: every reply answers the thread. */
export const Thread = Type.Object({
  ...ThreadSummary.properties,
  replies: Type.Array(Comment),
})
export type Thread = Static<typeof Thread>

export const ThreadParams = Type.Object({ threadId: Uuid }, { additionalProperties: false })
export const CommentParams = Type.Object({ commentId: Uuid }, { additionalProperties: false })

/** A new thread on a section of a document, optionally anchored to a passage in it. */
export const CreateThreadBody = Type.Object(
  {
    sectionId: SectionId,
    kind: Type.Enum(THREAD_KINDS),
    body: Body,
    anchor: Type.Optional(Anchor),
    proposal: Type.Optional(Proposal),
  },
  { additionalProperties: false },
)
export type CreateThreadBody = Static<typeof CreateThreadBody>

export const ReplyBody = Type.Object({ body: Body }, { additionalProperties: false })
export type ReplyBody = Static<typeof ReplyBody>

export const EditCommentBody = Type.Object({ body: Body }, { additionalProperties: false })
export type EditCommentBody = Static<typeof EditCommentBody>

export const ApplyBody = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({
        description: 'Apply even though the anchored passage changed since the proposal.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ApplyBody = Static<typeof ApplyBody>

/** What applying a proposed change would replace, shown before it is confirmed (issue 15, item 3). */
export const ApplyPreview = Type.Object({
  scope: Type.Enum(['range', 'section'] as const),
  before: Type.String({ description: 'The passage’s or section’s text as it stands now.' }),
  after: Type.String({ description: 'The text that would replace it.' }),
  passageChanged: Type.Boolean({
    description: 'The passage changed since the proposal: applying it needs `force`.',
  }),
})
export type ApplyPreview = Static<typeof ApplyPreview>

export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false })
export type ReasonBody = Static<typeof ReasonBody>

/** Filters, order and page of a process's thread list. */
export const ThreadListQuery = Type.Object(
  {
    document: Type.Optional(Uuid),
    section: Type.Optional(SectionId),
    group: Type.Optional(GroupKey),
    kind: Type.Optional(Type.Enum(THREAD_KINDS)),
    status: Type.Optional(Type.Enum(THREAD_STATUSES)),
    author: Type.Optional(Uuid),
    consultation: Type.Optional(Uuid),
    origin: Type.Optional(
      Type.Enum(['public', 'members', 'workshop'] as const, {
        description:
          'Public comments from consultations, members’ own threads, or threads recorded in workshops.',
      }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.searchMax,
        description: 'Words in the thread’s text or replies.',
      }),
    ),
    hidden: Type.Optional(
      Type.Enum(['exclude', 'include', 'only'] as const, {
        description: 'Hidden threads (moderators only; everyone else never sees them).',
      }),
    ),
    sort: Type.Optional(Type.Enum(THREAD_SORTS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
)
export type ThreadListQuery = Static<typeof ThreadListQuery>

export const ThreadPage = Type.Object({
  items: Type.Array(ThreadSummary),
  total: Type.Integer({ description: 'Threads matching the filters, over all pages.' }),
})
export type ThreadPage = Static<typeof ThreadPage>

/** Open threads of one section, in total and per stakeholder group of their authors. */
export const SectionThreadCount = Type.Object({
  sectionId: Type.String(),
  open: Type.Integer(),
  byGroup: Type.Record(Type.String(), Type.Integer()),
})
export type SectionThreadCount = Static<typeof SectionThreadCount>

/** A flagged or hidden item, as the moderation queue lists it. */
export const ModerationItem = Type.Object({
  comment: Comment,
  thread: Type.Object({
    id: Uuid,
    number: Type.Integer(),
    documentId: Uuid,
    sectionTitle: Type.String(),
    kind: Type.Enum(THREAD_KINDS),
  }),
  isThreadRoot: Type.Boolean(),
  flags: Type.Array(Type.Object({ reason: Type.String(), by: Type.String(), at: Timestamp })),
})
export type ModerationItem = Static<typeof ModerationItem>

export const ModerationQueueQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Enum(['flagged', 'hidden', 'pending'] as const, {
        description:
          'Flagged items awaiting a decision (default), hidden items, or public comments awaiting approval.',
      }),
    ),
  },
  { additionalProperties: false },
)

/** One entry of a process's moderation log. */
export const ModerationLogEntry = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(MODERATION_ACTIONS),
  reason: Type.String(),
  moderator: Type.String(),
  commentId: Uuid,
  threadId: Uuid,
  threadNumber: Type.Integer(),
  at: Timestamp,
})
export type ModerationLogEntry = Static<typeof ModerationLogEntry>

/** Why someone got a notification: a mention, a reply, or a moderator hid their comment. */
export const NOTIFICATION_KINDS = ['mention', 'reply', 'hidden'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** One entry of the in-app inbox. */
export const Notification = Type.Object({
  id: Uuid,
  kind: Type.Enum(NOTIFICATION_KINDS),
  processId: Uuid,
  processTitle: Type.String(),
  documentId: Uuid,
  threadId: Uuid,
  threadNumber: Type.Integer(),
  sectionTitle: Type.String(),
  commentId: Uuid,
  actorName: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'The moderator’s reason, on a `hidden` notice; else null.',
  }),
  excerpt: Type.String({ description: 'The start of the comment, as plain text.' }),
  createdAt: Timestamp,
  read: Type.Boolean(),
})
export type Notification = Static<typeof Notification>

export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  unread: Type.Integer(),
})
export type NotificationList = Static<typeof NotificationList>

export const NotificationQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax })),
  },
  { additionalProperties: false },
)

export const MarkReadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.pageSizeMax })),
    all: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type MarkReadBody = Static<typeof MarkReadBody>

export const EventsQuery = Type.Object(
  { process: Type.Optional(Uuid) },
  { additionalProperties: false },
)

/**
 * What the live stream `GET /api/events` sends (server-sent events, `event: <type>`, JSON
 * data). Events name what changed, never its content: a page fetches it again through the
 * API, so every permission and every moderation decision applies to what it shows.
 */
export type LiveEvent =
  | { type: 'thread'; processId: string; documentId: string; threadId: string; sectionId: string }
  | { type: 'notification'; notificationId: string }
  | { type: 'workshop'; processId: string; workshopId: string }
