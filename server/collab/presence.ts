import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import type { PresenceUser } from '../../shared/collab/presence'
import { ProtocolError, readString, readUint } from './protocol'

// Presence (awareness) is where one client could pretend to be another: the y-websocket
// protocol lets any peer set or remove the state of any Yjs client id. The server therefore
// rewrites every incoming awareness update before applying it: it keeps only entries for
// client ids the sending connection owns (or claims, if nobody else owns them), and forces
// `user` to the identity from the session and membership (DESIGN; Hocuspocus's awareness
// handling trusts the client here, Outline stamps the user server-side).

/** Who owns a Yjs client id in a room's awareness: a local connection, or another instance. */
export type ClientIdOwner = object

/** What the rewrite needs to know about the sender and the room. */
export interface PresenceContext {
  /** The sender's identity, written into every state it sets. */
  identity: PresenceUser
  /** The client ids the sender owns; the rewrite adds the ids it claims. */
  clientIds: Set<number>
  /** Whom each client id in the room belongs to. */
  owners: Map<number, ClientIdOwner>
  /** The sender, as recorded in `owners`. */
  owner: ClientIdOwner
  maxClientIds: number
  maxStateBytes: number
}

/** The outcome of a rewrite: the update to apply (or null) and how many entries were dropped. */
export interface RewrittenAwareness {
  update: Uint8Array | null
  /** Client ids that this update claimed for the sender. */
  claimed: number[]
  /** Entries dropped because they named a client id the sender does not own. */
  refused: number
}

// A y-websocket client sends one entry (its own); a few more allow a client that swapped its
// Y.Doc. Anything beyond is not a client following the protocol.
const MAX_ENTRIES = 16

/**
 * Rewrites an awareness update received from one connection. Entries for client ids owned by
 * anybody else are dropped, so a connection can neither set nor remove someone else's presence.
 * An unowned client id becomes the sender's when it sets a state (up to `maxClientIds`); a
 * removal (null state) is kept only for ids the sender owns. Every kept state gets the
 * server's `user`. Throws `ProtocolError` for a malformed update or an oversized state.
 */
export function rewriteAwarenessUpdate(
  update: Uint8Array,
  context: PresenceContext,
): RewrittenAwareness {
  const decoder = decoding.createDecoder(update)
  const count = readUint(decoder)
  if (count > MAX_ENTRIES) {
    throw new ProtocolError(`awareness update with ${count} entries`)
  }
  const kept: { clientId: number; clock: number; state: Record<string, unknown> | null }[] = []
  const claimed: number[] = []
  let refused = 0
  for (let i = 0; i < count; i++) {
    const clientId = readUint(decoder)
    const clock = readUint(decoder)
    const json = readString(decoder)
    const bytes = Buffer.byteLength(json)
    if (bytes > context.maxStateBytes) {
      throw new ProtocolError(`awareness state of ${bytes} bytes`)
    }
    const state = parseState(json)
    const owner = context.owners.get(clientId)
    if (owner !== undefined && owner !== context.owner) {
      refused++
      continue
    }
    if (owner === undefined) {
      if (
        state === null ||
        context.clientIds.size >= context.maxClientIds ||
        clientId > 0xffffffff
      ) {
        refused++
        continue
      }
      context.owners.set(clientId, context.owner)
      context.clientIds.add(clientId)
      claimed.push(clientId)
    }
    kept.push({
      clientId,
      clock,
      state: state === null ? null : { ...state, user: { ...context.identity } },
    })
  }
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError('trailing bytes after the awareness update')
  }
  return { update: kept.length === 0 ? null : encodeEntries(kept), claimed, refused }
}

/**
 * Sets `user` to a new identity in the current states of the given client ids (after a
 * membership change), with a higher clock so every peer takes the new state.
 */
export function restampPresence(
  awareness: Awareness,
  clientIds: Iterable<number>,
  identity: PresenceUser,
  origin: unknown,
): void {
  const entries: { clientId: number; clock: number; state: Record<string, unknown> | null }[] = []
  for (const clientId of clientIds) {
    const state = awareness.getStates().get(clientId)
    const meta = awareness.meta.get(clientId)
    if (state && meta) {
      entries.push({ clientId, clock: meta.clock + 1, state: { ...state, user: { ...identity } } })
    }
  }
  if (entries.length > 0) {
    applyAwarenessUpdate(awareness, encodeEntries(entries), origin)
  }
}

function parseState(json: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new ProtocolError('awareness state is not JSON')
  }
  if (value === null) {
    return null
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError('awareness state is not an object')
  }
  return value as Record<string, unknown>
}

function encodeEntries(
  entries: { clientId: number; clock: number; state: Record<string, unknown> | null }[],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}
