import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyAwarenessUpdate, Awareness } from 'y-protocols/awareness'
import { ProtocolError } from '../../server/collab/protocol'
import {
  restampPresence,
  rewriteAwarenessUpdate,
  type PresenceContext,
} from '../../server/collab/presence'

const identity = { name: 'Ana Pérez', color: '#1f5fa8', stakeholderGroup: 'academia' }

function update(entries: [clientId: number, clock: number, state: unknown][]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, typeof state === 'string' ? state : JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}

function entries(bytes: Uint8Array | null): [number, number, unknown][] {
  if (!bytes) {
    return []
  }
  const decoder = decoding.createDecoder(bytes)
  const count = decoding.readVarUint(decoder)
  return Array.from({ length: count }, () => [
    decoding.readVarUint(decoder),
    decoding.readVarUint(decoder),
    JSON.parse(decoding.readVarString(decoder)),
  ])
}

function context(overrides: Partial<PresenceContext> = {}): PresenceContext {
  const owner = {}
  return {
    identity,
    clientIds: new Set(),
    owners: new Map(),
    owner,
    maxClientIds: 2,
    maxStateBytes: 1024,
    ...overrides,
  }
}

describe('rewriting presence', () => {
  it('claims a new client id and forces the server identity into the state', () => {
    const ctx = context()
    const result = rewriteAwarenessUpdate(
      update([[11, 1, { user: { name: 'The Minister', color: '#000' }, cursor: { a: 1 } }]]),
      ctx,
    )
    expect(entries(result.update)).toEqual([[11, 1, { user: identity, cursor: { a: 1 } }]])
    expect(result.claimed).toEqual([11])
    expect(ctx.owners.get(11)).toBe(ctx.owner)
  })

  it('drops entries for client ids owned by somebody else, including removals', () => {
    const someoneElse = {}
    const ctx = context({ owners: new Map([[22, someoneElse]]) })
    const result = rewriteAwarenessUpdate(
      update([
        [22, 9, { cursor: 1 }],
        [22, 10, null],
        [11, 1, {}],
      ]),
      ctx,
    )
    expect(entries(result.update)).toEqual([[11, 1, { user: identity }]])
    expect(result.refused).toBe(2)
  })

  it('keeps removals only for owned ids, and caps how many ids a connection may own', () => {
    const ctx = context()
    rewriteAwarenessUpdate(
      update([
        [1, 1, {}],
        [2, 1, {}],
      ]),
      ctx,
    )
    const third = rewriteAwarenessUpdate(
      update([
        [3, 1, {}],
        [1, 2, null],
        [4, 1, null],
      ]),
      ctx,
    )
    expect(entries(third.update)).toEqual([[1, 2, null]])
    expect(third.refused).toBe(2)
    expect([...ctx.clientIds]).toEqual([1, 2])
  })

  it('takes a stock provider’s re-sent presence of a whole room: skips the others, keeps its own', () => {
    const others = new Map<number, object>(Array.from({ length: 60 }, (_, i) => [100 + i, {}]))
    const ctx = context({ owners: new Map(others), clockOf: () => 5 })
    const result = rewriteAwarenessUpdate(
      update([
        // Others' states as the room sent them (an echo), one with a clock the room never had,
        // a state too big to be anyone's (skipped unread) and the removal of someone who left.
        ...[...others.keys()].map((id): [number, number, unknown] => [id, 5, { cursor: id }]),
        [100, 6, { cursor: 'taken over' }],
        [101, 5, { big: 'x'.repeat(4000) }],
        [999, 3, null],
        [11, 1, { cursor: 1 }],
      ]),
      ctx,
    )
    expect(entries(result.update)).toEqual([[11, 1, { user: identity, cursor: 1 }]])
    expect(result.refused).toBe(63)
    expect(result.refused - result.echoed).toBe(1)
  })

  it('bounds the work of one update by what the connection may own', () => {
    const ctx = context({ owners: new Map([[1, {}]]) })
    ctx.owners.set(1, ctx.owner)
    ctx.clientIds.add(1)
    const result = rewriteAwarenessUpdate(
      update(Array.from({ length: 500 }, (_, i): [number, number, unknown] => [1, i + 1, {}])),
      ctx,
    )
    expect(entries(result.update)).toHaveLength(2)
    expect(result.refused).toBe(498)
    // A count the bytes cannot hold is refused before anything is read.
    expect(() => rewriteAwarenessUpdate(new Uint8Array([0xff, 0xff, 0x03, 1, 1, 0]), ctx)).toThrow(
      ProtocolError,
    )
  })

  it('refuses malformed and oversized updates', () => {
    for (const bad of [
      update([[1, 1, 'not json']]),
      update([[1, 1, '[1,2]']]),
      update([[1, 1, '42']]),
      update([[1, 1, { big: 'x'.repeat(2000) }]]),
      new Uint8Array([1, 1]),
      new Uint8Array([40]),
      new Uint8Array([...update([[1, 1, {}]]), 0]),
    ]) {
      expect(() => rewriteAwarenessUpdate(bad, context())).toThrow(ProtocolError)
    }
  })

  it('restamps the current states with a higher clock after a membership change', () => {
    const awareness = new Awareness(new Y.Doc())
    const ctx = context()
    const { update: first } = rewriteAwarenessUpdate(update([[5, 3, { cursor: 7 }]]), ctx)
    applyAwarenessUpdate(awareness, first!, 'test')
    restampPresence(awareness, [5], { ...identity, stakeholderGroup: 'government' }, 'test')
    expect(awareness.getStates().get(5)).toEqual({
      cursor: 7,
      user: { ...identity, stakeholderGroup: 'government' },
    })
    expect(awareness.meta.get(5)?.clock).toBe(4)
    awareness.destroy()
  })
})
