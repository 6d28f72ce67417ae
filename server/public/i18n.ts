import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import i18next, { type i18n } from 'i18next'
import { withManyForms } from '../../shared/i18n/plural-forms'

// The public pages' translations (issue 14, item 8): the same i18next and the same
// dictionaries as the app (shared/i18n/<language>.json). Every dictionary in that folder is a
// language of the pages, so a language added there (fr.json, pt.json) is served without a
// change here; a key missing in one falls back to English.

const DIRECTORY = resolve(import.meta.dirname, '../../shared/i18n')

type Tree = { [key: string]: string | Tree }

function loadDictionaries(): Record<string, Tree> {
  const found: Record<string, Tree> = {}
  for (const file of readdirSync(DIRECTORY).sort()) {
    const match = /^([a-z]{2,3})\.json$/.exec(file)
    if (match) {
      found[match[1]!] = JSON.parse(readFileSync(resolve(DIRECTORY, file), 'utf8')) as Tree
    }
  }
  return found
}

const DICTIONARIES = loadDictionaries()

/** The languages the public pages are translated into, English first. */
export const PAGE_LANGUAGES: readonly string[] = [
  'en',
  ...Object.keys(DICTIONARIES).filter((code) => code !== 'en'),
]

const instance: i18n = i18next.createInstance()
void instance.init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...PAGE_LANGUAGES],
  resources: Object.fromEntries(
    Object.entries(DICTIONARIES).map(([code, tree]) => [code, { translation: withManyForms(tree) }]),
  ),
  // Preact escapes every text node and attribute, so i18next must not escape again.
  interpolation: {
    escapeValue: false,
    alwaysFormat: true,
    format: (value: unknown, _format, lng): string =>
      typeof value === 'number' ? new Intl.NumberFormat(lng).format(value) : String(value ?? ''),
  },
  initAsync: false,
  returnNull: false,
  showSupportNotice: false,
})

/** The interface language for a process language: itself where translated, else English. */
export function uiLanguageOf(language: string): string {
  return Object.hasOwn(DICTIONARIES, language) ? language : 'en'
}

/** Translates keys of the shared dictionaries: `{{name}}` and `_one`/`_other` plurals. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string

/**
 * A translator for one language. Keys are full paths (`publicConsultation.title`); a key
 * missing in the language falls back to English, then to the key itself, so a gap shows up
 * in review instead of breaking the page. Numbers are written the language's way.
 */
export function translator(language: string): Translate {
  const t = instance.getFixedT(uiLanguageOf(language))
  return (key, vars = {}) => t(key, vars) as string
}
