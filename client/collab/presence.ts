import { signal, type ReadonlySignal } from '@preact/signals'
import type { Awareness } from 'y-protocols/awareness'
import type { PresenceUser } from '../../shared/collab/presence'

/** One person with the document open, as the "who is here" list shows them. */
export interface Participant {
  /** A stable key for lists: the first awareness client id seen for this person. */
  key: string
  name: string
  color: string
  stakeholderGroup: string
  isSelf: boolean
  /** How many tabs or devices this person has the document open in. */
  tabs: number
}

/**
 * Reads a peer's `user` field defensively. The server stamps it from the session
 * (shared/collab/presence.ts), but a peer from an older build or a half-written state must
 * not break the list.
 */
export function presenceUserOf(state: Record<string, unknown> | undefined): PresenceUser | null {
  const user = state?.user
  if (!user || typeof user !== 'object') {
    return null
  }
  const { name, color, stakeholderGroup } = user as Record<string, unknown>
  if (typeof name !== 'string' || typeof color !== 'string') {
    return null
  }
  return {
    name,
    color: /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#4a5a6a',
    stakeholderGroup: typeof stakeholderGroup === 'string' ? stakeholderGroup : '',
  }
}

/**
 * Keeps a list of the people in a document from its awareness states, oneself first, then by
 * name. A person with several tabs open appears once (oneself included: `self` is who the
 * session says we are). The signal only changes when the list
 * does, not on every cursor move.
 */
export function watchParticipants(
  awareness: Awareness,
  self: () => PresenceUser,
): { participants: ReadonlySignal<Participant[]>; refresh: () => void; dispose: () => void } {
  const participants = signal<Participant[]>([])
  let lastKey = ''

  const identity = (user: PresenceUser) => `${user.name}\u0000${user.color}\u0000${user.stakeholderGroup}`
  const refresh = () => {
    const me = self()
    const byPerson = new Map<string, Participant>()
    byPerson.set(identity(me), {
      key: 'self',
      ...me,
      isSelf: true,
      tabs: 1,
    })
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) {
        continue
      }
      const user = presenceUserOf(state)
      if (!user) {
        continue
      }
      const id = identity(user)
      const known = byPerson.get(id)
      if (known) {
        known.tabs++
      } else {
        byPerson.set(id, { key: String(clientId), ...user, isSelf: false, tabs: 1 })
      }
    }
    const list = [...byPerson.values()].sort(
      (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
    )
    const key = list.map((p) => `${p.key}:${identity(p)}:${p.tabs}`).join('|')
    if (key !== lastKey) {
      lastKey = key
      participants.value = list
    }
  }

  refresh()
  awareness.on('change', refresh)
  return { participants, refresh, dispose: () => awareness.off('change', refresh) }
}
