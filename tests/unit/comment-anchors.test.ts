import type { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import { initProseMirrorDoc, prosemirrorToYXmlFragment } from 'y-prosemirror'
import * as Y from 'yjs'
import {
  createAnchor,
  PositionIndex,
  resolveAnchor,
  sectionAt,
  type AnchorBinding,
} from '../../client/editor/anchors'
import { schema } from '../../shared/schema'

// The anchor helpers of the document page (issue 5, item 1): no browser needed, only a Yjs
// document, y-prosemirror's conversion and its mapping, as the sync plugin keeps them.

const { heading, paragraph, bullet_list, list_item, hard_break } = schema.nodes

function text(value: string) {
  return schema.text(value)
}

function sampleDoc(): Node {
  return schema.node('doc', null, [
    heading!.create({ level: 2, sectionId: 'vision' }, text('1. Vision')),
    paragraph!.create(null, [
      text('A secure and '),
      schema.text('open', [schema.marks.strong!.create()]),
      text(' digital environment.'),
    ]),
    heading!.create({ level: 2, sectionId: 'principles' }, text('2. Principles')),
    bullet_list!.create(null, [
      list_item!.create(
        null,
        paragraph!.create(null, [text('Rights'), hard_break!.create(), text('first.')]),
      ),
      list_item!.create(null, paragraph!.create(null, text('Openness.'))),
    ]),
    paragraph!.create(),
    paragraph!.create(null, text('Last words here.')),
  ])
}

/** A Yjs document holding `doc`, and the ProseMirror view of it with y-prosemirror's mapping. */
function setUp(doc: Node = sampleDoc()) {
  const ydoc = new Y.Doc()
  const fragment = ydoc.getXmlFragment('prosemirror')
  prosemirrorToYXmlFragment(doc, fragment)
  return { ydoc, fragment, ...view(fragment) }
}

/** What the editor shows now: the document rebuilt from Yjs, with a fresh mapping. */
function view(fragment: Y.XmlFragment): { pm: Node; binding: AnchorBinding } {
  const { doc, mapping } = initProseMirrorDoc(fragment, schema)
  return { pm: doc, binding: { type: fragment, mapping: mapping as AnchorBinding['mapping'] } }
}

function rangeOf(doc: Node, wanted: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null
  doc.descendants((node, pos) => {
    if (found || !node.isText) {
      return !found
    }
    const at = node.text!.indexOf(wanted)
    if (at >= 0) {
      found = { from: pos + at, to: pos + at + wanted.length }
    }
    return false
  })
  if (!found) {
    throw new Error(`"${wanted}" not found`)
  }
  return found
}

/** The Y.XmlText holding `wanted`, and the index of `wanted` in it. */
function yTextWith(fragment: Y.XmlFragment, wanted: string): { ytext: Y.XmlText; index: number } {
  const walk = (type: Y.XmlFragment | Y.XmlElement): { ytext: Y.XmlText; index: number } | null => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        const plain = child
          .toDelta()
          .map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
          .join('')
        const index = plain.indexOf(wanted)
        if (index >= 0) {
          return { ytext: child, index }
        }
      } else if (child instanceof Y.XmlElement) {
        const inner = walk(child)
        if (inner) {
          return inner
        }
      }
    }
    return null
  }
  const found = walk(fragment)
  if (!found) {
    throw new Error(`"${wanted}" not in Yjs`)
  }
  return found
}

function resolvedText(pm: Node, binding: AnchorBinding, anchor: { start: string; end: string }) {
  const range = resolveAnchor(binding, pm, anchor)
  return range ? pm.textBetween(range.from, range.to, '\n', ' ') : null
}

