// The one list of languages the interface speaks (issue 16, item 6). The client's language
// switch, the account setting (TypeBox enum), the public pages, e-mails and exports all take
// their languages from here; a language a process may be written in without a dictionary of
// its own reads the interface in English.

/** Languages the interface is translated into, in the order the switch offers them. */
export const UI_LANGUAGES = ['en', 'es', 'fr', 'pt'] as const
export type UiLanguage = (typeof UI_LANGUAGES)[number]

/** Each language names itself, in itself, so anyone can find their own. */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  pt: 'Português',
}

/**
 * The locale `Intl` formats dates and numbers with: British English (day before month),
 * Latin-American Spanish, French of France and Brazilian Portuguese, the variety the
 * Portuguese dictionary is written in (the OAS's Portuguese-speaking member is Brazil).
 */
export const INTL_LOCALES: Record<UiLanguage, string> = {
  en: 'en-GB',
  es: 'es-419',
  fr: 'fr-FR',
  pt: 'pt-BR',
}

/** Tells whether a value is a language the interface is translated into. */
export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value)
}

/** The interface language for any language tag ("pt-BR", "fr", "de"): itself where translated, else English. */
export function uiLanguageOf(tag: string | null | undefined): UiLanguage {
  const base = (tag ?? '').toLowerCase().split('-')[0]
  return isUiLanguage(base) ? base : 'en'
}
