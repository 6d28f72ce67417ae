import fc from 'fast-check'
import { parseHTML } from 'linkedom'
import { Node, Schema, type Mark } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findSections, schema } from '../../shared/schema'
import { renderHtml, renderHtmlDocument } from '../../server/render/html'
import { parseMarkdown, toMarkdown } from '../../server/render/markdown'
import {
  PROSEMIRROR_FRAGMENT,
  proseMirrorToUpdate,
  updateToProseMirror,
} from '../../server/render/to-prosemirror'

const { nodes: n, marks: m } = schema
const text = (value: string, marks: readonly Mark[] = []) => schema.text(value, marks)
const p = (...content: Node[]) => n.paragraph.create(null, content)
const h = (level: number, sectionId: string | null, title: string) =>
  n.heading.create({ level, sectionId }, title ? text(title) : null)
const li = (...content: Node[]) => n.list_item.create(null, content)
const cell = (value: string, header = false) =>
  (header ? n.table_header : n.table_cell).create(null, p(text(value)))
const row = (...cells: Node[]) => n.table_row.create(null, cells)
const doc = (...content: Node[]) => n.doc.create(null, content)

const strategy = doc(
  h(1, 'title', 'National Cybersecurity Strategy'),
  p(
    text('The '),
    text('draft', [m.strong.create()]),
    text(' for '),
    text('review', [m.link.create({ href: 'https://www.example.org/' })]),
    text('.'),
  ),
  h(2, 'vision', 'Vision'),
  p(
    text('A country where people use digital services '),
    text('with confidence', [m.em.create()]),
    text('.'),
    n.hard_break.create(),
    text('Second line.'),
  ),
  n.blockquote.create(null, p(text('One number to call.'))),
  h(2, 'actions', 'Action lines'),
  n.bullet_list.create(null, [
    li(p(text('Create the Council'))),
    li(
      p(text('Publish the plan')),
      n.ordered_list.create({ order: 3 }, [li(p(text('third'))), li(p(text('fourth')))]),
    ),
  ]),
  h(3, 'indicators', 'Indicators'),
  n.table.create(null, [
    row(cell('Indicator', true), cell('Target', true)),
    row(cell('Incidents | reported'), cell('30 %')),
  ]),
)

/** A document's JSON without section ids, which Markdown cannot carry. */
function withoutIds(node: Node): unknown {
  return JSON.parse(
    JSON.stringify(node.toJSON(), (key, value) => (key === 'sectionId' ? undefined : value)),
  )
}

