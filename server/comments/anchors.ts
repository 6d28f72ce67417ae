import { Fragment, type Node as PMNode } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import * as Y from 'yjs'
import { schema } from '../../shared/schema'
import { parseMarkdown } from '../render/markdown'

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
 * What undoing an applied change needs (issue 15, item 3), kept with the thread: for a passage,
 * where the inserted text lies now (relative positions just outside it) and the replaced text
 * with its formatting; for a section, the replaced blocks as a Yjs update and the section's
 * blocks as the change left them, to tell whether anyone edited the section since.
 */
export type UndoRecord =
  | {
      scope: 'range'
      start: string
      end: string
      inserted: string
      replaced: { insert: string; attributes?: Record<string, unknown> }[]
    }
  | { scope: 'section'; sectionId: string; blocks: string; after: string }

/** What replacing a passage or a section did: the replaced plain text, and how to undo it. */
export interface ReplaceOutcome {
  before: string
  undo: UndoRecord
}

const encodePosition = (position: Y.RelativePosition) =>
  Buffer.from(Y.encodeRelativePosition(position)).toString('base64')

/**
 * Replaces the anchored passage with `replacement` in one transaction. Line breaks in the
 * replacement become spaces: a passage lies inside one paragraph. What the replacement shares
 * with the passage at its start and end stays as it was, formatting and all; the new text in
 * between takes the formatting of the first character it replaces (issue 15, item 3).
 */
export function replaceRange(
  doc: Y.Doc,
  range: ResolvedRange,
  replacement: string,
): ReplaceOutcome {
  const before = textBetween(range.text, range.from, range.to)
  const replaced = deltaBetween(range.text, range.from, range.to)
  const inserted = replacement.replace(/\s*\n\s*/g, ' ')
  let prefix = 0
  while (
    prefix < before.length &&
    prefix < inserted.length &&
    before[prefix] === inserted[prefix]
  ) {
    prefix++
  }
  let suffix = 0
  while (
    suffix < before.length - prefix &&
    suffix < inserted.length - prefix &&
    before[before.length - 1 - suffix] === inserted[inserted.length - 1 - suffix]
  ) {
    suffix++
  }
  const from = range.from + prefix
  const to = range.to - suffix
  const middle = inserted.slice(prefix, inserted.length - suffix)
  // The new text looks like what it replaces; a pure insertion like the text before it.
  const attributes =
    to > from || from === range.from
      ? formattingAt(range.text, from)
      : formattingAt(range.text, from - 1)
  doc.transact(() => {
    if (to > from) {
      range.text.delete(from, to - from)
    }
    if (middle.length > 0) {
      range.text.insert(from, middle, { ...(attributes ?? {}) })
    }
  })
  return {
    before,
    undo: {
      scope: 'range',
      start: encodePosition(Y.createRelativePositionFromTypeIndex(range.text, range.from, -1)),
      end: encodePosition(
        Y.createRelativePositionFromTypeIndex(range.text, range.from + inserted.length, 0),
      ),
      inserted,
      replaced,
    },
  }
}

/**
 * Replaces the text of a section below its heading — the top-level blocks after the
 * heading with `sectionId`, up to the next heading of any level — with the blocks of
 * `replacement`, read as Markdown (blank lines separate paragraphs; lists, emphasis and links
 * are kept; a heading in it becomes a paragraph, so the section stays one section). A block
 * of the replacement that reads as a block of the section does now (its plain text, when the
 * replacement's block is a plain paragraph) keeps the section's block as it is, formatting
 * and all (issue 15, item 3). The heading and any subsection stay. Returns the replaced text
 * and how to undo the change, or null when no top-level heading carries that id.
 */
