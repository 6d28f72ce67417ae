/** The roles a member can hold in a process, from most to least powerful. */
export const ROLES = ['secretariat', 'drafter', 'stakeholder', 'facilitator', 'observer'] as const

/** A member's role in one process. An account can hold a different role in each process. */
export type Role = (typeof ROLES)[number]

/** Tells whether a value is one of the known roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
