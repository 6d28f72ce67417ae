/**
 * Helpers for the light text format of comments (see `Body` in shared/api/threads.ts):
 * plain text in which a mention of a member is written `@[Name](user-id)`.
 */

/** Matches one mention; group 1 is the name shown, group 2 the member's user id. */
export const MENTION_PATTERN =
  /@\[([^\]\n]{1,120})\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi

/** The user ids mentioned in a text, each once, in order of appearance. */
export function mentionedUserIds(text: string): string[] {
  const ids: string[] = []
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const id = match[2]!.toLowerCase()
    if (!ids.includes(id)) {
      ids.push(id)
    }
  }
  return ids
}

/**
 * The start of a text as one line of plain text, for inboxes and e-mails: mentions become
 * `@Name`, link syntax becomes its label, emphasis marks go, whitespace collapses, and a cut
 * text ends with an ellipsis.
 */
export function plainExcerpt(text: string, maxLength: number): string {
  const plain = text
    .replace(MENTION_PATTERN, (_all, name: string) => `@${name}`)
    .replace(/\[([^\]\n]*)\]\([^)\s]*\)/g, '$1')
    .replace(/(\*\*|\*|__|_)(?=\S)([^*_\n]*?\S)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim()
  return plain.length <= maxLength
    ? plain
    : `${plain.slice(0, Math.max(0, maxLength - 1)).trimEnd()}…`
}
