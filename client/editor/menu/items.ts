import type { Command, EditorState } from 'prosemirror-state'
import { schema } from '../../../shared/schema'
import {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  deleteTable,
  indentListItem,
  insertTable,
  isInTable,
  isInside,
  isMarkActive,
  linkAt,
  listAround,
  outdentListItem,
  redo,
  setHeading,
  setParagraph,
  toggleBlockquote,
  toggleBold,
  toggleItalic,
  toggleList,
  undo,
} from '../commands'

/** The commands the toolbar offers, by name. */
export const MENU_COMMANDS = {
  undo,
  redo,
  paragraph: setParagraph,
  heading1: setHeading(1),
  heading2: setHeading(2),
  heading3: setHeading(3),
  bold: toggleBold,
  italic: toggleItalic,
  bulletList: toggleList(schema.nodes.bullet_list),
  orderedList: toggleList(schema.nodes.ordered_list),
  outdent: outdentListItem,
  indent: indentListItem,
  blockquote: toggleBlockquote,
  insertTable: insertTable(3, 3),
  addRowAfter,
  addColumnAfter,
  deleteRow,
  deleteColumn,
  deleteTable,
} satisfies Record<string, Command>

export type CommandName = keyof typeof MENU_COMMANDS

export interface ItemState {
  /** The command applies here. */
  enabled: boolean
  /** The command's format is on at the selection (shown with aria-pressed). */
  active: boolean
}

/** What the toolbar shows, worked out from the editor state. Plain data, no ProseMirror types. */
export interface MenuState {
  items: Record<CommandName | 'link', ItemState>
  inTable: boolean
  /** The target of the link at the selection, if any. */
  link: string | null
}

function blockActive(state: EditorState, name: 'paragraph' | 'heading', level?: number): boolean {
  const { $from, to } = state.selection
  const parent = $from.parent
  if (to > $from.end()) {
    return false // The selection spans several blocks.
  }
  return parent.type.name === name && (level === undefined || parent.attrs.level === level)
}

/** Works out the toolbar's state. Cheap enough to run after every transaction. */
export function menuState(state: EditorState, editable: boolean): MenuState {
  const can = (command: Command) => editable && command(state)
  const list = listAround(state)
  const items = {} as Record<CommandName | 'link', ItemState>
  for (const [name, command] of Object.entries(MENU_COMMANDS) as [CommandName, Command][]) {
    items[name] = { enabled: can(command), active: false }
  }
  items.paragraph.active = blockActive(state, 'paragraph')
  items.heading1.active = blockActive(state, 'heading', 1)
  items.heading2.active = blockActive(state, 'heading', 2)
  items.heading3.active = blockActive(state, 'heading', 3)
  items.bold.active = isMarkActive(state, schema.marks.strong)
  items.italic.active = isMarkActive(state, schema.marks.em)
  items.bulletList.active = list?.node.type === schema.nodes.bullet_list
  items.orderedList.active = list?.node.type === schema.nodes.ordered_list
  items.blockquote.active = isInside(state, schema.nodes.blockquote)
  const link = linkAt(state)
  items.link = {
    enabled: editable && (!state.selection.empty || link !== null),
    active: link !== null,
  }
  // A paragraph or heading that is already what was asked is still a valid (no-op) choice.
  for (const name of ['paragraph', 'heading1', 'heading2', 'heading3'] as const) {
    if (items[name].active && editable) {
      items[name].enabled = true
    }
  }
  return { items, inTable: isInTable(state), link }
}

/** Tells whether two menu states would render the same, so the toolbar skips needless renders. */
export function sameMenuState(a: MenuState, b: MenuState): boolean {
  if (a.inTable !== b.inTable || a.link !== b.link) {
    return false
  }
  for (const key of Object.keys(a.items) as (CommandName | 'link')[]) {
    const x = a.items[key]
    const y = b.items[key]
    if (x.enabled !== y.enabled || x.active !== y.active) {
      return false
    }
  }
  return true
}
