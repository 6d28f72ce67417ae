import { Type, type Static } from 'typebox'
import { LanguageSchema, Timestamp, Uuid } from './common'
import { StageSchema } from './processes'

/** A calendar day, such as 2027-03-01. */
export const DateOnly = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar day, YYYY-MM-DD.',
})

export const INSTRUMENT_MAX = 300
export const ADOPTION_NOTE_MAX = 2000
export const WITHDRAWAL_REASON_MAX = 2000
export const COMMITMENT_TITLE_MAX = 300
export const COMMITMENT_DESCRIPTION_MAX = 4000
export const COMMITMENT_ORGANISATION_MAX = 200
export const DROPPED_REASON_MAX = 2000
export const INDICATOR_NAME_MAX = 200
export const INDICATOR_UNIT_MAX = 50
export const MEASUREMENT_NOTE_MAX = 500
export const UPDATE_BODY_MAX = 4000
/** The most indicators one commitment carries. */
export const INDICATORS_MAX = 20

const Text = (max: number, description: string, min = 0) =>
  Type.String({
    maxLength: max,
    ...(min > 0 ? { minLength: min, pattern: '\\S' } : {}),
    description,
  })

/** The secretariat adopts a version as the strategy. */
export const AdoptBody = Type.Object(
  {
    versionId: Uuid,
    adoptedOn: DateOnly,
    instrument: Text(INSTRUMENT_MAX, 'The legal instrument, such as “Decree 123/2027”.', 1),
    note: Type.Optional(Text(ADOPTION_NOTE_MAX, 'Plain text; rendered inert.')),
    linesOfAction: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        maxItems: 500,
        uniqueItems: true,
        description:
          'The section ids that become commitments; by default the sections of the deepest heading level.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type AdoptBody = Static<typeof AdoptBody>

/** A recorded, reasoned withdrawal of the strategy in force. */
export const WithdrawBody = Type.Object(
  {
    withdrawnOn: DateOnly,
    reason: Text(WITHDRAWAL_REASON_MAX, 'Why the adoption ends; shown on the record.', 1),
  },
  { additionalProperties: false },
)
export type WithdrawBody = Static<typeof WithdrawBody>

/** Opening a review cycle from the strategy in force. */
export const ReviewCycleBody = Type.Object(
  {
    reason: Type.Optional(Text(2000, 'Why the cycle opens; on the stage timeline.')),
  },
  { additionalProperties: false },
)
export type ReviewCycleBody = Static<typeof ReviewCycleBody>

export const DOWNLOAD_FORMATS = ['docx', 'html', 'md', 'json'] as const

/** The adopted text in one language. */
export const AdoptedText = Type.Object({
  language: LanguageSchema,
  isSource: Type.Boolean(),
  documentId: Uuid,
  versionId: Uuid,
  versionName: Type.String(),
  versionNumber: Type.Integer({ minimum: 1 }),
  title: Type.String({ description: 'The document’s title when the version was made.' }),
  words: Type.Integer({ minimum: 0 }),
})
export type AdoptedText = Static<typeof AdoptedText>

/** One adoption on the record: in force, superseded or withdrawn. */
export const Adoption = Type.Object({
  id: Uuid,
  number: Type.Integer({ minimum: 1 }),
  adoptedOn: DateOnly,
  instrument: Type.String(),
  note: Type.String(),
  adoptedBy: Type.String(),
  recordedAt: Timestamp,
  state: Type.Union([
    Type.Literal('in-force'),
    Type.Literal('superseded'),
    Type.Literal('withdrawn'),
  ]),
  supersedesId: Type.Union([Uuid, Type.Null()]),
  withdrawal: Type.Union([
    Type.Object({
      withdrawnOn: DateOnly,
      reason: Type.String(),
      withdrawnBy: Type.String(),
      recordedAt: Timestamp,
    }),
    Type.Null(),
  ]),
  texts: Type.Array(AdoptedText),
})
export type Adoption = Static<typeof Adoption>

/** What the Strategy tab shows: the strategy in force (if any) and the whole record. */
export const StrategyState = Type.Object({
  stage: StageSchema,
  current: Type.Union([Adoption, Type.Null()]),
  record: Type.Array(Adoption, { description: 'Every adoption, newest first.' }),
})
export type StrategyState = Static<typeof StrategyState>

/** The review cycle's new working documents. */
export const ReviewCycleResult = Type.Object({
  stage: StageSchema,
  documents: Type.Array(
    Type.Object({ id: Uuid, title: Type.String(), predecessorId: Uuid, language: LanguageSchema }),
  ),
})
export type ReviewCycleResult = Static<typeof ReviewCycleResult>

export const COMMITMENT_STATUSES = ['planned', 'in-progress', 'done', 'dropped'] as const
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number]
export const CommitmentStatusSchema = Type.Enum(COMMITMENT_STATUSES)
export const COMMITMENT_SOURCES = ['section', 'thread', 'added'] as const

export const Measurement = Type.Object({
  id: Uuid,
  value: Type.Number(),
  measuredOn: DateOnly,
  note: Type.String(),
  recordedBy: Type.String(),
})
export type Measurement = Static<typeof Measurement>

export const Indicator = Type.Object({
  id: Uuid,
  name: Type.String(),
  unit: Type.String(),
  baseline: Type.Union([Type.Number(), Type.Null()]),
  target: Type.Number(),
  /** The latest measured value, by measurement date. */
  latest: Type.Union([Measurement, Type.Null()]),
  measurements: Type.Array(Measurement, { description: 'Oldest first.' }),
})
export type Indicator = Static<typeof Indicator>

export const ProgressUpdate = Type.Object({
  id: Uuid,
  body: Type.String(),
  status: CommitmentStatusSchema,
  writtenBy: Type.String(),
  writtenAt: Timestamp,
})
export type ProgressUpdate = Static<typeof ProgressUpdate>

export const Commitment = Type.Object({
  id: Uuid,
  number: Type.Integer({ minimum: 1 }),
  source: Type.Enum(COMMITMENT_SOURCES),
  sectionId: Type.String(),
  sectionTitle: Type.String(),
  threadId: Type.Union([Uuid, Type.Null()]),
  threadNumber: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  description: Type.String(),
  organisation: Type.String(),
  status: CommitmentStatusSchema,
  droppedReason: Type.String(),
  dueOn: Type.Union([DateOnly, Type.Null()]),
  updatedAt: Timestamp,
  indicators: Type.Array(Indicator),
  updates: Type.Array(ProgressUpdate, { description: 'Newest first.' }),
})
export type Commitment = Static<typeof Commitment>

export const CommitmentList = Type.Object({
  items: Type.Array(Commitment),
  /** Commitments per status over the whole list, whatever the filter. */
  counts: Type.Object({
    planned: Type.Integer(),
    'in-progress': Type.Integer(),
    done: Type.Integer(),
    dropped: Type.Integer(),
  }),
})
export type CommitmentList = Static<typeof CommitmentList>

export const CommitmentQuery = Type.Object(
  { status: Type.Optional(CommitmentStatusSchema) },
  { additionalProperties: false },
)

const IndicatorFields = {
  name: Text(INDICATOR_NAME_MAX, 'What is measured.', 1),
  unit: Type.Optional(Text(INDICATOR_UNIT_MAX, 'Such as “%” or “people”.')),
  baseline: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  target: Type.Number(),
}

/** A commitment the secretariat adds to a section of the adopted strategy. */
export const CreateCommitmentBody = Type.Object(
  {
    sectionId: Type.String({ minLength: 1, maxLength: 100 }),
    title: Text(COMMITMENT_TITLE_MAX, 'The commitment.', 1),
    description: Type.Optional(Text(COMMITMENT_DESCRIPTION_MAX, 'Plain text; rendered inert.')),
    organisation: Type.Optional(Text(COMMITMENT_ORGANISATION_MAX, 'The responsible organisation.')),
    dueOn: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  },
  { additionalProperties: false },
)
export type CreateCommitmentBody = Static<typeof CreateCommitmentBody>

/** Changes to a commitment; dropping one needs a reason. */
export const UpdateCommitmentBody = Type.Object(
  {
    title: Type.Optional(Text(COMMITMENT_TITLE_MAX, 'The commitment.', 1)),
    description: Type.Optional(Text(COMMITMENT_DESCRIPTION_MAX, 'Plain text; rendered inert.')),
    organisation: Type.Optional(Text(COMMITMENT_ORGANISATION_MAX, 'The responsible organisation.')),
    status: Type.Optional(CommitmentStatusSchema),
    droppedReason: Type.Optional(Text(DROPPED_REASON_MAX, 'Why it was dropped; required to drop.')),
    dueOn: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCommitmentBody = Static<typeof UpdateCommitmentBody>

export const CreateIndicatorBody = Type.Object(IndicatorFields, { additionalProperties: false })
export type CreateIndicatorBody = Static<typeof CreateIndicatorBody>

export const MeasurementBody = Type.Object(
  {
    value: Type.Number(),
    measuredOn: DateOnly,
    note: Type.Optional(Text(MEASUREMENT_NOTE_MAX, 'Where the figure comes from.')),
  },
  { additionalProperties: false },
)
export type MeasurementBody = Static<typeof MeasurementBody>

export const ProgressUpdateBody = Type.Object(
  { body: Text(UPDATE_BODY_MAX, 'What happened; plain text, rendered inert.', 1) },
  { additionalProperties: false },
)
export type ProgressUpdateBody = Static<typeof ProgressUpdateBody>

export const CommitmentParams = Type.Object(
  { id: Uuid, commitmentId: Uuid },
  { additionalProperties: false },
)
export const IndicatorParams = Type.Object(
  { id: Uuid, commitmentId: Uuid, indicatorId: Uuid },
  { additionalProperties: false },
)
