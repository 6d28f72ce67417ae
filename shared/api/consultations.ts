import { Type, type Static } from 'typebox'
import { LIMITS, UI_LANGUAGES } from '../limits'
import { GroupKey, Organisation, Timestamp, Uuid } from './common'
import { Section } from './documents'

/** Who may comment in a consultation (issue 6, item 1). */
export const CONSULTATION_ACCESS = [
  /** Anyone; a name is optional, so comments may be anonymous. */
  'anonymous',
  /** Anyone who gives a name and confirms an e-mail address by a link. */
  'verified',
  /** Only signed-in members of the process. */
  'members',
] as const
export type ConsultationAccess = (typeof CONSULTATION_ACCESS)[number]

/** Whether a moderator approves public comments before they are published, or may hide them after. */
export const CONSULTATION_MODERATION = ['before', 'after'] as const
export type ConsultationModeration = (typeof CONSULTATION_MODERATION)[number]

/** When the public sees the comments: at once, once the window has closed, or never. */
export const CONSULTATION_VISIBILITY = ['immediately', 'after-close', 'never'] as const
export type ConsultationVisibility = (typeof CONSULTATION_VISIBILITY)[number]

/** Where a consultation stands, as computed from its publication and window at a moment. */
export const CONSULTATION_PHASES = ['draft', 'scheduled', 'open', 'closed'] as const
export type ConsultationPhase = (typeof CONSULTATION_PHASES)[number]

/** The secretariat's decision on a thread (issue 6, item 7). */
export const DISPOSITIONS = [
  'accepted',
  'partially-accepted',
  'not-accepted',
  'noted',
  'out-of-scope',
] as const
export type Disposition = (typeof DISPOSITIONS)[number]

/** The group a member of the public may always declare, besides the process's groups. */
export const INDIVIDUAL_GROUP = 'individual'

/** Field sizes of consultations and public submissions. */
export const CONSULTATION_LIMITS = {
  slugMax: 60,
  titleMax: 200,
  introductionMax: 10_000,
  answerMax: 10_000,
  reasonMax: 500,
  /** Submissions one address may make in ten minutes, and in a day. */
  perAddressPer10Minutes: 5,
  perAddressPerDay: 30,
  /** Submissions one e-mail address may make in a day. */
  perEmailPerDay: 20,
  /** How long an e-mail confirmation link stays valid. */
  verifyHours: 48,
  /** The longest window, in days. */
  windowDaysMax: 366,
} as const

/**
 * The least time per page a consultation should give, in days, unless the server is configured
 * otherwise: 0.1 day a page is 30 days for 300 pages, so “ten days for 300 pages” is flagged.
 */
export const DEFAULT_MIN_DAYS_PER_PAGE = 0.1

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$'
export const Slug = Type.String({
  minLength: 2,
  maxLength: CONSULTATION_LIMITS.slugMax,
  pattern: SLUG_PATTERN,
  description: 'The public address: /c/<slug>. Lowercase letters, digits and dashes.',
})

/** An IANA time zone name such as `America/Bogota`; the server checks it exists. */
export const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_+\\-/]+$',
})

const LanguageKey = '^(en|es|fr|pt)$'
const PerLanguageText = (maxLength: number, minLength: number) =>
  Type.Record(Type.String({ pattern: LanguageKey }), Type.String({ minLength, maxLength }), {
    description: 'Text per language of the process, keyed by language code.',
  })

/** How the window's length compares with the text's length (issue 6, item 2). */
export const Adequacy = Type.Object({
  words: Type.Integer({ minimum: 0 }),
  estimatedPages: Type.Integer({ minimum: 0 }),
  days: Type.Number({ description: 'The window’s length in days.' }),
  daysPerPage: Type.Union([Type.Number(), Type.Null()], {
    description: 'Days per page, or null for an empty text.',
  }),
  minimumDaysPerPage: Type.Number(),
  /** The days the window should last for this text at the minimum. */
  recommendedDays: Type.Number(),
  tooShort: Type.Boolean(),
})
export type Adequacy = Static<typeof Adequacy>

/**
 * Compares a window with a text's length: too short when it gives less than `minimumDaysPerPage`
 * days a page. A pure function, so the opening form shows the same verdict as the server.
 */
