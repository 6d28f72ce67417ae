import { Plugin } from 'prosemirror-state'
import { yCursorPlugin } from 'y-prosemirror'
import type { Awareness } from 'y-protocols/awareness'
import type { PresenceUser } from '../../../shared/collab/presence'

/** How a collaborator is named beside their cursor: their name, and their stakeholder group. */
export interface CursorLabel {
  name: string
  group: string
}

function safeColor(color: unknown): string {
  return typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#4a5a6a'
}

type ChangeListener = (
  changes: { added: number[]; updated: number[]; removed: number[] },
  origin: unknown,
) => void

/**
 * The awareness as the cursor plugin sees it: its `change` listeners hear only about other
 * people. The plugin redraws every cursor on each change it hears, through an editor
 * transaction; our own cursor moves with every key press and has nothing to redraw, and on a
 * 300-page draft that second transaction per key costs more than the key itself.
 */
function othersOnly(awareness: Awareness): Awareness {
  const wrapped = new Map<ChangeListener, ChangeListener>()
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'on' || property === 'off') {
        return (event: string, listener: ChangeListener) => {
          if (event !== 'change') {
            return property === 'on' ? target.on(event, listener) : target.off(event, listener)
          }
          if (property === 'off') {
            target.off('change', wrapped.get(listener) ?? listener)
            wrapped.delete(listener)
            return
          }
          const filtered: ChangeListener = (changes, origin) => {
            const ids = [...changes.added, ...changes.updated, ...changes.removed]
            if (ids.some((id) => id !== target.clientID)) {
              listener(changes, origin)
            }
          }
          wrapped.set(listener, filtered)
          target.on('change', filtered)
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

/**
 * Other people's cursors and selections, in their colour, with their name and stakeholder
 * group (stamped by the server from their session, never by their browser). The labels are
 * hidden from screen readers, who would otherwise hear names in the middle of the text; the
 * "who is here" list says the same in words.
 */
export function remoteCursorsPlugin(
  awareness: Awareness,
  label: (user: PresenceUser) => CursorLabel,
): Plugin {
  return throttleCursorUpdates(yCursorPlugin(othersOnly(awareness), {
    cursorBuilder: (user: PresenceUser) => {
      const color = safeColor(user.color)
      const { name, group } = label(user)
      const caret = document.createElement('span')
      caret.className = 'remote-cursor'
      caret.setAttribute('aria-hidden', 'true')
      caret.style.borderColor = color
      const tag = document.createElement('span')
      tag.className = 'remote-cursor-label'
      tag.style.backgroundColor = color
      tag.textContent = name
      if (group) {
        const groupTag = document.createElement('span')
        groupTag.className = 'remote-cursor-group'
        groupTag.textContent = group
        tag.append(groupTag)
      }
      // Word joiners keep the caret from breaking a line on its own.
      caret.append('\u2060', tag, '\u2060')
      return caret
    },
    selectionBuilder: (user: PresenceUser) => ({
      class: 'remote-selection',
      style: `background-color: ${safeColor(user.color)}33`,
    }),
  }) as Plugin)
}

/** How often our own cursor position is worked out for the others (it is sent every 120 ms). */
const CURSOR_UPDATE_MS = 100

/**
 * The cursor plugin works out where our cursor is, in Yjs terms, after every view update: on
 * a long document that walks the top level twice per key press (and per collaborator's
 * change). Nobody sees our cursor more often than presence is sent, so it runs at most every
 * CURSOR_UPDATE_MS, after the key press has been painted.
 */
function throttleCursorUpdates(cursors: Plugin): Plugin {
  const makeView = cursors.spec.view
  if (!makeView) {
    return cursors
  }
  return new Plugin({
    ...cursors.spec,
    view: (view) => {
      const inner = makeView(view)
      let timer: ReturnType<typeof setTimeout> | undefined
      let last: Parameters<NonNullable<typeof inner.update>> | null = null
      return {
        update: (current, previous) => {
          last = [current, previous]
          timer ??= setTimeout(() => {
            timer = undefined
            if (last) {
              inner.update?.(...last)
            }
          }, CURSOR_UPDATE_MS)
        },
        destroy: () => {
          clearTimeout(timer)
          inner.destroy?.()
        },
      }
    },
  })
}
