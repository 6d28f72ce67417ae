import { Type, type Static } from 'typebox'
import { Timestamp, Uuid } from './common'
import { Section } from './documents'

/** The longest version name, in characters (the database checks the same bound). */
export const VERSION_NAME_MAX = 200

/** How many words make a page, for a version's estimated length (issue 6, item 2). */
export const WORDS_PER_PAGE = 300

/** The pages a text of `words` words fills, at WORDS_PER_PAGE words a page, rounded up. */
export function estimatedPages(words: number): number {
  return Math.ceil(words / WORDS_PER_PAGE)
}

/** The name the secretariat gives a version when freezing the current state of a document. */
export const CreateVersionBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: VERSION_NAME_MAX,
      pattern: '\\S',
      description: 'A name for the version, such as “Draft for public consultation”.',
    }),
  },
  { additionalProperties: false },
)
export type CreateVersionBody = Static<typeof CreateVersionBody>

/** The path parameters of a version route. */
export const VersionParams = Type.Object({ versionId: Uuid }, { additionalProperties: false })
export type VersionParams = Static<typeof VersionParams>

/**
 * A named, immutable version of a document: its content as it was stored when the version
 * was made. Later edits to the live document never change it.
 */
export const Version = Type.Object({
  id: Uuid,
  number: Type.Integer({
    minimum: 1,
    description: 'The version’s number within its document: 1, 2, … in the order they were made.',
  }),
  documentId: Uuid,
  name: Type.String({ maxLength: VERSION_NAME_MAX }),
  createdAt: Timestamp,
  createdBy: Type.String({
    description: 'The name of the person who made the version, as it was then.',
  }),
  words: Type.Integer({ minimum: 0, description: 'Words in the frozen text.' }),
  estimatedPages: Type.Integer({
    minimum: 0,
    description: `The words divided by ${WORDS_PER_PAGE}, rounded up.`,
  }),
  sections: Type.Array(Section, { description: 'The frozen text’s sections, in document order.' }),
  sourceVersionId: Type.Union([Uuid, Type.Null()], {
    description: 'For a translation’s version, the version of the source it was frozen with (issue 16).',
  }),
})
export type Version = Static<typeof Version>
