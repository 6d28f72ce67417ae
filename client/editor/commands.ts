import { lift, toggleMark, wrapIn } from 'prosemirror-commands'
import type { Attrs, MarkType, Node, NodeType, ResolvedPos } from 'prosemirror-model'
import { liftListItem, sinkListItem, wrapInList } from 'prosemirror-schema-list'
import { TextSelection, type Command, type EditorState } from 'prosemirror-state'
import {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  deleteTable,
  goToNextCell,
  isInTable,
} from 'prosemirror-tables'
import { redoCommand, undoCommand } from 'y-prosemirror'
import { isAllowedHref, schema } from '../../shared/schema'

/**
 * The editing commands behind the toolbar and the keyboard shortcuts. Each is a plain
 * ProseMirror command: called without `dispatch` it only says whether it applies, which is
 * how the toolbar decides what is enabled.
 */

const { heading, paragraph, bullet_list, ordered_list, list_item, blockquote, table, table_row } =
  schema.nodes

/** The innermost list around the selection, with its position and depth. */
export function listAround(state: EditorState): { node: Node; pos: number; depth: number } | null {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type === bullet_list || node.type === ordered_list) {
      return { node, pos: $from.before(depth), depth }
    }
  }
  return null
}

/** Tells whether the selection is inside a node of `type`. */
export function isInside(state: EditorState, type: NodeType): boolean {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type === type) {
      return true
    }
  }
  return false
}

function sameAttrs(a: Attrs, b: Attrs): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) {
    if (a[key] !== b[key]) {
      return false
    }
  }
  return true
}

/**
 * Turns the textblocks in the selection into `type` with the attributes `attrsFor` gives.
 * Unlike prosemirror-commands' setBlockType, it lets a heading keep its section id when only
 * its level changes: comment threads anchor to that id (DESIGN: section ids survive edits).
 */
function setTextblocks(type: NodeType, attrsFor: (node: Node) => Attrs): Command {
  return (state, dispatch) => {
    const targets: { pos: number; attrs: Attrs }[] = []
    for (const range of state.selection.ranges) {
      state.doc.nodesBetween(range.$from.pos, range.$to.pos, (node, pos) => {
        if (!node.isTextblock) {
          return true
        }
        const attrs = attrsFor(node)
        if (node.type === type && sameAttrs(node.attrs, attrs)) {
          return false
        }
        const $pos = state.doc.resolve(pos)
        const index = $pos.index()
        // A list item must start with a paragraph; a heading cannot take its place.
        if ($pos.parent.canReplaceWith(index, index + 1, type)) {
          targets.push({ pos, attrs })
        }
        return false
      })
    }
    if (targets.length === 0) {
      return false
    }
    if (dispatch) {
      // Only attributes and the type change, so positions stay valid from one to the next.
      const tr = state.tr
      for (const target of targets) {
        tr.setNodeMarkup(target.pos, type, target.attrs)
      }
      dispatch(tr.scrollIntoView())
    }
    return true
  }
}

export const setParagraph: Command = setTextblocks(paragraph, () => ({}))

/** Makes the selected blocks headings of `level`; headings keep their section ids. */
export function setHeading(level: number): Command {
  return setTextblocks(heading, (node) => ({
    level,
    sectionId: node.type === heading ? (node.attrs.sectionId as string | null) : null,
  }))
}

/**
 * Toggles a list: lifts the items out of a list of this type, turns a list of the other type
 * into this one, or wraps the selection in a new list.
 */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = listAround(state)
    if (list && list.node.type === type) {
      return liftListItem(list_item)(state, dispatch)
    }
    if (list) {
      dispatch?.(state.tr.setNodeMarkup(list.pos, type))
      return true
    }
    return wrapInList(type)(state, dispatch)
  }
}

/** Toggles a block quote around the selection. */
export const toggleBlockquote: Command = (state, dispatch) =>
  isInside(state, blockquote) ? lift(state, dispatch) : wrapIn(blockquote)(state, dispatch)

export const indentListItem: Command = sinkListItem(list_item)
export const outdentListItem: Command = liftListItem(list_item)

/** Inserts a table of `rows` × `columns`, its first row a header row, and puts the cursor in it. */
export function insertTable(rows = 3, columns = 3): Command {
  return (state, dispatch) => {
    if (isInTable(state)) {
      return false // Tables inside tables confuse everyone, and Word does not round-trip them.
    }
    if (!dispatch) {
      return true // The insertion always finds a place: after the block, if not in it.
    }
    const cell = (header: boolean) =>
      (header ? schema.nodes.table_header : schema.nodes.table_cell).createAndFill()!
    const rowNodes: Node[] = []
    for (let r = 0; r < rows; r++) {
      const cells: Node[] = []
      for (let c = 0; c < columns; c++) {
        cells.push(cell(r === 0))
      }
      rowNodes.push(table_row.create(null, cells))
    }
    const node = table.create(null, rowNodes)
    const tr = state.tr.replaceSelectionWith(node)
    if (!tr.docChanged) {
      return false
    }
    {
      // Put the cursor in the first cell of the new table.
      const inserted = tr.mapping.map(state.selection.from, -1)
      let cellPos = -1
      tr.doc.nodesBetween(inserted, tr.doc.content.size, (n, pos) => {
        if (cellPos >= 0) {
          return false
        }
        if (n.type === schema.nodes.table_header) {
          cellPos = pos
          return false
        }
        return true
      })
      if (cellPos >= 0) {
        tr.setSelection(TextSelection.near(tr.doc.resolve(cellPos + 2)))
      }
      dispatch(tr.scrollIntoView())
    }
    return true
  }
}

