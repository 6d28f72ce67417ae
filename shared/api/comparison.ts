import { Type, type Static } from 'typebox'
import { Timestamp, Uuid } from './common'
import { VERSION_NAME_MAX } from './versions'

/** What `to` of a comparison may be: another version's id, or `live` for the current draft. */
export const CompareQuery = Type.Object(
  {
    to: Type.Union([Uuid, Type.Literal('live')], {
      description: 'The id of a version of the same document, or `live` for the current draft.',
    }),
  },
  { additionalProperties: false },
)
export type CompareQuery = Static<typeof CompareQuery>

/** What a comparison downloads as: a .docx file with insertions and deletions as tracked changes. */
export const CompareExportQuery = Type.Object(
  {
    to: CompareQuery.properties.to,
    format: Type.Literal('docx', { description: 'A Word document with tracked changes.' }),
  },
  { additionalProperties: false },
)
export type CompareExportQuery = Static<typeof CompareExportQuery>

/** The statuses of a section in a comparison, in the order of precedence used to pick one. */
export const SECTION_STATUSES = [
  'added',
  'removed',
  'changed',
  'renamed',
  'moved',
  'unchanged',
] as const
export type SectionStatus = (typeof SECTION_STATUSES)[number]

/** One run of a redline: text kept, inserted or deleted, with the formatting it has on its side. */
export const RedlinePart = Type.Object({
  // An enum rather than a union of literals: the same JSON Schema values, and the response
  // serializer writes it as a plain string instead of trying each branch (bench/compare.ts).
  op: Type.Enum(['equal', 'insert', 'delete'] as const),
  text: Type.String({
    description:
      'Plain text; a line break separates blocks. List items start with “• ” or “n. ”, table cells are separated by “ | ”.',
  }),
  strong: Type.Optional(Type.Literal(true)),
  em: Type.Optional(Type.Literal(true)),
  href: Type.Optional(
    Type.String({ description: 'The link target, an allowed https: or mailto: address.' }),
  ),
})
export type RedlinePart = Static<typeof RedlinePart>

/** A section as it is on one side of a comparison. */
export const ComparedSide = Type.Object({
  title: Type.String(),
  level: Type.Integer({ minimum: 1, maximum: 3 }),
  position: Type.Integer({
    minimum: 0,
    description: 'The section’s place among the sections of its side, from 0.',
  }),
})
export type ComparedSide = Static<typeof ComparedSide>

/**
 * One section of a comparison, matched across the two sides by its stable section id. The
 * text before the first heading, if any, is the entry whose id is null.
 */
export const SectionComparison = Type.Object({
  id: Type.Union([Type.String(), Type.Null()], {
    description: 'The stable section id; null for the text before the first heading.',
  }),
  status: Type.Enum(SECTION_STATUSES, {
    description:
      'One word for the section: added or removed; else changed when its text or formatting changed, renamed when only its title did, moved when only its place or level did.',
  }),
  fromTitle: Type.Union([Type.String(), Type.Null()], {
    description: 'The title on the older side; null when added.',
  }),
  toTitle: Type.Union([Type.String(), Type.Null()], {
    description: 'The title on the newer side; null when removed.',
  }),
  from: Type.Union([ComparedSide, Type.Null()]),
  to: Type.Union([ComparedSide, Type.Null()]),
  isChanged: Type.Boolean({ description: 'Its text or formatting (below the heading) differs.' }),
  isFormattingOnly: Type.Boolean({
    description: 'Only the formatting differs, the words are the same.',
  }),
  isRenamed: Type.Boolean(),
  isMoved: Type.Boolean({
    description: 'Its order among the matched sections, or its level, differs.',
  }),
  redline: Type.Array(RedlinePart, {
    description:
      'The section’s text below its heading, with insertions and deletions word by word.',
  }),
})
export type SectionComparison = Static<typeof SectionComparison>

/** How many sections have each kind of difference; a section renamed and moved counts in both. */
export const ComparisonSummary = Type.Object({
  changed: Type.Integer({ minimum: 0 }),
  added: Type.Integer({ minimum: 0 }),
  removed: Type.Integer({ minimum: 0 }),
  moved: Type.Integer({ minimum: 0 }),
  renamed: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
})
export type ComparisonSummary = Static<typeof ComparisonSummary>

/** One side of a comparison: a version, or the live draft. */
export const ComparisonEnd = Type.Object({
  versionId: Type.Union([Uuid, Type.Null()], { description: 'Null for the live draft.' }),
  number: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  name: Type.Union([Type.String({ maxLength: VERSION_NAME_MAX }), Type.Null()]),
  createdAt: Type.Union([Timestamp, Type.Null()]),
  isLive: Type.Boolean(),
})
export type ComparisonEnd = Static<typeof ComparisonEnd>

/** A comparison of two texts of one document, section by section. */
export const Comparison = Type.Object({
  documentId: Uuid,
  from: ComparisonEnd,
  to: ComparisonEnd,
  summary: ComparisonSummary,
  sections: Type.Array(SectionComparison),
})
export type Comparison = Static<typeof Comparison>