export function replaceSectionText(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  sectionId: string,
  replacement: string,
): ReplaceOutcome | null {
  const found = sectionBlocks(fragment, sectionId)
  if (found === null) {
    return null
  }
  const { headingIndex, blocks: replaced } = found
  const before = replaced
    .map((block) => blockText(block))
    .filter((text) => text.length > 0)
    .join('\n\n')
  const saved = new Y.Doc()
  const proposed = new Y.Doc()
  try {
    saved.getXmlFragment(SAVED_BLOCKS).insert(
      0,
      replaced.map((block) => block.clone()),
    )
    prosemirrorToYXmlFragment(proposalDoc(replacement), proposed.getXmlFragment(SAVED_BLOCKS))
    const incoming = proposed.getXmlFragment(SAVED_BLOCKS).toArray()
    const steps = alignBlocks(replaced, incoming)
    doc.transact(() => {
      let at = headingIndex + 1
      for (const step of steps) {
        if (step.keep) {
          at++
        } else if (step.remove) {
          fragment.delete(at, 1)
        } else {
          fragment.insert(at, [step.insert.clone()])
          at++
        }
      }
    })
    const after = sectionBlocks(fragment, sectionId)!.blocks.map((block) => block.toString())
    return {
      before,
      undo: {
        scope: 'section',
        sectionId,
        blocks: Buffer.from(Y.encodeStateAsUpdate(saved)).toString('base64'),
        after: after.join(''),
      },
    }
  } finally {
    saved.destroy()
    proposed.destroy()
  }
}

/** The name of the fragment that holds a section's blocks in an undo record's update. */
const SAVED_BLOCKS = 'blocks'

/**
 * Undoes an applied change with a second edit, restoring the replaced passage or blocks as
 * they were. Returns why it cannot, without changing anything, when the text the change wrote
 * was edited since (or removed): undoing then would throw away someone's work.
 */
export function undoReplacement(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  undo: UndoRecord,
): { error: string } | null {
  if (undo.scope === 'range') {
    const start = decodePosition(undo.start)
    const end = decodePosition(undo.end)
    const from = start && Y.createAbsolutePositionFromRelativePosition(start, doc)
    const to = end && Y.createAbsolutePositionFromRelativePosition(end, doc)
    if (
      !from ||
      !to ||
      from.type !== to.type ||
      !(from.type instanceof Y.XmlText) ||
      isDeleted(from.type) ||
      to.index < from.index
    ) {
      return { error: 'The passage this change wrote is no longer in the document' }
    }
    const text = from.type
    if (textBetween(text, from.index, to.index) !== undo.inserted) {
      return { error: 'The passage was edited since the change was applied; undo it by hand' }
    }
    doc.transact(() => {
      if (to.index > from.index) {
        text.delete(from.index, to.index - from.index)
      }
      let at = from.index
      for (const op of undo.replaced) {
        text.insert(at, op.insert, { ...(op.attributes ?? {}) })
        at += op.insert.length
      }
    })
    return null
  }
  const found = sectionBlocks(fragment, undo.sectionId)
  if (found === null) {
    return { error: 'The section is no longer in the document' }
  }
  if (found.blocks.map((block) => block.toString()).join('') !== undo.after) {
    return { error: 'The section was edited since the change was applied; undo it by hand' }
  }
  const saved = new Y.Doc()
  try {
    Y.applyUpdate(saved, new Uint8Array(Buffer.from(undo.blocks, 'base64')))
    const blocks = saved.getXmlFragment(SAVED_BLOCKS).toArray() as (Y.XmlElement | Y.XmlText)[]
    doc.transact(() => {
      if (found.blocks.length > 0) {
        fragment.delete(found.headingIndex + 1, found.blocks.length)
      }
      if (blocks.length > 0) {
        fragment.insert(
          found.headingIndex + 1,
          blocks.map((block) => block.clone()),
        )
      }
    })
  } finally {
    saved.destroy()
  }
  return null
}

