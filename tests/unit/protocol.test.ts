import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as authProtocol from 'y-protocols/auth'
import { CloseCodes, isFinalCloseCode } from '../../shared/collab/close-codes'
import {
  decodeSaveCheckpoint,
  encodeSaveCheckpoint,
  MAX_CHECKPOINT_ID,
  MessageType,
} from '../../shared/collab/messages'
import { PRESENCE_COLORS, presenceColor } from '../../shared/collab/presence'
import {
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSaveCheckpointAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isWrite,
  ProtocolError,
} from '../../server/collab/protocol'

// Frames as an unmodified y-websocket client writes them, with y-protocols itself.
function clientFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

describe('decoding client frames', () => {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, 'national strategy')
  const update = Y.encodeStateAsUpdate(doc)

  it('reads every message y-websocket sends', () => {
    const step1 = clientFrame((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      syncProtocol.writeSyncStep1(e, doc)
    })
    const step2 = clientFrame((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      syncProtocol.writeSyncStep2(e, doc)
    })
    const updateFrame = clientFrame((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      syncProtocol.writeUpdate(e, update)
    })
    const awareness = new awarenessProtocol.Awareness(doc)
    awareness.setLocalState({ cursor: null })
    const awarenessFrame = clientFrame((e) => {
      encoding.writeVarUint(e, MessageType.Awareness)
      encoding.writeVarUint8Array(
        e,
        awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
      )
    })
    awareness.destroy()

    expect(decodeClientMessage(step1)).toEqual({
      kind: 'sync-step-1',
      stateVector: Y.encodeStateVector(doc),
    })
    expect(decodeClientMessage(step2)).toEqual({ kind: 'sync-step-2', update })
    expect(decodeClientMessage(updateFrame)).toEqual({ kind: 'update', update })
    expect(decodeClientMessage(awarenessFrame).kind).toBe('awareness')
    expect(decodeClientMessage(new Uint8Array([MessageType.QueryAwareness]))).toEqual({
      kind: 'query-awareness',
    })
    expect(decodeClientMessage(encodeSaveCheckpoint(42))).toEqual({
      kind: 'save-checkpoint',
      id: 42,
    })
    expect(isWrite(decodeClientMessage(step2))).toBe(true)
    expect(isWrite(decodeClientMessage(updateFrame))).toBe(true)
    expect(isWrite(decodeClientMessage(step1))).toBe(false)
  })

  it('refuses truncated, overlong, unknown and trailing input with ProtocolError', () => {
    const good = encodeUpdate(update)
    for (let cut = 0; cut < good.length; cut++) {
      expect(() => decodeClientMessage(good.slice(0, cut)), `cut at ${cut}`).toThrow(ProtocolError)
    }
    expect(() => decodeClientMessage(new Uint8Array([...good, 0]))).toThrow(ProtocolError)
    expect(() => decodeClientMessage(new Uint8Array([0, 3, 0]))).toThrow(/unknown sync message/)
    expect(() => decodeClientMessage(new Uint8Array([9]))).toThrow(/unknown message type/)
    expect(() =>
      decodeClientMessage(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    ).toThrow(ProtocolError)
    expect(() =>
      decodeClientMessage(
        encodeSaveCheckpoint(MAX_CHECKPOINT_ID).map((b, i, a) => (i === a.length - 1 ? b + 1 : b)),
      ),
    ).toThrow(ProtocolError)
  })

  it('never reads past the frame into the rest of a pooled buffer', () => {
    // `ws` hands out frames that are views into larger buffers; a length that points past the
    // frame must fail, not read the neighbouring bytes.
    const pool = new Uint8Array(64).fill(7)
    pool.set([0, 2, 40, 1, 2, 3], 10)
    const frame = new Uint8Array(pool.buffer, 10, 6)
    expect(() => decodeClientMessage(frame)).toThrow(/beyond the end/)
    // And what it returns owns its bytes.
    const ok = new Uint8Array(pool.buffer, 20, 5)
    ok.set([0, 2, 2, 0, 0])
    const message = decodeClientMessage(ok)
    pool.fill(9)
    expect(message).toEqual({ kind: 'update', update: new Uint8Array([0, 0]) })
  })
})

