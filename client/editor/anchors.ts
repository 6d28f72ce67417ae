import type { Node } from 'prosemirror-model'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
} from 'y-prosemirror'
import * as Y from 'yjs'
import type { Anchor } from '../../shared/api/threads'
import { LIMITS } from '../../shared/limits'
import { findSections } from '../../shared/schema'

/**
 * Comment anchors: a passage of the document as two Yjs relative positions, so it follows
 * everyone's later edits (issue 5, item 1). Pure functions over a Yjs fragment, y-prosemirror's
 * mapping (Yjs type → ProseMirror node) and the ProseMirror document that mapping describes;
 * the comment-anchors plugin calls them with the sync plugin's binding.
 */

/** y-prosemirror's mapping from Yjs types to the ProseMirror nodes they became. */
export type ProsemirrorMapping = Map<Y.AbstractType<unknown>, Node>

/** What the anchor functions need from y-prosemirror's binding. */
export interface AnchorBinding {
  type: Y.XmlFragment
  mapping: ProsemirrorMapping
}

/** A resolved passage: ProseMirror positions, `from < to`. */
export interface Range {
  from: number
  to: number
}

function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) {
    text += String.fromCharCode(byte)
  }
  return btoa(text)
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text)
  const bytes = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) {
    bytes[i] = raw.charCodeAt(i)
  }
  return bytes
}

function docOf(binding: AnchorBinding): Y.Doc {
  const doc = binding.type.doc
  if (!doc) {
    throw new Error('The fragment belongs to no Yjs document')
  }
  return doc
}

/** The quoted passage as a thread keeps it: block breaks as new lines, trimmed, at most LIMITS.quoteMax. */
export function quoteOf(doc: Node, from: number, to: number): string {
  const text = doc.textBetween(from, to, '\n', ' ').trim()
  return text.length <= LIMITS.quoteMax ? text : `${text.slice(0, LIMITS.quoteMax - 1).trimEnd()}…`
}

/**
 * Makes the anchor of the passage (without the blanks at its edges) `from`–`to` of `doc` (which must be the document the
 * binding's mapping describes, i.e. no local change still unsynced).
 *
 * DESIGN: the start associates to the right and the end to the left, so text typed at either
 * edge stays outside the range. y-prosemirror's helper always associates to the right, which
 * is what the start needs; the end is taken to its Yjs type and index and made again with
 * association -1, so it sticks to the last character of the passage.
 */
export function createAnchor(
  binding: AnchorBinding,
  doc: Node,
  from: number,
  to: number,
): Anchor | null {
  // The passage without blanks at its edges, so its text is exactly the quote (the server
  // compares them before applying a proposed change).
  const blank = (a: number, b: number) => !doc.textBetween(a, b, '\n', ' ').trim()
  while (from < to && blank(from, from + 1)) {
    from++
  }
  while (to > from && blank(to - 1, to)) {
    to--
  }
  if (to <= from) {
    return null
  }
  const quote = quoteOf(doc, from, to)
  if (!quote) {
    return null
  }
  const ydoc = docOf(binding)
  const start = absolutePositionToRelativePosition(from, binding.type, binding.mapping)
  const endRight = absolutePositionToRelativePosition(to, binding.type, binding.mapping)
  const endAbsolute = Y.createAbsolutePositionFromRelativePosition(endRight, ydoc)
  if (!endAbsolute) {
    return null
  }
  const end = Y.createRelativePositionFromTypeIndex(endAbsolute.type, endAbsolute.index, -1)
  return {
    start: toBase64(Y.encodeRelativePosition(start)),
    end: toBase64(Y.encodeRelativePosition(end)),
    quote,
  }
}

/** The Yjs internals this file reads: an item's parent, deletion and content. */
interface ItemLike {
  deleted: boolean
  parent: unknown
  right: ItemLike | null
  countable: boolean
  content: { type?: Y.AbstractType<unknown> }
}
interface TypeLike {
  _item: ItemLike | null
  _first: ItemLike | null
  _length: number
}

function isDeleted(type: Y.AbstractType<unknown>, root: Y.XmlFragment): boolean {
  let current = type as unknown as TypeLike
  while (current !== (root as unknown as TypeLike)) {
    const item = current._item
    if (!item) {
      return true // Another root type: not in this document.
    }
    if (item.deleted) {
      return true
    }
    current = item.parent as TypeLike
  }
  return false
}

