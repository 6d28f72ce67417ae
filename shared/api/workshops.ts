import { Type, type Static } from 'typebox'
import { LIMITS } from '../limits'
import { GroupKey, LanguageSchema, Organisation, PersonName, Timestamp, Uuid } from './common'
import { TimeZone } from './consultations'
import { Anchor, Body, PROPOSAL_SCOPES, SectionId } from './threads'

/**
 * Where a workshop stands (issue 13, item 1): prepared as a draft (members do not see it yet),
 * scheduled, running, closed (its record is append-only), its minutes published; or cancelled.
 */
export const WORKSHOP_STATES = [
  'draft',
  'scheduled',
  'running',
  'closed',
  'published',
  'cancelled',
] as const
export type WorkshopState = (typeof WORKSHOP_STATES)[number]

export const WORKSHOP_FORMATS = ['in-person', 'online', 'hybrid'] as const
export type WorkshopFormat = (typeof WORKSHOP_FORMATS)[number]

/** How an attendee took part: checked in at the door, or joined online while it ran. */
export const ATTENDANCE_MODES = ['in-person', 'online'] as const
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number]

/** What may be recorded in a workshop; the first three become ordinary threads of a section. */
export const CONTRIBUTION_KINDS = ['comment', 'question', 'proposal', 'decision', 'action'] as const
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number]
/** The kinds that become threads with origin "workshop". */
export const THREAD_CONTRIBUTIONS: readonly ContributionKind[] = ['comment', 'question', 'proposal']

export const ACTION_STATUSES = ['open', 'in-progress', 'done'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

export const POLL_STATES = ['draft', 'open', 'closed'] as const
export type PollState = (typeof POLL_STATES)[number]

/** What the facilitator's console does to a workshop's live state; each needs the current revision. */
export const CONTROL_ACTIONS = [
  'start',
  'pause',
  'resume',
  'next',
  'extend',
  'spotlight',
  'close',
] as const
export type ControlAction = (typeof CONTROL_ACTIONS)[number]

/** Field sizes and limits of workshops. */
export const WORKSHOP_LIMITS = {
  titleMax: 200,
  purposeMax: 5000,
  placeMax: 300,
  urlMax: 500,
  agendaItemsMax: 50,
  topicMax: 200,
  leadMax: 120,
  itemMinutesMax: 480,
  extendMinutesMax: 120,
  capacityMax: 10_000,
  durationDaysMax: 14,
  summaryMax: 20_000,
  reasonMax: 500,
  questionMax: 300,
  optionMax: 200,
  optionsMax: 10,
  /** Wrong check-in codes one address may type in ten minutes, across workshops. */
  checkInFailuresPer10Minutes: 10,
  /** Characters of a check-in code. */
  codeLength: 6,
} as const

/**
 * The alphabet of check-in codes: capital letters and digits without the ones people confuse
 * (0/O, 1/I/L, 5/S, 2/Z, 8/B), so a code read aloud or typed on a phone is typed right.
 */
export const CHECK_IN_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679'

/** Normalises a typed check-in code: upper case, without spaces or dashes. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

export const WorkshopParams = Type.Object({ workshopId: Uuid }, { additionalProperties: false })

const Title = Type.String({ minLength: 1, maxLength: WORKSHOP_LIMITS.titleMax, pattern: '\\S' })
const MeetingUrl = Type.String({
  maxLength: WORKSHOP_LIMITS.urlMax,
  pattern: '^(https://\\S+)?$',
  description: 'An https:// link to the online meeting, or empty.',
})

/** One agenda item as the form sends it: a section of the workshop's document or a free topic. */
export const AgendaItemInput = Type.Object(
  {
    sectionId: Type.Optional(SectionId),
    topic: Type.Optional(
      Type.String({ minLength: 1, maxLength: WORKSHOP_LIMITS.topicMax, pattern: '\\S' }),
    ),
    minutes: Type.Integer({ minimum: 1, maximum: WORKSHOP_LIMITS.itemMinutesMax }),
    lead: Type.Optional(Type.String({ maxLength: WORKSHOP_LIMITS.leadMax })),
  },
  { additionalProperties: false, description: 'Exactly one of sectionId and topic.' },
)
export type AgendaItemInput = Static<typeof AgendaItemInput>

const WorkshopFields = {
  title: Title,
  purpose: Type.String({ maxLength: WORKSHOP_LIMITS.purposeMax }),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: TimeZone,
  format: Type.Enum(WORKSHOP_FORMATS),
  place: Type.String({ maxLength: WORKSHOP_LIMITS.placeMax }),
  meetingUrl: MeetingUrl,
  languages: Type.Array(LanguageSchema, {
    minItems: 1,
    maxItems: LIMITS.languagesMax,
    uniqueItems: true,
  }),
  capacity: Type.Union([
    Type.Integer({ minimum: 1, maximum: WORKSHOP_LIMITS.capacityMax }),
    Type.Null(),
  ]),
  documentId: Type.Union([Uuid, Type.Null()]),
  groupThreshold: Type.Integer({
    minimum: 0,
    maximum: 1000,
    description: 'Attendance of a group below this raises a warning on the console.',
  }),
  agenda: Type.Array(AgendaItemInput, { maxItems: WORKSHOP_LIMITS.agendaItemsMax }),
}

export const CreateWorkshopBody = Type.Object(
  {
    title: WorkshopFields.title,
    purpose: Type.Optional(WorkshopFields.purpose),
    startsAt: WorkshopFields.startsAt,
    endsAt: WorkshopFields.endsAt,
    timeZone: WorkshopFields.timeZone,
    format: WorkshopFields.format,
    place: Type.Optional(WorkshopFields.place),
    meetingUrl: Type.Optional(WorkshopFields.meetingUrl),
    languages: WorkshopFields.languages,
    capacity: Type.Optional(WorkshopFields.capacity),
    documentId: Type.Optional(WorkshopFields.documentId),
    groupThreshold: Type.Optional(WorkshopFields.groupThreshold),
    agenda: Type.Optional(WorkshopFields.agenda),
  },
  { additionalProperties: false },
)
export type CreateWorkshopBody = Static<typeof CreateWorkshopBody>

/** Changes to a draft or scheduled workshop; `agenda` replaces the whole agenda (also to reorder it). */
export const UpdateWorkshopBody = Type.Partial(
  Type.Object({ ...WorkshopFields }, { additionalProperties: false }),
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateWorkshopBody = Static<typeof UpdateWorkshopBody>

export const AgendaItem = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  kind: Type.Enum(['section', 'topic'] as const),
  sectionId: Type.Union([Type.String(), Type.Null()]),
  topic: Type.Union([Type.String(), Type.Null()]),
  title: Type.String({ description: 'The section’s title when saved, or the topic.' }),
  minutes: Type.Integer(),
  extraMinutes: Type.Integer({ description: 'Minutes the facilitator added while it ran.' }),
  lead: Type.String(),
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
})
export type AgendaItem = Static<typeof AgendaItem>