export function adequacyOf(
  words: number,
  estimatedPages: number,
  opensAt: Date,
  closesAt: Date,
  minimumDaysPerPage: number,
): Adequacy {
  const days = Math.max(0, (closesAt.getTime() - opensAt.getTime()) / 86_400_000)
  const daysPerPage = estimatedPages === 0 ? null : days / estimatedPages
  const recommendedDays = Math.ceil(estimatedPages * minimumDaysPerPage)
  return {
    words,
    estimatedPages,
    days: Math.round(days * 10) / 10,
    daysPerPage: daysPerPage === null ? null : Math.round(daysPerPage * 1000) / 1000,
    minimumDaysPerPage,
    recommendedDays,
    tooShort: daysPerPage !== null && daysPerPage < minimumDaysPerPage,
  }
}

/** Where a consultation stands at `now`. */
export function phaseOf(
  c: { publishedAt: string | null; opensAt: string; closesAt: string },
  now: Date = new Date(),
): ConsultationPhase {
  if (c.publishedAt === null) {
    return 'draft'
  }
  if (now.getTime() < Date.parse(c.opensAt)) {
    return 'scheduled'
  }
  if (now.getTime() < Date.parse(c.closesAt)) {
    return 'open'
  }
  return 'closed'
}

/** The settings of a consultation, as the secretariat opens it (and may change them while a draft). */
const ConsultationSettings = {
  slug: Slug,
  title: PerLanguageText(CONSULTATION_LIMITS.titleMax, 1),
  introduction: PerLanguageText(CONSULTATION_LIMITS.introductionMax, 0),
  opensAt: Timestamp,
  closesAt: Timestamp,
  timeZone: TimeZone,
  access: Type.Enum(CONSULTATION_ACCESS),
  moderation: Type.Enum(CONSULTATION_MODERATION),
  visibility: Type.Enum(CONSULTATION_VISIBILITY),
  showMemberThreads: Type.Optional(
    Type.Boolean({ description: 'Show members’ own threads on the public page too.' }),
  ),
}

/**
 * Opens a consultation on a version. Either `versionId` (a version made earlier) or `document`
 * with `versionName` (freeze the document's current state now, in the same step) is given.
 */
export const CreateConsultationBody = Type.Object(
  {
    versionId: Type.Optional(Uuid),
    documentId: Type.Optional(Uuid),
    versionName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    ...ConsultationSettings,
    publish: Type.Optional(
      Type.Boolean({ description: 'Publish at once; otherwise it stays a draft for members.' }),
    ),
  },
  { additionalProperties: false },
)
export type CreateConsultationBody = Static<typeof CreateConsultationBody>

/** Changes to a draft consultation. */
export const UpdateConsultationBody = Type.Partial(Type.Object(ConsultationSettings), {
  additionalProperties: false,
  minProperties: 1,
})
export type UpdateConsultationBody = Static<typeof UpdateConsultationBody>

/** Closing a consultation early. */
export const CloseConsultationBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: CONSULTATION_LIMITS.reasonMax, pattern: '\\S' }),
  },
  { additionalProperties: false },
)
export type CloseConsultationBody = Static<typeof CloseConsultationBody>

/** Extending a consultation (also reopening a closed one) to a later closing time. */
export const ExtendConsultationBody = Type.Object(
  {
    closesAt: Timestamp,
    reason: Type.String({ minLength: 1, maxLength: CONSULTATION_LIMITS.reasonMax, pattern: '\\S' }),
  },
  { additionalProperties: false },
)
export type ExtendConsultationBody = Static<typeof ExtendConsultationBody>

export const CONSULTATION_CHANGE_KINDS = ['published', 'closed-early', 'extended'] as const

/** A logged change of a consultation's window, shown publicly. */
export const ConsultationChange = Type.Object({
  kind: Type.Enum(CONSULTATION_CHANGE_KINDS),
  at: Timestamp,
  by: Type.String(),
  reason: Type.String(),
  closesBefore: Type.Union([Timestamp, Type.Null()]),
  closesAfter: Type.Union([Timestamp, Type.Null()]),
})
export type ConsultationChange = Static<typeof ConsultationChange>

