import type { Mark, Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import type { RedlinePart } from '../../shared/api/comparison'
import { schema } from '../../shared/schema'
import { compareDocuments } from '../../server/render/compare'

const { nodes: n, marks: m } = schema
const text = (value: string, marks: readonly Mark[] = []) => schema.text(value, marks)
const p = (...content: (Node | string)[]) =>
  n.paragraph.create(
    null,
    content.map((c) => (typeof c === 'string' ? text(c) : c)),
  )
const h = (level: number, sectionId: string | null, title: string) =>
  n.heading.create({ level, sectionId }, title ? text(title) : null)
const li = (...content: Node[]) => n.list_item.create(null, content)
const cell = (value: string) => n.table_cell.create(null, p(value))
const row = (...cells: string[]) => n.table_row.create(null, cells.map(cell))
const table = (...rows: string[][]) =>
  n.table.create(
    null,
    rows.map((r) => row(...r)),
  )
const doc = (...content: Node[]) => n.doc.create(null, content)

const base = () => [
  h(1, 'vision', 'Vision'),
  p('A country where people use digital services with confidence.'),
  h(1, 'threats', 'Threats'),
  p('Ransomware hits hospitals and town halls.'),
  h(1, 'actions', 'Lines of action'),
  p('Train ten thousand specialists by 2030.'),
]

const inserted = (parts: RedlinePart[]) =>
  parts
    .filter((x) => x.op === 'insert')
    .map((x) => x.text)
    .join('')
const deleted = (parts: RedlinePart[]) =>
  parts
    .filter((x) => x.op === 'delete')
    .map((x) => x.text)
    .join('')
const sideText = (parts: RedlinePart[], side: 'old' | 'new') =>
  parts
    .filter((x) => x.op === 'equal' || x.op === (side === 'old' ? 'delete' : 'insert'))
    .map((x) => x.text)
    .join('')

describe('compareDocuments', () => {
  it('finds nothing between a text and itself', () => {
    const result = compareDocuments(doc(...base()), doc(...base()))
    expect(result.summary).toEqual({
      changed: 0,
      added: 0,
      removed: 0,
      moved: 0,
      renamed: 0,
      unchanged: 3,
    })
    expect(result.sections.map((s) => [s.id, s.status])).toEqual([
      ['vision', 'unchanged'],
      ['threats', 'unchanged'],
      ['actions', 'unchanged'],
    ])
    expect(result.sections[1]!.redline).toEqual([
      { op: 'equal', text: 'Ransomware hits hospitals and town halls.' },
    ])
  })

  it('recognises a renamed section by its id, with its title on each side', () => {
    const after = base()
    after[2] = h(1, 'threats', 'Threats and risks')
    const result = compareDocuments(doc(...base()), doc(...after))
    const threats = result.sections.find((s) => s.id === 'threats')!
    expect(threats).toMatchObject({
      status: 'renamed',
      fromTitle: 'Threats',
      toTitle: 'Threats and risks',
      isRenamed: true,
      isChanged: false,
      isMoved: false,
    })
    expect(result.summary).toMatchObject({ renamed: 1, changed: 0, added: 0, removed: 0, moved: 0 })
  })

  it('recognises a moved section, and only that one, even when its title changed too', () => {
    const [vh, , th, tp, , ap] = base()
    const after = doc(
      th!,
      tp!,
      h(1, 'actions', 'Actions'),
      ap!,
      h(1, 'vision', 'Our vision'),
      p('A country where people use digital services with confidence.'),
    )
    const result = compareDocuments(doc(...base()), after)
    expect(result.sections.map((s) => [s.id, s.status])).toEqual([
      ['threats', 'unchanged'],
      ['actions', 'renamed'],
      ['vision', 'renamed'],
    ])
    const vision = result.sections[2]!
    expect(vision).toMatchObject({ isMoved: true, isRenamed: true, isChanged: false })
    expect(vision.from?.position).toBe(0)
    expect(vision.to?.position).toBe(2)
    expect(result.sections[1]!.isMoved).toBe(false)
    expect(result.summary).toMatchObject({ moved: 1, renamed: 2, unchanged: 1, changed: 0 })
    expect(vh!.attrs.sectionId).toBe('vision')
  })

  it('calls a section moved when only its place changed', () => {
    const [vh, vp, th, tp, ah, ap] = base()
    const result = compareDocuments(doc(...base()), doc(th!, tp!, ah!, ap!, vh!, vp!))
    expect(result.sections.map((s) => [s.id, s.status])).toEqual([
      ['threats', 'unchanged'],
      ['actions', 'unchanged'],
      ['vision', 'moved'],
    ])
    expect(result.summary).toMatchObject({ moved: 1, unchanged: 2 })
  })

  it('treats a changed heading level as a move in the outline', () => {
    const after = base()
    after[2] = h(2, 'threats', 'Threats')
    const threats = compareDocuments(doc(...base()), doc(...after)).sections[1]!
    expect(threats).toMatchObject({ id: 'threats', status: 'moved', isMoved: true })
    expect(threats.from?.level).toBe(1)
    expect(threats.to?.level).toBe(2)
  })

  it('shows a split section as the old one losing text and a new one added after it', () => {
    const before = doc(
      h(1, 'actions', 'Lines of action'),
      p('Train ten thousand specialists by 2030.'),
      p('Protect hospitals with a national response team.'),
    )
    const after = doc(
      h(1, 'actions', 'Lines of action'),
      p('Train ten thousand specialists by 2030.'),
      h(1, 'health', 'Health'),
      p('Protect hospitals with a national response team.'),
    )
    const result = compareDocuments(before, after)
    expect(result.sections.map((s) => [s.id, s.status])).toEqual([
      ['actions', 'changed'],
      ['health', 'added'],
    ])
    expect(deleted(result.sections[0]!.redline)).toBe(
      '\nProtect hospitals with a national response team.',
    )
    expect(inserted(result.sections[0]!.redline)).toBe('')
    expect(result.sections[1]!.redline).toEqual([
      { op: 'insert', text: 'Protect hospitals with a national response team.' },
    ])
    expect(result.sections[1]!.fromTitle).toBeNull()
    expect(result.summary).toMatchObject({ changed: 1, added: 1, removed: 0 })
  })

  it('places a removed section where it was', () => {
    const [vh, vp, , , ah, ap] = base()
    const result = compareDocuments(doc(...base()), doc(vh!, vp!, ah!, ap!))
    expect(result.sections.map((s) => [s.id, s.status, s.toTitle])).toEqual([
      ['vision', 'unchanged', 'Vision'],
      ['threats', 'removed', null],
      ['actions', 'unchanged', 'Lines of action'],
    ])
    expect(deleted(result.sections[1]!.redline)).toBe('Ransomware hits hospitals and town halls.')
    expect(result.summary).toMatchObject({ removed: 1, unchanged: 2 })
  })

  it('redlines changed words, and keeps the rest', () => {
    const after = base()
    after[3] = p('Ransomware hits clinics and town halls every week.')
    const threats = compareDocuments(doc(...base()), doc(...after)).sections[1]!
    expect(threats.status).toBe('changed')
    expect(threats.isFormattingOnly).toBe(false)
    expect(deleted(threats.redline)).toBe('hospitals')
    expect(inserted(threats.redline)).toBe('clinics every week')
    expect(sideText(threats.redline, 'old')).toBe('Ransomware hits hospitals and town halls.')
    expect(sideText(threats.redline, 'new')).toBe(
      'Ransomware hits clinics and town halls every week.',
    )
  })

  it('marks a formatting-only change as changed, showing the word without and with its formatting', () => {
    const after = base()
    after[3] = p('Ransomware hits ', text('hospitals', [m.strong.create()]), ' and town halls.')
    const threats = compareDocuments(doc(...base()), doc(...after)).sections[1]!
    expect(threats).toMatchObject({ status: 'changed', isChanged: true, isFormattingOnly: true })
    expect(threats.redline).toEqual([
      { op: 'equal', text: 'Ransomware hits ' },
      { op: 'delete', text: 'hospitals' },
      { op: 'insert', text: 'hospitals', strong: true },
      { op: 'equal', text: ' and town halls.' },
    ])
  })

  it('keeps links and emphasis on inserted and kept words', () => {
    const link = m.link.create({ href: 'https://www.example.org/plan' })
    const before = doc(h(1, 'a', 'A'), p('See ', text('the plan', [link]), '.'))
    const after = doc(
      h(1, 'a', 'A'),
      p('See ', text('the plan', [link]), ' and ', text('its annex', [m.em.create()]), '.'),
    )
    const section = compareDocuments(before, after).sections[0]!
    expect(section.isFormattingOnly).toBe(false)
    expect(section.redline).toContainEqual({
      op: 'equal',
      text: 'the plan',
      href: 'https://www.example.org/plan',
    })
    expect(section.redline).toContainEqual({ op: 'insert', text: 'its annex', em: true })
  })

  it('redlines an edited table cell within its row', () => {
    const before = doc(
      h(1, 'budget', 'Budget'),
      table(['Year', 'Amount'], ['2027', '10 million'], ['2028', '12 million']),
    )
    const after = doc(
      h(1, 'budget', 'Budget'),
      table(
        ['Year', 'Amount'],
        ['2027', '15 million'],
        ['2028', '12 million'],
        ['2029', '14 million'],
      ),
    )
    const budget = compareDocuments(before, after).sections[0]!
    expect(budget.status).toBe('changed')
    expect(deleted(budget.redline)).toBe('10')
    expect(inserted(budget.redline)).toBe('15\n2029 | 14 million')
    expect(sideText(budget.redline, 'old')).toBe(
      'Year | Amount\n2027 | 10 million\n2028 | 12 million',
    )
  })

  it('shows list items with their markers', () => {
    const list = (...items: string[]) =>
      n.bullet_list.create(
        null,
        items.map((i) => li(p(i))),
      )
    const before = doc(h(1, 'a', 'A'), list('Schools', 'Hospitals'))
    const after = doc(h(1, 'a', 'A'), list('Schools', 'Hospitals', 'Ports'))
    const section = compareDocuments(before, after).sections[0]!
    expect(sideText(section.redline, 'new')).toBe('• Schools\n• Hospitals\n• Ports')
    expect(inserted(section.redline)).toBe('\n• Ports')
  })

  it('compares the text before the first heading as a section without an id', () => {
    const before = doc(p('Draft for comment.'), ...base())
    const after = doc(p('Final text.'), ...base())
    const result = compareDocuments(before, after)
    expect(result.sections[0]).toMatchObject({ id: null, status: 'changed', fromTitle: '' })
    expect(result.sections).toHaveLength(4)
  })

  it('folds a heading without an id, or with a repeated id, into the section before it', () => {
    const before = doc(h(1, 'a', 'A'), p('One.'))
    const after = doc(h(1, 'a', 'A'), p('One.'), h(2, null, 'Loose'), p('Two.'), h(2, 'a', 'Copy'))
    const result = compareDocuments(before, after)
    expect(result.sections).toHaveLength(1)
    expect(inserted(result.sections[0]!.redline)).toBe('\nLoose\nTwo.\nCopy')
  })
})
