import { Node } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkSchema } from '../../server/collab/schema-guard'
import { NESTING_DEPTH_MAX, schema } from '../../shared/schema'

// The server's schema guard (issue 12, item 3), against a document as a room holds it.

const FULL_DOCUMENT = {
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { level: 2, sectionId: 'Xk3_9aQ-b2' },
      content: [{ type: 'text', text: 'Estrategia Nacional' }],
    },
    {
      type: 'paragraph',
      content: [
        { type: 'text', marks: [{ type: 'strong' }], text: 'bold' },
        { type: 'hard_break' },
        {
          type: 'text',
          marks: [{ type: 'link', attrs: { href: 'https://www.example.org/a?b=c#d', title: 'E' } }],
          text: 'a link',
        },
        {
          type: 'text',
          marks: [{ type: 'link', attrs: { href: 'mailto:sec@example.org', title: null } }],
          text: ' mail',
        },
      ],
    },
    {
      type: 'blockquote',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Quoted' }] }],
    },
    {
      type: 'ordered_list',
      attrs: { order: 3 },
      content: [
        {
          type: 'list_item',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'one' }] },
            {
              type: 'bullet_list',
              content: [
                {
                  type: 'list_item',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested' }] }],
                },
              ],
            },
          ],
        },
      ],
    },
    {
      type: 'table',
      content: [
        {
          type: 'table_row',
          content: [
            {
              type: 'table_header',
              attrs: { colspan: 1, rowspan: 1, colwidth: [120] },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'h' }] }],
            },
          ],
        },
      ],
    },
  ],
}

/** A room's document with `content` already stored (written without the guard). */
function roomDoc(content?: (fragment: Y.XmlFragment) => void): Y.Doc {
  const doc = new Y.Doc()
  if (content) {
    const source = new Y.Doc()
    content(source.getXmlFragment('prosemirror'))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  }
  return doc
}

/** The update a client that is in sync with `room` sends after `edit`. */
function clientUpdate(
  room: Y.Doc,
  edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void,
): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
  const updates: Uint8Array[] = []
  client.on('update', (update: Uint8Array) => updates.push(update))
  edit(client.getXmlFragment('prosemirror'), client)
  return Y.mergeUpdates(updates)
}

/**
 * Inserts `depth` nested blockquotes around a paragraph with text at `index`, as y-prosemirror
 * writes them. One level at a time: Yjs integrates a prepared tree recursively.
 */
function insertNestedQuotes(
  parent: Y.XmlFragment | Y.XmlElement,
  index: number,
  depth: number,
): void {
  parent.doc!.transact(() => {
    let into = parent
    let at = index
    for (let i = 0; i < depth; i++) {
      const quote = new Y.XmlElement('blockquote')
      into.insert(at, [quote])
      into = quote
      at = 0
    }
    const paragraph = new Y.XmlElement('paragraph')
    into.insert(at, [paragraph])
    paragraph.insert(0, [new Y.XmlText('deep')])
  })
}

function paragraphWithLink(href: string): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  text.insert(0, 'click here', { link: { href, title: null } })
  paragraph.insert(0, [text])
  return paragraph
}

function expectRefused(room: Y.Doc, update: Uint8Array, reason: RegExp): void {
  const check = checkSchema(room, update)
  expect(check.ok).toBe(false)
  expect(check.ok ? '' : check.reason).toMatch(reason)
}

