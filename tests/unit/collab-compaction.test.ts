import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MergeWorker } from '../../server/collab/compaction'

const workers: MergeWorker[] = []
afterEach(async () => {
  for (const worker of workers.splice(0)) {
    await worker.close()
  }
})

function mergeWorker() {
  const made = new MergeWorker(256)
  workers.push(made)
  return made
}

// A log as a room stores it: one small update per edit, from several clients.
function log(edits: number): Uint8Array[] {
  const docs = Array.from({ length: 5 }, () => new Y.Doc())
  const updates: Uint8Array[] = []
  for (const doc of docs) {
    doc.on('update', (update: Uint8Array) => updates.push(update))
  }
  for (let i = 0; i < edits; i++) {
    const doc = docs[i % docs.length]!
    for (const update of updates.splice(0)) {
      for (const other of docs) {
        Y.applyUpdate(other, update, 'peer')
      }
      updates.length = 0
    }
    doc.getText('t').insert(i % 7, `edit ${i} `)
  }
  const all: Uint8Array[] = []
  const replay = new Y.Doc()
  replay.on('update', (update: Uint8Array) => all.push(update))
  for (const doc of docs) {
    Y.applyUpdate(replay, Y.encodeStateAsUpdate(doc))
  }
  return all
}

describe('compaction merge worker', () => {
  it('merges a log into the same state as Y.mergeUpdates on the main thread', async () => {
    const updates = log(300)
    const merged = await mergeWorker().merge(updates)
    const expected = new Y.Doc()
    Y.applyUpdate(expected, Y.mergeUpdates(updates))
    const actual = new Y.Doc()
    Y.applyUpdate(actual, merged)
    expect(actual.getText('t').toString()).toBe(expected.getText('t').toString())
    expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected))
  })

  it('rejects a merge that fails and goes on merging afterwards', async () => {
    const worker = mergeWorker()
    await expect(worker.merge([new Uint8Array([1]), new Uint8Array([1])])).rejects.toThrow(
      /merge failed/,
    )
    const updates = log(20)
    const merged = await worker.merge(updates)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, merged)
    expect(doc.getText('t').length).toBeGreaterThan(0)
  })

  it('refuses merges once closed', async () => {
    const worker = mergeWorker()
    await worker.close()
    await expect(worker.merge(log(2))).rejects.toThrow(/closed/)
  })
})