export const Workshop = Type.Object({
  id: Uuid,
  processId: Uuid,
  documentId: Type.Union([Uuid, Type.Null()]),
  title: Type.String(),
  purpose: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: Type.String(),
  format: Type.Enum(WORKSHOP_FORMATS),
  place: Type.String(),
  meetingUrl: Type.String(),
  languages: Type.Array(Type.String()),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  registered: Type.Integer({ description: 'People registered so far.' }),
  state: Type.Enum(WORKSHOP_STATES),
  revision: Type.Integer({
    description: 'Grows with every change of the live state; the console sends it back.',
  }),
  groupThreshold: Type.Integer(),
  agenda: Type.Array(AgendaItem),
  createdByName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  minutesPublishedAt: Type.Union([Timestamp, Type.Null()]),
  minutesPublic: Type.Boolean(),
})
export type Workshop = Static<typeof Workshop>

export const CancelWorkshopBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: WORKSHOP_LIMITS.reasonMax, pattern: '\\S' }),
  },
  { additionalProperties: false },
)

/**
 * A registration: a member (by `userId`, or oneself with neither `userId` nor `name`) or a
 * person without an account (`name` and `stakeholderGroup`).
 */
export const RegisterBody = Type.Object(
  {
    userId: Type.Optional(Uuid),
    name: Type.Optional(PersonName),
    organisation: Type.Optional(Organisation),
    stakeholderGroup: Type.Optional(GroupKey),
    email: Type.Optional(Type.String({ format: 'email', maxLength: LIMITS.emailMax })),
    consentPublic: Type.Optional(
      Type.Boolean({ description: 'Consent to be named in the published minutes.' }),
    ),
  },
  { additionalProperties: false },
)
export type RegisterBody = Static<typeof RegisterBody>

export const InviteGroupBody = Type.Object({ group: GroupKey }, { additionalProperties: false })

export const Registration = Type.Object({
  id: Uuid,
  userId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
  organisation: Type.String(),
  stakeholderGroup: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  consentPublic: Type.Boolean(),
  code: Type.String({
    description: 'The check-in code, shown to the registered person and the facilitators.',
  }),
  checkedIn: Type.Boolean(),
  createdAt: Timestamp,
})
export type Registration = Static<typeof Registration>

