import { Node, type NodeType } from 'prosemirror-model'
import { EditorState, TextSelection } from 'prosemirror-state'
import { findWrapping } from 'prosemirror-transform'
import { describe, expect, it } from 'vitest'
import {
  prosemirrorToYXmlFragment,
  yXmlFragmentToProseMirrorRootNode,
  ySyncPluginKey,
} from 'y-prosemirror'
import * as Y from 'yjs'
import { nestingDepthPlugin } from '../../client/editor/plugins/nesting-depth'
import { NESTING_DEPTH_MAX, schema } from '../../shared/schema'
import { nestsTooDeep, yFragmentToProseMirror } from '../../shared/schema/from-yjs'

// Issue 12, item 3: reading a document of any depth (the conversion every renderer and the
// editor use) and the editor's own limit.

/** The deepest level of a ProseMirror node (text included), walked iteratively. */
function depthOf(doc: Node): number {
  let deepest = 0
  const pending: [Node, number][] = [[doc, 0]]
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, depth] = entry
    deepest = Math.max(deepest, depth)
    node.forEach((child) => pending.push([child, depth + 1]))
  }
  return deepest
}

/** A Yjs fragment with `depth` levels of `wrapper` (built one level at a time) around a paragraph. */
function deepFragment(
  depth: number,
  wrapper: (into: Y.XmlElement | Y.XmlFragment) => Y.XmlElement,
) {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('prosemirror')
  doc.transact(() => {
    const intro = new Y.XmlElement('paragraph')
    fragment.insert(0, [intro])
    intro.insert(0, [new Y.XmlText('Before')])
    let into: Y.XmlElement | Y.XmlFragment = fragment
    for (let i = 0; i < depth; i++) {
      into = wrapper(into)
    }
    const paragraph = new Y.XmlElement('paragraph')
    into.insert(into === fragment ? 1 : into.length, [paragraph])
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    text.insert(0, 'Deepest words', { em: {} })
  })
  return fragment
}

const quote = (into: Y.XmlElement | Y.XmlFragment): Y.XmlElement => {
  const element = new Y.XmlElement('blockquote')
  into.insert(into.length, [element])
  return element
}

// A list item holding a paragraph and a list, one level of the list deeper each time.
const listLevel = (into: Y.XmlElement | Y.XmlFragment): Y.XmlElement => {
  const list = new Y.XmlElement('bullet_list')
  into.insert(into.length, [list])
  const item = new Y.XmlElement('list_item')
  list.insert(0, [item])
  const lead = new Y.XmlElement('paragraph')
  item.insert(0, [lead])
  lead.insert(0, [new Y.XmlText('item')])
  return item
}

