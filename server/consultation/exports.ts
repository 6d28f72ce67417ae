import { stringify } from 'csv-stringify/sync'
import {
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import {
  DISPOSITIONS,
  type ConsultationReport,
  type ReportFormat,
  type ReportThread,
} from '../../shared/api/consultations'
import type { UiLanguage } from '../../shared/limits'
import { translator } from './public-i18n'
import { DICTIONARIES, type Dictionary } from '../../shared/i18n/dictionaries'

// The secretariat's exports of “what we heard” (issue 6, item 8): a CSV with one row per thread,
// the report as JSON, and a .docx comment-response matrix a ministry can file. Headings and the
// labels of groups, kinds and dispositions are in the language asked for; what people wrote is
// copied as it is (a CSV cell that a spreadsheet would run as a formula is defused, see below).

type Catalogue = Dictionary
const CATALOGUES: Record<UiLanguage, Catalogue> = DICTIONARIES

/** The report's strings in one language, with `{{name}}` placeholders filled in. */
export function reportLabels(lang: UiLanguage) {
  const catalogue = CATALOGUES[lang]
  const strings = catalogue.consultationReport
  const fill = (template: string, values: Record<string, string | number> = {}) =>
    template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => String(values[name] ?? ''))
  const added = catalogue.reportReferences
  return {
    strings,
    /** The strings issue 15 added (references, the author column). */
    added,
    fill,
    /** Counted strings go through the language's plural rules (issue 15, item 8). */
    translate: translator(lang),
    column: (key: ColumnKey) =>
      key in added.columns
        ? added.columns[key as keyof Catalogue['reportReferences']['columns']]
        : strings.columns[key as keyof Catalogue['consultationReport']['columns']],
    disposition: (value: string | null) =>
      value === null
        ? strings.noAnswer
        : (strings.dispositions[value as keyof typeof strings.dispositions] ?? value),
    kind: (value: string) =>
      catalogue.threads.kind[value as keyof Catalogue['threads']['kind']] ?? value,
    /** A group's label: the one the secretariat typed, or the built-in group's translation. */
    group: (report: ConsultationReport, key: string) =>
      report.groups.find((g) => g.key === key)?.label ??
      catalogue.groups[key as keyof Catalogue['groups']] ??
      key,
  }
}

type ColumnKey =
  keyof Catalogue['consultationReport']['columns'] | keyof Catalogue['reportReferences']['columns']

type Labels = ReturnType<typeof reportLabels>

/** The consultation's title in `lang`, else in the first language it has. */
function titleIn(report: ConsultationReport, lang: UiLanguage): string {
  return report.title[lang] ?? Object.values(report.title)[0] ?? report.slug
}

/** The window as people read it: dates and times in the consultation's own time zone. */
function windowText(report: ConsultationReport, lang: UiLanguage, labels: Labels): string {
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat(lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: report.timeZone,
    })
  } catch {
    format = new Intl.DateTimeFormat(lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    })
  }
  return labels.fill(labels.strings.window, {
    opens: format.format(new Date(report.opensAt)),
    closes: format.format(new Date(report.closesAt)),
    timeZone: report.timeZone,
  })
}

/** The CSV's columns, in order: the matrix's, with the details a spreadsheet may sort by. */
const CSV_COLUMNS = [
  'number',
  'references',
  'section',
  'group',
  'selfDeclared',
  'organisation',
  'author',
  'kind',
  'comment',
  'quote',
  'proposedChange',
  'submissions',
  'hidden',
  'createdAt',
  'disposition',
  'answer',
  'answeredAt',
  'answerVersion',
  'answerSection',
] as const

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * as a formula; public comments must never do that in the ministry's Excel (OWASP “CSV
 * injection”). Such a cell gets a leading apostrophe, which shows the text as typed. Leading
 * spaces (which some spreadsheets trim before they look) and the full-width forms of those
 * signs (which some turn into the plain ones) do not hide a formula.
 */
export function defuseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

