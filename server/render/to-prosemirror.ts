import type { Node } from 'prosemirror-model'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import * as Y from 'yjs'
import { schema } from '../../shared/schema'

/** The Yjs XML fragment that holds a document's ProseMirror content (y-prosemirror's default; DESIGN). */
export const PROSEMIRROR_FRAGMENT = 'prosemirror'

/**
 * Turns a stored Yjs state (a snapshot merged with its updates, as `loadState` returns it)
 * into a ProseMirror document. No state yet is an empty document.
 *
 * DESIGN: render from a scratch Y.Doc built from stored state, never from the live one.
 * y-prosemirror deletes elements that do not fit the schema while it converts; on this
 * throw-away doc that deletion harms nothing, while on a live doc it would delete text.
 */
export function updateToProseMirror(update: Uint8Array | null): Node {
  if (update === null) {
    return schema.topNodeType.createAndFill()!
  }
  const scratch = new Y.Doc()
  try {
    Y.applyUpdate(scratch, update)
    const doc = yXmlFragmentToProseMirrorRootNode(
      scratch.getXmlFragment(PROSEMIRROR_FRAGMENT),
      schema,
    )
    // An empty fragment converts to a doc without children, which no editor can show.
    return doc.childCount === 0 ? schema.topNodeType.createAndFill()! : doc
  } finally {
    scratch.destroy()
  }
}

/**
 * Encodes a ProseMirror document as a Yjs update that creates it in the `prosemirror`
 * fragment of an empty Y.Doc: the initial state of an imported, templated or seeded document.
 * Apply it only to a document with no content yet; applied to one with content, it would add
 * a second copy (DESIGN: initial content is written once, on the server).
 */
export function proseMirrorToUpdate(doc: Node): Uint8Array {
  const scratch = new Y.Doc()
  try {
    prosemirrorToYXmlFragment(doc, scratch.getXmlFragment(PROSEMIRROR_FRAGMENT))
    return Y.encodeStateAsUpdate(scratch)
  } finally {
    scratch.destroy()
  }
}
