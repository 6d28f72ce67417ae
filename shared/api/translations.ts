import { Type, type Static } from 'typebox'
import { LIMITS } from '../limits'
import { LanguageSchema, Timestamp, Uuid } from './common'
import { RedlinePart } from './comparison'

// One strategy in several languages (issue 16, items 1 and 3): a document's translations,
// aligned with it section by section, and which translated sections are behind their source.

export const CreateTranslationBody = Type.Object(
  {
    language: LanguageSchema,
    title: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.documentTitleMax,
        pattern: '\\S',
        description:
          'The translation’s title; by default the source’s, to be translated in the editor’s title field.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type CreateTranslationBody = Static<typeof CreateTranslationBody>

/** One language of a document: the source or a translation of it. */
export const TranslationSummary = Type.Object({
  documentId: Uuid,
  title: Type.String(),
  language: Type.String(),
  /** Whether this is the source all the others are translated from. */
  isSource: Type.Boolean(),
  /** Sections whose source changed since they were last brought up to date (0 for the source). */
  staleCount: Type.Integer({ minimum: 0 }),
  /** Sections of the source this translation does not have yet. */
  missingCount: Type.Integer({ minimum: 0 }),
  /** Sections this translation still has that the source removed. */
  removedCount: Type.Integer({ minimum: 0 }),
})
export type TranslationSummary = Static<typeof TranslationSummary>

/** Every language of a document, the source first. */
export const TranslationList = Type.Object({
  sourceDocumentId: Uuid,
  languages: Type.Array(TranslationSummary),
})
export type TranslationList = Static<typeof TranslationList>

export const ALIGNMENT_STATUSES = ['aligned', 'stale', 'missing', 'removed'] as const
export type AlignmentStatus = (typeof ALIGNMENT_STATUSES)[number]

/** One section of a translation beside its source section. */
export const AlignedSection = Type.Object({
  sectionId: Type.String(),
  /**
   * aligned: up to date with the source; stale: the source section changed since it was last
   * brought up to date ("source changed"); missing: the source has it, this translation not
   * yet ("missing here"); removed: this translation has it, the source no longer ("removed there").
   */
  status: Type.Enum(ALIGNMENT_STATUSES),
  sourceTitle: Type.Union([Type.String(), Type.Null()]),
  /** For a stale section, the source's title when it was brought up to date (it may have been renamed since). */
  sourceTitleThen: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  /** For a stale section: the source's changes since it was brought up to date, word by word. */
  sourceRedline: Type.Array(RedlinePart),
  /** When it was last brought up to date, and by whom (null if never, or missing). */
  upToDateAt: Type.Union([Timestamp, Type.Null()]),
  upToDateBy: Type.Union([Type.String(), Type.Null()]),
})
export type AlignedSection = Static<typeof AlignedSection>

/** A translation section by section against its source, in the source's order. */
export const Alignment = Type.Object({
  documentId: Uuid,
  language: Type.String(),
  sourceDocumentId: Uuid,
  sourceLanguage: Type.String(),
  counts: Type.Object({
    aligned: Type.Integer({ minimum: 0 }),
    stale: Type.Integer({ minimum: 0 }),
    missing: Type.Integer({ minimum: 0 }),
    removed: Type.Integer({ minimum: 0 }),
  }),
  sections: Type.Array(AlignedSection),
})
export type Alignment = Static<typeof Alignment>

export const TranslationSectionParams = Type.Object(
  {
    id: Uuid,
    sectionId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
)