describe('HTML', () => {
  it('renders every node and mark, headings with their section id', () => {
    expect(renderHtml(strategy)).toBe(
      [
        '<h1 id="title" data-section-id="title">National Cybersecurity Strategy</h1>',
        '<p>The <strong>draft</strong> for <a href="https://www.example.org/" rel="noopener noreferrer nofollow">review</a>.</p>',
        '<h2 id="vision" data-section-id="vision">Vision</h2>',
        '<p>A country where people use digital services <em>with confidence</em>.<br>Second line.</p>',
        '<blockquote><p>One number to call.</p></blockquote>',
        '<h2 id="actions" data-section-id="actions">Action lines</h2>',
        '<ul><li><p>Create the Council</p></li><li><p>Publish the plan</p><ol start="3"><li><p>third</p></li><li><p>fourth</p></li></ol></li></ul>',
        '<h3 id="indicators" data-section-id="indicators">Indicators</h3>',
        '<table><tbody><tr><th><p>Indicator</p></th><th><p>Target</p></th></tr><tr><td><p>Incidents | reported</p></td><td><p>30 %</p></td></tr></tbody></table>',
      ].join('\n'),
    )
  })

  it('keeps marks open across adjacent text and nests them in schema order', () => {
    const strong = m.strong.create()
    const em = m.em.create()
    const link = m.link.create({ href: 'mailto:a@example.org' })
    const html = renderHtml(
      doc(p(text('a', [link, strong]), text('b', [link, em, strong]), text('c', [strong]))),
    )
    expect(html).toBe(
      '<p><a href="mailto:a@example.org" rel="noopener noreferrer nofollow"><strong>a</strong><em><strong>b</strong></em></a><strong>c</strong></p>',
    )
  })

  it('escapes hostile text and attribute values', () => {
    const hostile = '<script>alert("x")</script> & \'quotes\' \u0000'
    const link = m.link.create({
      href: 'https://ok.example/?q="><script>',
      title: '"><img src=x onerror=alert(1)>',
    })
    const html = renderHtml(doc(h(1, null, hostile), p(text(hostile, [link]))))
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    const { document } = parseHTML(`<body>${html}</body>`)
    expect(document.querySelector('h1')!.textContent).toBe(hostile.replace('\u0000', '\uFFFD'))
    const anchor = document.querySelector('a')!
    expect(anchor.getAttribute('href')).toBe('https://ok.example/?q="><script>')
    expect(anchor.getAttribute('title')).toBe('"><img src=x onerror=alert(1)>')
    expect(anchor.textContent).toBe(hostile.replace('\u0000', '\uFFFD'))
  })

  it('renders links outside the allowlist as plain text even when the schema did not stop them', () => {
    // A schema without href validation stands for data that slipped past every other check.
    const loose = new Schema({
      nodes: schema.spec.nodes,
      marks: schema.spec.marks.update('link', {
        ...schema.spec.marks.get('link')!,
        attrs: { href: { default: '' }, title: { default: null } },
      }),
    })
    for (const href of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'http://example.org',
      'java\nscript:x',
    ]) {
      const bad = loose.node('doc', null, [
        loose.node('paragraph', null, [loose.text('click', [loose.mark('link', { href })])]),
      ])
      expect(renderHtml(bad), href).toBe('<p>click</p>')
    }
  })

  it('gives a repeated section id to its first heading only, so HTML ids stay unique', () => {
    const html = renderHtml(doc(h(2, 'same', 'A'), h(2, 'same', 'B'), h(2, null, 'C')))
    expect(html).toBe(
      '<h2 id="same" data-section-id="same">A</h2>\n<h2 data-section-id="same">B</h2>\n<h2>C</h2>',
    )
  })

  it('wraps a document into a complete page with a language, an escaped title and no scripts', () => {
    const page = renderHtmlDocument(strategy, { title: 'Estrategia <2027>', lang: 'es' })
    const { document } = parseHTML(page)
    expect(page.startsWith('<!doctype html>\n<html lang="es">')).toBe(true)
    expect(document.querySelector('title')!.textContent).toBe('Estrategia <2027>')
    expect(document.querySelectorAll('script, link, iframe, img')).toHaveLength(0)
    expect(document.querySelector('main h1')!.getAttribute('id')).toBe('title')
    expect(renderHtmlDocument(strategy, { title: 't', lang: '"><script>' })).toContain(
      '<html lang="en">',
    )
  })
})

