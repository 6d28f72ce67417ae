import type { Role } from './roles'

/**
 * Everything a member may do inside a process. The server decides every request with
 * `can`; the client uses the same table only to hide controls it would refuse.
 */
export const ACTIONS = [
  'process.read',
  'process.update',
  'process.archive',
  // Moving the process to another stage of its life cycle (issue 14, item 4).
  'process.stage',
  'members.read',
  'members.manage',
  'groups.manage',
  'audit.read',
  'documents.read',
  'documents.create',
  'documents.manage',
  'documents.edit',
  // Freezing a document as a named, immutable version (issue 6, item 1); reading one is documents.read.
  'versions.create',
  'threads.read',
  'threads.create',
  'threads.endorse',
  'threads.flag',
  'threads.resolve',
  'threads.apply',
  'threads.moderate',
  'moderation.log',
  // Opening, publishing, closing and extending public consultations (issue 6); members read them with process.read.
  'consultations.manage',
  // Recording a thread's disposition and public answer (issue 6, item 7).
  'threads.answer',
  // Preparing and running workshops: agenda, registrations, the live console, minutes (issue 13).
  'workshops.manage',
  // Taking part in a workshop: registering, checking in or joining, raising a hand.
  'workshops.attend',
  // Speaking for the record in a workshop: contributions and votes (observers only listen).
  'workshops.contribute',
  // Adopting a version as the strategy, withdrawing an adoption, opening a review cycle (issue 14, item 5).
  'strategy.adopt',
  // Keeping the commitments of the adopted strategy: status, indicators, progress (issue 14, item 6).
  'commitments.manage',
  // Reading the participation balance: who took part, by section, group and week (issue 17, item 1).
  'participation.read',
] as const

export type Action = (typeof ACTIONS)[number]

const READ: readonly Action[] = ['process.read', 'members.read', 'documents.read', 'threads.read']
// Every member may flag a thread or reply for the moderators (issue 5, item 7).
// Every member may attend a workshop (issue 13, item 8).
const MEMBER: readonly Action[] = [...READ, 'threads.flag', 'workshops.attend']
// Taking part in the discussion: starting threads, replying, endorsing, speaking in workshops.
const DISCUSS: readonly Action[] = [
  ...MEMBER,
  'threads.create',
  'threads.endorse',
  'workshops.contribute',
]

/** The role × action table. A role may do exactly the actions in its set. */
export const PERMISSIONS: Record<Role, ReadonlySet<Action>> = {
  secretariat: new Set<Action>(ACTIONS),
  drafter: new Set<Action>([...DISCUSS, 'documents.edit', 'threads.resolve', 'threads.apply']),
  stakeholder: new Set<Action>(DISCUSS),
  facilitator: new Set<Action>([
    ...DISCUSS,
    'threads.moderate',
    'workshops.manage',
    'participation.read',
  ]),
  observer: new Set<Action>(MEMBER),
}

/** Tells whether a member with `role` may perform `action` in their process. */
export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].has(action)
}

/**
 * Actions still allowed once a process is archived: an archived process stays readable
 * and the secretariat can bring it back, but nothing else changes.
 */
export const ALLOWED_WHEN_ARCHIVED: ReadonlySet<Action> = new Set<Action>([
  ...READ,
  'audit.read',
  'participation.read',
  'process.archive',
])
