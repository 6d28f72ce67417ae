import type { Attrs, NodeSpec, TagParseRule } from 'prosemirror-model'
import { tableNodes } from 'prosemirror-tables'
import { isSectionId } from './section-ids'

/** The deepest heading level; deeper headings from imports and pastes become this level. */
export const HEADING_LEVEL_MAX = 3
/**
 * The deepest nesting a document may have: no node, text included, lies more than this many
 * levels below the document node (a paragraph at the top is level 1, its text level 2). The
 * collaboration server refuses updates that nest deeper, the editor refuses such edits, and
 * renderers flatten anything deeper that is already stored, so no recursive walk of a document
 * (y-prosemirror's conversion, ProseMirror's own `check` and `toJSON`, HTML and Markdown)
 * can run out of stack (issue 12, item 3). Lists nest 31 levels within it.
 */
export const NESTING_DEPTH_MAX = 64
/** The largest start number of an ordered list, and the widest or tallest table cell span. */
const ORDER_MAX = 1_000_000
const SPAN_MAX = 1000

/** An element as parse rules see it: only attributes, because shared/ has no DOM types. */
type MarkupElement = { getAttribute(name: string): string | null }

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

function validateLevel(value: unknown): void {
  if (!isIntegerIn(value, 1, HEADING_LEVEL_MAX)) {
    throw new RangeError(`A heading level must be an integer from 1 to ${HEADING_LEVEL_MAX}`)
  }
}

function validateSectionId(value: unknown): void {
  // null means "not assigned yet": section-ids.ts assigns one in the same transaction.
  if (value !== null && !(typeof value === 'string' && isSectionId(value))) {
    throw new RangeError('A section id must be null or 1–64 characters of A–Z, a–z, 0–9, _ and -')
  }
}

function validateOrder(value: unknown): void {
  if (!isIntegerIn(value, 0, ORDER_MAX)) {
    throw new RangeError(`A list's start number must be an integer from 0 to ${ORDER_MAX}`)
  }
}

function validateSpan(value: unknown): void {
  if (!isIntegerIn(value, 1, SPAN_MAX)) {
    throw new RangeError(`A cell span must be an integer from 1 to ${SPAN_MAX}`)
  }
}

function validateColwidth(value: unknown): void {
  if (value === null) {
    return
  }
  if (
    !Array.isArray(value) ||
    value.length > SPAN_MAX ||
    !value.every((w) => isIntegerIn(w, 0, 100_000))
  ) {
    throw new RangeError('A column width must be null or a list of whole pixel widths')
  }
}

/** Reads an integer attribute from markup, falling back when it is missing or out of range. */
function integerAttribute(
  dom: MarkupElement,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = dom.getAttribute(name)
  const value = raw === null ? NaN : Number(raw.trim())
  return isIntegerIn(value, min, max) ? value : fallback
}

function headingRule(tag: string, level: number): TagParseRule {
  return {
    tag,
    getAttrs: (dom: MarkupElement) => {
      const id = dom.getAttribute('data-section-id')
      // A pasted heading keeps its id; section-ids.ts renames it if the id is taken already.
      return { level, sectionId: id !== null && isSectionId(id) ? id : null }
    },
  }
}

/**
 * Table nodes from prosemirror-tables, with stricter cell attributes: spans are whole numbers
 * in range (the library accepts any number, NaN included), and parsing repairs bad markup
 * instead of failing, because a validation error while parsing would lose the whole paste or
 * import.
 */
function strictTableNodes(): Record<
  'table' | 'table_row' | 'table_cell' | 'table_header',
  NodeSpec
> {
  const specs = tableNodes({ tableGroup: 'block', cellContent: 'block+', cellAttributes: {} })
  const cellAttrs = {
    colspan: { default: 1, validate: validateSpan },
    rowspan: { default: 1, validate: validateSpan },
    colwidth: { default: null, validate: validateColwidth },
  }
  const cellRule = (tag: string): TagParseRule => ({
    tag,
    getAttrs: (dom: MarkupElement): Attrs => {
      const colspan = integerAttribute(dom, 'colspan', 1, SPAN_MAX, 1)
      const raw = dom.getAttribute('data-colwidth') ?? ''
      const widths = /^\d{1,6}(,\d{1,6})*$/.test(raw) ? raw.split(',').map(Number) : []
      const colwidth =
        widths.length === colspan && widths.every((w) => isIntegerIn(w, 0, 100_000)) ? widths : null
      return { colspan, rowspan: integerAttribute(dom, 'rowspan', 1, SPAN_MAX, 1), colwidth }
    },
  })
  return {
    table: specs.table,
    table_row: specs.table_row,
    table_cell: { ...specs.table_cell, attrs: cellAttrs, parseDOM: [cellRule('td')] },
    table_header: { ...specs.table_header, attrs: cellAttrs, parseDOM: [cellRule('th')] },
  }
}

/**
 * The node specs of the document schema. Paragraph comes first among blocks, so it is what
 * ProseMirror creates when it needs a block to fill a gap.
 */
export const nodes = {
  doc: { content: 'block+' },

  /** A paragraph of text. */
  paragraph: {
    content: 'inline*',
    group: 'block',
    parseDOM: [{ tag: 'p' }],
    toDOM: () => ['p', 0],
  },

  /**
   * A heading of level 1–3 that starts a section. `sectionId` is the section's stable id:
   * comment threads anchor to it, so it survives renames and moves (section-ids.ts).
   */
  heading: {
    attrs: {
      level: { default: 1, validate: validateLevel },
      sectionId: { default: null, validate: validateSectionId },
    },
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [
      headingRule('h1', 1),
      headingRule('h2', 2),
      headingRule('h3', 3),
      // Deeper levels from Word and the web clamp to the deepest level we have.
      headingRule('h4', 3),
      headingRule('h5', 3),
      headingRule('h6', 3),
    ],
    toDOM: (node) => [
      `h${Number(node.attrs.level)}`,
      { 'data-section-id': node.attrs.sectionId },
      0,
    ],
  },

  /** A quoted passage. */
  blockquote: {
    content: 'block+',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: () => ['blockquote', 0],
  },

  /** A bulleted list. */
  bullet_list: {
    content: 'list_item+',
    group: 'block',
    parseDOM: [{ tag: 'ul' }],
    toDOM: () => ['ul', 0],
  },

  /** A numbered list that starts counting at `order`. */
  ordered_list: {
    attrs: { order: { default: 1, validate: validateOrder } },
    content: 'list_item+',
    group: 'block',
    parseDOM: [
      {
        tag: 'ol',
        getAttrs: (dom: MarkupElement) => ({
          order: integerAttribute(dom, 'start', 0, ORDER_MAX, 1),
        }),
      },
    ],
    toDOM: (node) => ['ol', node.attrs.order === 1 ? {} : { start: String(node.attrs.order) }, 0],
  },

  /** One item of a list: a paragraph, then any blocks (nested lists among them). */
  list_item: {
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: () => ['li', 0],
  },

  ...strictTableNodes(),

  text: { group: 'inline' },

  /** A line break inside a block. */
  hard_break: {
    inline: true,
    group: 'inline',
    selectable: false,
    leafText: () => '\n',
    parseDOM: [{ tag: 'br' }],
    toDOM: () => ['br'],
  },
} satisfies Record<string, NodeSpec>