// The top-level blocks of a section below its heading, up to the next heading of any level.
function sectionBlocks(
  fragment: Y.XmlFragment,
  sectionId: string,
): { headingIndex: number; blocks: (Y.XmlElement | Y.XmlText)[] } | null {
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
  return {
    headingIndex,
    // y-prosemirror writes no hooks: every block is an element (or a stray run of text).
    blocks: blocks.slice(headingIndex + 1, end) as (Y.XmlElement | Y.XmlText)[],
  }
}

// A section proposal as blocks of the schema: its Markdown, headings made paragraphs and empty
// paragraphs left out (an empty proposal deletes the section's text).
function proposalDoc(replacement: string): PMNode {
  const flatten = (node: PMNode): PMNode =>
    node.type.name === 'heading'
      ? schema.nodes.paragraph!.create(null, node.content)
      : node.isTextblock || node.isLeaf
        ? node
        : node.copy(Fragment.fromArray(childrenOf(node).map(flatten)))
  const parsed = parseMarkdown(replacement)
  const blocks = childrenOf(parsed)
    .map(flatten)
    .filter((block) => !(block.type.name === 'paragraph' && block.content.size === 0))
  return schema.topNodeType.create(null, blocks)
}

function childrenOf(node: PMNode): PMNode[] {
  const children: PMNode[] = []
  node.forEach((child) => children.push(child))
  return children
}

type Step =
  | { keep: true; remove?: undefined }
  | { keep?: undefined; remove: true }
  | { keep?: undefined; remove?: undefined; insert: Y.XmlElement | Y.XmlText }

// The edit from the section's blocks to the proposal's: the longest run of blocks kept in
// order, the others removed or inserted. A proposal's block matches a section's block when it
// is the same (formatting included), or when it is a plain paragraph with the same words.
function alignBlocks(
  current: (Y.XmlElement | Y.XmlText)[],
  incoming: (Y.XmlElement | Y.XmlText | Y.XmlHook)[],
): Step[] {
  const next = incoming.filter(
    (block): block is Y.XmlElement | Y.XmlText => !(block instanceof Y.XmlHook),
  )
  const words = (block: Y.XmlElement | Y.XmlText) => blockText(block).replace(/\s+/g, ' ').trim()
  const same = (a: Y.XmlElement | Y.XmlText, b: Y.XmlElement | Y.XmlText) =>
    a.toString() === b.toString() || (isPlainParagraph(b) && words(a) === words(b))
  const n = current.length
  const m = next.length
  // lengths[i][j]: the longest common run of current[i..] and next[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i]![j] = same(current[i]!, next[j]!)
        ? lengths[i + 1]![j + 1]! + 1
        : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!)
    }
  }
  const steps: Step[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && same(current[i]!, next[j]!)) {
      steps.push({ keep: true })
      i++
      j++
    } else if (i < n && (j >= m || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      steps.push({ remove: true })
      i++
    } else {
      steps.push({ insert: next[j]! })
      j++
    }
  }
  return steps
}

function isPlainParagraph(block: Y.XmlElement | Y.XmlText): boolean {
  return (
    block instanceof Y.XmlElement &&
    block.nodeName === 'paragraph' &&
    block
      .toArray()
      .every(
        (child) =>
          child instanceof Y.XmlText &&
          (child.toDelta() as { attributes?: Record<string, unknown> }[]).every(
            (op) => op.attributes === undefined || Object.keys(op.attributes).length === 0,
          ),
      )
  )
}

// The text of a run between two offsets with its formatting, as insert operations.
function deltaBetween(
  text: Y.XmlText,
  from: number,
  to: number,
): { insert: string; attributes?: Record<string, unknown> }[] {
  const ops: { insert: string; attributes?: Record<string, unknown> }[] = []
  let position = 0
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    const start = Math.max(from, position)
    const end = Math.min(to, position + length)
    if (typeof op.insert === 'string' && end > start) {
      ops.push({
        insert: op.insert.slice(start - position, end - position),
        ...(op.attributes ? { attributes: op.attributes } : {}),
      })
    }
    position += length
  }
  return ops
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
