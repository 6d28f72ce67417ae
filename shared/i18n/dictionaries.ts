import en from './en.json'
import es from './es.json'
import fr from './fr.json'
import pt from './pt.json'
import type { UiLanguage } from './languages'

// Every interface dictionary, keyed by the languages of languages.ts. English is the
// reference: every other dictionary has exactly its keys (tests/unit/i18n-keys.test.ts).

export type Dictionary = typeof en

// French and Portuguese are cast: a key another branch has just added to English falls back to
// English there until it is translated (scripts/i18n-missing.mjs lists them), not a build error.
export const DICTIONARIES: Record<UiLanguage, Dictionary> = {
  en,
  es,
  fr: fr as unknown as Dictionary,
  pt: pt as unknown as Dictionary,
}
