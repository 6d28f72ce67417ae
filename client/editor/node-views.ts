import type { Node } from 'prosemirror-model'
import type { NodeView, NodeViewConstructor } from 'prosemirror-view'

/** The DOM id of a section's heading, for links like `/documents/…#s-<sectionId>`. */
export function sectionAnchor(sectionId: string): string {
  return `s-${sectionId}`
}

/**
 * Headings one level below the page's own: the page's `h1` is the document title, so a
 * document heading of level 1 is an `h2` on the page, and screen reader users get one
 * coherent outline. Exports and the clipboard still use the schema's `h1`–`h3`.
 */
class HeadingView implements NodeView {
  dom: HTMLElement
  contentDOM: HTMLElement

  constructor(private node: Node) {
    const level = Number(node.attrs.level)
    this.dom = this.contentDOM = document.createElement(`h${Math.min(6, level + 1)}`)
    this.dom.className = `doc-heading doc-h${level}`
    this.#applyId()
  }

  #applyId(): void {
    const id = this.node.attrs.sectionId as string | null
    if (id) {
      this.dom.id = sectionAnchor(id)
      this.dom.dataset.sectionId = id
    } else {
      this.dom.removeAttribute('id')
      delete this.dom.dataset.sectionId
    }
  }

  update(next: Node): boolean {
    if (next.type !== this.node.type || next.attrs.level !== this.node.attrs.level) {
      return false
    }
    const idChanged = next.attrs.sectionId !== this.node.attrs.sectionId
    this.node = next
    if (idChanged) {
      this.#applyId()
    }
    return true
  }

  // We set the attributes ourselves (and the outline sets tabindex to move focus here);
  // only changes to the text are the editor's business.
  ignoreMutation(mutation: MutationRecord | { type: 'selection'; target: globalThis.Node }): boolean {
    return mutation.type === 'attributes' && mutation.target === this.dom
  }
}

export const nodeViews: Record<string, NodeViewConstructor> = {
  heading: (node) => new HeadingView(node),
}
