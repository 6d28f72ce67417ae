import { Type, type Static } from 'typebox'

// Who takes part (issue 17, item 1): the participation balance of a process, sections ×
// stakeholder groups, for the secretariat and facilitators.

const day = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description })

/** Where a contribution came from: members' threads, a public consultation or a workshop. */
export const PARTICIPATION_ORIGINS = ['members', 'public', 'workshop'] as const
export type ParticipationOrigin = (typeof PARTICIPATION_ORIGINS)[number]

export const ParticipationQuery = Type.Object(
  {
    from: Type.Optional(day('Count from this day on (YYYY-MM-DD, UTC, inclusive).')),
    to: Type.Optional(day('Count up to this day (YYYY-MM-DD, UTC, inclusive).')),
    origin: Type.Optional(
      Type.Enum(PARTICIPATION_ORIGINS, {
        description:
          'Only members’ threads, only public consultations, or only workshops (their threads, contributions and attendance).',
      }),
    ),
    documentId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Only this document (and the documents of earlier cycles it continues): its threads, the workshops held on it, and its sections as rows.',
      }),
    ),
    consultationId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Only the threads and submissions of this consultation.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ParticipationQuery = Static<typeof ParticipationQuery>

const count = (description: string) => Type.Integer({ minimum: 0, description })

/** What is counted in one cell, for one group in one section (or in the whole process). */
export const ParticipationMeasures = Type.Object({
  comments: count(
    'Published comments: threads opened and replies written by members, each accepted public submission (every copy of a campaign on its own, under its own group) and replies in workshop threads. A workshop thread’s opening comment is counted as a workshop contribution, not here.',
  ),
  organisations: count(
    'Distinct organisations (ignoring case and surrounding spaces) among those counted in the four other measures.',
  ),
  endorsements: count('Endorsements of published threads.'),
  contributions: count(
    'Everything recorded in workshops (comments, questions, proposals, decisions, action items) that is not hidden.',
  ),
  attendance: count(
    'People checked in at workshops. In a section: at workshops with that section on the agenda; in totals: each attendance once.',
  ),
})
export type ParticipationMeasures = Static<typeof ParticipationMeasures>

export const ParticipationCell = Type.Intersect([
  Type.Object({ group: Type.String() }),
  ParticipationMeasures,
])
export type ParticipationCell = Static<typeof ParticipationCell>

export const ParticipationGroup = Type.Object({
  key: Type.String(),
  label: Type.Union([Type.String(), Type.Null()], {
    description:
      'The label the secretariat gave an added group; null for built-in groups (translated by key).',
  }),
})
export type ParticipationGroup = Static<typeof ParticipationGroup>

export const ParticipationSection = Type.Object({
  sectionId: Type.Union([Type.String(), Type.Null()], {
    description: 'Null for workshop contributions on free topics, outside any section.',
  }),
  title: Type.String(),
  cells: Type.Array(ParticipationCell, {
    description: 'One cell per group, in the order of `groups`.',
  }),
  total: ParticipationMeasures,
})
export type ParticipationSection = Static<typeof ParticipationSection>

export const ParticipationWeek = Type.Object({
  weekStart: Type.String({ description: 'The Monday that starts the week (UTC), YYYY-MM-DD.' }),
  cells: Type.Array(ParticipationCell, {
    description: 'One cell per group, in the order of `groups`.',
  }),
})
export type ParticipationWeek = Static<typeof ParticipationWeek>

export const Participation = Type.Object({
  groups: Type.Array(ParticipationGroup, {
    description: 'The process’s groups in their order, then any other group found in the data.',
  }),
  sections: Type.Array(ParticipationSection, {
    description:
      'The sections of the process’s live documents in document order, then any other section something was counted on.',
  }),
  weeks: Type.Array(ParticipationWeek, {
    description: 'Every week from the first counted item to the last, empty weeks included.',
  }),
  byGroup: Type.Array(ParticipationCell, {
    description: 'Totals per group, in the order of `groups`.',
  }),
  totals: ParticipationMeasures,
  heldBack: Type.Object(
    {
      hidden: count('Comments, submissions and contributions hidden by a moderator, not counted.'),
      pending: count('Comments and submissions waiting for a moderator, not counted.'),
    },
    { description: 'What matched the filters but was left out of every count.' },
  ),
})
export type Participation = Static<typeof Participation>
