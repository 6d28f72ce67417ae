import type { Node, Slice } from 'prosemirror-model'
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state'
import {
  AttrStep,
  Mapping,
  ReplaceAroundStep,
  ReplaceStep,
  StepMap,
  type Mappable,
  type Step,
} from 'prosemirror-transform'
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import type { Anchor } from '../../../shared/api/threads'
import { findSections } from '../../../shared/schema'
import { PositionIndex, resolveAnchor, type AnchorBinding, type Range } from '../anchors'

export const commentAnchorsKey = new PluginKey<CommentAnchorsState>('concord-comment-anchors')

/** A thread the text should highlight: its id and anchor. */
export interface AnchoredThread {
  id: string
  anchor: Pick<Anchor, 'start' | 'end'>
  /** The passage of a thread being written (not posted yet). */
  pending?: boolean
}

/** What the page gives the plugin, and what it hears back. */
export interface CommentAnchorsOptions {
  /** A highlight was clicked. */
  onOpenThread: (threadId: string) => void
  /** A heading's thread count was pressed. */
  onOpenSection: (sectionId: string) => void
  /** "3 open threads", in the interface language. */
  countLabel: (count: number) => string
  /** Where the highlighted threads are now; a thread missing from `ranges` lost its passage. */
  onRanges: (ranges: ReadonlyMap<string, Range>) => void
}

interface CommentAnchorsState {
  threads: readonly AnchoredThread[]
  counts: ReadonlyMap<string, number>
  active: string | null
  ranges: ReadonlyMap<string, Range>
  decorations: DecorationSet
  /** Positions were mapped, not read from Yjs: read them again when things are quiet. */
  stale: boolean
}

type Meta =
  | { threads: readonly AnchoredThread[] }
  | { counts: ReadonlyMap<string, number> }
  | { active: string | null }
  | { recompute: true }

const EMPTY: ReadonlyMap<string, Range> = new Map()

function bindingOf(state: EditorState): AnchorBinding | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: Partial<AnchorBinding> } | undefined
  const binding = sync?.binding
  return binding?.type && binding.mapping ? (binding as AnchorBinding) : null
}

function isRemote(tr: Transaction): boolean {
  const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return Boolean(sync?.isChangeOrigin)
}

function containsHeading(slice: Slice): boolean {
  let found = false
  slice.content.descendants((node) => {
    found ||= node.type.name === 'heading'
    return !found && !node.isTextblock
  })
  return found
}

/** Whether a local step may add, remove or split a heading (typing inside text does not). */
function mayMoveHeadings(step: Step): boolean {
  if (step instanceof ReplaceAroundStep || step instanceof AttrStep) {
    return true
  }
  if (step instanceof ReplaceStep) {
    const { from, to, slice } = step as unknown as { from: number; to: number; slice: Slice }
    // Deleting across blocks, or inserting blocks (a paste), may touch a heading.
    return (
      to > from + 1 || slice.openStart > 0 || slice.content.childCount > 1 || containsHeading(slice)
    )
  }
  return false
}

/**
 * y-prosemirror applies a collaborator's change as one replacement of the whole document,
 * through which every position would collapse. The real change is where the two documents
 * differ (unchanged blocks are the same objects, so this is a quick pointer walk), and
 * mapping through that difference keeps the highlights in place until they are read again.
 */
function differenceMapping(before: Node, after: Node): Mapping | null {
  const start = before.content.findDiffStart(after.content)
  if (start === null) {
    return null
  }
  const end = before.content.findDiffEnd(after.content)
  let endA = end?.a ?? before.content.size
  let endB = end?.b ?? after.content.size
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  return new Mapping([new StepMap([start, endA - start, endB - start])])
}

function rangeDecoration(id: string, range: Range, active: boolean, pending: boolean): Decoration {
  const classes = ['comment-anchor']
  if (active) {
    classes.push('is-active')
  }
  if (pending) {
    classes.push('is-pending')
  }
  return Decoration.inline(
    range.from,
    range.to,
    { class: classes.join(' '), 'data-thread': id },
    // DESIGN: text typed at either edge stays outside, as the Yjs anchor does.
    { threadId: id, inclusiveStart: false, inclusiveEnd: false },
  )
}

