import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The first varuint of every message on the collaboration socket. 0–3 are y-websocket's and
 * mean the same as there, so an unmodified `WebsocketProvider` works. `SaveCheckpoint` is
 * Concord's own and is only ever sent to a client that sent one first, because y-websocket
 * logs an error for message types it does not know.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * A client sends `[SaveCheckpoint, id]` after its edits; the server answers with the same
   * message once every change that connection sent before it is committed to PostgreSQL. This
   * is what makes the editor's "saved" indicator truthful (issue 3, item 5): the answer comes
   * only after the commit. A read-only connection's checkpoints are never answered, because
   * its changes are never stored.
   */
  SaveCheckpoint: 100,
} as const

/** The largest checkpoint id; clients count up from 1 and wrap. */
export const MAX_CHECKPOINT_ID = 2 ** 31 - 1

/** Encodes a save checkpoint message with the given id (an integer from 0 to `MAX_CHECKPOINT_ID`). */
export function encodeSaveCheckpoint(id: number): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || id > MAX_CHECKPOINT_ID) {
    throw new RangeError(`A checkpoint id is an integer from 0 to ${MAX_CHECKPOINT_ID}`)
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SaveCheckpoint)
  encoding.writeVarUint(encoder, id)
  return encoding.toUint8Array(encoder)
}

/**
 * Reads a save checkpoint message and returns its id, or undefined when the bytes are not a
 * well-formed checkpoint (another message type, a truncated or overlong message).
 */
export function decodeSaveCheckpoint(message: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== MessageType.SaveCheckpoint) {
      return undefined
    }
    const id = decoding.readVarUint(decoder)
    return decoding.hasContent(decoder) || id > MAX_CHECKPOINT_ID ? undefined : id
  } catch {
    return undefined
  }
}
