import { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import {
  HEADING_LEVEL_MAX,
  isAllowedHref,
  isSchemaCompatible,
  LINK_HREF_MAX,
  parseSchemaVersion,
  schema,
  SCHEMA_VERSION,
} from '../../shared/schema'
import { parseHtml } from '../../server/render/from-html'

// A document of schema 1.0 using every node, mark and attribute. STYLE 2.10: a schema change
// bumps version.ts and must keep fixtures like this one loading unchanged.
const FIXTURE_1_0 = {
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { level: 1, sectionId: 'Xk3_9aQ-b2' },
      content: [{ type: 'text', text: 'Estrategia Nacional' }],
    },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Plain, ' },
        { type: 'text', marks: [{ type: 'strong' }], text: 'bold' },
        { type: 'text', text: ', ' },
        { type: 'text', marks: [{ type: 'em' }], text: 'italic' },
        { type: 'hard_break' },
        {
          type: 'text',
          marks: [
            { type: 'link', attrs: { href: 'https://www.example.org/a?b=c#d', title: 'Example' } },
          ],
          text: 'a link',
        },
        { type: 'text', text: ' and ' },
        {
          type: 'text',
          marks: [
            { type: 'link', attrs: { href: 'mailto:secretaria@example.org', title: null } },
            { type: 'strong' },
          ],
          text: 'mail',
        },
      ],
    },
    {
      type: 'heading',
      attrs: { level: 3, sectionId: null },
      content: [{ type: 'text', text: 'Unassigned' }],
    },
    {
      type: 'blockquote',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Quoted' }] }],
    },
    {
      type: 'bullet_list',
      content: [
        {
          type: 'list_item',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'One' }] },
            {
              type: 'ordered_list',
              attrs: { order: 3 },
              content: [
                {
                  type: 'list_item',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Three' }] }],
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
              attrs: { colspan: 2, rowspan: 1, colwidth: [100, 200] },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Head' }] }],
            },
          ],
        },
        {
          type: 'table_row',
          content: [
            {
              type: 'table_cell',
              attrs: { colspan: 1, rowspan: 1, colwidth: null },
              content: [{ type: 'paragraph' }],
            },
            {
              type: 'table_cell',
              attrs: { colspan: 1, rowspan: 1, colwidth: null },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }],
            },
          ],
        },
      ],
    },
  ],
}

function load(json: unknown): Node {
  const doc = Node.fromJSON(schema, json)
  doc.check()
  return doc
}

describe('the schema', () => {
  it('has the nodes and marks of issue 3, with paragraph as the default block', () => {
    expect(Object.keys(schema.nodes)).toEqual([
      'doc',
      'paragraph',
      'heading',
      'blockquote',
      'bullet_list',
      'ordered_list',
      'list_item',
      'table',
      'table_row',
      'table_cell',
      'table_header',
      'text',
      'hard_break',
    ])
    expect(Object.keys(schema.marks)).toEqual(['link', 'em', 'strong'])
    expect(schema.topNodeType.createAndFill()!.toJSON()).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph' }],
    })
  })

  it('gives every attribute a default and a validation (STYLE 2.10)', () => {
    const types = [...Object.values(schema.nodes), ...Object.values(schema.marks)]
    for (const type of types) {
      for (const [name, attr] of Object.entries(type.spec.attrs ?? {})) {
        expect(attr, `${type.name}.${name}`).toHaveProperty('default')
        expect(attr.validate, `${type.name}.${name}`).toBeDefined()
      }
    }
  })

  it('renders with array specs only, so the server can render without a DOM', () => {
    const doc = load(FIXTURE_1_0)
    const seen = new Set<string>()
    doc.descendants((node) => {
      if (!node.isText) {
        seen.add(node.type.name)
        expect(Array.isArray(node.type.spec.toDOM!(node)), node.type.name).toBe(true)
      }
      for (const mark of node.marks) {
        seen.add(mark.type.name)
        expect(Array.isArray(mark.type.spec.toDOM!(mark, true)), mark.type.name).toBe(true)
      }
    })
    // The fixture really covers every type.
    expect([...seen].sort()).toEqual(
      Object.keys({ ...schema.nodes, ...schema.marks })
        .filter((n) => n !== 'doc' && n !== 'text')
        .sort(),
    )
  })

  it('loads the 1.0 fixture unchanged', () => {
    expect(load(FIXTURE_1_0).toJSON()).toEqual(FIXTURE_1_0)
  })

  it.each<[string, unknown]>([
    ['heading level 0', { type: 'heading', attrs: { level: 0 } }],
    ['heading level 4', { type: 'heading', attrs: { level: HEADING_LEVEL_MAX + 1 } }],
    ['heading level as text', { type: 'heading', attrs: { level: '2' } }],
    ['section id with spaces', { type: 'heading', attrs: { level: 1, sectionId: 'not valid' } }],
    ['empty section id', { type: 'heading', attrs: { level: 1, sectionId: '' } }],
    ['section id as a number', { type: 'heading', attrs: { level: 1, sectionId: 7 } }],
    [
      'negative list start',
      {
        type: 'ordered_list',
        attrs: { order: -1 },
        content: [{ type: 'list_item', content: [{ type: 'paragraph' }] }],
      },
    ],
    [
      'fractional list start',
      {
        type: 'ordered_list',
        attrs: { order: 1.5 },
        content: [{ type: 'list_item', content: [{ type: 'paragraph' }] }],
      },
    ],
    ...[0, 1.5, Number.NaN, '2', 5000].map((span): [string, unknown] => [
      `colspan ${String(span)}`,
      {
        type: 'table',
        content: [
          {
            type: 'table_row',
            content: [
              { type: 'table_cell', attrs: { colspan: span }, content: [{ type: 'paragraph' }] },
            ],
          },
        ],
      },
    ]),
    [
      'colwidth with text',
      {
        type: 'table',
        content: [
          {
            type: 'table_row',
            content: [
              {
                type: 'table_cell',
                attrs: { colwidth: ['wide'] },
                content: [{ type: 'paragraph' }],
              },
            ],
          },
        ],
      },
    ],
    ...[
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'http://example.org',
      'data:text/html,<script>',
      'https://user@evil.example',
      '//example.org',
      'ftp://example.org',
      'java\tscript:x',
    ].map((href): [string, unknown] => [
      `link to ${href}`,
      {
        type: 'paragraph',
        content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href } }] }],
      },
    ]),
    [
      'link title too long',
      {
        type: 'paragraph',
        content: [
          {
            type: 'text',
            text: 'x',
            marks: [{ type: 'link', attrs: { href: 'https://a.example', title: 't'.repeat(501) } }],
          },
        ],
      },
    ],
  ])('refuses %s', (_label, block) => {
    expect(() => load({ type: 'doc', content: [block] })).toThrow()
  })

  it('refuses the same bad values when an editor creates nodes and marks', () => {
    expect(() => schema.nodes.heading.create({ level: 9 })).toThrow(RangeError)
    expect(() => schema.marks.link.create({ href: 'javascript:alert(1)' })).toThrow(RangeError)
    expect(schema.nodes.heading.create({ level: 2 }).attrs).toEqual({ level: 2, sectionId: null })
  })
})

