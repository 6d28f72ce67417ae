import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Db } from '../../server/db/database'
import { loadConsistentState } from '../../server/documents/service'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'

/** A strategy draft with three sections, for thread tests. */
export const THREAD_DRAFT = `# Vision

A secure and resilient digital nation for everyone.

## Governance

The national cybersecurity council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

const toBase64 = (position: Y.RelativePosition) =>
  Buffer.from(Y.encodeRelativePosition(position)).toString('base64')

/** The first run of text in a Yjs document whose text contains `needle`, and where. */
export function findText(doc: Y.Doc, needle: string): { text: Y.XmlText; index: number } {
  const visit = (
    node: Y.XmlElement | Y.XmlFragment | Y.XmlText | Y.XmlHook,
  ): { text: Y.XmlText; index: number } | null => {
    if (node instanceof Y.XmlText) {
      const index = plainIndex(node, needle)
      return index >= 0 ? { text: node, index } : null
    }
    if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      for (const child of node.toArray()) {
        const found = visit(child)
        if (found) {
          return found
        }
      }
    }
    return null
  }
  const found = visit(doc.getXmlFragment(PROSEMIRROR_FRAGMENT))
  if (!found) {
    throw new Error(`"${needle}" is not in the document`)
  }
  return found
}

function plainIndex(text: Y.XmlText, needle: string): number {
  const plain = (text.toDelta() as { insert: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('')
  return plain.indexOf(needle)
}

/**
 * An anchor on the first occurrence of `quote` in `doc`, made the way the editor makes one:
 * the start associates to the right, the end to the left.
 */
export function anchorIn(doc: Y.Doc, quote: string): { start: string; end: string; quote: string } {
  const { text, index } = findText(doc, quote)
  return {
    start: toBase64(Y.createRelativePositionFromTypeIndex(text, index, 0)),
    end: toBase64(Y.createRelativePositionFromTypeIndex(text, index + quote.length, -1)),
    quote,
  }
}

/** A scratch Y.Doc of a document's stored state. */
export async function storedDoc(db: Db, documentId: string): Promise<Y.Doc> {
  const state = await loadConsistentState(db, documentId)
  const doc = new Y.Doc()
  if (state.update) {
    Y.applyUpdate(doc, state.update)
  }
  return doc
}

/** An anchor on `quote` in a document's stored state. */
export async function anchorFor(db: Db, documentId: string, quote: string) {
  return anchorIn(await storedDoc(db, documentId), quote)
}

/** The id of the section titled `title`. */
export function sectionId(sections: Section[], title: string): string {
  const section = sections.find((s) => s.title === title)
  if (!section?.id) {
    throw new Error(`No section "${title}"`)
  }
  return section.id
}