describe('Markdown', () => {
  it('serializes every node and mark, with tables as GFM pipe tables', () => {
    expect(toMarkdown(strategy)).toBe(
      [
        '# National Cybersecurity Strategy',
        '',
        'The **draft** for [review](https://www.example.org/).',
        '',
        '## Vision',
        '',
        'A country where people use digital services *with confidence*.\\',
        'Second line.',
        '',
        '> One number to call.',
        '',
        '## Action lines',
        '',
        '- Create the Council',
        '- Publish the plan',
        '',
        '  3. third',
        '  4. fourth',
        '',
        '### Indicators',
        '',
        '| Indicator | Target |',
        '| --- | --- |',
        '| Incidents \\| reported | 30 % |',
      ].join('\n'),
    )
  })

  it('round-trips a document through Markdown, section ids aside', () => {
    expect(withoutIds(parseMarkdown(toMarkdown(strategy)))).toEqual(withoutIds(strategy))
  })

  it('keeps special characters literal through a round trip', () => {
    const tricky = doc(
      p(text('1. not a list, # not a heading, > not a quote, - not a bullet')),
      p(
        text(
          '*stars* _underscores_ [brackets](https://x.example) `ticks` <tags> &amp; \\ back | pipe ~~tilde~~',
        ),
      ),
      h(2, null, '## Heading with hashes #'),
      p(text('snake_case_word and 2 * 3 * 4')),
    )
    expect(withoutIds(parseMarkdown(toMarkdown(tricky)))).toEqual(withoutIds(tricky))
  })

  it('flattens table cells with several blocks to one line, and pads short rows', () => {
    const table = doc(
      n.table.create(null, [
        row(cell('A', true), cell('B', true), cell('C', true)),
        row(
          n.table_cell.create(null, [
            p(text('one')),
            p(text('two'), n.hard_break.create(), text('three')),
          ]),
        ),
      ]),
    )
    expect(toMarkdown(table)).toBe('| A | B | C |\n| --- | --- | --- |\n| one two three |  |  |')
  })

  it('writes links outside the allowlist as their text', () => {
    const loose = new Schema({
      nodes: schema.spec.nodes,
      marks: schema.spec.marks.update('link', {
        ...schema.spec.marks.get('link')!,
        attrs: { href: { default: '' }, title: { default: null } },
      }),
    })
    const bad = loose.node('doc', null, [
      loose.node('paragraph', null, [
        loose.text('click', [loose.mark('link', { href: 'javascript:alert(1)' })]),
      ]),
    ])
    expect(toMarkdown(bad)).toBe('click')
  })

  // Property: any document made of words, punctuation that Markdown treats specially, marks,
  // lists, quotes and header-first tables comes back from Markdown with the same structure.
  it('round-trips generated documents', () => {
    const word = fc.oneof(
      fc.constantFrom('estrategia', 'cyber', 'CERT', '2027', 'año', 'niño'),
      fc.constantFrom(
        '*',
        '**',
        '_',
        '__',
        '#',
        '##',
        '>',
        '-',
        '+',
        '1.',
        '2)',
        '[x]',
        '(y)',
        '`',
        '\\',
        '|',
        '&',
        '&amp;',
        '<b>',
        '!',
        '~~',
        '=',
        '---',
        '***',
        ':',
        '"',
        "'",
      ),
    )
    const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '))
    const markSet = fc.constantFrom<Mark[]>(
      [],
      [m.strong.create()],
      [m.em.create()],
      [m.link.create({ href: 'https://example.org/a_(b)' })],
      [m.link.create({ href: 'mailto:x@example.org' }), m.strong.create()],
    )
    const runsOf = (allowBreaks: boolean) =>
      fc
        .array(fc.tuple(words, markSet, allowBreaks ? fc.boolean() : fc.constant(false)), {
          minLength: 1,
          maxLength: 4,
        })
        .map((runs) => {
          // Marked runs are separated by plain spaces (or line breaks), as people write them;
          // Markdown cannot tell where emphasis starts inside a word.
          const content: Node[] = []
          runs.forEach(([value, marks, breakBefore], i) => {
            if (i > 0) {
              content.push(breakBefore ? n.hard_break.create() : text(' '))
            }
            content.push(text(value, marks))
          })
          return content
        })
    const inline = runsOf(false)
    const paragraph = runsOf(true).map((content) => p(...content))
    const heading = fc
      .tuple(fc.integer({ min: 1, max: 3 }), words)
      .map(([level, title]) => h(level, null, title))
    const listOf = (items: fc.Arbitrary<Node>) =>
      fc
        .tuple(
          fc.boolean(),
          fc.integer({ min: 0, max: 12 }),
          fc.array(items, { minLength: 1, maxLength: 3 }),
        )
        .map(([ordered, order, content]) =>
          ordered ? n.ordered_list.create({ order }, content) : n.bullet_list.create(null, content),
        )
    const flatList = listOf(paragraph.map((item) => li(item)))
    const list = listOf(
      fc
        .tuple(paragraph, fc.option(flatList))
        .map(([item, nested]) => (nested ? li(item, nested) : li(item))),
    )
    const quote = fc
      .array(paragraph, { minLength: 1, maxLength: 2 })
      .map((ps) => n.blockquote.create(null, ps))
    const table = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }))
      .chain(([width, rows]) =>
        fc
          .array(fc.array(inline, { minLength: width, maxLength: width }), {
            minLength: rows + 1,
            maxLength: rows + 1,
          })
          .map((cells) =>
            n.table.create(
              null,
              cells.map((r, i) =>
                row(
                  ...r.map((content) =>
                    (i === 0 ? n.table_header : n.table_cell).create(null, p(...content)),
                  ),
                ),
              ),
            ),
          ),
      )
    const block = fc.oneof(paragraph, heading, list, quote, table)
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
        const original = doc(...blocks)
        const markdown = toMarkdown(original)
        expect(withoutIds(parseMarkdown(markdown)), markdown).toEqual(withoutIds(original))
      }),
      { numRuns: 300 },
    )
  })
})