describe('encoding server frames', () => {
  it('writes frames an unmodified y-websocket client reads', () => {
    const server = new Y.Doc()
    server.getText('t').insert(0, 'from the server')
    const client = new Y.Doc()
    const read = (frame: Uint8Array) => {
      const decoder = decoding.createDecoder(frame)
      expect(decoding.readVarUint(decoder)).toBe(MessageType.Sync)
      const reply = encoding.createEncoder()
      return {
        type: syncProtocol.readSyncMessage(decoder, reply, client, 'test'),
        reply: encoding.toUint8Array(reply),
      }
    }
    const step1 = read(encodeSyncStep1(Y.encodeStateVector(server)))
    expect(step1.type).toBe(syncProtocol.messageYjsSyncStep1)
    expect(read(encodeSyncStep2(Y.encodeStateAsUpdate(server))).type).toBe(
      syncProtocol.messageYjsSyncStep2,
    )
    expect(client.getText('t').toString()).toBe('from the server')
    server.getText('t').insert(0, '> ')
    expect(
      read(encodeUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)))).type,
    ).toBe(syncProtocol.messageYjsUpdate)
    expect(client.getText('t').toString()).toBe('> from the server')

    const awareness = new awarenessProtocol.Awareness(new Y.Doc())
    const other = new awarenessProtocol.Awareness(new Y.Doc())
    other.setLocalState({ user: { name: 'Ana' } })
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]))
    const decoder = decoding.createDecoder(frame)
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Awareness)
    awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'test')
    expect(awareness.getStates().get(other.clientID)).toEqual({ user: { name: 'Ana' } })
    awareness.destroy()
    other.destroy()

    const denied = decoding.createDecoder(encodePermissionDenied('read-only'))
    expect(decoding.readVarUint(denied)).toBe(MessageType.Auth)
    let reason = ''
    authProtocol.readAuthMessage(denied, new Y.Doc(), (_doc, why) => (reason = why))
    expect(reason).toBe('read-only')
    expect(decodeSaveCheckpoint(encodeSaveCheckpointAck(9))).toBe(9)
  })
})

describe('shared collaboration constants', () => {
  it('save checkpoints round-trip and refuse anything else', () => {
    expect(decodeSaveCheckpoint(encodeSaveCheckpoint(0))).toBe(0)
    expect(decodeSaveCheckpoint(encodeSaveCheckpoint(MAX_CHECKPOINT_ID))).toBe(MAX_CHECKPOINT_ID)
    expect(decodeSaveCheckpoint(new Uint8Array([MessageType.Sync, 0, 0]))).toBeUndefined()
    expect(decodeSaveCheckpoint(new Uint8Array([100]))).toBeUndefined()
    expect(decodeSaveCheckpoint(new Uint8Array([100, 1, 0]))).toBeUndefined()
    expect(() => encodeSaveCheckpoint(-1)).toThrow(RangeError)
    expect(() => encodeSaveCheckpoint(1.5)).toThrow(RangeError)
  })

  it('close codes follow y-websocket: 44xx are final, the others reconnect', () => {
    expect(isFinalCloseCode(CloseCodes.Unauthenticated)).toBe(true)
    expect(isFinalCloseCode(CloseCodes.DocumentNotFound)).toBe(true)
    expect(isFinalCloseCode(CloseCodes.SchemaOutdated)).toBe(true)
    expect(isFinalCloseCode(CloseCodes.PermissionsChanged)).toBe(false)
    expect(isFinalCloseCode(CloseCodes.ShuttingDown)).toBe(false)
    expect(isFinalCloseCode(CloseCodes.InternalError)).toBe(false)
    expect(new Set(Object.values(CloseCodes)).size).toBe(Object.values(CloseCodes).length)
  })

  it('gives each account a stable presence colour from the palette', () => {
    const ids = Array.from(
      { length: 200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    )
    const colors = ids.map(presenceColor)
    expect(colors.every((c) => (PRESENCE_COLORS as readonly string[]).includes(c))).toBe(true)
    expect(ids.map(presenceColor)).toEqual(colors)
    expect(new Set(colors).size).toBe(PRESENCE_COLORS.length)
  })
})
