/**
 * The identity shown with a collaborator's cursor: the `user` field of their awareness state.
 * The server overwrites it from the session and membership on every awareness message, so a
 * client cannot show itself as somebody else (DESIGN: presence identity comes from the session).
 */
export interface PresenceUser {
  /** The account's display name. */
  name: string
  /** A CSS colour (`#rrggbb`) derived from the account id, the same in every document. */
  color: string
  /** The member's stakeholder group key in the document's process (e.g. `civil-society`). */
  stakeholderGroup: string
}

/**
 * Cursor colours, dark enough for white text on them and light text under them to reach a
 * contrast of 4.5:1, and distinct for the common forms of colour blindness as far as eight
 * colours can be.
 */
export const PRESENCE_COLORS = [
  '#1f5fa8',
  '#a8331f',
  '#2e7d32',
  '#7b3fa0',
  '#8a5a00',
  '#00707a',
  '#b0276b',
  '#4a5a6a',
] as const

/**
 * The presence colour of an account: a stable choice from `PRESENCE_COLORS` by a hash of the
 * account id, so a person keeps their colour across documents and sessions.
 */
export function presenceColor(userId: string): string {
  // FNV-1a: small, deterministic and available without Node's crypto (shared/ runs in browsers).
  let hash = 0x811c9dc5
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length]!
}
