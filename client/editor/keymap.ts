import { chainCommands, exitCode } from 'prosemirror-commands'
import { undoInputRule } from 'prosemirror-inputrules'
import { splitListItem } from 'prosemirror-schema-list'
import type { Command } from 'prosemirror-state'
import { schema } from '../../shared/schema'
import {
  headingToParagraphAtStart,
  insertHardBreak,
  indentListItem,
  nextCell,
  outdentListItem,
  previousCell,
  redo,
  setHeading,
  setParagraph,
  shiftTabInList,
  tabInList,
  toggleBlockquote,
  toggleBold,
  toggleItalic,
  toggleList,
  undo,
} from './commands'

/** What the keymap asks of the surrounding page (focus moves and dialogs live there). */
export interface KeymapHooks {
  /** Alt-F10: move focus to the toolbar. */
  focusToolbar: () => void
  /** Mod-K: ask for a link target. */
  requestLink: () => void
  /** Mod-/: show the list of shortcuts. */
  showShortcuts: () => void
}

const run =
  (effect: () => void): Command =>
  () => {
    effect()
    return true
  }

/**
 * The editor's keyboard shortcuts, on top of prosemirror-commands' base keymap. Tab and
 * Shift-Tab are taken only in lists and tables; anywhere else they move focus as usual, so
 * nobody is trapped in the text (WCAG 2.1.2).
 */
export function buildKeymap(hooks: KeymapHooks): Record<string, Command> {
  return {
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Mod-y': redo,
    Backspace: chainCommands(undoInputRule, headingToParagraphAtStart),
    'Mod-b': toggleBold,
    'Mod-i': toggleItalic,
    'Mod-k': run(hooks.requestLink),
    'Mod-Alt-0': setParagraph,
    'Mod-Alt-1': setHeading(1),
    'Mod-Alt-2': setHeading(2),
    'Mod-Alt-3': setHeading(3),
    'Shift-Mod-8': toggleList(schema.nodes.bullet_list),
    'Shift-Mod-7': toggleList(schema.nodes.ordered_list),
    'Shift-Mod-9': toggleBlockquote,
    'Mod-]': indentListItem,
    'Mod-[': outdentListItem,
    Enter: splitListItem(schema.nodes.list_item),
    'Shift-Enter': chainCommands(exitCode, insertHardBreak),
    Tab: chainCommands(nextCell, tabInList),
    'Shift-Tab': chainCommands(previousCell, shiftTabInList),
    'Alt-F10': run(hooks.focusToolbar),
    'Mod-/': run(hooks.showShortcuts),
  }
}

/**
 * The shortcuts as the help dialog lists them: keys (with `Mod` for Ctrl, or ⌘ on a Mac) and
 * the i18n key of the action.
 */
export const SHORTCUTS: readonly { keys: string; action: string }[] = [
  { keys: 'Mod-Z', action: 'editor.action.undo' },
  { keys: 'Shift-Mod-Z', action: 'editor.action.redo' },
  { keys: 'Mod-B', action: 'editor.action.bold' },
  { keys: 'Mod-I', action: 'editor.action.italic' },
  { keys: 'Mod-K', action: 'editor.action.link' },
  { keys: 'Mod-Alt-0', action: 'editor.action.paragraph' },
  { keys: 'Mod-Alt-1', action: 'editor.action.heading1' },
  { keys: 'Mod-Alt-2', action: 'editor.action.heading2' },
  { keys: 'Mod-Alt-3', action: 'editor.action.heading3' },
  { keys: 'Shift-Mod-8', action: 'editor.action.bulletList' },
  { keys: 'Shift-Mod-7', action: 'editor.action.orderedList' },
  { keys: 'Shift-Mod-9', action: 'editor.action.blockquote' },
  { keys: 'Tab', action: 'editor.action.tab' },
  { keys: 'Shift-Tab', action: 'editor.action.shiftTab' },
  { keys: 'Mod-]', action: 'editor.action.indent' },
  { keys: 'Mod-[', action: 'editor.action.outdent' },
  { keys: 'Shift-Enter', action: 'editor.action.hardBreak' },
  { keys: 'Alt-F10', action: 'editor.action.focusToolbar' },
  { keys: 'Mod-/', action: 'editor.action.shortcuts' },
  // Handled by the document page (readers, who cannot focus the text, use it too).
  { keys: 'Mod-Alt-M', action: 'comments.startLong' },
]

/** Tells whether this is a Mac, where `Mod` means ⌘. */
export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iP(hone|[oa]d)/.test(navigator.platform)
}

/**
 * Spells a shortcut for people ("Ctrl+Shift+Z", "⌘⇧Z") and for `aria-keyshortcuts`
 * ("Control+Shift+Z", "Meta+Shift+Z").
 */
export function spellShortcut(keys: string, forAria = false): string {
  const mac = isMac()
  const parts = keys.split(/-(?!$)/)
  const names = parts.map((part) => {
    switch (part) {
      case 'Mod':
        return forAria ? (mac ? 'Meta' : 'Control') : mac ? '⌘' : 'Ctrl'
      case 'Shift':
        return forAria ? 'Shift' : mac ? '⇧' : 'Shift'
      case 'Alt':
        return forAria ? 'Alt' : mac ? '⌥' : 'Alt'
      default:
        return part
    }
  })
  return mac && !forAria ? names.join('') : names.join('+')
}