const FORMULA_START = /^[\s\u200b\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212]|^[\t\r\n]/u

function csvCells(report: ConsultationReport, thread: ReportThread, labels: Labels): string[] {
  const yesNo = (value: boolean) => (value ? labels.strings.yes : labels.strings.no)
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    number: String(thread.number),
    references: thread.references.join(' '),
    section: thread.sectionTitle,
    group: labels.group(report, thread.stakeholderGroup),
    selfDeclared: yesNo(thread.selfDeclared),
    organisation: thread.organisation,
    author: thread.author,
    kind: labels.kind(thread.kind),
    comment: thread.comment,
    quote: thread.quote ?? '',
    proposedChange: thread.proposedChange ?? '',
    submissions: String(thread.submissions),
    hidden: yesNo(thread.hidden),
    createdAt: thread.createdAt,
    disposition: thread.disposition === null ? '' : labels.disposition(thread.disposition),
    answer: thread.answer ?? '',
    answeredAt: thread.answeredAt ?? '',
    answerVersion: thread.answerVersionName ?? '',
    answerSection: thread.answerSectionTitle ?? '',
  }
  return CSV_COLUMNS.map((column) => defuseCell(cells[column]))
}

/**
 * The matrix as CSV: a header row, then one row per thread in the report's order. UTF-8 with a
 * byte-order mark, so Excel reads accents right, and CRLF line ends (RFC 4180).
 */
export function reportToCsv(report: ConsultationReport, lang: UiLanguage): string {
  const labels = reportLabels(lang)
  const header = CSV_COLUMNS.map((column) => labels.column(column))
  const rows = report.threads.map((thread) => csvCells(report, thread, labels))
  return stringify([header, ...rows], {
    bom: true,
    record_delimiter: 'windows',
    quoted_string: false,
  })
}

/** The report itself, as JSON. */
export function reportToJson(report: ConsultationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

// A4 in twentieths of a point, given upright: docx turns it for a landscape page.
const A4 = { width: 11_906, height: 16_838 }
const MARGIN = 720
const USABLE_WIDTH = A4.height - 2 * MARGIN

type MatrixColumn =
  | 'number'
  | 'references'
  | 'section'
  | 'group'
  | 'authorOrganisation'
  | 'kind'
  | 'comment'
  | 'proposedChange'
  | 'disposition'
  | 'answer'

/**
 * The matrix's columns and their share of the page's width (in twentieths of a point). The
 * author / organisation column is there only when the consultation publishes its comments (at
 * once or after the close): people who commented where comments are never published agreed to
 * be recorded, not named in a document the ministry files; the CSV and JSON keep the names.
 */
function matrixColumns(report: ConsultationReport): (readonly [MatrixColumn, number])[] {
  const named = report.visibility !== 'never'
  return [
    ['number', 600],
    ['references', 1_200],
    ['section', 1_300],
    ['group', 1_300],
    ...(named ? [['authorOrganisation', 1_500] as const] : []),
    ['kind', 900],
    ['comment', named ? 2_900 : 4_400],
    ['proposedChange', 1_900],
    ['disposition', 1_200],
    ['answer', 2_598],
  ]
}

const FONT_SIZE = 18 // half-points: 9 pt, so the matrix stays readable and fits the page.

/**
 * Text as XML 1.0 may hold it: the document's XML is read strictly by Word, and one character
 * outside XML's set (U+FFFE, U+FFFF, C0 controls) in a public comment would make the whole file
 * unreadable. Such characters are dropped.
 */
export function xmlText(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
}

/** Paragraphs for a text that may hold line breaks. */
function paragraphs(
  text: string,
  options: { bold?: boolean; italics?: boolean } = {},
): Paragraph[] {
  return text.split(/\r?\n/).map(
    (line) =>
      new Paragraph({
        children: [new TextRun({ text: xmlText(line), size: FONT_SIZE, ...options })],
      }),
  )
}

function cell(children: Paragraph[], width: number, header = false): TableCell {
  return new TableCell({
    children: children.length > 0 ? children : [new Paragraph('')],
    width: { size: width, type: WidthType.DXA },
    ...(header ? { shading: { fill: 'E7E6E6' } } : {}),
  })
}

const simpleTable = (rows: string[][], widths: number[]) =>
  new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    rows: rows.map(
      (row, index) =>
        new TableRow({
          ...(index === 0 ? { tableHeader: true } : {}),
          children: row.map((text, column) =>
            cell(
              paragraphs(text, { bold: index === 0 || column === 0 }),
              widths[column] ?? 1_000,
              index === 0,
            ),
          ),
        }),
    ),
  })

