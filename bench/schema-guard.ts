/**
 * The cost of the server's schema guard (issue 12, items 3 and 9).
 *
 *   npx tsx bench/schema-guard.ts [--paragraphs 5000] [--keystrokes 2000]
 *
 * Builds a room's document of `--paragraphs` paragraphs (a 300-page strategy at 5,000), then
 * replays `--keystrokes` single-character updates typed into its middle, as a client sends
 * them, twice: once as the room handled them before the guard (the bounded decode, then the
 * apply to the room's document), once with `checkSchema` in between. It prints the time per keystroke of both
 * and their ratio, then the time the guard takes to refuse the attack of the issue (one update
 * of 1,000 nested blockquotes) and to accept a whole document resent by a reconnecting client.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { checkUpdate } from '../server/collab/check-update.mjs'
import { checkSchema } from '../server/collab/schema-guard'

const { values } = parseArgs({
  options: {
    paragraphs: { type: 'string', default: '5000' },
    keystrokes: { type: 'string', default: '2000' },
  },
})
const paragraphs = Number(values.paragraphs)
const keystrokes = Number(values.keystrokes)

function documentState(): Uint8Array {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('prosemirror')
  doc.transact(() => {
    for (let i = 0; i < paragraphs; i++) {
      const element = new Y.XmlElement(i % 20 === 0 ? 'heading' : 'paragraph')
      if (i % 20 === 0) {
        element.setAttribute('level', 2 as unknown as string)
      }
      fragment.insert(i, [element])
      const text = new Y.XmlText()
      element.insert(0, [text])
      text.insert(0, `Paragraph ${i} of the national cybersecurity strategy, `)
      text.insert(text.length, 'with a link', {
        link: { href: 'https://gob.example/', title: null },
      })
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

function typedUpdates(state: Uint8Array): Uint8Array[] {
  const client = new Y.Doc()
  Y.applyUpdate(client, state)
  const element = client
    .getXmlFragment('prosemirror')
    .get(Math.floor(paragraphs / 2)) as Y.XmlElement
  const text = element.get(0) as Y.XmlText
  const updates: Uint8Array[] = []
  client.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < keystrokes; i++) {
    text.insert(10 + i, 'k')
  }
  return updates
}

// The room's path per update: the bounded decode (update-check.ts, inline for small updates),
// then the schema guard when `guard`, then the apply. PostgreSQL's commit comes on top.
function timePerUpdate(state: Uint8Array, updates: Uint8Array[], guard: boolean): number {
  const room = new Y.Doc()
  Y.applyUpdate(room, state)
  const started = performance.now()
  for (const update of updates) {
    if (!checkUpdate(update, 10_000).ok) {
      throw new Error('a keystroke failed the bounded decode')
    }
    if (guard && !checkSchema(room, update).ok) {
      throw new Error('a keystroke was refused')
    }
    Y.applyUpdate(room, update)
  }
  return ((performance.now() - started) / updates.length) * 1000
}

// The guard alone: its time per keystroke, with each keystroke applied (untimed) after it.
function guardOnly(state: Uint8Array, updates: Uint8Array[]): number {
  const room = new Y.Doc()
  Y.applyUpdate(room, state)
  let spent = 0
  for (const update of updates) {
    const started = performance.now()
    const check = checkSchema(room, update)
    spent += performance.now() - started
    if (!check.ok) {
      throw new Error('a keystroke was refused')
    }
    Y.applyUpdate(room, update)
  }
  return (spent / updates.length) * 1000
}

const state = documentState()
const updates = typedUpdates(state)
// Warm both paths, then measure alternately and keep the best of three.
timePerUpdate(state, updates, false)
timePerUpdate(state, updates, true)
const plain: number[] = []
const guarded: number[] = []
for (let round = 0; round < 3; round++) {
  plain.push(timePerUpdate(state, updates, false))
  guarded.push(timePerUpdate(state, updates, true))
}
const alone: number[] = []
for (let round = 0; round < 3; round++) {
  alone.push(guardOnly(state, updates))
}
const plainUs = Math.min(...plain)
const guardedUs = Math.min(...guarded)
console.log(`document: ${paragraphs} paragraphs, ${(state.byteLength / 1024).toFixed(0)} KiB`)
console.log(`keystroke, bounded decode and apply:           ${plainUs.toFixed(1)} µs`)
console.log(`keystroke, bounded decode, guard and apply:    ${guardedUs.toFixed(1)} µs`)
console.log(`ratio: ${(guardedUs / plainUs).toFixed(2)}×`)
console.log(`the guard alone, per keystroke:               ${Math.min(...alone).toFixed(1)} µs`)

const attacker = new Y.Doc()
attacker.transact(() => {
  let into: Y.XmlFragment = attacker.getXmlFragment('prosemirror')
  for (let i = 0; i < 1000; i++) {
    const quote = new Y.XmlElement('blockquote')
    into.insert(0, [quote])
    into = quote
  }
})
const bomb = Y.encodeStateAsUpdate(attacker)
const room = new Y.Doc()
Y.applyUpdate(room, state)
let started = performance.now()
const refused = checkSchema(room, bomb)
console.log(
  `1,000 nested blockquotes (${bomb.byteLength} bytes): ${refused.ok ? 'ACCEPTED' : 'refused'} in ${(performance.now() - started).toFixed(2)} ms`,
)
started = performance.now()
const resent = checkSchema(room, state)
console.log(
  `the whole document resent: ${resent.ok ? 'accepted' : 'REFUSED'} in ${(performance.now() - started).toFixed(2)} ms`,
)
const fresh = new Y.Doc()
started = performance.now()
const created = checkSchema(fresh, state)
console.log(
  `the whole document into an empty room: ${created.ok ? 'accepted' : 'REFUSED'} in ${(performance.now() - started).toFixed(2)} ms`,
)
