import { isDefaultGroup } from '../../shared/domain/stakeholder-groups'
import type { Translate } from '../public/i18n'

// The public pages are rendered on the server, in the language the reader chose, with the
// same strings and the same i18next as the app (server/public/i18n.ts over shared/i18n).
// Languages of a process without a dictionary read the pages in English (issue 6, item 3).
export { translator, uiLanguageOf, type Translate } from '../public/i18n'

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
