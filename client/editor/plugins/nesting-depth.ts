import type { Node } from 'prosemirror-model'
import { Plugin, PluginKey, type Transaction } from 'prosemirror-state'
import { ySyncPluginKey } from 'y-prosemirror'
import { NESTING_DEPTH_MAX } from '../../../shared/schema'

export const nestingDepthKey = new PluginKey('concord-nesting-depth')

/**
 * Refuses a local edit that would nest any node, text included, deeper than
 * NESTING_DEPTH_MAX (a 33rd level of lists, a 63rd blockquote): the server would refuse the
 * change with SchemaViolation and stop the session (issue 12, item 3). Only what the
 * transaction changed is looked at, so a key press costs a few resolves. Changes that come
 * from Yjs are never refused: they are the document as stored.
 */
export function nestingDepthPlugin(): Plugin {
  return new Plugin({
    key: nestingDepthKey,
    filterTransaction(tr) {
      if (!tr.docChanged) {
        return true
      }
      const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
      return Boolean(sync?.isChangeOrigin) || !changeNestsTooDeep(tr)
    },
  })
}

/** Tells whether the document after `tr` has a node deeper than NESTING_DEPTH_MAX where `tr` changed it. */
export function changeNestsTooDeep(tr: Transaction): boolean {
  const doc = tr.doc
  const maps = tr.mapping.maps
  for (let i = 0; i < maps.length; i++) {
    const rest = tr.mapping.slice(i + 1)
    let tooDeep = false
    maps[i]!.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      if (tooDeep) {
        return
      }
      const from = rest.map(newStart, -1)
      const to = rest.map(newEnd, 1)
      if (from >= to) {
        return
      }
      doc.nodesBetween(from, to, (node, pos) => {
        if (tooDeep) {
          return false
        }
        if (pos < from) {
          return true // An ancestor of the change: its level did not change; look inside.
        }
        // A node the change inserted or rewrapped: the whole of it, at its level. A node's
        // level is its parent's depth plus one (the document's children are level 1).
        tooDeep = doc.resolve(pos).depth + levelsOf(node) > NESTING_DEPTH_MAX
        return false
      })
    })
    if (tooDeep) {
      return true
    }
  }
  return false
}

// How many levels a node spans, itself and text included, walked iteratively.
function levelsOf(root: Node): number {
  let deepest = 0
  const pending: [Node, number][] = [[root, 1]]
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, level] = entry
    deepest = Math.max(deepest, level)
    node.forEach((child) => pending.push([child, level + 1]))
  }
  return deepest
}
