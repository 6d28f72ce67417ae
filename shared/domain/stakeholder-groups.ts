/**
 * The stakeholder groups every new process starts with. The OECD's advice is to
 * institutionalise representation of business, civil society, the technical community,
 * academia and government; the secretariat adds further groups (technical community,
 * trade unions) per process. Built-in groups are translated by key; added groups carry
 * the label the secretariat typed.
 */
export const DEFAULT_STAKEHOLDER_GROUPS = [
  'government',
  'civil-society',
  'academia',
  'private-sector',
  'individual',
] as const

export type DefaultStakeholderGroup = (typeof DEFAULT_STAKEHOLDER_GROUPS)[number]

/** A group key is a lowercase slug: letters, digits and single dashes. */
export const GROUP_KEY_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$'

/** Tells whether a key names one of the built-in groups, whose labels come from i18n. */
export function isDefaultGroup(key: string): key is DefaultStakeholderGroup {
  return (DEFAULT_STAKEHOLDER_GROUPS as readonly string[]).includes(key)
}

/**
 * Turns a label typed by the secretariat into a group key: lowercase ASCII, dashes
 * between words. Returns an empty string when nothing usable remains.
 */
export function groupKeyFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '')
}
