import * as Y from 'yjs'

/**
 * Anchors of threads and the edits that applying a proposed change makes, on a Yjs document
 * (issue 5, items 1 and 4). These functions work on the document's `prosemirror` XML
 * fragment directly, in the shape y-prosemirror gives it: every block is a `Y.XmlElement`
 * named after its node type with the node's attributes (a heading has `level` and
 * `sectionId`), and each run of text is a `Y.XmlText` whose formatting attributes are marks.
 * Callers use a scratch document built from stored state, never a room's live one (DESIGN).
 */

/** A decoded anchor: the two relative positions of a range. */
export interface AnchorPositions {
  start: Y.RelativePosition
  end: Y.RelativePosition
}

/** Decodes a base64 relative position; null when it is not one. */
export function decodePosition(base64: string): Y.RelativePosition | null {
  try {
    const bytes = Buffer.from(base64, 'base64')
    if (bytes.byteLength === 0) {
      return null
    }
    const position = Y.decodeRelativePosition(new Uint8Array(bytes))
    // A position names an item (client id and clock) or a type; anything else is not ours.
    return position.item !== null || position.type !== null || position.tname !== null
      ? position
      : null
  } catch {
    return null
  }
}

/** Decodes both ends of an anchor; null when either is malformed. */
export function decodeAnchor(anchor: { start: string; end: string }): AnchorPositions | null {
  const start = decodePosition(anchor.start)
  const end = decodePosition(anchor.end)
  return start && end ? { start, end } : null
}

/** Where an anchor lies now, within one run of text. */
export interface ResolvedRange {
  text: Y.XmlText
  from: number
  to: number
}

/**
 * Resolves an anchor in `doc`: the run of text it lies in and its offsets there. The result
 * is `'gone'` when the anchored passage was deleted (the range collapsed, or its text went),
 * `'spans'` when the ends lie in different runs (several paragraphs, or around a line
 * break), and `'unknown'` when the document does not (yet) hold the items it names.
 */
export function resolveAnchor(
  doc: Y.Doc,
  anchor: AnchorPositions,
): ResolvedRange | 'gone' | 'spans' | 'unknown' {
  const start = Y.createAbsolutePositionFromRelativePosition(anchor.start, doc)
  const end = Y.createAbsolutePositionFromRelativePosition(anchor.end, doc)
  if (start === null || end === null) {
    return 'unknown'
  }
  if (start.type !== end.type) {
    return 'spans'
  }
  if (!(start.type instanceof Y.XmlText) || isDeleted(start.type)) {
    return 'gone'
  }
  if (end.index <= start.index) {
    return 'gone'
  }
  return { text: start.type, from: start.index, to: end.index }
}

/** The plain text of a run between two offsets (embedded objects count as nothing). */
export function textBetween(text: Y.XmlText, from: number, to: number): string {
  return plainText(text).slice(from, to)
}

/**
 * Replaces the anchored passage with `replacement` in one transaction, keeping the
 * formatting of the passage's first character. Line breaks in the replacement become
 * spaces: a passage lies inside one paragraph. Returns the text that was replaced.
 */
export function replaceRange(doc: Y.Doc, range: ResolvedRange, replacement: string): string {
  const before = textBetween(range.text, range.from, range.to)
  const attributes = formattingAt(range.text, range.from)
  const inserted = replacement.replace(/\s*\n\s*/g, ' ')
  doc.transact(() => {
    range.text.delete(range.from, range.to - range.from)
    if (inserted.length > 0) {
      range.text.insert(range.from, inserted, attributes)
    }
  })
  return before
}

/**
 * Replaces the text of a section below its heading — the top-level blocks after the
 * heading with `sectionId`, up to the next heading of any level — with paragraphs made from
 * `replacement` (blank lines separate them). The heading and any subsection stay. Returns
 * the replaced text, or null when no top-level heading carries that id.
 */
export function replaceSectionText(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  sectionId: string,
  replacement: string,
): string | null {
  const blocks = fragment.toArray()
  const headingIndex = blocks.findIndex(
    (block) =>
      block instanceof Y.XmlElement &&
      block.nodeName === 'heading' &&
      block.getAttribute('sectionId') === sectionId,
  )
  if (headingIndex < 0) {
    return null
  }
  let end = headingIndex + 1
  while (end < blocks.length && !containsHeading(blocks[end]!)) {
    end++
  }
  const replaced = blocks.slice(headingIndex + 1, end)
  const before = replaced
    .map((block) => blockText(block))
    .filter((text) => text.length > 0)
    .join('\n\n')
  const paragraphs = replacement
    .split(/\n\s*\n/)
    .map((part) => part.replace(/\s*\n\s*/g, ' ').trim())
    .filter((part) => part.length > 0)
  doc.transact(() => {
    if (replaced.length > 0) {
      fragment.delete(headingIndex + 1, replaced.length)
    }
    fragment.insert(
      headingIndex + 1,
      paragraphs.map((part) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        text.insert(0, part)
        paragraph.insert(0, [text])
        return paragraph
      }),
    )
  })
  return before
}