/** A consultation as members see it. */
export const Consultation = Type.Object({
  id: Uuid,
  processId: Uuid,
  documentId: Uuid,
  versionId: Uuid,
  versionName: Type.String(),
  versionNumber: Type.Integer(),
  slug: Slug,
  title: Type.Record(Type.String(), Type.String()),
  introduction: Type.Record(Type.String(), Type.String()),
  opensAt: Timestamp,
  closesAt: Timestamp,
  timeZone: Type.String(),
  access: Type.Enum(CONSULTATION_ACCESS),
  moderation: Type.Enum(CONSULTATION_MODERATION),
  visibility: Type.Enum(CONSULTATION_VISIBILITY),
  showMemberThreads: Type.Boolean(),
  publishedAt: Type.Union([Timestamp, Type.Null()]),
  phase: Type.Enum(CONSULTATION_PHASES),
  publicUrl: Type.String({ description: 'The public page’s address.' }),
  createdAt: Timestamp,
  createdBy: Type.String(),
  adequacy: Adequacy,
  submissions: Type.Integer({ description: 'Accepted public submissions so far.' }),
  threads: Type.Integer({ description: 'Threads made from them (campaigns count once).' }),
  changes: Type.Array(ConsultationChange),
})
export type Consultation = Static<typeof Consultation>

export const ConsultationParams = Type.Object(
  { consultationId: Uuid },
  { additionalProperties: false },
)
export type ConsultationParams = Static<typeof ConsultationParams>

export const ConsultationList = Type.Object({
  items: Type.Array(Consultation),
  minimumDaysPerPage: Type.Number({ description: 'The server’s minimum days per page.' }),
})
export type ConsultationList = Static<typeof ConsultationList>

/** Checks a window for the opening form before anything is stored. */
export const AdequacyQuery = Type.Object(
  {
    versionId: Type.Optional(Uuid),
    documentId: Type.Optional(Uuid),
    opensAt: Timestamp,
    closesAt: Timestamp,
  },
  { additionalProperties: false },
)
export type AdequacyQuery = Static<typeof AdequacyQuery>

