import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Db } from '../../server/db/database'
import { loadConsistentState } from '../../server/documents/service'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'
import { anchorForQuote, findInRuns } from '../../server/comments/anchors'

/** A strategy draft with three sections, for thread tests. */
export const THREAD_DRAFT = `# Vision

A secure and resilient digital nation for everyone.

## Governance

The national cybersecurity council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

/** The first run of text in a Yjs document whose text contains `needle`, and where. */
export function findText(doc: Y.Doc, needle: string): { text: Y.XmlText; index: number } {
  const found = findInRuns(doc.getXmlFragment(PROSEMIRROR_FRAGMENT), needle)
  if (!found) {
    throw new Error(`"${needle}" is not in the document`)
  }
  return found
}

/** An anchor on the first occurrence of `quote` in `doc`, made the way the editor makes one. */
export function anchorIn(doc: Y.Doc, quote: string): { start: string; end: string; quote: string } {
  const anchor = anchorForQuote(doc.getXmlFragment(PROSEMIRROR_FRAGMENT), quote)
  if (!anchor) {
    throw new Error(`"${quote}" is not in the document`)
  }
  return anchor
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
