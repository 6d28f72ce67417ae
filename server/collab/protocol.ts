import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MAX_CHECKPOINT_ID, MessageType } from '../../shared/collab/messages'

// y-websocket frames (y-protocols/sync and /awareness), decoded defensively: every length is
// checked against the frame before it is read, because lib0 reads a Uint8Array view over the
// whole underlying ArrayBuffer and `ws` hands out slices of pooled buffers, so an overlong
// length would read other connections' bytes instead of failing.

const SyncStep1 = 0
const SyncStep2 = 1
const SyncUpdate = 2
const AuthPermissionDenied = 0

/** A message a client sent, decoded. Bytes are copies that own their memory. */
export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'auth' }
  | { kind: 'save-checkpoint'; id: number }

/** A message that carries a change to the document. */
export type WriteMessage = Extract<ClientMessage, { kind: 'sync-step-2' | 'update' }>

/** A frame that is not a well-formed y-websocket message. */
export class ProtocolError extends Error {}

/** Tells whether a message carries a change to the document (both kinds do: issue 3, item 4). */
export function isWrite(message: ClientMessage): message is WriteMessage {
  return message.kind === 'sync-step-2' || message.kind === 'update'
}

/**
 * Decodes one frame into a message, or throws `ProtocolError`. A frame holds exactly one
 * message; trailing bytes are an error, so nothing is silently ignored.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame)
  const type = readUint(decoder)
  let message: ClientMessage
  switch (type) {
    case MessageType.Sync: {
      const step = readUint(decoder)
      const payload = readBytes(decoder)
      if (step === SyncStep1) {
        message = { kind: 'sync-step-1', stateVector: payload }
      } else if (step === SyncStep2) {
        message = { kind: 'sync-step-2', update: payload }
      } else if (step === SyncUpdate) {
        message = { kind: 'update', update: payload }
      } else {
        throw new ProtocolError(`unknown sync message ${step}`)
      }
      break
    }
    case MessageType.Awareness:
      message = { kind: 'awareness', update: readBytes(decoder) }
      break
    case MessageType.QueryAwareness:
      message = { kind: 'query-awareness' }
      break
    case MessageType.Auth:
      // Clients have nothing to say in the auth protocol; read it fully and ignore it.
      readUint(decoder)
      readString(decoder)
      message = { kind: 'auth' }
      break
    case MessageType.SaveCheckpoint: {
      const id = readUint(decoder)
      if (id > MAX_CHECKPOINT_ID) {
        throw new ProtocolError('checkpoint id out of range')
      }
      message = { kind: 'save-checkpoint', id }
      break
    }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError('trailing bytes after the message')
  }
  return message
}

/**
 * The number of client ids whose structs a Yjs v1 update carries: its first number, read
 * without decoding anything else, so that an update naming too many is refused before it is
 * decoded (issue 12, item 2). Yjs writes each client id once; an update that repeats one has
 * fewer distinct ids than this, never more. Throws `ProtocolError` when there is no number.
 */
export function updateClientCount(update: Uint8Array): number {
  return readUint(decoding.createDecoder(update))
}

/** Reads a varuint, turning lib0's errors (end of frame, over 2^53) into `ProtocolError`. */
export function readUint(decoder: decoding.Decoder): number {
  try {
    return decoding.readVarUint(decoder)
  } catch {
    throw new ProtocolError('truncated or overlong number')
  }
}

/** Reads a length-prefixed byte array as a copy, checking the length against the frame. */
export function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = readUint(decoder)
  if (length > decoder.arr.length - decoder.pos) {
    throw new ProtocolError('length beyond the end of the frame')
  }
  const bytes = decoder.arr.slice(decoder.pos, decoder.pos + length)
  decoder.pos += length
  return bytes
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Reads a length-prefixed UTF-8 string, checking the length and the encoding. */
export function readString(decoder: decoding.Decoder): string {
  const bytes = readBytes(decoder)
  try {
    return utf8.decode(bytes)
  } catch {
    throw new ProtocolError('invalid UTF-8')
  }
}

/** `[Sync, SyncStep1, stateVector]`: asks the peer for what the server lacks. */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SyncStep1, stateVector)
}

/** `[Sync, SyncStep2, update]`: the answer to a peer's step 1. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SyncStep2, update)
}

/** `[Sync, Update, update]`: a change relayed to peers. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SyncUpdate, update)
}

/** `[Awareness, update]`: presence states. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * `[Auth, PermissionDenied, reason]`: y-websocket's standard way to say a change was refused.
 * An unmodified provider logs the reason; Concord's client shows the document as read-only.
 */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Auth)
  encoding.writeVarUint(encoder, AuthPermissionDenied)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}

/** `[SaveCheckpoint, id]`: everything the connection sent before checkpoint `id` is committed. */
export function encodeSaveCheckpointAck(id: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SaveCheckpoint)
  encoding.writeVarUint(encoder, id)
  return encoding.toUint8Array(encoder)
}

function encodeSync(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