describe('the schema guard', () => {
  it('lets a whole document of every node, mark and attribute through, and edits of it', () => {
    const room = roomDoc()
    const create = clientUpdate(room, (fragment) =>
      prosemirrorToYXmlFragment(Node.fromJSON(schema, FULL_DOCUMENT), fragment),
    )
    expect(checkSchema(room, create)).toEqual({ ok: true })
    Y.applyUpdate(room, create)

    const typed = clientUpdate(room, (fragment) => {
      const heading = fragment.get(0) as Y.XmlElement
      ;(heading.get(0) as Y.XmlText).insert(3, 'x')
      heading.setAttribute('level', 3 as unknown as string)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('new')])
      fragment.insert(1, [paragraph])
      ;(paragraph.get(0) as Y.XmlText).format(0, 2, { em: {} })
      ;(fragment.get(2) as Y.XmlElement).delete(0, 1)
    })
    expect(checkSchema(room, typed)).toEqual({ ok: true })
  })

  it(`allows nesting to ${NESTING_DEPTH_MAX} levels, text included, and refuses one more`, () => {
    const room = roomDoc()
    // Blockquotes, the paragraph and its text: depth + 2 levels.
    const deepest = clientUpdate(room, (fragment) =>
      insertNestedQuotes(fragment, 0, NESTING_DEPTH_MAX - 2),
    )
    expect(checkSchema(room, deepest)).toEqual({ ok: true })
    const tooDeep = clientUpdate(room, (fragment) =>
      insertNestedQuotes(fragment, 0, NESTING_DEPTH_MAX - 1),
    )
    expectRefused(room, tooDeep, /nests deeper than 64/)
    expectRefused(
      room,
      clientUpdate(room, (fragment) => insertNestedQuotes(fragment, 0, 1000)),
      /nests deeper/,
    )
  })

  it('counts the depth of what the document already has when an edit adds below it', () => {
    const room = roomDoc()
    Y.applyUpdate(
      room,
      clientUpdate(room, (fragment) => insertNestedQuotes(fragment, 0, NESTING_DEPTH_MAX - 3)),
    )
    const innermost = (fragment: Y.XmlFragment): Y.XmlElement => {
      let node = fragment.get(0) as Y.XmlElement
      while (node.nodeName === 'blockquote') {
        node = node.get(0) as Y.XmlElement
      }
      return node.parent as Y.XmlElement
    }
    // The innermost blockquote is level 61: a blockquote in it fits, two do not.
    const fits = clientUpdate(room, (fragment) => insertNestedQuotes(innermost(fragment), 0, 1))
    expect(checkSchema(room, fits)).toEqual({ ok: true })
    const oneMore = clientUpdate(room, (fragment) => insertNestedQuotes(innermost(fragment), 0, 2))
    expectRefused(room, oneMore, /nests deeper/)
    const sibling = clientUpdate(room, (fragment) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('fine')])
      innermost(fragment).insert(1, [paragraph])
    })
    expect(checkSchema(room, sibling)).toEqual({ ok: true })
  })

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript&#58;alert(1)',
    '&#106;avascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/x',
    'https://gov.example@evil.example/',
    'https://' + 'a'.repeat(3000) + '.example',
  ])('refuses a link to %j', (href) => {
    const room = roomDoc()
    expectRefused(
      room,
      clientUpdate(room, (fragment) => fragment.insert(0, [paragraphWithLink(href)])),
      /attributes of link are invalid/,
    )
    // Formatting text the document has already is checked the same way.
    const withText = roomDoc((fragment) =>
      fragment.insert(0, [paragraphWithLink('https://a.example')]),
    )
    expectRefused(
      withText,
      clientUpdate(withText, (fragment) =>
        ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 5, {
          link: { href, title: null },
        }),
      ),
      /attributes of link are invalid/,
    )
  })

  it('lets https and mailto links through', () => {
    const room = roomDoc()
    for (const href of ['https://www.gob.example/estrategia#objetivo-2', 'mailto:a@b.example']) {
      expect(
        checkSchema(
          room,
          clientUpdate(room, (fragment) => fragment.insert(0, [paragraphWithLink(href)])),
        ),
      ).toEqual({ ok: true })
    }
  })

  it.each([
    [
      'an unknown node',
      (fragment: Y.XmlFragment) => fragment.insert(0, [new Y.XmlElement('script')]),
      /"script" is not a node type/,
    ],
    [
      'a node where its parent cannot hold it',
      (fragment: Y.XmlFragment) => fragment.insert(0, [new Y.XmlElement('list_item')]),
      /doc cannot hold list_item/,
    ],
    [
      'text directly in the document',
      (fragment: Y.XmlFragment) => fragment.insert(0, [new Y.XmlText('loose')]),
      /doc cannot hold text/,
    ],
    [
      'an unknown mark',
      (fragment: Y.XmlFragment) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        text.insert(0, 'big', { font: { size: 99 } })
        paragraph.insert(0, [text])
        fragment.insert(0, [paragraph])
      },
      /"font" is not a mark/,
    ],
    [
      'an unknown attribute of a mark',
      (fragment: Y.XmlFragment) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        text.insert(0, 'x', { link: { href: 'https://a.example', onclick: 'alert(1)' } })
        paragraph.insert(0, [text])
        fragment.insert(0, [paragraph])
      },
      /link has no attribute "onclick"/,
    ],
    [
      'an invalid attribute',
      (fragment: Y.XmlFragment) => {
        const heading = new Y.XmlElement('heading')
        heading.setAttribute('level', 9 as unknown as string)
        fragment.insert(0, [heading])
      },
      /attribute level of heading is invalid/,
    ],
    [
      'an unknown attribute',
      (fragment: Y.XmlFragment) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.setAttribute('onclick', 'alert(1)')
        fragment.insert(0, [paragraph])
      },
      /paragraph has no attribute "onclick"/,
    ],
    [
      'an embed inside text',
      (fragment: Y.XmlFragment) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        text.insertEmbed(0, { image: 'https://a.example/x.png' })
        paragraph.insert(0, [text])
        fragment.insert(0, [paragraph])
      },
      /ContentEmbed into text/,
    ],
    [
      'another kind of shared type in the document',
      (fragment: Y.XmlFragment, doc: Y.Doc) => {
        doc.transact(() => fragment.insert(0, [new Y.XmlHook('x') as unknown as Y.XmlElement]))
      },
      /ContentType into doc/,
    ],
  ])('refuses %s', (_, edit, reason) => {
    const room = roomDoc()
    expectRefused(room, clientUpdate(room, edit), reason)
  })

  it('bounds the depth in other roots too, and checks nothing else there', () => {
    const room = roomDoc()
    expect(
      checkSchema(
        room,
        clientUpdate(room, (_, doc) => {
          doc.getText('t').insert(0, 'free text')
          doc.getMap('m').set('k', new Y.Map())
        }),
      ),
    ).toEqual({ ok: true })
    const deep = clientUpdate(room, (_, doc) => {
      let map = new Y.Map<unknown>()
      const top = map
      for (let i = 0; i < 100; i++) {
        const inner = new Y.Map<unknown>()
        map.set('k', inner)
        map = inner
      }
      doc.getMap('m').set('deep', top)
    })
    expectRefused(room, deep, /nests deeper/)
  })

  it('lets a client resend what the document already has, even if stored before the guard', () => {
    const room = roomDoc((fragment) => {
      insertNestedQuotes(fragment, 0, 1200)
      fragment.insert(1, [paragraphWithLink('javascript:alert(1)')])
    })
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
    expect(checkSchema(room, Y.encodeStateAsUpdate(client))).toEqual({ ok: true })
    // Deleting it is an edit like any other; typing into its existing text too.
    const removed = clientUpdate(room, (fragment) => fragment.delete(0, 2))
    expect(checkSchema(room, removed)).toEqual({ ok: true })
    const typed = clientUpdate(room, (fragment) =>
      ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'safe '),
    )
    expect(checkSchema(room, typed)).toEqual({ ok: true })
  })

  it('refuses an update that depends on content the document does not have', () => {
    const elsewhere = roomDoc((fragment) => fragment.insert(0, [new Y.XmlElement('paragraph')]))
    const room = roomDoc()
    const update = clientUpdate(elsewhere, (fragment) =>
      (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('orphan')]),
    )
    expectRefused(room, update, /depends on content/)
  })

  it('checks a keystroke in a large document in microseconds', () => {
    const room = roomDoc()
    const big = {
      type: 'doc',
      content: Array.from({ length: 2000 }, (_, i) => ({
        type: 'paragraph',
        content: [{ type: 'text', text: `Paragraph ${i} of the national strategy.` }],
      })),
    }
    Y.applyUpdate(
      room,
      clientUpdate(room, (fragment) =>
        prosemirrorToYXmlFragment(Node.fromJSON(schema, big), fragment),
      ),
    )
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
    const text = (client.getXmlFragment('prosemirror').get(1000) as Y.XmlElement).get(
      0,
    ) as Y.XmlText
    const keystrokes: Uint8Array[] = []
    client.on('update', (update: Uint8Array) => keystrokes.push(update))
    for (let i = 0; i < 200; i++) {
      text.insert(i, 'k')
    }
    const started = performance.now()
    for (const keystroke of keystrokes) {
      expect(checkSchema(room, keystroke).ok).toBe(true)
      Y.applyUpdate(room, keystroke)
    }
    const perKeystrokeMs = (performance.now() - started) / keystrokes.length
    // Generous for a shared CI machine; measured at a few µs (README).
    expect(perKeystrokeMs).toBeLessThan(2)
  })
})
