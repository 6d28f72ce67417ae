import { isDefaultGroup } from '../../shared/domain/stakeholder-groups'
import { DICTIONARIES as BY_LANGUAGE } from '../../shared/i18n/dictionaries'
import { uiLanguageOf } from '../../shared/i18n/languages'

// The public pages are rendered on the server, in the language the reader chose, with the
// same strings as the app (shared/i18n, section "publicConsultation"). The languages are those
// of shared/i18n/languages.ts; a process language without a dictionary reads it in English.

export { uiLanguageOf }

type Tree = { [key: string]: string | Tree }
const DICTIONARIES = BY_LANGUAGE as unknown as Record<string, Tree>

function lookup(tree: Tree | undefined, path: string): string | undefined {
  let node: string | Tree | undefined = tree
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') {
      return undefined
    }
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** Translates keys of the shared dictionaries, i18next style: `{{name}}` and `_one`/`_other`. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string

/**
 * A translator for one language. Keys are full paths (`publicConsultation.title`); a key
 * missing in the language falls back to English, then to the key itself, so a gap shows up
 * in review instead of breaking the page. Interpolated values are inserted as given: the
 * templates escape the result like any other text.
 */
export function translator(language: string): Translate {
  const ui = uiLanguageOf(language)
  const plural = new Intl.PluralRules(ui)
  return (key, vars = {}) => {
    let text: string | undefined
    if (typeof vars.count === 'number') {
      const form = plural.select(vars.count)
      text =
        lookup(DICTIONARIES[ui], `${key}_${form}`) ??
        lookup(DICTIONARIES.en, `${key}_${form}`) ??
        lookup(DICTIONARIES[ui], `${key}_other`) ??
        lookup(DICTIONARIES.en, `${key}_other`)
    }
    text ??= lookup(DICTIONARIES[ui], key) ?? lookup(DICTIONARIES.en, key) ?? key
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => {
      const value = vars[name]
      if (value === undefined) {
        return match
      }
      return typeof value === 'number' ? new Intl.NumberFormat(ui).format(value) : value
    })
  }
}

/**
 * The name of a stakeholder group: the label the secretariat typed for an added group, the
 * translation for a built-in one, else the key made readable.
 */
export function groupLabel(
  t: Translate,
  key: string,
  groups: readonly { key: string; label: string | null }[],
): string {
  const group = groups.find((g) => g.key === key)
  if (group?.label) {
    return group.label
  }
  if (isDefaultGroup(key)) {
    return t(`groups.${key}`)
  }
  const words = key.replace(/-/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
