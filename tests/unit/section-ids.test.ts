import fc from 'fast-check'
import { Fragment, Slice, type Node } from 'prosemirror-model'
import { builders, type NodeBuilder } from 'prosemirror-test-builder'
import { canSplit, Transform } from 'prosemirror-transform'
import { describe, expect, it } from 'vitest'
import {
  applySectionIdChanges,
  assignSectionIds,
  findSections,
  isSectionId,
  newSectionId,
  schema,
  SECTION_ID_LENGTH,
  sectionIdChanges,
} from '../../shared/schema'

const built = builders(schema, {
  p: { nodeType: 'paragraph' },
  h1: { nodeType: 'heading', level: 1 },
  h2: { nodeType: 'heading', level: 2 },
  h3: { nodeType: 'heading', level: 3 },
  ul: { nodeType: 'bullet_list' },
  li: { nodeType: 'list_item' },
  br: { nodeType: 'hard_break' },
})
const node = (name: string) => built[name] as NodeBuilder
const b = {
  doc: node('doc'),
  p: node('p'),
  h1: node('h1'),
  h2: node('h2'),
  h3: node('h3'),
  ul: node('ul'),
  li: node('li'),
  br: node('br'),
}

/** Deterministic fresh ids, so expectations can name them. */
function counter(prefix = 'fresh') {
  let n = 0
  return () => `${prefix}${++n}`
}

function headingIds(doc: Node): (string | null)[] {
  const ids: (string | null)[] = []
  doc.descendants((node) => {
    if (node.type.name === 'heading') {
      ids.push(node.attrs.sectionId as string | null)
    }
  })
  return ids
}

/** Runs the same fix a client plugin runs after a transaction: the original keeps its id. */
function fixAfter(tr: Transform, generate = counter()): Node {
  const changes = sectionIdChanges(tr.doc, {
    previous: { doc: tr.before, mapping: tr.mapping },
    generate,
  })
  return applySectionIdChanges(new Transform(tr.doc), changes).doc
}

function expectUniqueIds(doc: Node) {
  const ids = headingIds(doc)
  expect(
    ids.every((id) => id !== null && isSectionId(id)),
    JSON.stringify(ids),
  ).toBe(true)
  expect(new Set(ids).size).toBe(ids.length)
}

const strategy = () =>
  b.doc(
    b.h1({ sectionId: 'strategy' }, 'Strategy'),
    b.p('Intro'),
    b.h2({ sectionId: 'vision' }, 'Vis<split>ion'),
    b.p('A secure country.'),
    b.h2({ sectionId: 'actions' }, 'Action lines'),
    b.h3({ sectionId: 'governance' }, 'Governance'),
    b.p('Create the council.'),
    b.h2({ sectionId: 'indicators' }, 'Indicators'),
  )

describe('fresh section ids', () => {
  it('are URL-safe, of the documented length, and different every time', () => {
    const ids = Array.from({ length: 2000 }, newSectionId)
    for (const id of ids) {
      expect(id).toMatch(new RegExp(`^[A-Za-z0-9_-]{${SECTION_ID_LENGTH}}$`))
    }
    expect(new Set(ids).size).toBe(ids.length)
    // Every character of the alphabet shows up: the generator is not stuck on a subset.
    expect(new Set(ids.join('')).size).toBe(64)
  })

  it('tells valid ids from invalid ones', () => {
    for (const id of ['a', 'abc-DEF_123', 'x'.repeat(64)]) {
      expect(isSectionId(id), id).toBe(true)
    }
    for (const id of ['', 'with space', 'ü', 'a/b', '"><script>', 'x'.repeat(65)]) {
      expect(isSectionId(id), id).toBe(false)
    }
  })
})

describe('assigning section ids', () => {
  it('gives every heading without an id a fresh one and leaves unique ids alone', () => {
    const doc = b.doc(
      b.h1('Title'),
      b.p('x'),
      b.h2({ sectionId: 'kept' }, 'Kept'),
      b.ul(b.li(b.p('item'), b.h3('Nested heading'))),
    )
    const fixed = assignSectionIds(doc, { generate: counter() })
    expect(headingIds(fixed)).toEqual(['fresh1', 'kept', 'fresh2'])
    expect(assignSectionIds(fixed)).toBe(fixed)
  })

  it('keeps the first of two equal ids and renames the others', () => {
    const doc = b.doc(
      b.h1({ sectionId: 'same' }, 'A'),
      b.h2({ sectionId: 'same' }, 'B'),
      b.h2({ sectionId: 'same' }, 'C'),
    )
    expect(headingIds(assignSectionIds(doc, { generate: counter() }))).toEqual([
      'same',
      'fresh1',
      'fresh2',
    ])
  })

  it('never hands out an id the document already uses', () => {
    const doc = b.doc(b.h1({ sectionId: 'fresh1' }, 'A'), b.h2('B'))
    expect(headingIds(assignSectionIds(doc, { generate: counter() }))).toEqual(['fresh1', 'fresh2'])
  })
})

