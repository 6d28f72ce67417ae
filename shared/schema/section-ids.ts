import type { Node } from 'prosemirror-model'
import { Transform, type Mappable } from 'prosemirror-transform'

/**
 * Section ids: every heading carries a stable `sectionId`, and comment threads anchor to it.
 * These helpers are pure functions over a document. The client's section-id plugin calls
 * `sectionIdChanges` from `appendTransaction`; the server calls `assignSectionIds` when it
 * imports or seeds a document. Both therefore follow the same rules: a heading without an id
 * gets a fresh one, and of two headings with one id the original keeps it.
 */

/** How many characters a generated section id has: 64^10 ≈ 10^18 possibilities. */
export const SECTION_ID_LENGTH = 10

const SECTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
// 64 characters, so a random byte masked to 6 bits picks each one with equal chance.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

// shared/ compiles without DOM or Node types, yet browsers and Node (≥ 19) both provide the
// Web Crypto API on globalThis.
const webCrypto = (
  globalThis as unknown as { crypto: { getRandomValues(array: Uint8Array): Uint8Array } }
).crypto

/**
 * Tells whether a string may serve as a section id: 1–64 characters of A–Z, a–z, 0–9, `_`
 * and `-`. Such an id is safe in a URL fragment, an HTML attribute and a file name as it is.
 */
export function isSectionId(value: string): boolean {
  return SECTION_ID_PATTERN.test(value)
}

/** Makes a fresh random section id of SECTION_ID_LENGTH URL-safe characters. */
export function newSectionId(): string {
  const bytes = webCrypto.getRandomValues(new Uint8Array(SECTION_ID_LENGTH))
  let id = ''
  for (const byte of bytes) {
    id += ALPHABET[byte & 63]
  }
  return id
}

/**
 * One section of a document. A section is a heading and everything after it up to the next
 * heading of the same or a higher level (a smaller level number), or the end of the document.
 */
export interface Section {
  /**
   * The heading's section id, or null while it has none: when the heading has no id yet, or
   * when an earlier heading holds the same id (the rules give that id to the earlier one).
   */
  id: string | null
  /** The heading level, 1–3. */
  level: number
  /** The heading's text, with line breaks and runs of whitespace as single spaces. */
  title: string
  /** The position just before the heading. */
  from: number
  /** The position where the section ends: before the next heading of the same or a higher level, or the end of the document. */
  to: number
}

interface HeadingAt {
  pos: number
  node: Node
  id: string | null
}

function headingsOf(doc: Node): HeadingAt[] {
  const headings: HeadingAt[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'heading') {
      const id = node.attrs.sectionId
      headings.push({ pos, node, id: typeof id === 'string' ? id : null })
    }
    // Inline content holds no headings: skip it, which keeps this fast on long documents.
    return !node.isTextblock
  })
  return headings
}

function titleOf(heading: Node): string {
  return heading.textBetween(0, heading.content.size, ' ', ' ').replace(/\s+/g, ' ').trim()
}

/**
 * Lists the sections of a document in document order, headings nested in lists, quotes or
 * tables included. Every heading yields exactly one section; its `id` is null when the
 * heading has no id or when an earlier heading already holds the same id.
 */
export function findSections(doc: Node): Section[] {
  const sections: Section[] = []
  const open: Section[] = []
  const seen = new Set<string>()
  for (const heading of headingsOf(doc)) {
    const level = Number(heading.node.attrs.level)
    // A heading closes every open section of its own level or a deeper one.
    while (open.length > 0 && open[open.length - 1]!.level >= level) {
      open.pop()!.to = heading.pos
    }
    const id = heading.id !== null && !seen.has(heading.id) ? heading.id : null
    if (id !== null) {
      seen.add(id)
    }
    const section: Section = {
      id,
      level,
      title: titleOf(heading.node),
      from: heading.pos,
      to: doc.content.size,
    }
    sections.push(section)
    open.push(section)
  }
  return sections
}

/** A heading that must get a new section id: set `sectionId` on the node at `pos`. */
export interface SectionIdChange {
  pos: number
  sectionId: string
}

/** The document before a change, and how positions moved since, so originals can be told from copies. */
export interface PreviousDocument {
  doc: Node
  mapping: Mappable
}