/**
 * Positions of every non-text node of a document (blocks and inline nodes), computed once for
 * all the anchors of one pass: resolving an anchor then costs the few siblings of its
 * paragraph instead of a walk along the whole top level of the Yjs document.
 */
export class PositionIndex {
  #positions: Map<Node, number> | null = null

  constructor(private readonly doc: Node) {}

  positionOf(node: Node): number | undefined {
    if (!this.#positions) {
      const positions = new Map<Node, number>()
      this.doc.descendants((child, pos) => {
        if (!child.isText) {
          positions.set(child, pos)
        }
        return !child.isTextblock
      })
      this.#positions = positions
    }
    return this.#positions.get(node)
  }
}

/** The ProseMirror position of a decoded Yjs position, or undefined when the fast path cannot tell. */
function fastPosition(
  binding: AnchorBinding,
  index: PositionIndex,
  type: Y.AbstractType<unknown>,
  at: number,
): number | undefined {
  let container: Y.AbstractType<unknown> = type
  let offset = 0
  if (type instanceof Y.XmlText) {
    // Text: `at` counts characters inside it; the text node's own place is among its siblings.
    offset = at
    const item = (type as unknown as TypeLike)._item
    if (!item) {
      return undefined
    }
    container = item.parent as Y.AbstractType<unknown>
    let n = (container as unknown as TypeLike)._first
    while (n && n.content.type !== type) {
      offset += n.deleted ? 0 : sizeOf(binding, n)
      n = n.right
    }
    if (!n) {
      return undefined
    }
  } else {
    // An element: `at` counts children.
    let n = (type as unknown as TypeLike)._first
    let seen = 0
    while (n && seen < at) {
      if (!n.deleted && n.countable) {
        offset += sizeOf(binding, n)
        seen++
      }
      n = n.right
    }
  }
  if (container === binding.type) {
    return offset
  }
  const node = binding.mapping.get(container)
  const pos = node ? index.positionOf(node) : undefined
  return pos === undefined ? undefined : pos + 1 + offset
}

function sizeOf(binding: AnchorBinding, item: ItemLike): number {
  const type = item.content.type
  if (!type) {
    return 0
  }
  if (type instanceof Y.XmlText) {
    return (type as unknown as TypeLike)._length
  }
  return binding.mapping.get(type)?.nodeSize ?? 0
}

function decode(text: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(text))
  } catch {
    return null
  }
}

function resolvePosition(
  binding: AnchorBinding,
  doc: Node,
  index: PositionIndex,
  encoded: string,
): number | null {
  const relative = decode(encoded)
  if (!relative) {
    return null
  }
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, docOf(binding))
  if (!absolute || isDeleted(absolute.type, binding.type)) {
    return null
  }
  const fast = fastPosition(binding, index, absolute.type, absolute.index)
  const pos =
    fast ??
    relativePositionToAbsolutePosition(docOf(binding), binding.type, relative, binding.mapping)
  return pos === null || pos < 0 || pos > doc.content.size ? null : pos
}

/**
 * Where an anchor's passage is now, or null when it is gone: deleted (the range collapsed),
 * its paragraph removed, or the positions unreadable. The thread then falls back to its section.
 * Pass one `PositionIndex` of `doc` for all anchors resolved against the same document.
 */
export function resolveAnchor(
  binding: AnchorBinding,
  doc: Node,
  anchor: Pick<Anchor, 'start' | 'end'>,
  index: PositionIndex = new PositionIndex(doc),
): Range | null {
  const from = resolvePosition(binding, doc, index, anchor.start)
  const to = resolvePosition(binding, doc, index, anchor.end)
  if (from === null || to === null || to <= from) {
    return null
  }
  // Text between the two positions may all have been deleted while block boundaries remain.
  return doc.textBetween(from, to, '\n', ' ').trim() ? { from, to } : null
}

/** The section of a passage: its nearest heading at or before `pos`, or null when there is none or it has no id. */
export function sectionAt(doc: Node, pos: number): { id: string; title: string } | null {
  let found: { id: string | null; title: string } | null = null
  for (const section of findSections(doc)) {
    if (section.from > pos) {
      break
    }
    found = section
  }
  return found?.id ? { id: found.id, title: found.title } : null
}
