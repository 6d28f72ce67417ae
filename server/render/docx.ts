import {
  AlignmentType,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx'
import type { Mark, Node } from 'prosemirror-model'
import type { RedlinePart, SectionComparison } from '../../shared/api/comparison'
import { isAllowedHref } from '../../shared/schema'

/**
 * .docx renderings of a document and of a comparison (issue 14, items 1 and 2), built with
 * the `docx` library as the consultation report is. Headings keep Word's heading styles (so
 * the navigation pane and a table of contents work), lists are real numbered and bulleted
 * lists, tables are tables, and bold, italic and links stay. A comparison marks insertions
 * and deletions as Word's tracked changes, which Word and LibreOffice show as a redline and
 * let a reader accept or reject.
 */

/** Text as XML 1.0 may hold it: one character outside its set would make Word refuse the file. */
function xmlText(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
}

// A4 with 2 cm margins, in twentieths of a point.
const PAGE = { width: 11_906, height: 16_838, margin: 1_134 }
const USABLE_WIDTH = PAGE.width - 2 * PAGE.margin

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const

const LIST_LEVELS = 9

const numbering = {
  config: [
    {
      reference: 'bullets',
      levels: Array.from({ length: LIST_LEVELS }, (_, level) => ({
        level,
        format: LevelFormat.BULLET,
        text: level % 2 === 0 ? '•' : '◦',
        alignment: AlignmentType.LEFT,
        style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
      })),
    },
    {
      reference: 'numbers',
      levels: Array.from({ length: LIST_LEVELS }, (_, level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        alignment: AlignmentType.LEFT,
        style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
      })),
    },
  ],
}

interface RunStyle {
  bold?: boolean
  italics?: boolean
}

interface Context {
  /** The list the current paragraph is in, if any, and how deep. */
  list?: { reference: 'bullets' | 'numbers'; level: number; instance: number }
  /** Whether the current paragraph is the first of its list item (the one that gets the marker). */
  isItemStart?: boolean
  quoteDepth: number
}

class DocxWriter {
  private instances = 0

  blocks(nodes: readonly Node[], context: Context): (Paragraph | Table)[] {
    const out: (Paragraph | Table)[] = []
    for (const node of nodes) {
      out.push(...this.block(node, context))
    }
    return out
  }

  private block(node: Node, context: Context): (Paragraph | Table)[] {
    switch (node.type.name) {
      case 'heading':
        return [
          new Paragraph({
            heading: HEADINGS[Math.min(3, Math.max(1, Number(node.attrs.level))) - 1],
            children: inlineRuns(node),
          }),
        ]
      case 'paragraph':
        return [this.paragraph(inlineRuns(node), context)]
      case 'blockquote':
        return this.blocks(children(node), { ...context, quoteDepth: context.quoteDepth + 1 })
      case 'bullet_list':
      case 'ordered_list': {
        const reference = node.type.name === 'bullet_list' ? 'bullets' : 'numbers'
        this.instances += 1
        const list = {
          reference,
          level: context.list ? Math.min(LIST_LEVELS - 1, context.list.level + 1) : 0,
          instance: this.instances,
        } as const
        const out: (Paragraph | Table)[] = []
        node.forEach((item) => {
          item.forEach((child, _offset, index) => {
            out.push(
              ...this.block(child, {
                ...context,
                list,
                isItemStart: index === 0,
              }),
            )
          })
        })
        return out
      }
      case 'table':
        return [this.table(node)]
      default:
        // Anything else that holds blocks keeps its text.
        return node.isTextblock
          ? [this.paragraph(inlineRuns(node), context)]
          : this.blocks(children(node), context)
    }
  }