/**
 * Tab in a table: the next cell, and past the last cell a new row (as in Word and Google
 * Docs). Shift-Tab goes back and stays in the table at its first cell.
 */
export const nextCell: Command = (state, dispatch) => {
  if (!isInTable(state)) {
    return false
  }
  if (goToNextCell(1)(state, dispatch)) {
    return true
  }
  // Past the last cell: add a row and move into its first cell, in one transaction.
  if (dispatch) {
    addRowAfter(state, (tr) => {
      goToNextCell(1)(state.apply(tr), (move) => {
        tr.setSelection(move.selection)
      })
      dispatch(tr.scrollIntoView())
    })
  }
  return true
}

export const previousCell: Command = (state, dispatch) => {
  if (!isInTable(state)) {
    return false
  }
  goToNextCell(-1)(state, dispatch)
  // At the first cell there is nowhere to go, but Tab must not leave the table halfway.
  return true
}

/** Tab in a list: indent the item. In a list, Tab is always taken, even when it cannot indent. */
export const tabInList: Command = (state, dispatch) => {
  if (!listAround(state)) {
    return false
  }
  sinkListItem(list_item)(state, dispatch)
  return true
}

export const shiftTabInList: Command = (state, dispatch) => {
  if (!listAround(state)) {
    return false
  }
  liftListItem(list_item)(state, dispatch)
  return true
}

/** Backspace at the start of a heading turns it into a paragraph, rather than merging it away. */
export const headingToParagraphAtStart: Command = (state, dispatch) => {
  const { $cursor } = state.selection as TextSelection
  if (!$cursor || $cursor.parentOffset > 0 || $cursor.parent.type !== heading) {
    return false
  }
  return setParagraph(state, dispatch)
}

/** The range of `type` mark around a position, if the position is inside one. */
function markRange($pos: ResolvedPos, type: MarkType): { from: number; to: number } | null {
  const parent = $pos.parent
  const start = $pos.parent.childAfter($pos.parentOffset)
  const child = start.node ?? (start.index > 0 ? parent.child(start.index - 1) : null)
  const mark = child ? type.isInSet(child.marks) : undefined
  if (!mark) {
    return null
  }
  let index = start.node ? start.index : start.index - 1
  let from = $pos.start()
  for (let i = 0; i < index; i++) {
    from += parent.child(i).nodeSize
  }
  while (index > 0 && mark.isInSet(parent.child(index - 1).marks)) {
    index--
    from -= parent.child(index).nodeSize
  }
  let to = from
  for (let i = index; i < parent.childCount && mark.isInSet(parent.child(i).marks); i++) {
    to += parent.child(i).nodeSize
  }
  return { from, to }
}

/** The link target at the selection, or null. */
export function linkAt(state: EditorState): string | null {
  const type = schema.marks.link
  const { $from, from, to, empty } = state.selection
  if (empty) {
    const mark = type.isInSet(state.storedMarks ?? $from.marks())
    return mark ? String(mark.attrs.href) : null
  }
  let href: string | null = null
  state.doc.nodesBetween(from, to, (node) => {
    const mark = href === null ? type.isInSet(node.marks) : undefined
    if (mark) {
      href = String(mark.attrs.href)
    }
    return href === null
  })
  return href
}

/**
 * Sets (or with null removes) the link on the selection; with an empty selection, on the
 * link around the cursor. Only allowed targets are accepted (shared/schema isAllowedHref).
 */
export function setLink(href: string | null): Command {
  return (state, dispatch) => {
    const type = schema.marks.link
    if (href !== null && !isAllowedHref(href)) {
      return false
    }
    let { from, to } = state.selection
    if (state.selection.empty) {
      const range = markRange(state.selection.$from, type)
      if (!range) {
        return false
      }
      ;({ from, to } = range)
    }
    if (dispatch) {
      const tr = state.tr.removeMark(from, to, type)
      if (href !== null) {
        tr.addMark(from, to, type.create({ href }))
      }
      dispatch(tr.scrollIntoView())
    }
    return true
  }
}

/** Tells whether `type` is active: on all of a non-empty selection, or at the cursor. */
export function isMarkActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection
  if (empty) {
    return Boolean(type.isInSet(state.storedMarks ?? $from.marks()))
  }
  return state.doc.rangeHasMark(from, to, type)
}

export const toggleBold: Command = toggleMark(schema.marks.strong)
export const toggleItalic: Command = toggleMark(schema.marks.em)
export const undo: Command = undoCommand
export const redo: Command = redoCommand
export {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  deleteTable,
  isInTable,
}

/** Inserts a line break within the block (Shift-Enter). */
export const insertHardBreak: Command = (state, dispatch) => {
  dispatch?.(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView())
  return true
}
