import * as encoding from 'lib0/encoding'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { INLINE_CHECK_MAX_BYTES, UpdateChecker } from '../../server/collab/update-check'

const log = pino({ level: 'silent' })
const checkers: UpdateChecker[] = []
afterEach(async () => {
  for (const checker of checkers.splice(0)) {
    await checker.close()
  }
})

function checker(options: Partial<ConstructorParameters<typeof UpdateChecker>[0]> = {}) {
  const made = new UpdateChecker({
    maxStructs: 10_000,
    timeoutMs: 5_000,
    memoryMb: 64,
    log,
    ...options,
  })
  checkers.push(made)
  return made
}

function textUpdate(structs: number): Uint8Array {
  const doc = new Y.Doc()
  for (let i = 0; i < structs; i++) {
    doc.getText('t').insert(0, 'ab'[i % 2]!)
  }
  return Y.encodeStateAsUpdate(doc)
}

// yjs#687: a few bytes that claim an enormous number of structs.
function bomb(structs: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, structs)
  encoding.writeVarUint(encoder, 7)
  encoding.writeVarUint(encoder, 0)
  encoding.writeUint8(encoder, 0)
  encoding.writeVarUint(encoder, 1)
  return encoding.toUint8Array(encoder)
}

function truncated(update: Uint8Array): Uint8Array {
  return update.slice(0, update.length - 3)
}

// A small deterministic generator (mulberry32), so a failure can be replayed.
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('the bounded update decoder', () => {
  it('accepts real updates and counts their structs', async () => {
    const check = await checker().check(textUpdate(100))
    expect(check).toEqual({ ok: true, structs: 100 })
  })

  it('refuses struct-count bombs, undecodable bytes and too many structs, in order, without stopping', async () => {
    const c = checker({ maxStructs: 500 })
    const results = await Promise.all([
      c.check(bomb(2 ** 31)),
      c.check(bomb(2 ** 52)),
      c.check(new Uint8Array([1, 2, 3, 4, 5])),
      c.check(textUpdate(600)),
      c.check(textUpdate(10)),
    ])
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false, true])
    expect(results[3]).toMatchObject({ ok: false, tooLarge: true })
  })

  it('checks small updates on the calling thread and large ones in the worker, with the same verdicts', async () => {
    const inline = checker()
    const inWorker = checker({ inlineMaxBytes: 0 })
    const small = textUpdate(5)
    const large = textUpdate(3_000)
    expect(small.byteLength).toBeLessThanOrEqual(INLINE_CHECK_MAX_BYTES)
    expect(large.byteLength).toBeGreaterThan(INLINE_CHECK_MAX_BYTES)
    const inputs = [
      small,
      bomb(2 ** 31),
      bomb(2 ** 52),
      new Uint8Array([1, 2, 3, 4, 5]),
      truncated(small),
    ]
    const here = await Promise.all(inputs.map((update) => inline.check(update)))
    expect(inline.counts).toEqual({ inline: inputs.length, worker: 0 })
    expect(await inline.check(large)).toEqual({ ok: true, structs: 3_000 })
    expect(inline.counts).toEqual({ inline: inputs.length, worker: 1 })
    const there = await Promise.all(inputs.map((update) => inWorker.check(update)))
    expect(inWorker.counts).toEqual({ inline: 0, worker: inputs.length })
    expect(here).toEqual(there)
    expect(here.map((check) => check.ok)).toEqual([true, false, false, false, false])
  })

  it('gets through hostile updates of the largest size it decodes on the calling thread', async () => {
    // yjs#687 on the server's own thread would freeze every room: this test would time out.
    const c = checker()
    const random = seeded(687)
    const base = textUpdate(300)
    const hostile: Uint8Array[] = []
    for (let i = 0; i < 1_500; i++) {
      const kind = i % 3
      if (kind === 0) {
        // Random bytes behind a plausible header: one client claiming a huge struct count.
        const bytes = new Uint8Array(1 + Math.floor(random() * INLINE_CHECK_MAX_BYTES))
        bytes.forEach((_, j) => (bytes[j] = Math.floor(random() * 256)))
        bytes.set(bomb(2 ** 31 + i).subarray(0, Math.min(bytes.length, 8)))
        hostile.push(bytes)
      } else if (kind === 1) {
        // A real update with a few bytes flipped.
        const bytes = base.slice()
        for (let flips = 0; flips < 4; flips++) {
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256)
        }
        hostile.push(bytes)
      } else {
        // Many client blocks, each claiming billions of structs, filling the whole size.
        const encoder = encoding.createEncoder()
        const blocks = 400
        encoding.writeVarUint(encoder, blocks)
        for (let b = 0; b < blocks; b++) {
          encoding.writeVarUint(encoder, 2 ** 32 - 1 - b)
          encoding.writeVarUint(encoder, b + 1)
          encoding.writeVarUint(encoder, 0)
          encoding.writeUint8(encoder, [0, 10, 4, 8][b % 4]!)
          encoding.writeVarUint(encoder, 2 ** 40)
        }
        hostile.push(encoding.toUint8Array(encoder).subarray(0, INLINE_CHECK_MAX_BYTES))
      }
    }
    const checks = await Promise.all(hostile.map((update) => c.check(update)))
    expect(c.counts.worker).toBe(0)
    expect(checks.filter((check) => check.ok).length).toBeLessThan(hostile.length)
    // The checker still decodes a good update afterwards.
    expect(await c.check(textUpdate(7))).toEqual({ ok: true, structs: 7 })
  })

  it('gives up on an update after the time bound, replaces the worker and goes on', async () => {
    const c = checker({ timeoutMs: 1 })
    const slow = await c.check(textUpdate(8_000))
    expect(slow).toMatchObject({ ok: false, tooLarge: true })
    expect(slow.ok === false && slow.reason).toMatch(/longer than 1 ms/)
    const fast = checker({ timeoutMs: 5_000 })
    expect(await fast.check(textUpdate(5))).toEqual({ ok: true, structs: 5 })
  })

  it('refuses an update that needs more memory than the worker may use', async () => {
    const c = checker({ memoryMb: 16, maxStructs: 10_000_000 })
    const doc = new Y.Doc()
    const map = doc.getMap('m')
    doc.transact(() => {
      for (let i = 0; i < 300_000; i++) {
        map.set(`k${i}`, i)
      }
    })
    const result = await c.check(Y.encodeStateAsUpdate(doc))
    expect(result).toMatchObject({ ok: false })
    expect(result.ok === false && result.reason).toMatch(/within 16 MB/)
    expect(await c.check(textUpdate(3))).toEqual({ ok: true, structs: 3 })
  })
})