describe('comment anchors', () => {
  it('resolve back to the same range for every passage of the document', () => {
    const { pm, binding } = setUp()
    const index = new PositionIndex(pm)
    // Every pair of text positions: inside one text, across marks, hard breaks, list items, blocks.
    const positions: number[] = []
    pm.descendants((node, pos) => {
      if (node.isTextblock) {
        for (let p = pos + 1; p <= pos + 1 + node.content.size; p++) {
          positions.push(p)
        }
      }
      return true
    })
    let checked = 0
    for (const from of positions) {
      for (const to of positions) {
        const between = pm.textBetween(from, to, '\n', ' ')
        if (to <= from || !between.trim() || between.trim() !== between) {
          continue
        }
        const anchor = createAnchor(binding, pm, from, to)
        expect(anchor, `${from}–${to}`).not.toBeNull()
        expect(resolveAnchor(binding, pm, anchor!, index), `${from}–${to}`).toEqual({ from, to })
        checked++
      }
    }
    expect(checked).toBeGreaterThan(500)
  })

  it('keep the quoted text, trimmed', () => {
    const { pm, binding } = setUp()
    const { from, to } = rangeOf(pm, 'A secure and ')
    const anchor = createAnchor(binding, pm, from, to)!
    expect(anchor.quote).toBe('A secure and')
    // The range itself leaves the blanks out, so its text is the quote.
    expect(resolvedText(pm, binding, anchor)).toBe('A secure and')
    // Only blanks: no anchor (the thread is then on the section).
    const blank = rangeOf(pm, ' digital')
    expect(createAnchor(binding, pm, blank.from, blank.from + 1)).toBeNull()
  })

  it('do not widen when text is typed at either edge, and follow edits elsewhere', () => {
    const { fragment, pm, binding } = setUp()
    const { from, to } = rangeOf(pm, 'digital environment')
    const anchor = createAnchor(binding, pm, from, to)!

    const { ytext, index } = yTextWith(fragment, 'digital environment')
    // Typed right after the passage, then right before it, then inside it, then before the paragraph.
    ytext.insert(index + 'digital environment'.length, ' AFTER')
    ytext.insert(index, 'BEFORE ')
    ytext.insert(index + 'BEFORE digital'.length, ' INSIDE')
    yTextWith(fragment, '1. Vision').ytext.insert(0, 'Heading edit ')

    const now = view(fragment)
    expect(now.pm.textContent).toContain('BEFORE digital INSIDE environment AFTER')
    expect(resolvedText(now.pm, now.binding, anchor)).toBe('digital INSIDE environment')
  })

  it('collapse, so the thread falls back to its section, when the passage is deleted', () => {
    const { fragment, pm, binding } = setUp()
    const { from, to } = rangeOf(pm, 'digital')
    const anchor = createAnchor(binding, pm, from, to)!
    const { ytext, index } = yTextWith(fragment, 'digital')
    ytext.delete(index, 'digital'.length)
    const now = view(fragment)
    expect(resolveAnchor(now.binding, now.pm, anchor)).toBeNull()
  })

  it('are gone when their whole paragraph is deleted', () => {
    const { fragment, pm, binding } = setUp()
    const { from, to } = rangeOf(pm, 'Last words')
    const anchor = createAnchor(binding, pm, from, to)!
    fragment.delete(fragment.length - 1, 1)
    const now = view(fragment)
    expect(resolveAnchor(now.binding, now.pm, anchor)).toBeNull()
    // Another anchor still resolves in the same document.
    const other = rangeOf(pm, 'Openness')
    expect(createAnchor(binding, pm, other.from, other.to)).not.toBeNull()
  })

  it('survive a concurrent edit made on another replica', () => {
    const { ydoc, fragment, pm, binding } = setUp()
    const { from, to } = rangeOf(pm, 'Openness')
    const anchor = createAnchor(binding, pm, from, to)!
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc))
    const theirs = yTextWith(other.getXmlFragment('prosemirror'), 'Openness')
    theirs.ytext.insert(theirs.index + 'Openness'.length, ' and trust')
    theirs.ytext.insert(theirs.index, 'Radical ')
    const mine = yTextWith(fragment, 'Openness')
    mine.ytext.insert(mine.index + 4, '-')
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(other))
    const now = view(fragment)
    expect(now.pm.textContent).toContain('Radical Open-ness and trust')
    expect(resolvedText(now.pm, now.binding, anchor)).toBe('Open-ness')
  })

  it('reject garbage instead of throwing', () => {
    const { pm, binding } = setUp()
    expect(resolveAnchor(binding, pm, { start: 'AAAA', end: '////' })).toBeNull()
  })
})

describe('sectionAt', () => {
  it('is the nearest heading at or before a position', () => {
    const doc = sampleDoc()
    expect(sectionAt(doc, rangeOf(doc, 'digital').from)).toEqual({
      id: 'vision',
      title: '1. Vision',
    })
    expect(sectionAt(doc, rangeOf(doc, 'Openness').from)?.id).toBe('principles')
    expect(sectionAt(doc, rangeOf(doc, 'Principles').from)?.id).toBe('principles')
    // Text before the first heading belongs to no section.
    const preamble = schema.node('doc', null, [
      paragraph!.create(null, text('Preamble')),
      ...sampleDoc().children,
    ])
    expect(sectionAt(preamble, 2)).toBeNull()
  })
})
