import MarkdownIt from 'markdown-it'
import type { Token } from 'markdown-it'
import {
  MarkdownParser,
  MarkdownSerializer,
  defaultMarkdownSerializer,
  type MarkdownSerializerState,
} from 'prosemirror-markdown'
import type { Node } from 'prosemirror-model'
import {
  assignSectionIds,
  HEADING_LEVEL_MAX,
  isAllowedHref,
  LINK_TITLE_MAX,
  schema,
} from '../../shared/schema'

/**
 * Markdown to and from ProseMirror documents of the shared schema: CommonMark with GFM pipe
 * tables. What the schema cannot hold is dropped or kept as plain text on the way in (images
 * and rules are dropped; code and strike-through stay as their text; links outside the
 * allowlist become their text). On the way out, table cells flatten to one line, because a
 * pipe table cell holds only inline content.
 */

const tokenizer = new MarkdownIt('default', { html: false, linkify: false, typographer: false })
  // Indented and fenced code become ordinary paragraphs; ~~ stays as it is typed.
  .disable(['code', 'fence', 'strikethrough'])

// Adapts markdown-it's tokens to the schema before ProseMirror sees them.
tokenizer.core.ruler.push('concord_schema', (state) => {
  const tokens: Token[] = []
  let skipParagraphClose = false
  let inCell = false
  for (const token of state.tokens) {
    if (token.type === 'paragraph_close' && skipParagraphClose) {
      skipParagraphClose = false
      continue
    }
    if (token.type === 'th_close' || token.type === 'td_close') {
      tokens.push(new state.Token('paragraph_close', 'p', -1))
      inCell = false
    }
    if (token.type === 'inline' && token.children) {
      token.children = adaptInline(token.children)
      // A paragraph that held only images would stay behind empty; Markdown cannot mean one.
      if (
        !inCell &&
        token.children.length === 0 &&
        token.content.trim() !== '' &&
        tokens[tokens.length - 1]?.type === 'paragraph_open'
      ) {
        tokens.pop()
        skipParagraphClose = true
        continue
      }
    }
    tokens.push(token)
    // Table cells hold blocks in the schema, and markdown-it gives them bare inline content.
    if (token.type === 'th_open' || token.type === 'td_open') {
      tokens.push(new state.Token('paragraph_open', 'p', 1))
      inCell = true
    }
  }
  state.tokens = tokens
})

function adaptInline(children: Token[]): Token[] {
  const result: Token[] = []
  let droppingLink = false
  for (const child of children) {
    if (child.type === 'link_open' && !isAllowedHref(String(child.attrGet('href') ?? ''))) {
      // Links cannot nest in CommonMark, so the next link_close is this link's.
      droppingLink = true
      continue
    }
    if (child.type === 'link_close' && droppingLink) {
      droppingLink = false
      continue
    }
    if (child.type === 'image') {
      continue
    }
    if (child.type === 'code_inline') {
      child.type = 'text'
    }
    result.push(child)
  }
  return result
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

const parser = new MarkdownParser(schema, tokenizer, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'list_item' },
  bullet_list: { block: 'bullet_list' },
  ordered_list: {
    block: 'ordered_list',
    getAttrs: (token) => {
      const start = Number(token.attrGet('start') ?? 1)
      return { order: Number.isInteger(start) ? clamp(start, 0, 1_000_000) : 1 }
    },
  },
  heading: {
    block: 'heading',
    getAttrs: (token) => ({ level: clamp(Number(token.tag.slice(1)), 1, HEADING_LEVEL_MAX) }),
  },
  hardbreak: { node: 'hard_break' },
  em: { mark: 'em' },
  strong: { mark: 'strong' },
  link: {
    mark: 'link',
    getAttrs: (token) => ({
      href: token.attrGet('href'),
      title: token.attrGet('title')?.slice(0, LINK_TITLE_MAX) || null,
    }),
  },
  table: { block: 'table' },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: 'table_row' },
  th: { block: 'table_header' },
  td: { block: 'table_cell' },
  hr: { ignore: true, noCloseToken: true },
})

/**
 * Parses Markdown into a document of the shared schema. Heading levels deeper than 3 become
 * level 3, and every heading gets a fresh section id. Never throws on any input text.
 */
export function parseMarkdown(markdown: string): Node {
  return assignSectionIds(parser.parse(markdown))
}

const base = defaultMarkdownSerializer.nodes

/**
 * Escapes what would start a block at the beginning of a line: list markers (`-`, `+`, `*`,
 * `1.`, `1)`), quotes, ATX headings and setext underlines. prosemirror-markdown's own
 * escaping misses `1)` and lines after a hard break, where a list can interrupt a paragraph.
 */