describe('section ids across edits', () => {
  it('keeps the id on the first half when a heading is split, and gives the second half a fresh one', () => {
    const doc = strategy()
    const tr = new Transform(doc).split(doc.tag.split!)
    expect(headingIds(tr.doc)).toEqual([
      'strategy',
      'vision',
      'vision',
      'actions',
      'governance',
      'indicators',
    ])
    const fixed = fixAfter(tr)
    expect(headingIds(fixed)).toEqual([
      'strategy',
      'vision',
      'fresh1',
      'actions',
      'governance',
      'indicators',
    ])
    expect(findSections(fixed).map((s) => s.title)).toContain('Vis')
  })

  it('gives a pasted copy of a section fresh ids, wherever it lands, and the original keeps its own', () => {
    const doc = strategy()
    // Copy the "Action lines" section (its heading, sub-heading and text).
    const sections = findSections(doc)
    const actions = sections.find((s) => s.id === 'actions')!
    const copied = doc.slice(actions.from, actions.to)

    const after = new Transform(doc).replace(doc.content.size, doc.content.size, copied)
    expect(headingIds(fixAfter(after))).toEqual([
      'strategy',
      'vision',
      'actions',
      'governance',
      'indicators',
      'fresh1',
      'fresh2',
    ])

    // Pasted in front of the original: the original still keeps its id, so its threads stay put.
    const before = new Transform(doc).replace(actions.from, actions.from, copied)
    expect(headingIds(before.doc)).toEqual([
      'strategy',
      'vision',
      'actions',
      'governance',
      'actions',
      'governance',
      'indicators',
    ])
    expect(headingIds(fixAfter(before))).toEqual([
      'strategy',
      'vision',
      'fresh1',
      'fresh2',
      'actions',
      'governance',
      'indicators',
    ])
  })

  it('without the previous document, falls back to "the first occurrence keeps its id"', () => {
    const doc = strategy()
    const heading = doc.child(2)
    const tr = new Transform(doc).insert(0, heading)
    expect(headingIds(assignSectionIds(tr.doc, { generate: counter() }))).toEqual([
      'vision',
      'strategy',
      'fresh1',
      'actions',
      'governance',
      'indicators',
    ])
  })

  it('gives a duplicated heading a fresh id', () => {
    const doc = strategy()
    const vision = findSections(doc).find((s) => s.id === 'vision')!
    const tr = new Transform(doc).insert(vision.to, doc.nodeAt(vision.from)!)
    expect(headingIds(fixAfter(tr))).toEqual([
      'strategy',
      'vision',
      'fresh1',
      'actions',
      'governance',
      'indicators',
    ])
  })

  it('keeps the id when a section is renamed or its level changes', () => {
    const doc = strategy()
    const vision = findSections(doc).find((s) => s.id === 'vision')!
    const tr = new Transform(doc)
      .replaceWith(
        vision.from + 1,
        vision.from + 1 + doc.nodeAt(vision.from)!.content.size,
        schema.text('Shared vision'),
      )
      .setNodeMarkup(vision.from, undefined, { level: 3, sectionId: 'vision' })
    expect(sectionIdChanges(tr.doc, { previous: { doc: tr.before, mapping: tr.mapping } })).toEqual(
      [],
    )
    expect(findSections(tr.doc).find((s) => s.id === 'vision')).toMatchObject({
      level: 3,
      title: 'Shared vision',
    })
  })

  it('keeps every id when a section is moved (cut and pasted in one step)', () => {
    const doc = strategy()
    const [, vision, actions] = findSections(doc)
    const moved = doc.slice(actions!.from, actions!.to)
    const tr = new Transform(doc).delete(actions!.from, actions!.to)
    tr.replace(tr.mapping.map(vision!.from), tr.mapping.map(vision!.from), moved)
    expect(headingIds(tr.doc)).toEqual([
      'strategy',
      'actions',
      'governance',
      'vision',
      'indicators',
    ])
    expect(sectionIdChanges(tr.doc, { previous: { doc: tr.before, mapping: tr.mapping } })).toEqual(
      [],
    )
  })

  it('keeps the id when a heading is wrapped in a list', () => {
    const doc = b.doc(b.h2({ sectionId: 'kept' }, 'A'), b.h2({ sectionId: 'other' }, 'B'))
    const tr = new Transform(doc).replaceWith(
      0,
      doc.child(0).nodeSize,
      schema.nodes.bullet_list.create(
        null,
        schema.nodes.list_item.create(null, [schema.nodes.paragraph.create(), doc.child(0)]),
      ),
    )
    expect(headingIds(fixAfter(tr))).toEqual(['kept', 'other'])
  })
})

