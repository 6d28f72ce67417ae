import { signal, type ReadonlySignal } from '@preact/signals'
import { baseKeymap } from 'prosemirror-commands'
import { dropCursor } from 'prosemirror-dropcursor'
import { gapCursor } from 'prosemirror-gapcursor'
import { keymap } from 'prosemirror-keymap'
import { EditorState, Plugin, TextSelection, type Transaction } from 'prosemirror-state'
import { tableEditing } from 'prosemirror-tables'
import { EditorView } from 'prosemirror-view'
import { initProseMirrorDoc, ySyncPlugin, ySyncPluginKey, yUndoPlugin } from 'y-prosemirror'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { PresenceUser } from '../../shared/collab/presence'
import { findSections, schema } from '../../shared/schema'
import { nestsTooDeep, yFragmentToProseMirror } from '../../shared/schema/from-yjs'
import { linkAt, setLink } from './commands'
import { buildKeymap, type KeymapHooks } from './keymap'
import {
  MENU_COMMANDS,
  menuState,
  sameMenuState,
  type CommandName,
  type MenuState,
} from './menu/items'
import { nodeViews } from './node-views'
import { buildInputRules } from './plugins/input-rules'
import { longDocumentPlugin } from './plugins/long-document'
import { nestingDepthPlugin } from './plugins/nesting-depth'
import { pastePlugin } from './plugins/paste'
import { readOnlyPlugin } from './plugins/read-only'
import { remoteCursorsPlugin, type CursorLabel } from './plugins/remote-cursors'
import { repairSectionIds, sectionIdsPlugin } from './plugins/section-ids'
import { createAnchor, sectionAt, type AnchorBinding } from './anchors'
import {
  commentAnchorsPlugin,
  setActiveThread,
  setAnchoredThreads,
  setSectionCounts,
  threadRange,
  type AnchoredThread,
  type CommentAnchorsOptions,
} from './plugins/comment-anchors'
import type { Anchor } from '../../shared/api/threads'

/** One entry of the outline: a heading of the document. */
export interface OutlineEntry {
  /** The section id, or null while the heading has none. */
  id: string | null
  level: number
  title: string
}

export interface CreateEditorOptions {
  /** The element the editor replaces the content of. */
  mount: HTMLElement
  fragment: Y.XmlFragment
  awareness: Awareness
  editable: boolean
  /** The accessible name of the text area, e.g. "Text of Draft strategy". */
  label: string
  /** The language of the text (the process's main language), for spelling and speech. */
  lang?: string
  /** How a collaborator is named beside their cursor. */
  cursorLabel: (user: PresenceUser) => CursorLabel
  hooks: KeymapHooks
  /** Comment threads: highlights, heading counts, and what they call back. */
  comments?: CommentAnchorsOptions
}

/** What a new comment thread would be about: the section at the selection, and its passage if any. */
export interface CommentTarget {
  sectionId: string
  sectionTitle: string
  /** The selected passage, or null for the section as a whole (nothing or only blanks selected). */
  anchor: Anchor | null
  /** The passage lies inside one paragraph (or heading), so a replacement for it can be proposed. */
  singleBlock: boolean
}

/** The editor's side of comment threads. */
export interface CommentsHandle {
  setThreads(threads: readonly AnchoredThread[]): void
  setCounts(counts: ReadonlyMap<string, number>): void
  /** Marks the highlight of the thread open in the margin. */
  setActive(threadId: string | null): void
  /** Scrolls to a thread's passage; false when it has none on screen. */
  reveal(threadId: string): boolean
  /** What a thread started now would be about, or null outside any section. */
  target(): CommentTarget | null
}

/**
 * The drafting editor as the rest of the client sees it: signals to render from and verbs to
 * call. ProseMirror's state and view stay inside client/editor (STYLE 2.1).
 */
export interface EditorHandle {
  readonly menu: ReadonlySignal<MenuState>
  readonly outline: ReadonlySignal<OutlineEntry[]>
  /** The index in `outline` of the section holding the cursor, or -1. */
  readonly currentSection: ReadonlySignal<number>
  readonly editable: ReadonlySignal<boolean>
  readonly comments: CommentsHandle
  /**
   * True when the stored document nests deeper than NESTING_DEPTH_MAX (it was stored before
   * the server enforced the schema): it is shown flattened and read-only, not bound to Yjs,
   * because y-prosemirror's conversion would run out of stack and its binding would rewrite
   * the document for everyone (issue 12, item 3).
   */
  readonly flattened: boolean
  run(name: CommandName): boolean
  /** Sets the link on the selection to `href`, or removes it with null. False if not allowed. */
  setLink(href: string | null): boolean
  /** Whether a link can be set at the selection now, and the current target if there is one. */
  linkState(): { enabled: boolean; href: string | null }
  setEditable(editable: boolean): void
  setLabel(label: string): void
  /** Scrolls to a section and, when editing, puts the cursor at its heading. */
  goToSection(index: number): void
  focus(): void
  destroy(): void
}