function escapeLineStart(escaped: string): string {
  return escaped
    .replace(/^(\s*)([-+>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(#{1,6})(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(=+\s*)$/, '$1\\$2')
}

/** How many siblings of the same type come right before `node`: the run it continues. */
function runLength(parent: Node, index: number, node: Node): number {
  let run = 0
  while (index - run - 1 >= 0 && parent.child(index - run - 1).type === node.type) {
    run++
  }
  return run
}

function renderTable(state: MarkdownSerializerState, node: Node): void {
  const rows: string[][] = []
  node.forEach((row) => {
    const cells: string[] = []
    row.forEach((cell) => cells.push(cellMarkdown(cell)))
    rows.push(cells)
  })
  const width = Math.max(0, ...rows.map((r) => r.length))
  if (width > 0) {
    const line = (cells: string[]) =>
      `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`
    const lines = [line(rows[0]!), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(line)]
    lines.forEach((text, i) => {
      if (i > 0) {
        state.ensureNewLine()
      }
      state.write(text)
    })
  }
  state.closeBlock(node)
}

/** A cell's content as one line: blocks and line breaks become spaces. `|` is escaped already. */
function cellMarkdown(cell: Node): string {
  return serializer
    .serialize(cell, { tightLists: true })
    .replace(/\\\n/g, ' ')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
}

const serializer = new MarkdownSerializer(
  {
    blockquote: base.blockquote!,
    paragraph: base.paragraph!,
    list_item: base.list_item!,
    text(state, node, parent, index) {
      // An autolink (<https://…>) is written as it is; prosemirror-markdown tracks that state.
      if ((state as unknown as { inAutolink?: boolean }).inAutolink) {
        base.text!(state, node, parent, index)
        return
      }
      let out = state.esc(node.text ?? '')
      if (parent.type.name === 'heading') {
        // Trailing #s in a heading would read as its optional closing sequence and vanish.
        if (index === parent.childCount - 1) {
          out = out.replace(/(^|\s)(#+\s*)$/, '$1\\$2')
        }
      } else if (index === 0 || parent.child(index - 1).type.name === 'hard_break') {
        out = escapeLineStart(out)
      }
      state.text(out, false)
    },
    heading(state, node) {
      state.write(`${'#'.repeat(Number(node.attrs.level))} `)
      state.renderInline(node, false)
      state.closeBlock(node)
    },
    bullet_list(state, node, parent, index) {
      // Two lists in a row only stay two lists in Markdown if their bullets differ.
      const bullet = runLength(parent, index, node) % 2 === 0 ? '-' : '*'
      state.renderList(node, '  ', () => `${bullet} `)
    },
    ordered_list(state, node, parent, index) {
      const start = Number(node.attrs.order)
      // Only a list starting at 1 may interrupt a paragraph (CommonMark 5.3); any other start
      // right after a paragraph in a tight list would become part of that paragraph.
      if (start !== 1 && index > 0 && parent.child(index - 1).isTextblock) {
        ;(state as unknown as { flushClose(size: number): void }).flushClose(2)
      }
      const delimiter = runLength(parent, index, node) % 2 === 0 ? '.' : ')'
      const width = String(start + node.childCount - 1).length
      state.renderList(
        node,
        ' '.repeat(width + 2),
        (i) => `${String(start + i).padStart(width)}${delimiter} `,
      )
    },
    hard_break(state, node, parent, index) {
      // An ATX heading is one line: a break inside it becomes a space.
      if (parent.type.name === 'heading') {
        state.write(' ')
        return
      }
      base.hard_break!(state, node, parent, index)
    },
    table: renderTable,
  },
  {
    em: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
    strong: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
    link: {
      open: (_state, mark) => (isAllowedHref(String(mark.attrs.href)) ? '[' : ''),
      close: (_state, mark) => {
        const href = String(mark.attrs.href)
        if (!isAllowedHref(href)) {
          return ''
        }
        // `|` would end a table cell; percent-encoding it keeps the same URL.
        const target = href.replace(/[()"\\]/g, '\\$&').replace(/\|/g, '%7C')
        const title = mark.attrs.title
          ? ` "${String(mark.attrs.title).replace(/["\\]/g, '\\$&')}"`
          : ''
        return `](${target}${title})`
      },
      mixable: true,
    },
  },
  {
    // `&` would start an entity, `<` an autolink, `|` a table cell.
    escapeExtraCharacters: /[&<|]/g,
  },
)

/**
 * Serializes a document as Markdown (CommonMark with GFM pipe tables). Parsing the result
 * with `parseMarkdown` gives back the same structure and text, except for what Markdown
 * cannot express: section ids, empty paragraphs, line breaks at the end of a paragraph or
 * inside a heading or table cell, several blocks in one table cell, and a first table row
 * that is not a header.
 */
export function toMarkdown(doc: Node): string {
  return serializer.serialize(doc, { tightLists: true })
}
