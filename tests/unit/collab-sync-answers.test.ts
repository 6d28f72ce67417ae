import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Bucket, FlowBudgets } from '../../server/collab/flow'
import { ProtocolError } from '../../server/collab/protocol'
import { SyncAnswers } from '../../server/collab/sync-answers'
import { COLLAB_LIMITS } from '../../shared/collab/limits'

/** Applies answer frames (`[Sync, SyncStep2 | Update, update]`) to a document. */
function apply(doc: Y.Doc, frames: Uint8Array[]): void {
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    expect(decoding.readVarUint(decoder)).toBe(0)
    expect([1, 2]).toContain(decoding.readVarUint(decoder))
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
  }
}

function documentWith(text: string): Y.Doc {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return doc
}

describe('sync answers encoded once per document state', () => {
  it('answers the whole document from one encoding and the changes since', () => {
    const doc = documentWith('national strategy '.repeat(500))
    const answers = new SyncAnswers(doc, 10)
    const empty = Y.encodeStateVector(new Y.Doc())
    const first = answers.answer(empty)
    expect(answers.answer(empty)[0]).toBe(first[0])
    expect(answers.counts).toEqual({ encoded: 1, cached: 1 })
    for (let i = 0; i < 20; i++) {
      doc.getText('t').insert(0, `${i} `)
    }
    doc.getText('t').delete(3, 4)
    const later = answers.answer(empty)
    // The first encoding with the changes since, merged: nothing encoded again.
    expect(later).toHaveLength(2)
    expect(later[0]).toBe(first[0])
    expect(answers.counts.encoded).toBe(1)
    const fresh = new Y.Doc()
    apply(fresh, later)
    expect(fresh.getText('t').toString()).toBe(doc.getText('t').toString())
    // A state vector that names only unknown clients asks for the same as an empty one.
    const stranger = new Y.Doc()
    stranger.getText('t').insert(0, 'x')
    expect(answers.answer(Y.encodeStateVector(stranger))[1]).toBe(later[1])
  })

  it('answers the whole document from the stored state it was loaded from', () => {
    const stored = Y.encodeStateAsUpdate(documentWith('loaded from the log '.repeat(100)))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, stored)
    const answers = new SyncAnswers(doc, 10)
    answers.seedWhole(stored)
    doc.getText('t').insert(0, '> ')
    const fresh = new Y.Doc()
    apply(fresh, answers.answer(new Uint8Array([0])))
    expect(fresh.getText('t').toString()).toBe(`> ${'loaded from the log '.repeat(100)}`)
    expect(answers.counts.encoded).toBe(0)
  })

  it('shares the answer of equivalent state vectors until the document changes', () => {
    const doc = documentWith('one')
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    doc.getText('t').insert(3, ' two')
    const answers = new SyncAnswers(doc, 10)
    // The client's own unknown id changes nothing of what it lacks.
    const behind = Y.encodeStateVector(client)
    client.getText('t').insert(0, '>')
    const behindWithOwn = Y.encodeStateVector(client)
    const answer = answers.answer(behind)
    expect(answers.answer(behindWithOwn)).toBe(answer)
    apply(client, answer)
    expect(client.getText('t').toString()).toBe('>one two')
    doc.getText('t').insert(0, 'zero ')
    expect(answers.answer(behind)).not.toBe(answer)
    expect(answers.counts).toEqual({ encoded: 2, cached: 1 })
  })

  it('refuses malformed state vectors and too many unknown client ids', () => {
    const answers = new SyncAnswers(documentWith('a'), 3)
    const many = new Y.Doc()
    for (let i = 0; i < 5; i++) {
      many.clientID = 100 + i
      many.getText('t').insert(0, 'x')
    }
    for (const bad of [
      new Uint8Array([5, 1]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
      new Uint8Array([1, 1, 1, 0]),
      Y.encodeStateVector(many),
    ]) {
      expect(() => answers.answer(bad)).toThrow(ProtocolError)
    }
  })
})

describe('budgets of frames and bytes a second', () => {
  it('refills at its rate up to its capacity', () => {
    const bucket = new Bucket(10, 20, 0)
    expect(bucket.take(20, 0)).toBe(true)
    expect(bucket.take(1, 0)).toBe(false)
    expect(bucket.take(5, 500)).toBe(true)
    expect(bucket.take(1, 500)).toBe(false)
    expect(bucket.isFull(10_000)).toBe(true)
  })

  it('shares a user’s and an address’s budget across connections, and keeps it after they close', () => {
    let now = 0
    const limits = {
      ...COLLAB_LIMITS,
      maxFramesPerSecondPerConnection: 10,
      maxFramesPerSecondPerUser: 15,
      budgetBurstSeconds: 1,
    }
    const budgets = new FlowBudgets(limits, () => now)
    const a = budgets.open('ana', '10.0.0.1')
    for (let i = 0; i < 10; i++) {
      expect(a.takeFrame(10)).toBeUndefined()
    }
    expect(a.takeFrame(10)).toBe('connection')
    a.release()
    // Reconnecting gives a new connection budget, not a new user budget.
    const b = budgets.open('ana', '10.0.0.1')
    for (let i = 0; i < 5; i++) {
      expect(b.takeFrame(10)).toBeUndefined()
    }
    expect(b.takeFrame(10)).toBe('user')
    const other = budgets.open('bruno', '10.0.0.1')
    expect(other.takeFrame(10)).toBeUndefined()
    now = 5_000
    expect(b.takeFrame(10)).toBeUndefined()
    now = 10_000
    b.release()
    other.release()
    expect(budgets.size()).toBe(0)
  })
})
