import * as encoding from 'lib0/encoding'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { UpdateChecker } from '../../server/collab/update-check'

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
