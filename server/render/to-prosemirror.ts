import type { Node } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import * as Y from 'yjs'
import { schema } from '../../shared/schema'
import { yFragmentToProseMirror, type ConversionReport } from '../../shared/schema/from-yjs'

/** The Yjs XML fragment that holds a document's ProseMirror content (y-prosemirror's default; DESIGN). */
export const PROSEMIRROR_FRAGMENT = 'prosemirror'

/**
 * Turns a stored Yjs state (a snapshot merged with its updates, as `loadState` returns it)
 * into a ProseMirror document. No state yet is an empty document.
 *
 * DESIGN: render from a scratch Y.Doc built from stored state, never from the live one.
 * The conversion leaves out what does not fit the schema, as y-prosemirror does, and flattens
 * content nested deeper than NESTING_DEPTH_MAX without recursing (issue 12, item 3: a document
 * stored before the server enforced the schema must not make every export, section list,
 * version and consultation fail); `report.flattened` tells when it did.
 */
export function updateToProseMirror(update: Uint8Array | null, report?: ConversionReport): Node {
  if (update === null) {
    return schema.topNodeType.createAndFill()!
  }
  const scratch = new Y.Doc()
  try {
    Y.applyUpdate(scratch, update)
    const doc = yFragmentToProseMirror(scratch.getXmlFragment(PROSEMIRROR_FRAGMENT), report)
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