  paragraph(runs: ParagraphChild[], context: Context): Paragraph {
    const indent = context.quoteDepth > 0 ? { left: 567 * context.quoteDepth } : undefined
    if (context.list && context.isItemStart) {
      return new Paragraph({
        children: runs,
        numbering: {
          reference: context.list.reference,
          level: context.list.level,
          instance: context.list.instance,
        },
      })
    }
    if (context.list) {
      // A later paragraph of a list item lines up with the item's text, without a marker.
      return new Paragraph({ children: runs, indent: { left: 720 * (context.list.level + 1) } })
    }
    return new Paragraph({ children: runs, ...(indent ? { indent } : {}) })
  }

  private table(node: Node): Table {
    let columns = 1
    node.forEach((row) => {
      let width = 0
      row.forEach((cell) => {
        width += Number(cell.attrs.colspan) || 1
      })
      columns = Math.max(columns, width)
    })
    const columnWidth = Math.floor(USABLE_WIDTH / columns)
    const rows: TableRow[] = []
    node.forEach((row, _offset, rowIndex) => {
      const cells: TableCell[] = []
      row.forEach((cell) => {
        const colspan = Number(cell.attrs.colspan) || 1
        const rowspan = Number(cell.attrs.rowspan) || 1
        const content = this.blocks(children(cell), { quoteDepth: 0 })
        cells.push(
          new TableCell({
            children: content.length > 0 ? content : [new Paragraph('')],
            width: { size: columnWidth * colspan, type: WidthType.DXA },
            ...(colspan > 1 ? { columnSpan: colspan } : {}),
            ...(rowspan > 1 ? { rowSpan: rowspan } : {}),
            ...(cell.type.name === 'table_header' ? { shading: { fill: 'E7E6E6' } } : {}),
          }),
        )
      })
      rows.push(new TableRow({ children: cells, ...(rowIndex === 0 ? { tableHeader: true } : {}) }))
    })
    return new Table({
      rows,
      width: { size: columnWidth * columns, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => columnWidth),
    })
  }
}

function children(node: Node): Node[] {
  const list: Node[] = []
  node.forEach((child) => list.push(child))
  return list
}

function styleOf(marks: readonly Mark[]): RunStyle & { href?: string } {
  const style: RunStyle & { href?: string } = {}
  for (const mark of marks) {
    if (mark.type.name === 'strong') {
      style.bold = true
    } else if (mark.type.name === 'em') {
      style.italics = true
    } else if (mark.type.name === 'link') {
      style.href = String(mark.attrs.href)
    }
  }
  return style
}

/** A link, when its target is one the schema allows (defence in depth), else its runs alone. */
function linked(href: string | undefined, runs: ParagraphChild[]): ParagraphChild[] {
  if (href === undefined || !isAllowedHref(href)) {
    return runs
  }
  return [new ExternalHyperlink({ link: href, children: runs })]
}

function inlineRuns(node: Node): ParagraphChild[] {
  const runs: ParagraphChild[] = []
  node.forEach((child) => {
    if (child.isText) {
      const { href, ...style } = styleOf(child.marks)
      const run = new TextRun({
        text: xmlText(child.text ?? ''),
        ...style,
        ...(href !== undefined ? { style: 'Hyperlink' } : {}),
      })
      runs.push(...linked(href, [run]))
    } else if (child.type.name === 'hard_break') {
      runs.push(new TextRun({ break: 1 }))
    }
  })
  return runs
}

function documentOf(title: string, description: string, body: (Paragraph | Table)[]): Document {
  return new Document({
    title: xmlText(title),
    creator: 'Concord',
    description: xmlText(description),
    numbering,
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.margin,
              bottom: PAGE.margin,
              left: PAGE.margin,
              right: PAGE.margin,
            },
          },
        },
        children: body,
      },
    ],
  })
}

/** A document as a .docx file: its title as the Title paragraph, then its content. */
export async function renderDocx(doc: Node, options: { title: string }): Promise<Buffer> {
  const writer = new DocxWriter()
  const body = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(xmlText(options.title))] }),
    ...writer.blocks(children(doc), { quoteDepth: 0 }),
  ]
  return Packer.toBuffer(documentOf(options.title, options.title, body))
}

