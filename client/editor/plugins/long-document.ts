import { Plugin, PluginKey } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'

export const longDocumentKey = new PluginKey('concord-long-document')

/** Below this many top-level blocks, the stylesheet's `content-visibility: auto` is enough. */
const LONG_DOCUMENT_BLOCKS = 400
/** Blocks kept rendered above and below the screen while typing (about ten pages each way). */
const MARGIN_BLOCKS = 150
/** Typing mode ends this long after the last change made here. */
const IDLE_MS = 1500
/** The class that switches a block to `content-visibility: hidden` (styles/editor.css). */
const FAR = 'doc-far'
/** The class of the editor while its blocks have `content-visibility: auto` (a long document). */
const LONG = 'doc-long'
/** The class that keeps the block with the cursor rendered (`content-visibility: visible`). */
const HERE = 'doc-here'

/** ProseMirror's DOM observer; not part of its typed API, so reached defensively. */
interface DomObserver {
  stop(): void
  start(): void
}

/**
 * Keeps typing fast on a 300-page draft (issue 4, item 6). Every top-level block has
 * `content-visibility: auto` (styles/editor.css): blocks off screen skip layout and paint
 * while staying in the accessibility tree and findable with the browser's search. The browser
 * pays for that with an intersection check of every such block in every frame, which on 5,000
 * blocks is most of the cost of a key press. So while this person types, blocks far from the
 * screen get the class `doc-far` (`content-visibility: hidden`, which needs no such check);
 * when typing stops, or the browser's search is opened, they are all back to `auto`.
 *
 * Why not something simpler: an `:nth-child` rule makes the browser restyle every following
 * block when a paragraph is added (60 ms per Enter on 5,000 blocks), and node decorations make
 * ProseMirror compare 5,000 decorations on every key press. So the class is set on the DOM
 * directly, with ProseMirror's observer paused, as ProseMirror does for its own changes; the
 * parser ignores classes, and a block whose DOM is redrawn simply loses it (and is `auto`).
 */
export function longDocumentPlugin(): Plugin {
  let windowing: Windowing | null = null
  return new Plugin({
    key: longDocumentKey,
    props: {
      // Skipping the layout of blocks off screen only pays on a long document, and it has a
      // cost: Chrome decides whether a new block is on screen only at its next frame, and a
      // key typed into a block still skipped lands behind the cursor. So short documents
      // render every block, and long ones always render the block with the cursor.
      attributes: (state): Record<string, string> =>
        state.doc.childCount >= LONG_DOCUMENT_BLOCKS ? { class: LONG } : {},
      handleKeyDown(_view, event) {
        // The browser's find bar must see the whole text.
        if ((event.ctrlKey || event.metaKey) && (event.key === 'f' || event.key === 'g')) {
          windowing?.stop()
        }
        return false
      },
    },
    view(view) {
      windowing = new Windowing(view)
      windowing.markCursorBlock()
      return {
        update(current, previous) {
          windowing?.markCursorBlock()
          if (current.state.doc !== previous.doc && current.hasFocus()) {
            windowing?.typed()
          }
        },
        destroy() {
          windowing?.destroy()
          windowing = null
        },
      }
    },
  })
}

class Windowing {
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #measureTimer: ReturnType<typeof setTimeout> | undefined
  #active = false
  #window: { from: number; to: number } | null = null

  constructor(private readonly view: EditorView) {
    window.addEventListener('scroll', this.#onScroll, { passive: true })
  }

  #here: Element | null = null
  #checked = { index: -1, count: -1 }

  /**
   * Gives the top-level block with the cursor the class that keeps it rendered, synchronously
   * after every update, so the next key press finds it laid out. Only on long documents.
   */
  markCursorBlock(): void {
    const { state } = this.view
    // Finding a block's DOM walks the top level: only when the cursor may be in another block.
    const index = state.selection.$head.index(0)
    if (index === this.#checked.index && state.doc.childCount === this.#checked.count) {
      return
    }
    this.#checked = { index, count: state.doc.childCount }
    let block: Element | null = null
    if (state.doc.childCount >= LONG_DOCUMENT_BLOCKS) {
      const { $head } = state.selection
      const dom = $head.depth >= 1 ? this.view.nodeDOM($head.before(1)) : null
      block = dom instanceof Element ? dom : null
    }
    if (block === this.#here && (block === null || block.classList.contains(HERE))) {
      return
    }
    const observer = this.#observer()
    if (!observer) {
      return
    }
    observer.stop()
    try {
      this.#here?.classList.remove(HERE)
      block?.classList.add(HERE)
    } finally {
      observer.start()
    }
    this.#here = block
  }

  /** A change was typed here: enter (or stay in) typing mode. */
  typed(): void {
    if (this.view.state.doc.childCount < LONG_DOCUMENT_BLOCKS || !this.#observer()) {
      return
    }
    clearTimeout(this.#idleTimer)
    this.#idleTimer = setTimeout(() => this.stop(), IDLE_MS)
    if (!this.#active) {
      this.#active = true
      this.#scheduleMeasure()
    }
  }

  /** Leaves typing mode: every block is `auto` again. */
  stop(): void {
    clearTimeout(this.#idleTimer)
    clearTimeout(this.#measureTimer)
    this.#measureTimer = undefined
    this.#active = false
    this.#window = null
    this.#apply(null)
  }

  destroy(): void {
    this.stop()
    window.removeEventListener('scroll', this.#onScroll)
  }

  #observer(): DomObserver | null {
    const observer = (this.view as unknown as { domObserver?: Partial<DomObserver> }).domObserver
    return observer && typeof observer.stop === 'function' && typeof observer.start === 'function'
      ? (observer as DomObserver)
      : null
  }

  #onScroll = (): void => {
    if (this.#active) {
      this.#scheduleMeasure()
    }
  }

  // Measured after the key press has been handled, never on its path.
  #scheduleMeasure(): void {
    this.#measureTimer ??= setTimeout(() => {
      this.#measureTimer = undefined
      this.#measure()
    }, 50)
  }

  #measure(): void {
    if (!this.#active) {
      return
    }
    const rect = this.view.dom.getBoundingClientRect()
    const left = Math.min(Math.max(rect.left + 8, 0), window.innerWidth - 1)
    const indexAt = (y: number): number | null => {
      const top = Math.min(Math.max(y, 0), window.innerHeight - 1)
      const found = this.view.posAtCoords({ left, top })
      return found ? this.view.state.doc.resolve(found.pos).index(0) : null
    }
    const first = indexAt(Math.max(rect.top, 0))
    const last = indexAt(Math.min(rect.bottom, window.innerHeight) - 1)
    if (first === null || last === null) {
      return
    }
    const from = Math.max(0, Math.min(first, last) - MARGIN_BLOCKS)
    const to = Math.max(first, last) + MARGIN_BLOCKS + 1
    const current = this.#window
    if (current && Math.abs(current.from - from) < MARGIN_BLOCKS / 3 && Math.abs(current.to - to) < MARGIN_BLOCKS / 3) {
      return // Still well inside the rendered window.
    }
    this.#window = { from, to }
    this.#apply(this.#window)
  }

  #apply(range: { from: number; to: number } | null): void {
    const observer = this.#observer()
    if (!observer) {
      return
    }
    observer.stop()
    try {
      const children = this.view.dom.children
      for (let i = 0; i < children.length; i++) {
        const far = range !== null && (i < range.from || i >= range.to)
        const element = children[i]!
        if (element.classList.contains(FAR) !== far) {
          element.classList.toggle(FAR, far)
        }
      }
    } finally {
      observer.start()
    }
  }
}
