import { Fragment, type Mark, type Node, type NodeType } from 'prosemirror-model'
import * as Y from 'yjs'
import { schema } from './index'
import { NESTING_DEPTH_MAX } from './nodes'

// y-prosemirror names a mark that may overlap itself `name--<hash>` (its yattr2markname).
const HASHED_MARK_NAME = /^(.*)--[a-zA-Z0-9+/=]{8}$/

/**
 * Elements at this depth that hold more levels than NESTING_DEPTH_MAX leaves room for are
 * flattened: replaced by their text blocks as paragraphs, wrapped in at most two levels (a
 * table row and cell) where their parent cannot hold a paragraph, so the text ends at
 * NESTING_DEPTH_MAX at most.
 */
const FLATTEN_DEPTH = NESTING_DEPTH_MAX - 3

/** What converting a document found. */
export interface ConversionReport {
  /** True when some content nested deeper than NESTING_DEPTH_MAX and was flattened. */
  flattened: boolean
}

/**
 * Converts a Yjs XML fragment (a document's `prosemirror` fragment) to a ProseMirror document
 * as y-prosemirror's `yXmlFragmentToProseMirrorRootNode` does, with two differences that let
 * it read any stored document (issue 12, item 3): it never recurses, so no nesting depth can
 * run it out of stack, and content deeper than NESTING_DEPTH_MAX is flattened, so whatever
 * walks the result recursively (HTML, Markdown, JSON, `Node.check`, the editor) stays within
 * bounds. Like y-prosemirror, it leaves out elements and texts that do not fit the schema
 * (unknown types, invalid attributes or marks), but it never changes the Yjs document.
 */
export function yFragmentToProseMirror(
  fragment: Y.XmlFragment,
  report: ConversionReport = { flattened: false },
): Node {
  interface Frame {
    element: Y.XmlElement | undefined
    depth: number
    children: unknown[]
    next: number
    out: Node[]
  }
  const root: Frame = {
    element: undefined,
    depth: 0,
    children: fragment.toArray(),
    next: 0,
    out: [],
  }
  const stack: Frame[] = [root]
  for (;;) {
    const frame = stack[stack.length - 1]!
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++]
      if (child instanceof Y.XmlText) {
        frame.out.push(...textNodes(child))
      } else if (child instanceof Y.XmlElement) {
        const depth = frame.depth + 1
        const type = schema.nodes[child.nodeName]
        if (
          depth === FLATTEN_DEPTH &&
          type &&
          !type.isTextblock &&
          tallerThan(child, NESTING_DEPTH_MAX - depth + 1)
        ) {
          report.flattened = true
          const parentType = frame.element
            ? schema.nodes[frame.element.nodeName]
            : schema.topNodeType
          frame.out.push(...flatten(child, parentType ?? schema.topNodeType))
        } else {
          stack.push({ element: child, depth, children: child.toArray(), next: 0, out: [] })
        }
      }
      continue
    }
    stack.pop()
    if (!frame.element) {
      return frame.out.length === 0
        ? schema.topNodeType.createAndFill()!
        : schema.topNodeType.create(null, Fragment.fromArray(frame.out))
    }
    const node = elementNode(frame.element, frame.out)
    if (node) {
      stack[stack.length - 1]!.out.push(node)
    }
  }
}

/**
 * Tells whether a fragment nests deeper than NESTING_DEPTH_MAX (text counts as a level), by
 * an iterative walk that stops at the first place too deep.
 */
export function nestsTooDeep(fragment: Y.XmlFragment): boolean {
  const pending: [Y.XmlElement | Y.XmlText, number][] = fragment
    .toArray()
    .map((child) => [child as Y.XmlElement | Y.XmlText, 1])
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, depth] = entry
    if (depth > NESTING_DEPTH_MAX) {
      return true
    }
    if (node instanceof Y.XmlElement) {
      for (const child of node.toArray()) {
        pending.push([child as Y.XmlElement | Y.XmlText, depth + 1])
      }
    }
  }
  return false
}

// The node of an element with its converted children, or undefined when it does not fit the
// schema (y-prosemirror's createNodeFromYElement returns null then).
function elementNode(element: Y.XmlElement, children: Node[]): Node | undefined {
  try {
    return schema.node(element.nodeName, element.getAttributes(), children)
  } catch {
    return undefined
  }
}

// The text nodes of a Yjs text, or none when any part of it does not fit the schema
// (y-prosemirror's createTextNodesFromYText drops the whole text then).
function textNodes(text: Y.XmlText): Node[] {
  const nodes: Node[] = []
  try {
    for (const op of text.toDelta() as {
      insert: unknown
      attributes?: Record<string, unknown>
    }[]) {
      if (typeof op.insert !== 'string') {
        return []
      }
      const marks: Mark[] = []
      for (const [key, attrs] of Object.entries(op.attributes ?? {})) {
        const name = HASHED_MARK_NAME.exec(key)?.[1] ?? key
        marks.push(schema.mark(name, attrs as Record<string, unknown>))
      }
      nodes.push(schema.text(op.insert, marks))
    }
  } catch {
    return []
  }
  return nodes
}

// Whether an element's subtree (itself and text included) spans more than `levels` levels.
function tallerThan(element: Y.XmlElement, levels: number): boolean {
  const pending: [Y.XmlElement | Y.XmlText, number][] = [[element, 1]]
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, level] = entry
    if (level > levels) {
      return true
    }
    if (node instanceof Y.XmlElement) {
      for (const child of node.toArray()) {
        pending.push([child as Y.XmlElement | Y.XmlText, level + 1])
      }
    }
  }
  return false
}

// The text blocks under `element`, in document order, as paragraphs that `parent` can hold.
function flatten(element: Y.XmlElement, parent: NodeType): Node[] {
  const paragraphType = schema.nodes.paragraph
  const paragraphs: Node[] = []
  const pending: unknown[] = [element]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (!(node instanceof Y.XmlElement)) {
      continue
    }
    if (schema.nodes[node.nodeName]?.isTextblock) {
      const inline: Node[] = []
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText) {
          inline.push(...textNodes(child))
        } else if (child instanceof Y.XmlElement && schema.nodes[child.nodeName]?.isInline) {
          const leaf = elementNode(child, [])
          if (leaf) {
            inline.push(leaf)
          }
        }
      }
      paragraphs.push(paragraphType.create(null, inline))
    } else {
      pending.push(...node.toArray().reverse())
    }
  }
  if (paragraphs.length === 0) {
    paragraphs.push(paragraphType.create())
  }
  const wrapping = parent.contentMatch.matchType(paragraphType)
    ? []
    : (parent.contentMatch.findWrapping(paragraphType) ?? [])
  return paragraphs.map((paragraph) =>
    wrapping.reduceRight((inner, type) => type.create(null, inner), paragraph),
  )
}
