import { Slice, type Fragment } from 'prosemirror-model'
import { Plugin, PluginKey, type Transaction } from 'prosemirror-state'
import { AttrStep, Mapping, ReplaceAroundStep, ReplaceStep, type Step } from 'prosemirror-transform'
import { ySyncPluginKey } from 'y-prosemirror'
import { applySectionIdChanges, sectionIdChanges } from '../../../shared/schema/section-ids'

export const sectionIdsKey = new PluginKey('concord-section-ids')

function containsHeading(fragment: Fragment): boolean {
  let found = false
  fragment.descendants((node) => {
    if (node.type.name === 'heading') {
      found = true
    }
    // Inline content holds no headings.
    return !found && !node.isTextblock
  })
  return found
}

/**
 * Tells whether a step may create a heading or change a heading's id: a replacement whose
 * content holds a heading (a paste, a split heading, a paragraph turned into a heading), or
 * an attribute change. Typing into text does neither, so on a 300-page draft the plugin does
 * not walk the document on every keystroke.
 */
function mayTouchHeadings(step: Step): boolean {
  if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) {
    const slice = (step as unknown as { slice: Slice }).slice
    return containsHeading(slice.content)
  }
  return step instanceof AttrStep
}

function isLocal(tr: Transaction): boolean {
  const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return !sync?.isChangeOrigin
}

/**
 * Gives every new or duplicated heading a fresh section id, in the same transaction as the
 * change that made it (pasting, duplicating or splitting a heading), by the shared rules of
 * shared/schema/section-ids.ts: of two headings with one id, the one that had it before keeps
 * it. Changes from collaborators are left alone: their own editor already did this, and two
 * editors assigning ids to the same heading would only churn.
 */
export function sectionIdsPlugin(isEditable: () => boolean): Plugin {
  return new Plugin({
    key: sectionIdsKey,
    appendTransaction(transactions, oldState, newState) {
      if (!isEditable()) {
        return null
      }
      const local = transactions.filter((tr) => tr.docChanged && isLocal(tr))
      if (!local.some((tr) => tr.steps.some(mayTouchHeadings))) {
        return null
      }
      const mapping = new Mapping(transactions.flatMap((tr) => tr.mapping.maps))
      const changes = sectionIdChanges(newState.doc, { previous: { doc: oldState.doc, mapping } })
      return changes.length > 0 ? applySectionIdChanges(newState.tr, changes) : null
    },
  })
}

/** A transaction that gives ids to headings that have none or share one, or null if all is well. */
export function repairSectionIds(tr: Transaction): Transaction | null {
  const changes = sectionIdChanges(tr.doc)
  return changes.length > 0 ? applySectionIdChanges(tr, changes) : null
}
