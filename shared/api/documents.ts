import { Type, type Static } from 'typebox'
import { LIMITS } from '../limits'
import { Uuid } from './common'

/**
 * Sizes of document imports. An import is the one request that carries a whole document, so
 * its route alone accepts a body of IMPORT_LIMITS.bodyBytesMax.
 */
export const IMPORT_LIMITS = {
  /** The largest request body an import route accepts. */
  bodyBytesMax: 40 * 1024 * 1024,
  /** The largest .docx file, in bytes (before base64). A 300-page report is a few MiB. */
  docxBytesMax: 28 * 1024 * 1024,
  /** The longest Markdown text, in characters. */
  markdownCharsMax: 10 * 1024 * 1024,
} as const

/** Base64 turns every 3 bytes into 4 characters. */
const DOCX_BASE64_MAX = Math.ceil(IMPORT_LIMITS.docxBytesMax / 3) * 4

const DocumentTitle = Type.String({
  minLength: 1,
  maxLength: LIMITS.documentTitleMax,
  pattern: '\\S',
})

/** The templates a new document can start from. */
export const DOCUMENT_TEMPLATES = ['national-strategy'] as const
export type DocumentTemplate = (typeof DOCUMENT_TEMPLATES)[number]

/** A document's new title. */
export const RenameDocumentBody = Type.Object(
  { title: DocumentTitle },
  { additionalProperties: false },
)
export type RenameDocumentBody = Static<typeof RenameDocumentBody>

/** What an import's `content` may be: Markdown text, or a .docx file in base64. */
export const IMPORT_FORMATS = ['markdown', 'docx'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/** A document to create from a file: its title, and the file's format and content. */
export const ImportDocumentBody = Type.Object(
  {
    title: DocumentTitle,
    format: Type.Enum(IMPORT_FORMATS, { description: 'What `content` holds.' }),
    content: Type.String({
      minLength: 1,
      maxLength: Math.max(DOCX_BASE64_MAX, IMPORT_LIMITS.markdownCharsMax),
      description: `The Markdown text (at most ${IMPORT_LIMITS.markdownCharsMax} characters), or the .docx file in base64 (at most ${IMPORT_LIMITS.docxBytesMax} bytes).`,
    }),
  },
  { additionalProperties: false },
)
export type ImportDocumentBody = Static<typeof ImportDocumentBody>

/** One section of a document: a heading and what follows it up to the next heading of the same or a higher level. */
export const Section = Type.Object({
  id: Type.Union([Type.String(), Type.Null()], {
    description:
      'The stable section id that comments anchor to; null while the heading has none (or repeats an earlier heading’s id) until an editor assigns one.',
  }),
  level: Type.Integer({ minimum: 1, maximum: 3 }),
  title: Type.String({ description: 'The heading text.' }),
})
export type Section = Static<typeof Section>

/** The imported document's id and the sections its headings became. */
export const ImportResult = Type.Object({ id: Uuid, sections: Type.Array(Section) })
export type ImportResult = Static<typeof ImportResult>

/** The renderings a document can be exported as. */
export const EXPORT_FORMATS = ['html', 'md', 'json', 'docx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Which rendering an export asks for. */
export const ExportQuery = Type.Object(
  {
    format: Type.Enum(EXPORT_FORMATS, {
      description:
        '`html`: a complete, inert HTML page; `md`: Markdown with pipe tables; `json`: ProseMirror JSON; `docx`: a Word document, as an attachment.',
    }),
  },
  { additionalProperties: false },
)
export type ExportQuery = Static<typeof ExportQuery>

/** A document as ProseMirror JSON: `{ type: 'doc', content: [...] }` in the shared schema. */
export const ProseMirrorDoc = Type.Object({
  type: Type.Literal('doc'),
  content: Type.Array(Type.Unknown()),
})
export type ProseMirrorDoc = Static<typeof ProseMirrorDoc>