describe('converting a stored document', () => {
  it('gives what y-prosemirror gives for a document within the limit', () => {
    const source = Node.fromJSON(schema, {
      type: 'doc',
      content: [
        {
          type: 'heading',
          attrs: { level: 1, sectionId: 'abc_123' },
          content: [{ type: 'text', text: 'T' }],
        },
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              marks: [{ type: 'link', attrs: { href: 'https://a.example', title: null } }],
              text: 'l',
            },
            { type: 'hard_break' },
            { type: 'text', marks: [{ type: 'strong' }], text: 'b' },
          ],
        },
        {
          type: 'table',
          content: [
            {
              type: 'table_row',
              content: [
                {
                  type: 'table_cell',
                  attrs: { colspan: 1, rowspan: 1, colwidth: null },
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'c' }] }],
                },
              ],
            },
          ],
        },
      ],
    })
    const fragment = new Y.Doc().getXmlFragment('prosemirror')
    prosemirrorToYXmlFragment(source, fragment)
    const ours = yFragmentToProseMirror(fragment)
    expect(ours.toJSON()).toEqual(source.toJSON())
    expect(ours.toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON())
    // What deepFragment builds at the deepest allowed level is left as it is, too.
    const deepest = deepFragment(NESTING_DEPTH_MAX - 2, quote)
    expect(nestsTooDeep(deepest)).toBe(false)
    const report = { flattened: false }
    expect(depthOf(yFragmentToProseMirror(deepest, report))).toBe(NESTING_DEPTH_MAX)
    expect(report.flattened).toBe(false)
  })

  it.each([
    ['blockquotes', 1200, quote],
    ['blockquotes', 20_000, quote],
    ['list levels', 700, listLevel],
  ])(
    'flattens %s %i deep into a valid document within the limit, keeping the text',
    (_, depth, wrapper) => {
      const fragment = deepFragment(depth, wrapper)
      expect(nestsTooDeep(fragment)).toBe(true)
      const report = { flattened: false }
      const doc = yFragmentToProseMirror(fragment, report)
      expect(report.flattened).toBe(true)
      expect(depthOf(doc)).toBeLessThanOrEqual(NESTING_DEPTH_MAX)
      expect(() => doc.check()).not.toThrow()
      expect(doc.textContent.startsWith('Before')).toBe(true)
      expect(doc.textContent.endsWith('Deepest words')).toBe(true)
      // Recursive walks are safe on the result.
      expect(() => JSON.stringify(doc.toJSON())).not.toThrow()
    },
  )

  it('leaves out, as y-prosemirror does, what does not fit the schema', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('prosemirror')
    doc.transact(() => {
      const script = new Y.XmlElement('script')
      const good = new Y.XmlElement('paragraph')
      const bad = new Y.XmlElement('paragraph')
      fragment.insert(0, [script, good, bad])
      good.insert(0, [new Y.XmlText('kept')])
      const text = new Y.XmlText()
      bad.insert(0, [text])
      text.insert(0, 'unsafe', { link: { href: 'javascript:alert(1)', title: null } })
    })
    const ours = yFragmentToProseMirror(fragment)
    expect(ours.textContent).toBe('kept')
    expect(ours.toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON())
  })
})

describe('the editor', () => {
  const plugins = [nestingDepthPlugin()]

  function stateAtDepth(quotes: number): EditorState {
    let inner: Node = schema.nodes.paragraph.create(null, schema.text('x'))
    for (let i = 0; i < quotes; i++) {
      inner = schema.nodes.blockquote.create(null, inner)
    }
    const doc = schema.topNodeType.create(null, inner)
    const state = EditorState.create({ doc, plugins })
    // The cursor in the innermost paragraph.
    return state.apply(state.tr.setSelection(TextSelection.create(doc, quotes + 2)))
  }

  function wrapInQuote(state: EditorState): EditorState {
    const range = state.selection.$from.blockRange()!
    const wrapping = findWrapping(range, schema.nodes.blockquote as NodeType)!
    return state.applyTransaction(state.tr.wrap(range, wrapping)).state
  }

  it(`refuses an edit that nests deeper than ${NESTING_DEPTH_MAX} levels, allows one that fits`, () => {
    // The paragraph's text is at level quotes + 2.
    const fits = stateAtDepth(NESTING_DEPTH_MAX - 3)
    expect(depthOf(wrapInQuote(fits).doc)).toBe(NESTING_DEPTH_MAX)
    const full = stateAtDepth(NESTING_DEPTH_MAX - 2)
    expect(wrapInQuote(full).doc).toBe(full.doc)
    // Typing where the document is at its deepest still works.
    const typed = full.applyTransaction(full.tr.insertText('y')).state
    expect(typed.doc.textContent).toBe('xy')
  })

  it('never refuses what comes from Yjs (the stored document)', () => {
    const full = stateAtDepth(NESTING_DEPTH_MAX - 2)
    const range = full.selection.$from.blockRange()!
    const tr = full.tr
      .wrap(range, findWrapping(range, schema.nodes.blockquote as NodeType)!)
      .setMeta(ySyncPluginKey, { isChangeOrigin: true })
    expect(full.applyTransaction(tr).state.doc).not.toBe(full.doc)
  })
})