export const InviteGroupResult = Type.Object({
  registered: Type.Integer(),
  alreadyRegistered: Type.Integer(),
})

export const CheckInBody = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 12, pattern: '^[A-Za-z0-9 -]+$' }),
  },
  { additionalProperties: false },
)

export const DoorCheckInBody = Type.Object(
  { registrationId: Uuid },
  { additionalProperties: false },
)

export const Attendee = Type.Object({
  id: Uuid,
  name: Type.String(),
  organisation: Type.String(),
  stakeholderGroup: Type.String(),
  mode: Type.Enum(ATTENDANCE_MODES),
  checkedInAt: Timestamp,
})
export type Attendee = Static<typeof Attendee>

export const CheckInResult = Type.Object({
  name: Type.String(),
  checkedInAt: Timestamp,
})

/** Attendance by group, live: a warning per group of the process absent or under the threshold. */
export const Attendance = Type.Object({
  total: Type.Integer(),
  threshold: Type.Integer(),
  byGroup: Type.Array(
    Type.Object({ group: Type.String(), count: Type.Integer(), low: Type.Boolean() }),
  ),
  byOrganisation: Type.Array(Type.Object({ organisation: Type.String(), count: Type.Integer() })),
  attendees: Type.Array(Attendee, {
    description: 'Everyone present (facilitators only; others get an empty list).',
  }),
})
export type Attendance = Static<typeof Attendance>

export const ControlBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 0, description: 'The revision the console last saw.' }),
    action: Type.Enum(CONTROL_ACTIONS),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: WORKSHOP_LIMITS.extendMinutesMax })),
    spotlight: Type.Optional(
      Type.Union([
        Type.Object({ threadId: Uuid }, { additionalProperties: false }),
        Type.Object(
          {
            sectionId: SectionId,
            quote: Type.String({ maxLength: LIMITS.quoteMax }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
)
export type ControlBody = Static<typeof ControlBody>

export const QueueEntry = Type.Object({
  id: Uuid,
  attendeeId: Uuid,
  name: Type.String(),
  stakeholderGroup: Type.String(),
  position: Type.Integer(),
  raisedAt: Timestamp,
})
export type QueueEntry = Static<typeof QueueEntry>

export const Poll = Type.Object({
  id: Uuid,
  agendaItemId: Type.Union([Uuid, Type.Null()]),
  question: Type.String(),
  options: Type.Array(Type.String()),
  multiple: Type.Boolean(),
  state: Type.Enum(POLL_STATES),
  votes: Type.Integer(),
  /** Votes per option, in the order of `options`. */
  results: Type.Array(Type.Integer()),
  byGroup: Type.Array(Type.Object({ group: Type.String(), results: Type.Array(Type.Integer()) })),
  myChoices: Type.Union([Type.Array(Type.Integer()), Type.Null()]),
})
export type Poll = Static<typeof Poll>

/** Everything a console or participant page shows while a workshop runs. */
export const LiveState = Type.Object({
  workshopId: Uuid,
  state: Type.Enum(WORKSHOP_STATES),
  revision: Type.Integer(),
  currentItem: Type.Union([AgendaItem, Type.Null()]),
  clock: Type.Object({
    running: Type.Boolean(),
    elapsedMs: Type.Integer(),
    timeBoxMs: Type.Integer(),
    remainingMs: Type.Integer({ description: 'Negative once the time box is over.' }),
  }),
  spotlight: Type.Union([
    Type.Object({ threadId: Uuid }),
    Type.Object({ sectionId: Type.String(), quote: Type.String() }),
    Type.Null(),
  ]),
  queue: Type.Array(QueueEntry),
  suggestedOrder: Type.Array(Uuid, {
    description: 'Queue entries ordered so that the groups that have spoken least come first.',
  }),
  attendance: Attendance,
  polls: Type.Array(Poll),
  me: Type.Object({
    attendeeId: Type.Union([Uuid, Type.Null()]),
    registrationId: Type.Union([Uuid, Type.Null()]),
  }),
})
export type LiveState = Static<typeof LiveState>

export const RaiseHandBody = Type.Object(
  { attendeeId: Type.Optional(Uuid) },
  { additionalProperties: false },
)
export const QueueEntryParams = Type.Object(
  { workshopId: Uuid, entryId: Uuid },
  { additionalProperties: false },
)
export const QueueOrderBody = Type.Object(
  { entryIds: Type.Array(Uuid, { maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
)

export const ContributionBody = Type.Object(
  {
    kind: Type.Enum(CONTRIBUTION_KINDS),
    body: Body,
    sectionId: Type.Optional(SectionId),
    quote: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.quoteMax })),
    /** A passage selected in the document (Yjs relative positions and its words); the thread anchors to it. */
    anchor: Type.Optional(Anchor),
    proposal: Type.Optional(Type.String({ maxLength: LIMITS.proposalTextMax })),
    proposalScope: Type.Optional(
      Type.Enum(PROPOSAL_SCOPES, {
        description:
          'What a proposed change replaces: the anchored passage (`range`, the default with an anchor) or the section.',
      }),
    ),
    attendeeId: Type.Optional(Uuid),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.nameMax, pattern: '\\S' })),
    dueDate: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
)
export type ContributionBody = Static<typeof ContributionBody>

export const Contribution = Type.Object({
  id: Uuid,
  workshopId: Uuid,
  agendaItemId: Type.Union([Uuid, Type.Null()]),
  kind: Type.Enum(CONTRIBUTION_KINDS),
  threadId: Type.Union([Uuid, Type.Null()]),
  sectionId: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  authorName: Type.String(),
  authorGroup: Type.String(),
  authorOrganisation: Type.String(),
  recordedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'The facilitator who recorded it on the attendee’s behalf, or null.',
  }),
  owner: Type.Union([Type.String(), Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Enum(ACTION_STATUSES), Type.Null()]),
  createdAt: Timestamp,
})
export type Contribution = Static<typeof Contribution>

export const ContributionParams = Type.Object(
  { workshopId: Uuid, contributionId: Uuid },
  { additionalProperties: false },
)
export const ActionStatusBody = Type.Object(
  { status: Type.Enum(ACTION_STATUSES) },
  { additionalProperties: false },
)

/** An action item as the process lists it, with its workshop. */
export const ActionItem = Type.Object({
  ...Contribution.properties,
  workshopTitle: Type.String(),
})
export type ActionItem = Static<typeof ActionItem>

export const CreatePollBody = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: WORKSHOP_LIMITS.questionMax, pattern: '\\S' }),
    options: Type.Array(
      Type.String({ minLength: 1, maxLength: WORKSHOP_LIMITS.optionMax, pattern: '\\S' }),
      { minItems: 2, maxItems: WORKSHOP_LIMITS.optionsMax },
    ),
    multiple: Type.Optional(Type.Boolean()),
    agendaItemId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
)
export type CreatePollBody = Static<typeof CreatePollBody>