function matrixCells(
  report: ConsultationReport,
  thread: ReportThread,
  labels: Labels,
): Paragraph[][] {
  const s = labels.strings
  const group = labels.group(report, thread.stakeholderGroup)
  const comment: Paragraph[] = []
  if (thread.hidden) {
    comment.push(
      ...paragraphs(labels.fill(s.hiddenComment, { reason: thread.hiddenReason ?? '' }), {
        italics: true,
      }),
    )
  }
  if (thread.withdrawn) {
    comment.push(...paragraphs(s.withdrawn, { italics: true }))
  }
  if (thread.quote) {
    comment.push(...paragraphs(labels.fill(s.quoted, { quote: thread.quote }), { italics: true }))
  }
  // A hidden thread's own text, which only the secretariat's report holds, follows the mark.
  if (thread.comment !== '' && !(thread.hidden && report.audience === 'public')) {
    comment.push(...paragraphs(thread.comment))
  }
  if (!report.commentsPublished) {
    comment.push(...paragraphs(s.notPublished, { italics: true }))
  }
  if (thread.submissions > 1) {
    comment.push(
      ...paragraphs(labels.translate('consultationReport.identical', { count: thread.submissions }), {
        italics: true,
      }),
    )
  }
  const answer = thread.answer === null ? [] : paragraphs(thread.answer)
  const where = [thread.answerVersionName, thread.answerSectionTitle].filter(
    (x): x is string => !!x,
  )
  if (where.length > 0) {
    answer.push(
      ...paragraphs(labels.fill(s.changedIn, { where: where.join(', ') }), { italics: true }),
    )
  }
  // A hidden or withdrawn thread's author is blank in public; anonymous only when no name came.
  const who =
    thread.author.trim() === '' &&
    thread.organisation.trim() === '' &&
    !thread.hidden &&
    !thread.withdrawn
      ? paragraphs(labels.added.anonymous, { italics: true })
      : [thread.author, thread.organisation]
          .filter((x) => x.trim() !== '')
          .flatMap((x) => paragraphs(x))
  const values: Record<MatrixColumn, Paragraph[]> = {
    number: paragraphs(String(thread.number)),
    references: thread.references.flatMap((reference) => paragraphs(reference)),
    section: paragraphs(thread.sectionTitle),
    group: paragraphs(thread.selfDeclared ? `${group} (${s.selfDeclared})` : group),
    authorOrganisation: who,
    kind: paragraphs(labels.kind(thread.kind)),
    comment,
    proposedChange: thread.proposedChange === null ? [] : paragraphs(thread.proposedChange),
    disposition: paragraphs(labels.disposition(thread.disposition)),
    answer,
  }
  return matrixColumns(report).map(([key]) => values[key])
}

/**
 * The comment-response matrix as a Word document: the title, the window, the totals, then one
 * table row per thread (number, the submissions' references, section, stakeholder group, author
 * and organisation where the consultation publishes them, kind, comment, proposed change,
 * disposition, answer) on landscape A4 pages whose header row repeats.
 */