/**
 * The outline is read again this long after the document last changed: never on the path
 * from a key press to the character on screen.
 */
const OUTLINE_DELAY_MS = 150

interface Heading extends OutlineEntry {
  pos: number
}

function readHeadings(state: EditorState): Heading[] {
  return findSections(state.doc).map((section) => ({
    id: section.id,
    level: section.level,
    title: section.title,
    pos: section.from,
  }))
}

function sameOutline(a: readonly OutlineEntry[], b: readonly OutlineEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!
      return x.id === y.id && x.level === y.level && x.title === y.title
    })
  )
}

const toEntry = ({ id, level, title }: Heading): OutlineEntry => ({ id, level, title })

/**
 * y-prosemirror's sync plugin compares the whole document with the Yjs fragment after every
 * view update, selection moves and cursor redraws included. Only a changed document can have
 * anything to write, so its view is told about updates that changed the document (or the
 * sync state, for snapshots) only. On 5,000 paragraphs this halves the work per key press.
 */
function syncOnlyDocumentChanges(sync: Plugin): Plugin {
  const makeView = sync.spec.view
  if (!makeView) {
    return sync
  }
  return new Plugin({
    ...sync.spec,
    view: (view) => {
      const inner = makeView(view)
      return {
        update: (current, previous) => {
          if (
            current.state.doc !== previous.doc ||
            sync.getState(current.state) !== sync.getState(previous)
          ) {
            inner.update?.(current, previous)
          }
        },
        destroy: () => inner.destroy?.(),
      }
    },
  })
}