describe('link targets', () => {
  it.each([
    ['https://www.gob.example/estrategia', true],
    ['HTTPS://EXAMPLE.ORG', true],
    ['https://example.org:8443/a/b?c=d&e=f#g', true],
    ['https://ministerio.gob.example/ñandú', true],
    ['https://bücher.example/', true],
    ['mailto:consulta@example.org', true],
    ['mailto:a@example.org?subject=Comentario', true],
    ['http://example.org', false],
    ['https://', false],
    ['https:///path', false],
    ['https://user:pass@example.org', false],
    ['https://exa mple.org', false],
    ['https://example.org/\u0000', false],
    [' https://example.org', false],
    ['javascript:alert(1)', false],
    ['vbscript:x', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
    ['/relative/path', false],
    ['#fragment', false],
    ['mailto:', false],
    [`https://example.org/${'a'.repeat(LINK_HREF_MAX)}`, false],
  ])('%s → %s', (href, allowed) => {
    expect(isAllowedHref(href)).toBe(allowed)
  })
})

describe('parse rules (paste and HTML import)', () => {
  it('clamps deep headings, keeps valid section ids and renames repeated ones', () => {
    const doc = parseHtml(
      '<h2 data-section-id="kept">A</h2><h5>B</h5><h1 data-section-id="bad id">C</h1><h3 data-section-id="kept">D</h3>',
    )
    const headings = [0, 1, 2, 3].map((i) => doc.child(i).attrs)
    expect(headings.map((a) => a.level)).toEqual([2, 3, 1, 3])
    expect(headings[0]!.sectionId).toBe('kept')
    expect(new Set(headings.map((a) => a.sectionId)).size).toBe(4)
    expect(headings.every((a) => typeof a.sectionId === 'string')).toBe(true)
  })

  it('keeps allowed links, and turns other links, scripts and styles into text or nothing', () => {
    const doc = parseHtml(
      '<p><a href="https://ok.example" title="OK">ok</a> <a href="javascript:alert(1)">bad</a> <a href="http://plain.example">plain</a><script>alert(1)</script><style>p{color:red}</style></p>',
    )
    expect(doc.toJSON()).toEqual({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              marks: [{ type: 'link', attrs: { href: 'https://ok.example', title: 'OK' } }],
              text: 'ok',
            },
            { type: 'text', text: ' bad plain' },
          ],
        },
      ],
    })
  })

  it('repairs bad table and list markup instead of failing', () => {
    const doc = parseHtml(
      '<ol start="-4"><li>x</li></ol><table><tr><td colspan="abc" rowspan="0" data-colwidth="1,2,x">a</td><td colspan="2" data-colwidth="10,20">b</td></tr></table>',
    )
    doc.check()
    expect(doc.child(0).attrs.order).toBe(1)
    const row = doc.child(1).child(0)
    expect(row.child(0).attrs).toEqual({ colspan: 1, rowspan: 1, colwidth: null })
    expect(row.child(1).attrs).toEqual({ colspan: 2, rowspan: 1, colwidth: [10, 20] })
  })

  it('does not take the Google Docs wrapper <b style="font-weight:normal"> for bold', () => {
    const doc = parseHtml(
      '<b style="font-weight:normal;" id="docs-internal-guid-1"><p>Normal</p><p><b>Bold</b></p></b>',
    )
    expect(doc.child(0).child(0).marks).toEqual([])
    expect(
      doc
        .child(1)
        .child(0)
        .marks.map((m) => m.type.name),
    ).toEqual(['strong'])
  })
})

describe('schema version', () => {
  it('is major.minor', () => {
    expect(parseSchemaVersion(SCHEMA_VERSION)).toEqual({ major: 1, minor: 0 })
  })

  it('accepts the same major and refuses another major or anything malformed', () => {
    expect(isSchemaCompatible(SCHEMA_VERSION)).toBe(true)
    expect(isSchemaCompatible('1.7', '1.0')).toBe(true)
    expect(isSchemaCompatible('2.0', '1.0')).toBe(false)
    expect(isSchemaCompatible('0.9', '1.0')).toBe(false)
    for (const bad of ['', '1', '1.0.0', '01.0', '1.a', ' 1.0', '-1.0', 'v1.0']) {
      expect(isSchemaCompatible(bad), bad).toBe(false)
    }
  })
})