function isDeleted(type: Y.AbstractType<any>): boolean {
  for (let item = type._item; item !== null; item = (item.parent as Y.AbstractType<any>)._item) {
    if (item.deleted) {
      return true
    }
  }
  return false
}

function plainText(text: Y.XmlText): string {
  const delta = text.toDelta() as { insert: unknown }[]
  return delta.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
}

function formattingAt(text: Y.XmlText, offset: number): Record<string, unknown> | undefined {
  let position = 0
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    if (offset < position + length) {
      return op.attributes
    }
    position += length
  }
  return undefined
}

function containsHeading(node: Y.XmlElement | Y.XmlText | Y.XmlHook): boolean {
  if (!(node instanceof Y.XmlElement)) {
    return false
  }
  if (node.nodeName === 'heading') {
    return true
  }
  return node.toArray().some((child) => containsHeading(child))
}

function blockText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return plainText(node)
  }
  if (!(node instanceof Y.XmlElement)) {
    return ''
  }
  const children = node.toArray()
  const isTextBlock = children.every(
    (child) =>
      child instanceof Y.XmlText ||
      (child instanceof Y.XmlElement && child.nodeName === 'hard_break'),
  )
  return children
    .map((child) =>
      child instanceof Y.XmlElement && child.nodeName === 'hard_break' ? '\n' : blockText(child),
    )
    .join(isTextBlock ? '' : '\n')
}

/**
 * An anchor on the first occurrence of `quote` within one run of text of `fragment`, made
 * the way the editor makes one: the start associates to the right and the end to the left,
 * so text typed at either edge stays outside. Null when no run holds the quote.
 */
export function anchorForQuote(
  fragment: Y.XmlFragment,
  quote: string,
): { start: string; end: string; quote: string } | null {
  const found = findInRuns(fragment, quote)
  if (!found) {
    return null
  }
  const encode = (position: Y.RelativePosition) =>
    Buffer.from(Y.encodeRelativePosition(position)).toString('base64')
  return {
    start: encode(Y.createRelativePositionFromTypeIndex(found.text, found.index, 0)),
    end: encode(Y.createRelativePositionFromTypeIndex(found.text, found.index + quote.length, -1)),
    quote,
  }
}

/** The first run of text under `node` whose plain text contains `needle`, and where. */
export function findInRuns(
  node: Y.XmlFragment | Y.XmlElement,
  needle: string,
): { text: Y.XmlText; index: number } | null {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      const index = plainText(child).indexOf(needle)
      if (index >= 0) {
        return { text: child, index }
      }
    } else if (child instanceof Y.XmlElement) {
      const found = findInRuns(child, needle)
      if (found) {
        return found
      }
    }
  }
  return null
}

/**
 * Whether a run of text lies in the section whose heading carries `sectionId`: in a
 * top-level block from that heading up to the next heading of the same or a higher level.
 * Headings nested in quotes or lists are not section boundaries here; a section whose heading
 * is not at the top level accepts any run.
 */
export function isInSection(fragment: Y.XmlFragment, text: Y.XmlText, sectionId: string): boolean {
  const blocks = fragment.toArray()
  const start = blocks.findIndex(
    (block) =>
      block instanceof Y.XmlElement &&
      block.nodeName === 'heading' &&
      block.getAttribute('sectionId') === sectionId,
  )
  if (start < 0) {
    return true
  }
  const level = Number((blocks[start] as Y.XmlElement).getAttribute('level') ?? 1)
  let end = start + 1
  while (end < blocks.length) {
    const block = blocks[end]!
    if (
      block instanceof Y.XmlElement &&
      block.nodeName === 'heading' &&
      Number(block.getAttribute('level') ?? 1) <= level
    ) {
      break
    }
    end++
  }
  let top: Y.AbstractType<any> = text
  while (top.parent !== null && top.parent !== fragment) {
    top = top.parent as Y.AbstractType<any>
  }
  const index = blocks.indexOf(top as Y.XmlElement)
  return index >= start && index < end
}
