/** Field lengths and sizes, enforced by the API schemas and mirrored by the forms. */
export const LIMITS = {
  emailMax: 254,
  nameMax: 120,
  passwordMin: 10,
  passwordMax: 200,
  organisationMax: 160,
  processTitleMax: 200,
  processDescriptionMax: 5000,
  documentTitleMax: 200,
  groupLabelMax: 80,
  groupsMax: 30,
  languagesMax: 10,
  tokenNameMax: 80,
  tokensPerUserMax: 20,
  pageSizeMax: 200,
  /** The longest comment, reply or flag text, in characters. */
  commentBodyMax: 10_000,
  /** The longest proposed replacement text, in characters. */
  proposalTextMax: 20_000,
  /** The longest quoted passage a thread keeps, in characters. */
  quoteMax: 2_000,
  /** The longest reason of a flag or a moderation action, in characters. */
  moderationReasonMax: 500,
  /** An encoded Yjs relative position, base64: a few dozen bytes; this is generous. */
  anchorMax: 512,
  /** How long after posting an author may still edit a comment or reply. */
  commentEditWindowMinutes: 15,
  /** Comments and replies one person may post per minute, and per hour, across instances. */
  commentsPerMinute: 10,
  commentsPerHour: 120,
  /** The longest free-text search in thread lists. */
  searchMax: 200,
  bodyBytesMax: 1024 * 1024,
} as const

/** Languages the interface and processes can use (ISO 639-1). */
export const LANGUAGES = ['en', 'es', 'fr', 'pt'] as const
export type Language = (typeof LANGUAGES)[number]

/** Languages the interface itself is translated into: the one list is shared/i18n/languages.ts. */
export { UI_LANGUAGES, type UiLanguage } from './i18n/languages'