describe('finding sections', () => {
  it('lists headings in order with their ranges, levels and plain-text titles', () => {
    const doc = b.doc(
      b.h1({ sectionId: 'a' }, 'Title'),
      b.p('intro'),
      b.h2({ sectionId: 'b' }, 'One', b.br(), 'line   break'),
      b.h3({ sectionId: 'c' }, 'Sub'),
      b.h2({ sectionId: 'b' }, 'Copy with a repeated id'),
      b.h2('No id yet'),
    )
    const sections = findSections(doc)
    expect(sections.map((s) => ({ id: s.id, level: s.level, title: s.title }))).toEqual([
      { id: 'a', level: 1, title: 'Title' },
      { id: 'b', level: 2, title: 'One line break' },
      { id: 'c', level: 3, title: 'Sub' },
      { id: null, level: 2, title: 'Copy with a repeated id' },
      { id: null, level: 2, title: 'No id yet' },
    ])
    // A section runs to the next heading of the same or a higher level.
    const [title, one, sub, copy, last] = sections
    expect(title!.to).toBe(doc.content.size)
    expect(one!.to).toBe(copy!.from)
    expect(sub!.to).toBe(copy!.from)
    expect(copy!.to).toBe(last!.from)
    expect(doc.textBetween(one!.from, one!.to, '|')).toBe('One\nline   break|Sub')
  })

  it('finds nothing in a document without headings', () => {
    expect(findSections(b.doc(b.p('Only text')))).toEqual([])
  })
})

// Property: whatever a user copies, pastes, splits or deletes, one fix afterwards leaves
// every heading with a valid id, no id twice, and the original holder of each id keeping it.
describe('section ids under random edits', () => {
  const block = fc.oneof(
    fc.record({
      kind: fc.constant('heading' as const),
      level: fc.integer({ min: 1, max: 3 }),
      text: fc.constantFrom('Vision', 'Action lines', 'Governance', 'Indicators'),
    }),
    fc.record({
      kind: fc.constant('paragraph' as const),
      text: fc.constantFrom('Text.', 'More text here.', 'A'),
    }),
  )
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('paste' as const), from: fc.nat(), to: fc.nat(), at: fc.nat() }),
    fc.record({ kind: fc.constant('split' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('delete' as const), from: fc.nat(), to: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat() }),
  )

  function build(blocks: { kind: 'heading' | 'paragraph'; level?: number; text: string }[]): Node {
    const nodes = blocks.map((spec, i) =>
      spec.kind === 'heading'
        ? schema.nodes.heading.create(
            { level: spec.level, sectionId: `s${i}` },
            schema.text(spec.text),
          )
        : schema.nodes.paragraph.create(null, schema.text(spec.text)),
    )
    return schema.nodes.doc.create(null, nodes)
  }

  function apply(
    doc: Node,
    e: { kind: string; from?: number; to?: number; at?: number; index?: number },
  ): Transform {
    const tr = new Transform(doc)
    const size = doc.content.size
    const pos = (n: number) => n % (size + 1)
    switch (e.kind) {
      case 'paste': {
        const [from, to] = [pos(e.from!), pos(e.to!)].sort((x, y) => x - y) as [number, number]
        tr.replace(pos(e.at!), pos(e.at!), doc.slice(from, to))
        break
      }
      case 'split':
        if (canSplit(doc, pos(e.at!))) {
          tr.split(pos(e.at!))
        }
        break
      case 'delete': {
        const [from, to] = [pos(e.from!), pos(e.to!)].sort((x, y) => x - y) as [number, number]
        tr.delete(from, to)
        break
      }
      case 'duplicate': {
        const index = e.index! % doc.childCount
        let at = 0
        for (let i = 0; i <= index; i++) {
          at += doc.child(i).nodeSize
        }
        tr.replace(at, at, new Slice(Fragment.from(doc.child(index)), 0, 0))
        break
      }
    }
    return tr
  }

  it('leaves unique, valid ids, and the original keeps its own', () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 8 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (blocks, edits) => {
          let doc = build(blocks)
          for (const e of edits) {
            const tr = apply(doc, e)
            const fixed = fixAfter(tr, newSectionId)
            expectUniqueIds(fixed)
            // Each heading that held an id before and is still where the mapping says keeps it.
            tr.before.descendants((node, oldPos) => {
              if (node.type.name !== 'heading') {
                return false
              }
              const mapped = tr.mapping.mapResult(oldPos, 1)
              const now = tr.doc.nodeAt(mapped.pos)
              if (
                !mapped.deletedAfter &&
                now?.type.name === 'heading' &&
                now.attrs.sectionId === node.attrs.sectionId
              ) {
                expect(fixed.nodeAt(mapped.pos)!.attrs.sectionId).toBe(node.attrs.sectionId)
              }
              return false
            })
            // Nothing changes but headings that needed a change: no id is renamed needlessly.
            const changed = sectionIdChanges(tr.doc, {
              previous: { doc: tr.before, mapping: tr.mapping },
            }).length
            const ids = headingIds(tr.doc)
            const needed = ids.filter((id, i) => id === null || ids.indexOf(id) !== i).length
            expect(changed).toBe(needed)
            doc = fixed
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