export async function reportToDocx(report: ConsultationReport, lang: UiLanguage): Promise<Buffer> {
  const labels = reportLabels(lang)
  const s = labels.strings
  const t = report.totals
  const sectionTitle = (id: string) => report.sections.find((x) => x.id === id)?.title ?? id

  const totalsTable = simpleTable(
    [
      [s.totals, ''],
      [s.submissions, String(t.submissions)],
      [s.threads, String(t.threads)],
      [s.answered, String(t.answered)],
      [s.unanswered, String(t.threads - t.answered)],
      [s.hidden, String(t.hidden)],
      [s.pending, String(t.pending)],
    ],
    [4_000, 1_500],
  )
  const dispositionTable = simpleTable(
    [
      [s.columns.disposition, s.threads],
      ...DISPOSITIONS.map((d) => [labels.disposition(d), String(t.byDisposition[d] ?? 0)]),
      [s.noAnswer, String(t.threads - t.answered)],
    ],
    [4_000, 1_500],
  )
  const groupKeys = report.groups.map((g) => g.key)
  const groupWidth = Math.max(
    900,
    Math.floor((USABLE_WIDTH - 3_500 - 900) / Math.max(1, groupKeys.length)),
  )
  const matrixTable = simpleTable(
    [
      [s.columns.section, ...groupKeys.map((g) => labels.group(report, g)), s.total],
      ...Object.keys(t.bySection).map((id) => [
        sectionTitle(id),
        ...groupKeys.map((g) => String(t.matrix[id]?.[g] ?? 0)),
        String(t.bySection[id] ?? 0),
      ]),
      [s.total, ...groupKeys.map((g) => String(t.byGroup[g] ?? 0)), String(t.submissions)],
    ],
    [3_500, ...groupKeys.map(() => groupWidth), 900],
  )

  const columns = matrixColumns(report)
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(([key, width]) =>
      cell(paragraphs(labels.column(key), { bold: true }), width, true),
    ),
  })
  const rows = report.threads.map(
    (thread) =>
      new TableRow({
        children: matrixCells(report, thread, labels).map((children, i) =>
          cell(children, columns[i]![1]),
        ),
      }),
  )
  const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' }
  const matrix = new Table({
    width: { size: USABLE_WIDTH, type: WidthType.DXA },
    columnWidths: columns.map(([, width]) => width),
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [header, ...rows],
  })

  const title = titleIn(report, lang)
  const document = new Document({
    title: `${s.title}: ${title}`,
    creator: 'Concord',
    description: windowText(report, lang, labels),
    sections: [
      {
        properties: {
          page: {
            size: { ...A4, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(xmlText(title))] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.title)] }),
          new Paragraph({ children: [new TextRun(windowText(report, lang, labels))] }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(s.totals)] }),
          totalsTable,
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            children: [new TextRun(s.byDisposition)],
          }),
          dispositionTable,
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            children: [new TextRun(s.byGroupSection)],
          }),
          matrixTable,
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(s.matrix)] }),
          matrix,
          new Paragraph(''),
        ],
      },
    ],
  })
  return Packer.toBuffer(document)
}

/** A rendered export: its bytes, content type and a file name made only of safe characters. */
export interface ReportExport {
  body: string | Buffer
  contentType: string
  fileName: string
}

/** A file name for an export: the slug (already lowercase letters, digits and dashes), kept safe. */
export function exportFileName(report: ConsultationReport, format: ReportFormat): string {
  const slug = report.slug.replace(/[^a-z0-9-]+/g, '-').slice(0, 60) || 'consultation'
  return `${slug}-report.${format}`
}

/** Renders the report in one of the export formats. */
export async function exportReport(
  report: ConsultationReport,
  format: ReportFormat,
  lang: UiLanguage,
): Promise<ReportExport> {
  const fileName = exportFileName(report, format)
  switch (format) {
    case 'csv':
      return { body: reportToCsv(report, lang), contentType: 'text/csv; charset=utf-8', fileName }
    case 'json':
      return {
        body: reportToJson(report),
        contentType: 'application/json; charset=utf-8',
        fileName,
      }
    case 'docx':
      return {
        body: await reportToDocx(report, lang),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        fileName,
      }
  }
}