export const PollParams = Type.Object(
  { workshopId: Uuid, pollId: Uuid },
  { additionalProperties: false },
)
export const VoteBody = Type.Object(
  {
    choices: Type.Array(Type.Integer({ minimum: 0, maximum: WORKSHOP_LIMITS.optionsMax - 1 }), {
      minItems: 1,
      maxItems: WORKSHOP_LIMITS.optionsMax,
      uniqueItems: true,
    }),
    attendeeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
)

export const MinutesQuery = Type.Object(
  { format: Type.Optional(Type.Enum(['json', 'md', 'docx'] as const, { default: 'json' })) },
  { additionalProperties: false },
)
export const MinutesSummaryBody = Type.Object(
  { summary: Type.String({ maxLength: WORKSHOP_LIMITS.summaryMax }) },
  { additionalProperties: false },
)
export const PublishMinutesBody = Type.Object(
  {
    public: Type.Optional(
      Type.Boolean({ description: 'Also on the public pages of the process.' }),
    ),
  },
  { additionalProperties: false },
)

/** The minutes of a closed workshop: drafted on close, with the facilitator's summary. */
export const Minutes = Type.Object({
  workshopId: Uuid,
  title: Type.String(),
  purpose: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: Type.String(),
  startedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  summary: Type.String(),
  publishedAt: Type.Union([Timestamp, Type.Null()]),
  public: Type.Boolean(),
  attendance: Type.Object({
    total: Type.Integer(),
    byGroup: Type.Array(Type.Object({ group: Type.String(), count: Type.Integer() })),
    byOrganisation: Type.Array(Type.Object({ organisation: Type.String(), count: Type.Integer() })),
    named: Type.Array(
      Type.Object({ name: Type.String(), organisation: Type.String(), group: Type.String() }),
      { description: 'Attendees who consented to be named.' },
    ),
  }),
  agenda: Type.Array(AgendaItem),
  contributions: Type.Array(
    Type.Object({
      sectionId: Type.Union([Type.String(), Type.Null()]),
      title: Type.String(),
      items: Type.Array(Contribution),
    }),
  ),
  decisions: Type.Array(Contribution),
  actions: Type.Array(Contribution),
  polls: Type.Array(Poll),
})
export type Minutes = Static<typeof Minutes>