function countWidget(
  options: CommentAnchorsOptions,
  sectionId: string,
  count: number,
  pos: number,
): Decoration {
  return Decoration.widget(
    pos,
    () => {
      // A button in a non-editable island at the end of the heading: a tab stop of its own
      // (keyboard reachable in the editor and in the reader), named "3 open threads".
      const wrap = document.createElement('span')
      wrap.className = 'heading-threads'
      wrap.contentEditable = 'false'
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'heading-threads-btn'
      button.setAttribute('aria-label', options.countLabel(count))
      button.title = options.countLabel(count)
      button.dataset.sectionId = sectionId
      const icon = document.createElement('span')
      icon.className = 'heading-threads-icon'
      icon.setAttribute('aria-hidden', 'true')
      const number = document.createElement('span')
      number.textContent = String(count)
      button.append(icon, number)
      button.addEventListener('mousedown', (event) => event.preventDefault())
      button.addEventListener('click', (event) => {
        event.preventDefault()
        options.onOpenSection(sectionId)
      })
      wrap.append(button)
      return wrap
    },
    {
      side: 1,
      key: `threads-${sectionId}-${count}-${options.countLabel(count)}`,
      ignoreSelection: true,
      stopEvent: () => true,
    },
  )
}

/** Reads every highlight from Yjs and every heading count from the document: the slow, exact pass. */
function recompute(
  state: EditorState,
  value: Omit<CommentAnchorsState, 'decorations' | 'ranges' | 'stale'>,
  options: CommentAnchorsOptions,
): CommentAnchorsState {
  const { doc } = state
  const decorations: Decoration[] = []
  const ranges = new Map<string, Range>()
  const binding = bindingOf(state)
  if (binding && value.threads.length > 0) {
    const index = new PositionIndex(doc)
    for (const thread of value.threads) {
      const range = resolveAnchor(binding, doc, thread.anchor, index)
      if (range) {
        ranges.set(thread.id, range)
        decorations.push(
          rangeDecoration(thread.id, range, thread.id === value.active, Boolean(thread.pending)),
        )
      }
    }
  }
  if (value.counts.size > 0) {
    for (const section of findSections(doc)) {
      const count = section.id ? (value.counts.get(section.id) ?? 0) : 0
      if (count > 0) {
        const heading = doc.nodeAt(section.from)
        if (heading) {
          decorations.push(
            countWidget(options, section.id!, count, section.from + heading.nodeSize - 1),
          )
        }
      }
    }
  }
  return {
    ...value,
    ranges: ranges.size > 0 ? ranges : EMPTY,
    decorations:
      decorations.length > 0 ? DecorationSet.create(doc, decorations) : DecorationSet.empty,
    stale: false,
  }
}

function mapRanges(
  ranges: ReadonlyMap<string, Range>,
  mapping: Mappable,
): ReadonlyMap<string, Range> {
  if (ranges.size === 0) {
    return ranges
  }
  const next = new Map<string, Range>()
  for (const [id, range] of ranges) {
    const from = mapping.map(range.from, 1)
    const to = mapping.map(range.to, -1)
    if (to > from) {
      next.set(id, { from, to })
    }
  }
  return next
}

/** How long the document must be quiet before highlights are read again from Yjs, and the longest wait. */
const QUIET_MS = 300
const MAX_WAIT_MS = 1000

/**
 * Highlights the passages of comment threads and shows each heading's number of open threads
 * (issue 5, items 1 and 5). The exact positions come from the threads' Yjs anchors. Reading
 * them costs a walk over the document, so it happens when the threads or counts change and,
 * after edits, once the document has been quiet for a moment; in between, every transaction
 * only maps the highlights (local edits by their own steps, a collaborator's by the
 * difference it made). A document without threads costs nothing per key press.
 */