/** The words a comparison's .docx uses, in the reader's language. */
export interface ComparisonDocxLabels {
  title: string
  summary: string
  /** The note under a section's heading, per status; `{{title}}` is the older title. */
  status: Record<SectionComparison['status'], string>
  renamedFrom: string
  moved: string
  author: string
}

/**
 * A comparison as a .docx file: a title, the summary, then every section that is not
 * unchanged under its (newer) title, with a note saying what happened to it and its text
 * with insertions and deletions as tracked changes. Unchanged sections are listed by title
 * only, so the file stays about the changes.
 */
export async function renderComparisonDocx(
  sections: readonly SectionComparison[],
  labels: ComparisonDocxLabels,
  date: Date,
): Promise<Buffer> {
  const writer = new DocxWriter()
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  let revision = 0
  const change = () => ({ id: ++revision, author: xmlText(labels.author), date: iso })
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(xmlText(labels.title))] }),
    new Paragraph({ children: [new TextRun({ text: xmlText(labels.summary), italics: true })] }),
  ]
  for (const section of sections) {
    const level = (section.to ?? section.from)?.level ?? 1
    const title = section.toTitle ?? section.fromTitle ?? ''
    const heading = HEADINGS[Math.min(3, Math.max(1, level)) - 1]
    if (section.status === 'added') {
      body.push(
        new Paragraph({
          heading,
          children: [new InsertedTextRun({ text: xmlText(title), ...change() })],
        }),
      )
    } else if (section.status === 'removed') {
      body.push(
        new Paragraph({
          heading,
          children: [new DeletedTextRun({ text: xmlText(title), ...change() })],
        }),
      )
    } else if (title !== '') {
      body.push(new Paragraph({ heading, children: [new TextRun(xmlText(title))] }))
    }
    const notes = [labels.status[section.status]]
    if (section.isRenamed && section.status !== 'renamed') {
      notes.push(labels.renamedFrom.replace('{{title}}', section.fromTitle ?? ''))
    } else if (section.status === 'renamed') {
      notes[0] = labels.renamedFrom.replace('{{title}}', section.fromTitle ?? '')
    }
    if (section.isMoved && section.status !== 'moved') {
      notes.push(labels.moved)
    }
    body.push(
      new Paragraph({
        children: [
          new TextRun({ text: xmlText(notes.join(' · ')), italics: true, color: '595959' }),
        ],
      }),
    )
    if (section.status === 'unchanged') {
      continue
    }
    for (const line of redlineLines(section.redline)) {
      body.push(
        writer.paragraph(
          line.map((part) => redlineRun(part, change)),
          { quoteDepth: 0 },
        ),
      )
    }
  }
  return Packer.toBuffer(documentOf(labels.title, labels.summary, body))
}

// A redline's parts, cut into lines at its line breaks: one paragraph of the file each.
function redlineLines(parts: readonly RedlinePart[]): RedlinePart[][] {
  const lines: RedlinePart[][] = [[]]
  for (const part of parts) {
    const pieces = part.text.split('\n')
    pieces.forEach((piece, index) => {
      if (index > 0) {
        lines.push([])
      }
      if (piece !== '') {
        lines[lines.length - 1]!.push({ ...part, text: piece })
      }
    })
  }
  return lines.filter((line) => line.length > 0)
}

function redlineRun(
  part: RedlinePart,
  change: () => { id: number; author: string; date: string },
): ParagraphChild {
  const style = {
    text: xmlText(part.text),
    ...(part.strong ? { bold: true } : {}),
    ...(part.em ? { italics: true } : {}),
    ...(part.href !== undefined ? { style: 'Hyperlink' } : {}),
  }
  const run =
    part.op === 'insert'
      ? new InsertedTextRun({ ...style, ...change() })
      : part.op === 'delete'
        ? new DeletedTextRun({ ...style, ...change() })
        : new TextRun(style)
  return linked(part.href, [run])[0]!
}