/** How `sectionIdChanges` and `assignSectionIds` tell originals from copies and make fresh ids. */
export interface SectionIdOptions {
  /**
   * The document before the transactions being fixed, with their combined mapping. When an
   * id occurs twice, the heading that held it before the change keeps it, even when a copy
   * was pasted in front of it. Without it, the first occurrence in the document keeps it.
   */
  previous?: PreviousDocument
  /** Makes fresh ids; tests pass a deterministic one. Defaults to newSectionId. */
  generate?: () => string
}

/**
 * Works out which headings need a new section id, without changing anything. After the
 * returned changes are applied, every heading has an id and no two headings share one:
 * a heading without an id gets a fresh one; of several headings sharing an id, the original
 * (see `previous`) or else the first in document order keeps it and the others get fresh ids.
 * Headings already unique keep their ids, so renaming or moving a section never changes it.
 * Fresh ids collide with no id in the document. Setting an attribute moves no positions, so
 * the changes may be applied in any order.
 *
 * In a ProseMirror plugin:
 * ```ts
 * appendTransaction(trs, oldState, newState) {
 *   if (!trs.some((tr) => tr.docChanged)) return null
 *   const mapping = new Mapping(trs.flatMap((tr) => tr.mapping.maps))
 *   const changes = sectionIdChanges(newState.doc, { previous: { doc: oldState.doc, mapping } })
 *   return changes.length > 0 ? applySectionIdChanges(newState.tr, changes) : null
 * }
 * ```
 */
export function sectionIdChanges(doc: Node, options: SectionIdOptions = {}): SectionIdChange[] {
  const headings = headingsOf(doc)
  const positionsById = new Map<string, number[]>()
  for (const heading of headings) {
    if (heading.id !== null) {
      const positions = positionsById.get(heading.id)
      if (positions) {
        positions.push(heading.pos)
      } else {
        positionsById.set(heading.id, [heading.pos])
      }
    }
  }
  const duplicated = [...positionsById].filter(([, positions]) => positions.length > 1)
  if (duplicated.length === 0 && headings.every((h) => h.id !== null)) {
    return []
  }

  const owners = new Map<string, number>()
  const originals = options.previous
    ? originalPositions(options.previous, new Set(duplicated.map(([id]) => id)))
    : new Map<string, number>()
  for (const [id, positions] of duplicated) {
    const original = originals.get(id)
    owners.set(
      id,
      original !== undefined && positions.includes(original) ? original : positions[0]!,
    )
  }

  const generate = options.generate ?? newSectionId
  const taken = new Set(positionsById.keys())
  const changes: SectionIdChange[] = []
  for (const heading of headings) {
    const keeps = heading.id !== null && (owners.get(heading.id) ?? heading.pos) === heading.pos
    if (keeps) {
      continue
    }
    let fresh = generate()
    // Random ids practically never collide, but a collision would merge two sections' threads.
    while (taken.has(fresh) || !isSectionId(fresh)) {
      fresh = generate()
    }
    taken.add(fresh)
    changes.push({ pos: heading.pos, sectionId: fresh })
  }
  return changes
}

/**
 * Where the headings that held `ids` before the change are now: for each id, the mapped
 * position of its first heading in the previous document, unless that heading was deleted.
 */
function originalPositions(
  previous: PreviousDocument,
  ids: ReadonlySet<string>,
): Map<string, number> {
  const result = new Map<string, number>()
  for (const heading of headingsOf(previous.doc)) {
    if (heading.id === null || !ids.has(heading.id) || result.has(heading.id)) {
      continue
    }
    // assoc 1: text inserted right before the heading (a paste) pushes the position along with it.
    const mapped = previous.mapping.mapResult(heading.pos, 1)
    if (!mapped.deletedAfter) {
      result.set(heading.id, mapped.pos)
    }
  }
  return result
}

/** Applies section id changes to a transform (or a transaction) and returns it. */
export function applySectionIdChanges<T extends Transform>(
  tr: T,
  changes: readonly SectionIdChange[],
): T {
  for (const change of changes) {
    tr.setNodeAttribute(change.pos, 'sectionId', change.sectionId)
  }
  return tr
}

/**
 * Returns the document with every heading holding a unique section id, by the rules of
 * `sectionIdChanges`. The server calls it on every document it imports or seeds. Returns the
 * same node when nothing needed to change.
 */
export function assignSectionIds(doc: Node, options: SectionIdOptions = {}): Node {
  const changes = sectionIdChanges(doc, options)
  return changes.length === 0 ? doc : applySectionIdChanges(new Transform(doc), changes).doc
}
