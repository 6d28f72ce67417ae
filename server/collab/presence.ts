import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import type { PresenceUser } from '../../shared/collab/presence'
import { ProtocolError, readUint } from './protocol'

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
  /**
   * The clock the room holds for a client id, if any: an entry of someone else's id at that
   * clock or below is an echo of what the room itself sent, not an attempt to change it.
   */
  clockOf?: (clientId: number) => number | undefined
  maxClientIds: number
  maxStateBytes: number
}

/** The outcome of a rewrite: the update to apply (or null) and how many entries were dropped. */
export interface RewrittenAwareness {
  update: Uint8Array | null
  /** Client ids that this update claimed for the sender. */
  claimed: number[]
  /** Entries dropped because they named a client id the sender does not own (or may not claim). */
  refused: number
  /**
   * Of the refused entries, those that only repeat what the room already holds: someone else's
   * state at a clock the room has, or the removal of an id nobody owns. A stock y-websocket
   * provider re-sends every presence change it receives, so these are normal and not logged.
   */
  echoed: number
}

// Every entry takes at least three bytes (its client id, its clock, the length of its state),
// so a count the remaining bytes cannot hold is refused before anything else is read.
const MIN_ENTRY_BYTES = 3

/**
 * Rewrites an awareness update received from one connection. Entries for client ids owned by
 * anybody else are dropped, so a connection can neither set nor remove someone else's presence.
 * An unowned client id becomes the sender's when it sets a state (up to `maxClientIds`); a
 * removal (null state) is kept only for ids the sender owns. Every kept state gets the
 * server's `user`.
 *
 * The number of entries is not limited as such (issue 12, item 1): an unmodified y-websocket
 * provider re-sends every presence change it receives, everybody's, so in a workshop of 50 it
 * sends 50 entries at a time. What is bounded is the work: dropped entries are skipped without
 * reading their state, at most `maxClientIds` entries are kept and parsed, each within
 * `maxStateBytes`, and the whole update is bounded by the frame size. Throws `ProtocolError`
 * for a malformed update or an oversized state of the sender's own.
 */
export function rewriteAwarenessUpdate(
  update: Uint8Array,
  context: PresenceContext,
): RewrittenAwareness {
  const decoder = decoding.createDecoder(update)
  const count = readUint(decoder)
  if (count > (update.byteLength - decoder.pos) / MIN_ENTRY_BYTES) {
    throw new ProtocolError(`awareness update claims ${count} entries`)
  }
  const kept: { clientId: number; clock: number; state: Record<string, unknown> | null }[] = []
  const claimed: number[] = []
  let refused = 0
  let echoed = 0
  for (let i = 0; i < count; i++) {
    const clientId = readUint(decoder)
    const clock = readUint(decoder)
    const length = readUint(decoder)
    if (length > decoder.arr.length - decoder.pos) {
      throw new ProtocolError('length beyond the end of the frame')
    }
    const start = decoder.pos
    decoder.pos += length
    const isRemoval = length === 4 && isNullBytes(decoder.arr, start)
    const owner = context.owners.get(clientId)
    if (owner !== undefined && owner !== context.owner) {
      refused++
      const known = context.clockOf?.(clientId)
      if (known !== undefined && clock <= known) {
        echoed++
      }
      continue
    }
    if (owner === undefined) {
      if (isRemoval) {
        // Nobody holds this id: the removal of someone who left, repeated by a stock provider.
        refused++
        echoed++
        continue
      }
      if (
        context.clientIds.size >= context.maxClientIds ||
        clientId > 0xffffffff ||
        kept.length >= context.maxClientIds
      ) {
        refused++
        continue
      }
    } else if (kept.length >= context.maxClientIds) {
      // One's own ids repeated in one update: the work stays bounded by what one may own.
      refused++
      continue
    }
    if (length > context.maxStateBytes) {
      throw new ProtocolError(`awareness state of ${length} bytes`)
    }
    const state = isRemoval ? null : parseState(decodeUtf8(decoder.arr, start, length))
    if (owner === undefined) {
      if (state === null) {
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
  return { update: kept.length === 0 ? null : encodeEntries(kept), claimed, refused, echoed }
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

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Uint8Array, start: number, length: number): string {
  try {
    return utf8.decode(bytes.subarray(start, start + length))
  } catch {
    throw new ProtocolError('invalid UTF-8')
  }
}

// `null`, the JSON of a removed state.
function isNullBytes(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x6e && bytes[at + 1] === 0x75 && bytes[at + 2] === 0x6c && bytes[at + 3] === 0x6c
  )
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
