import { Plugin, PluginKey } from 'prosemirror-state'
import { ySyncPluginKey } from 'y-prosemirror'

export const readOnlyKey = new PluginKey('concord-read-only')

/**
 * Read-only mode for members who may read but not edit (stakeholders, facilitators,
 * observers). The view is not editable, and as a second line any transaction that would
 * change the document is dropped unless it carries a collaborator's change from Yjs. The
 * server ignores a reader's changes anyway; this makes sure a reader never sends one, so its
 * refusal is never what they meet (issue 4, item 3).
 */
export function readOnlyPlugin(isEditable: () => boolean): Plugin {
  return new Plugin({
    key: readOnlyKey,
    filterTransaction(tr) {
      if (isEditable() || !tr.docChanged) {
        return true
      }
      const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
      return Boolean(sync?.isChangeOrigin)
    },
    props: {
      editable: () => isEditable(),
    },
  })
}