/** Creates the editor on a loaded Yjs document. */
export function createEditor(options: CreateEditorOptions): EditorHandle {
  const flattened = nestsTooDeep(options.fragment)
  let editable = options.editable && !flattened
  const editableSignal = signal(editable)
  const isEditable = () => editable

  // Build the first state straight from the Yjs content with y-prosemirror's mapping, so the
  // binding starts in step and nothing is re-rendered or written back on load.
  const initial =
    options.fragment.length > 0 && !flattened ? initProseMirrorDoc(options.fragment, schema) : null
  const doc = flattened
    ? yFragmentToProseMirror(options.fragment)
    : (initial?.doc ?? schema.topNodeType.createAndFill()!)

  const state = EditorState.create({
    schema,
    doc,
    plugins: [
      ...(flattened
        ? []
        : [
            syncOnlyDocumentChanges(
              ySyncPlugin(options.fragment, { mapping: initial?.mapping ?? new Map() }) as Plugin,
            ),
          ]),
      // y-prosemirror's cursor and undo plugins need its binding, which a flattened view has not.
      ...(flattened
        ? []
        : [remoteCursorsPlugin(options.awareness, options.cursorLabel), yUndoPlugin()]),
      readOnlyPlugin(isEditable),
      nestingDepthPlugin(),
      sectionIdsPlugin(isEditable),
      tableEditing(),
      buildInputRules(),
      keymap(buildKeymap(options.hooks)),
      keymap(baseKeymap),
      dropCursor({ color: 'var(--color-focus)', width: 2 }),
      gapCursor(),
      pastePlugin(),
      longDocumentPlugin(),
      ...(options.comments ? [commentAnchorsPlugin(options.comments)] : []),
    ],
  })

  const menu = signal<MenuState>(menuState(state, editable))
  let headings = readHeadings(state)
  let headingsStale = false
  const outline = signal<OutlineEntry[]>(headings.map(toEntry))
  const currentSection = signal(-1)
  let outlineTimer: ReturnType<typeof setTimeout> | undefined
  let menuTimer: ReturnType<typeof setTimeout> | undefined
  let destroyed = false

  const attributes = () => ({
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    ...(editable ? {} : { 'aria-readonly': 'true' }),
    ...(options.lang ? { lang: options.lang } : {}),
    spellcheck: 'true',
    class: 'doc-text',
  })
  let label = options.label

  const view: EditorView = new EditorView(options.mount, {
    state,
    nodeViews,
    attributes,
    dispatchTransaction(tr) {
      const { state: next, transactions } = view.state.applyTransaction(tr)
      view.updateState(next)
      afterUpdate(next, transactions)
    },
  })

  function refreshMenu() {
    if (menuTimer !== undefined || destroyed) {
      return
    }
    // After the key press has been handled, and without asking for a frame of its own: on a
    // 300-page draft every extra frame costs layout work across the whole text.
    menuTimer = setTimeout(() => {
      menuTimer = undefined
      if (destroyed) {
        return
      }
      const next = menuState(view.state, editable)
      if (!sameMenuState(next, menu.value)) {
        menu.value = next
      }
    }, 0)
  }

  function updateCurrentSection(next: EditorState) {
    const head = next.selection.head
    // The last heading at or before the cursor (headings are in document order).
    let low = 0
    let high = headings.length - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (headings[middle]!.pos <= head) {
        found = middle
        low = middle + 1
      } else {
        high = middle - 1
      }
    }
    if (found !== currentSection.value) {
      currentSection.value = found
    }
  }

  function refreshOutline() {
    clearTimeout(outlineTimer)
    headings = readHeadings(view.state)
    headingsStale = false
    const entries = headings.map(toEntry)
    if (!sameOutline(entries, outline.value)) {
      outline.value = entries
    }
    updateCurrentSection(view.state)
  }

  function afterUpdate(next: EditorState, transactions: readonly Transaction[]) {
    if (transactions.some((tr) => tr.docChanged)) {
      headingsStale = true
      clearTimeout(outlineTimer)
      outlineTimer = setTimeout(() => {
        if (!destroyed) {
          refreshOutline()
        }
      }, OUTLINE_DELAY_MS)
    } else if (!headingsStale) {
      updateCurrentSection(next)
    }
    refreshMenu()
  }

  // When a collaborator's change arrives, y-prosemirror measures the DOM selection to decide
  // whether to scroll our cursor back into view: a forced layout of the whole text for every
  // change. The browser's scroll anchoring (overflow-anchor) already keeps what we are looking
  // at in place when text above it changes, so the measurement is skipped. (y-prosemirror
  // 1.3's binding; if a later version drops the method, nothing changes here.)
  const binding = (
    ySyncPluginKey.getState(view.state) as { binding?: Record<string, unknown> } | undefined
  )?.binding
  if (binding && typeof binding._isLocalCursorInView === 'function') {
    binding._isLocalCursorInView = () => false
  }

  // A heading without an id (from an older import) or a repeated id gets one now, once.
  if (editable) {
    const repair = repairSectionIds(view.state.tr)
    if (repair) {
      view.dispatch(repair.setMeta('addToHistory', false))
    }
  }

  function headingElement(pos: number): HTMLElement | null {
    const dom = view.nodeDOM(pos)
    return dom instanceof HTMLElement ? dom : null
  }

  const comments: CommentsHandle = {
    setThreads: (threads) => setAnchoredThreads(view, threads),
    setCounts: (counts) => setSectionCounts(view, counts),
    setActive: (threadId) => setActiveThread(view, threadId),
    reveal(threadId) {
      const range = threadRange(view.state, threadId)
      if (!range) {
        return false
      }
      const { node } = view.domAtPos(range.from)
      const element = node instanceof Element ? node : node.parentElement
      element?.scrollIntoView({ block: 'center' })
      return true
    },
    target() {
      const { state } = view
      const { from, to, $from, $to } = state.selection
      const section = sectionAt(state.doc, from)
      if (!section) {
        return null
      }
      const sync = ySyncPluginKey.getState(state) as { binding?: AnchorBinding } | undefined
      const anchor =
        sync?.binding && to > from ? createAnchor(sync.binding, state.doc, from, to) : null
      return {
        sectionId: section.id,
        sectionTitle: section.title,
        anchor,
        singleBlock: anchor !== null && $from.sameParent($to) && $from.parent.isTextblock,
      }
    },
  }

  return {
    menu,
    outline,
    currentSection,
    editable: editableSignal,
    comments,
    flattened,
    run(name) {
      const done = MENU_COMMANDS[name](view.state, view.dispatch, view)
      return Boolean(done)
    },
    setLink(href) {
      return setLink(href)(view.state, view.dispatch, view)
    },
    linkState() {
      const href = linkAt(view.state)
      return { enabled: editable && (!view.state.selection.empty || href !== null), href }
    },
    setEditable(requested) {
      const next = requested && !flattened
      if (next === editable) {
        return
      }
      editable = next
      editableSignal.value = next
      view.setProps({ attributes })
      refreshMenu()
    },
    setLabel(next) {
      label = next
      view.setProps({ attributes })
    },
    goToSection(index) {
      if (headingsStale) {
        refreshOutline()
      }
      const entry = headings[index]
      if (!entry || entry.pos > view.state.doc.content.size) {
        return
      }
      const heading = headingElement(entry.pos)
      if (editable) {
        const inside = Math.min(entry.pos + 1, view.state.doc.content.size)
        view.dispatch(
          view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(inside))),
        )
        view.focus()
      } else if (heading) {
        // Readers cannot place a cursor; move focus to the heading so reading continues there.
        heading.tabIndex = -1
        heading.focus({ preventScroll: true })
      }
      heading?.scrollIntoView({ block: 'start' })
      currentSection.value = index
    },
    focus() {
      view.focus()
    },
    destroy() {
      destroyed = true
      clearTimeout(outlineTimer)
      clearTimeout(menuTimer)
      view.destroy()
    },
  }
}