export function commentAnchorsPlugin(options: CommentAnchorsOptions): Plugin<CommentAnchorsState> {
  return new Plugin<CommentAnchorsState>({
    key: commentAnchorsKey,
    state: {
      init: () => ({
        threads: [],
        counts: new Map(),
        active: null,
        ranges: EMPTY,
        decorations: DecorationSet.empty,
        stale: false,
      }),
      apply(tr, value, oldState, newState) {
        const meta = tr.getMeta(commentAnchorsKey) as Meta | undefined
        if (meta) {
          return recompute(newState, { ...value, ...('recompute' in meta ? {} : meta) }, options)
        }
        if (!tr.docChanged || (value.threads.length === 0 && value.counts.size === 0)) {
          return value
        }
        let mapping: Mapping | null = tr.mapping
        let stale = value.stale
        if (isRemote(tr)) {
          mapping = differenceMapping(oldState.doc, newState.doc)
          stale = true
        } else if (tr.steps.some(mayMoveHeadings)) {
          stale = true
        }
        if (!mapping) {
          return stale === value.stale ? value : { ...value, stale }
        }
        return {
          ...value,
          ranges: mapRanges(value.ranges, mapping),
          decorations: value.decorations.map(mapping, newState.doc),
          stale,
        }
      },
    },
    props: {
      decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
      handleDOMEvents: {
        click(_view, event) {
          const target =
            event.target instanceof Element ? event.target.closest('[data-thread]') : null
          const id = target?.getAttribute('data-thread')
          // A click that ends a drag selection is not a request to open a thread.
          if (!id || hasDomSelection()) {
            return false
          }
          options.onOpenThread(id)
          return false
        },
      },
    },
    view(view) {
      return new RecomputeScheduler(view, options)
    },
  })
}

function hasDomSelection(): boolean {
  const selection = document.getSelection()
  return Boolean(selection && !selection.isCollapsed)
}

class RecomputeScheduler {
  #quiet: ReturnType<typeof setTimeout> | undefined
  #deadline: ReturnType<typeof setTimeout> | undefined
  #reported: ReadonlyMap<string, Range> | null = null

  constructor(
    private readonly view: EditorView,
    private readonly options: CommentAnchorsOptions,
  ) {}

  update(): void {
    const state = commentAnchorsKey.getState(this.view.state)
    if (!state) {
      return
    }
    if (state.stale) {
      clearTimeout(this.#quiet)
      this.#quiet = setTimeout(() => this.#run(), QUIET_MS)
      this.#deadline ??= setTimeout(() => this.#run(), MAX_WAIT_MS)
    }
    if (state.ranges !== this.#reported) {
      const previous = this.#reported
      this.#reported = state.ranges
      // Mapping makes a new map on every edit; the page hears only when a thread's passage
      // appeared or went.
      if (!previous || !sameKeys(previous, state.ranges)) {
        this.options.onRanges(state.ranges)
      }
    }
  }

  #run(): void {
    clearTimeout(this.#quiet)
    clearTimeout(this.#deadline)
    this.#quiet = this.#deadline = undefined
    if (commentAnchorsKey.getState(this.view.state)?.stale) {
      this.view.dispatch(
        this.view.state.tr
          .setMeta(commentAnchorsKey, { recompute: true })
          .setMeta('addToHistory', false),
      )
    }
  }

  destroy(): void {
    clearTimeout(this.#quiet)
    clearTimeout(this.#deadline)
  }
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) {
    return false
  }
  for (const key of a.keys()) {
    if (!b.has(key)) {
      return false
    }
  }
  return true
}

/** Tells the plugin which threads to highlight. */
export function setAnchoredThreads(view: EditorView, threads: readonly AnchoredThread[]): void {
  view.dispatch(
    view.state.tr.setMeta(commentAnchorsKey, { threads }).setMeta('addToHistory', false),
  )
}

/** Tells the plugin each section's number of open threads. */
export function setSectionCounts(view: EditorView, counts: ReadonlyMap<string, number>): void {
  view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { counts }).setMeta('addToHistory', false))
}

/** Marks one thread's highlight as the one open in the margin. */
export function setActiveThread(view: EditorView, active: string | null): void {
  if (commentAnchorsKey.getState(view.state)?.active !== active) {
    view.dispatch(
      view.state.tr.setMeta(commentAnchorsKey, { active }).setMeta('addToHistory', false),
    )
  }
}

/** Where a thread's passage is now, if it is highlighted. */
export function threadRange(state: EditorState, threadId: string): Range | undefined {
  return commentAnchorsKey.getState(state)?.ranges.get(threadId)
}
