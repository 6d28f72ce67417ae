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
  bodyBytesMax: 1024 * 1024,
} as const

/** Languages the interface and processes can use (ISO 639-1). */
export const LANGUAGES = ['en', 'es', 'fr', 'pt'] as const
export type Language = (typeof LANGUAGES)[number]

/** Languages the interface itself is translated into. */
export const UI_LANGUAGES = ['en', 'es'] as const
export type UiLanguage = (typeof UI_LANGUAGES)[number]