describe('section list', () => {
  it('lists the sections of a rendered document', () => {
    expect(findSections(strategy).map(({ id, level, title }) => ({ id, level, title }))).toEqual([
      { id: 'title', level: 1, title: 'National Cybersecurity Strategy' },
      { id: 'vision', level: 2, title: 'Vision' },
      { id: 'actions', level: 2, title: 'Action lines' },
      { id: 'indicators', level: 3, title: 'Indicators' },
    ])
  })
})

describe('Yjs state', () => {
  it('round-trips a document through a stored update', () => {
    const update = proseMirrorToUpdate(strategy)
    expect(updateToProseMirror(update).eq(strategy)).toBe(true)
    expect(updateToProseMirror(Y.mergeUpdates([update])).eq(strategy)).toBe(true)
  })

  it('reads no state as an empty document', () => {
    expect(updateToProseMirror(null).toJSON()).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph' }],
    })
    expect(updateToProseMirror(Y.encodeStateAsUpdate(new Y.Doc())).toJSON()).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph' }],
    })
  })

  it('includes edits made after the initial state, as a live editor would store them', () => {
    const live = new Y.Doc()
    Y.applyUpdate(live, proseMirrorToUpdate(doc(h(1, 'a', 'Title'), p(text('Body')))))
    const base = Y.encodeStateVector(live)
    const heading = live.getXmlFragment(PROSEMIRROR_FRAGMENT).get(0) as Y.XmlElement
    ;(heading.get(0) as Y.XmlText).insert(5, ' renamed')
    const edit = Y.encodeStateAsUpdate(live, base)
    const merged = Y.mergeUpdates([
      proseMirrorToUpdate(doc(h(1, 'a', 'Title'), p(text('Body')))),
      edit,
    ])
    // The edit was made on a copy of the same initial state, so it applies on top of it.
    const stored = Y.mergeUpdates([Y.encodeStateAsUpdate(live)])
    expect(findSections(updateToProseMirror(stored))[0]).toMatchObject({
      id: 'a',
      title: 'Title renamed',
    })
    expect(merged.byteLength).toBeGreaterThan(0)
  })

  it('drops what the schema does not know on a scratch copy, leaving the stored state as it was', () => {
    const source = new Y.Doc()
    const fragment = source.getXmlFragment(PROSEMIRROR_FRAGMENT)
    const mystery = new Y.XmlElement('mystery_node')
    mystery.insert(0, [new Y.XmlText('from a newer schema')])
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('kept')])
    fragment.insert(0, [mystery, paragraph])
    const update = Y.encodeStateAsUpdate(source)
    const copy = update.slice()

    expect(updateToProseMirror(update).toJSON()).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept' }] }],
    })
    // The stored bytes are untouched, and a second rendering sees the same thing.
    expect(update).toEqual(copy)
    const again = new Y.Doc()
    Y.applyUpdate(again, update)
    expect(again.getXmlFragment(PROSEMIRROR_FRAGMENT).length).toBe(2)
  })
})