/** The secretariat's disposition and public answer on a thread. */
export const AnswerBody = Type.Object(
  {
    disposition: Type.Enum(DISPOSITIONS),
    answer: Type.String({ minLength: 1, maxLength: CONSULTATION_LIMITS.answerMax, pattern: '\\S' }),
    versionId: Type.Optional(
      Type.Union([Uuid, Type.Null()], { description: 'The version where the change was made.' }),
    ),
    sectionId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
        description: 'The section of that version where the change was made.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type AnswerBody = Static<typeof AnswerBody>

/** A thread's disposition and answer, as everyone sees it once recorded. */
export const ThreadAnswer = Type.Object({
  disposition: Type.Enum(DISPOSITIONS),
  answer: Type.String(),
  versionId: Type.Union([Uuid, Type.Null()]),
  versionName: Type.Union([Type.String(), Type.Null()]),
  sectionId: Type.Union([Type.String(), Type.Null()]),
  sectionTitle: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
  by: Type.String(),
})
export type ThreadAnswer = Static<typeof ThreadAnswer>

/** Where a thread came from, when it came from a consultation. */
export const ThreadOrigin = Type.Object({
  consultationId: Uuid,
  consultationSlug: Type.String(),
  consultationTitle: Type.Record(Type.String(), Type.String(), {
    description: 'The consultation’s title per language.',
  }),
  submissions: Type.Integer({
    description: 'Identical submissions gathered in the thread: 1, or N for a campaign.',
  }),
})
export type ThreadOrigin = Static<typeof ThreadOrigin>

/** Threads still without an answer, per section and per stakeholder group (issue 6, item 7). */
export const ConsultationProgress = Type.Object({
  total: Type.Integer(),
  answered: Type.Integer(),
  unanswered: Type.Integer(),
  bySection: Type.Array(
    Type.Object({
      sectionId: Type.String(),
      sectionTitle: Type.String(),
      total: Type.Integer(),
      unanswered: Type.Integer(),
    }),
  ),
  byGroup: Type.Array(
    Type.Object({ group: Type.String(), total: Type.Integer(), unanswered: Type.Integer() }),
  ),
})
export type ConsultationProgress = Static<typeof ConsultationProgress>

/** One row of the comment-response matrix. */
export const ReportThread = Type.Object({
  number: Type.Integer(),
  threadId: Uuid,
  /**
   * The receipt references of the thread's accepted submissions (e.g. `DEMO-0010`), oldest
   * first: one for a comment, one per submission for a campaign. A reference names no person.
   */
  references: Type.Array(Type.String(), { maxItems: 100_000 }),
  sectionId: Type.String(),
  sectionTitle: Type.String(),
  stakeholderGroup: Type.String(),
  selfDeclared: Type.Boolean(),
  organisation: Type.String(),
  author: Type.String({ description: 'The name given, or empty for anonymous.' }),
  kind: Type.String(),
  comment: Type.String({ description: 'The comment, or the moderator’s reason when hidden.' }),
  hidden: Type.Boolean(),
  /** The moderator's reason when the thread is hidden, else null. */
  hiddenReason: Type.Union([Type.String(), Type.Null()]),
  /** The author took the comment back: its text is gone. */
  withdrawn: Type.Boolean(),
  quote: Type.Union([Type.String(), Type.Null()]),
  proposedChange: Type.Union([Type.String(), Type.Null()]),
  submissions: Type.Integer(),
  createdAt: Timestamp,
  disposition: Type.Union([Type.Enum(DISPOSITIONS), Type.Null()]),
  answer: Type.Union([Type.String(), Type.Null()]),
  answeredAt: Type.Union([Timestamp, Type.Null()]),
  /** Where the answer says the change was made, if it says so. */
  answerVersionName: Type.Union([Type.String(), Type.Null()]),
  answerSectionTitle: Type.Union([Type.String(), Type.Null()]),
})
export type ReportThread = Static<typeof ReportThread>

export const REPORT_AUDIENCES = ['public', 'secretariat'] as const
export type ReportAudience = (typeof REPORT_AUDIENCES)[number]

/** “What we heard”: totals by group × section, submissions over time, and every thread. */
export const ConsultationReport = Type.Object({
  consultationId: Uuid,
  slug: Type.String(),
  title: Type.Record(Type.String(), Type.String()),
  opensAt: Timestamp,
  closesAt: Timestamp,
  timeZone: Type.String(),
  /** When the public sees the comments; the .docx matrix names authors only when it ever does. */
  visibility: Type.Enum(CONSULTATION_VISIBILITY),
  audience: Type.Enum(REPORT_AUDIENCES),
  /**
   * Whether the threads carry their text (comment, quote, proposed change, author, answer). The
   * public report has none when the consultation's comments are never shown, or not yet (after
   * the close); the secretariat's always has it.
   */
  commentsPublished: Type.Boolean(),
  /** The process's stakeholder groups in order, then `individual`; built-in ones have no label. */
  groups: Type.Array(
    Type.Object({ key: Type.String(), label: Type.Union([Type.String(), Type.Null()]) }),
  ),
  totals: Type.Object({
    submissions: Type.Integer(),
    threads: Type.Integer(),
    answered: Type.Integer(),
    /** Threads hidden by a moderator (counted in every other total). */
    hidden: Type.Integer(),
    /** Submissions waiting for a moderator's approval (counted in no other total). */
    pending: Type.Integer(),
    byGroup: Type.Record(Type.String(), Type.Integer()),
    bySection: Type.Record(Type.String(), Type.Integer()),
    /** Submissions per section id, then per group. */
    matrix: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
    /** Threads per disposition (each of DISPOSITIONS is present, 0 when none). */
    byDisposition: Type.Record(Type.String(), Type.Integer()),
  }),
  sections: Type.Array(Section),
  /** Submissions per day in the consultation's time zone, oldest first. */
  overTime: Type.Array(Type.Object({ date: Type.String(), submissions: Type.Integer() })),
  threads: Type.Array(ReportThread),
})
export type ConsultationReport = Static<typeof ConsultationReport>

export const REPORT_FORMATS = ['json', 'csv', 'docx'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]
export const ReportExportQuery = Type.Object(
  {
    format: Type.Enum(REPORT_FORMATS),
    lang: Type.Optional(
      Type.Enum(UI_LANGUAGES, {
        description: 'The language of headings and labels; the caller’s own by default.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ReportExportQuery = Static<typeof ReportExportQuery>

/** A public submission, as the form on /c/:slug posts it (url-encoded or JSON). */
export const SubmissionBody = Type.Object(
  {
    sectionId: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.Optional(Type.String({ maxLength: LIMITS.nameMax })),
    stakeholderGroup: GroupKey,
    organisation: Type.Optional(Organisation),
    email: Type.Optional(Type.String({ maxLength: LIMITS.emailMax })),
    consent: Type.Optional(Type.String({ maxLength: 10 })),
    body: Type.String({ minLength: 1, maxLength: LIMITS.commentBodyMax }),
    quote: Type.Optional(Type.String({ maxLength: LIMITS.quoteMax })),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
    /** The honeypot: hidden from people, left empty by them; bots fill it. */
    website: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type SubmissionBody = Static<typeof SubmissionBody>
