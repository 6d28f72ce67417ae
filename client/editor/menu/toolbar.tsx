import type { JSX, RefObject } from 'preact'
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { isAllowedHref, LINK_HREF_MAX } from '../../../shared/schema'
import { t } from '../../i18n'
import type { EditorHandle } from '../create-editor'
import { SHORTCUTS, spellShortcut } from '../keymap'
import { offersKeyboardShortcuts } from './shortcuts-dialog'
import { icons } from './icons'
import type { CommandName } from './items'

/** What the page can ask of the toolbar: focus (Alt-F10) and the link form (Mod-K). */
export interface ToolbarApi {
  focus(): void
  openLink(): void
}

interface CommandItem {
  kind: 'command'
  name: CommandName
  /** A toggle shows its state with aria-pressed. */
  toggle?: boolean
  icon?: JSX.Element
  /** Short visible text for buttons without an icon ("H1", "B"). */
  text?: string
  textClass?: string
  /** Wide buttons show their full name (table operations). */
  wide?: boolean
}

type Item = CommandItem | { kind: 'link' } | { kind: 'comment' } | { kind: 'shortcuts' }

const shortcutOf = (action: string) => SHORTCUTS.find((s) => s.action === action)?.keys

function groups(inTable: boolean, comment: boolean): Item[][] {
  const command = (name: CommandName, rest: Omit<CommandItem, 'kind' | 'name'> = {}): Item => ({
    kind: 'command',
    name,
    ...rest,
  })
  return [
    [command('undo', { icon: icons.undo }), command('redo', { icon: icons.redo })],
    [
      command('paragraph', { toggle: true, text: '¶' }),
      command('heading1', { toggle: true, text: 'H1' }),
      command('heading2', { toggle: true, text: 'H2' }),
      command('heading3', { toggle: true, text: 'H3' }),
    ],
    [
      command('bold', { toggle: true, text: 'B', textClass: 'tb-bold' }),
      command('italic', { toggle: true, text: 'I', textClass: 'tb-italic' }),
      { kind: 'link' },
    ],
    [
      command('bulletList', { toggle: true, icon: icons.bulletList }),
      command('orderedList', { toggle: true, icon: icons.orderedList }),
      command('outdent', { icon: icons.outdent }),
      command('indent', { icon: icons.indent }),
      command('blockquote', { toggle: true, icon: icons.blockquote }),
    ],
    inTable
      ? [
          command('addRowAfter', { wide: true }),
          command('addColumnAfter', { wide: true }),
          command('deleteRow', { wide: true }),
          command('deleteColumn', { wide: true }),
          command('deleteTable', { wide: true }),
        ]
      : [command('insertTable', { icon: icons.table })],
    [
      ...(comment ? [{ kind: 'comment' } as const] : []),
      ...(offersKeyboardShortcuts() ? [{ kind: 'shortcuts' } as const] : []),
    ],
  ]
}

function labelWithShortcut(label: string, action: string): string {
  const keys = shortcutOf(action)
  return keys ? `${label} (${spellShortcut(keys)})` : label
}

/**
 * The formatting toolbar: one tab stop, arrow keys between buttons (the ARIA toolbar pattern),
 * Escape back to the text. Buttons that do not apply stay focusable and say so with
 * aria-disabled, so the order never shifts under a keyboard user. Pressing a button with the
 * mouse or a finger leaves focus (and a phone's keyboard) in the text.
 */
export function Toolbar({
  editor,
  controls,
  apiRef,
  onShowShortcuts,
  onComment,
}: {
  editor: EditorHandle
  /** The id of the editor's text element. */
  controls: string
  apiRef: RefObject<ToolbarApi | null>
  onShowShortcuts: () => void
  /** Starts a comment thread on the selection; no button without it. */
  onComment?: (() => void) | undefined
}) {
  const menu = editor.menu.value
  const rootRef = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState(0)
  // The link form, with the target the selection had when it opened.
  const [linkForm, setLinkForm] = useState<{ current: string | null } | null>(null)
  const linkOpen = linkForm !== null
  const linkButtonRef = useRef<HTMLButtonElement>(null)
  const formId = useId()

  const buttons = () =>
    Array.from(rootRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])

  apiRef.current = {
    focus: () => {
      const list = buttons()
      ;(list[Math.min(active, list.length - 1)] ?? list[0])?.focus()
    },
    openLink: () => {
      // Read the editor now: the menu state may be a frame behind the selection.
      const link = editor.linkState()
      if (link.enabled) {
        setLinkForm({ current: link.href })
      }
    },
  }

  // Items come and go (table tools); keep the tab stop on an existing button.
  useLayoutEffect(() => {
    const count = buttons().length
    if (active >= count) {
      setActive(Math.max(0, count - 1))
    }
  })

  function onKeyDown(event: KeyboardEvent) {
    const list = buttons()
    const index = list.indexOf(document.activeElement as HTMLButtonElement)
    if (index < 0) {
      return
    }
    let next = -1
    switch (event.key) {
      case 'ArrowRight':
        next = (index + 1) % list.length
        break
      case 'ArrowLeft':
        next = (index - 1 + list.length) % list.length
        break
      case 'Home':
        next = 0
        break
      case 'End':
        next = list.length - 1
        break
      case 'Escape':
        event.preventDefault()
        editor.focus()
        return
      default:
        return
    }
    event.preventDefault()
    list[next]?.focus()
  }

  let index = 0
  const render = (item: Item) => {
    const position = index++
    const common = {
      tabIndex: position === active ? 0 : -1,
      onFocus: () => setActive(position),
      // Keep focus in the text when a pointer presses a button.
      onMouseDown: (event: MouseEvent) => event.preventDefault(),
    }
    if (item.kind === 'shortcuts') {
      const label = labelWithShortcut(t('editor.action.shortcuts'), 'editor.action.shortcuts')
      return (
        <button
          key="shortcuts"
          type="button"
          class="tb-btn"
          aria-label={t('editor.action.shortcuts')}
          title={label}
          aria-haspopup="dialog"
          {...common}
          onClick={onShowShortcuts}
        >
          {icons.keyboard}
        </button>
      )
    }
    if (item.kind === 'comment') {
      return (
        <button
          key="comment"
          type="button"
          class="tb-btn tb-wide tb-comment"
          title={labelWithShortcut(t('comments.startLong'), 'comments.startLong')}
          aria-keyshortcuts={spellShortcut('Mod-Alt-M', true)}
          {...common}
          onClick={onComment}
        >
          <span class="tb-comment-icon" aria-hidden="true" />
          {t('comments.start')}
        </button>
      )
    }
    if (item.kind === 'link') {
      const state = menu.items.link
      return (
        <button
          key="link"
          ref={linkButtonRef}
          type="button"
          class="tb-btn"
          aria-label={t('editor.action.link')}
          title={labelWithShortcut(t('editor.action.link'), 'editor.action.link')}
          aria-keyshortcuts={spellShortcut('Mod-K', true)}
          aria-pressed={state.active}
          aria-disabled={state.enabled ? undefined : true}
          aria-expanded={linkOpen}
          aria-controls={linkOpen ? formId : undefined}
          {...common}
          onClick={() => {
            const link = editor.linkState()
            setLinkForm(linkOpen || !link.enabled ? null : { current: link.href })
          }}
        >
          {icons.link}
        </button>
      )
    }
    const state = menu.items[item.name]
    const action = `editor.action.${item.name}`
    const name = t(action)
    const keys = shortcutOf(action)
    return (
      <button
        key={item.name}
        type="button"
        class={['tb-btn', item.wide ? 'tb-wide' : ''].filter(Boolean).join(' ')}
        aria-label={item.wide ? undefined : name}
        title={labelWithShortcut(name, action)}
        aria-keyshortcuts={keys ? spellShortcut(keys, true) : undefined}
        aria-pressed={item.toggle ? state.active : undefined}
        aria-disabled={state.enabled ? undefined : true}
        {...common}
        onClick={() => {
          if (state.enabled) {
            editor.run(item.name)
          }
        }}
      >
        {item.icon ??
          (item.text ? (
            // Drawn by CSS from data-glyph: "H1" is not a word, and a visible text that is not
            // part of the button's name trips speech input users (WCAG 2.5.3).
            <span
              class={['tb-text', item.textClass ?? ''].join(' ')}
              data-glyph={item.text}
              aria-hidden="true"
            />
          ) : null)}
        {item.wide ? name : null}
      </button>
    )
  }

  const list = groups(menu.inTable, onComment !== undefined)
  return (
    <div class="toolbar-wrap">
      <div
        ref={rootRef}
        class="toolbar"
        role="toolbar"
        aria-label={t('editor.toolbar')}
        aria-controls={controls}
        onKeyDown={onKeyDown}
      >
        {list.map((group, i) => (
          <div
            key={i}
            class={['tb-group', i === 4 && menu.inTable ? 'tb-group-table' : '']
              .filter(Boolean)
              .join(' ')}
            role="group"
            aria-label={i === 4 && menu.inTable ? t('editor.tableTools') : undefined}
          >
            {group.map(render)}
          </div>
        ))}
      </div>
      {linkForm ? (
        <LinkForm
          id={formId}
          current={linkForm.current}
          onClose={(focusText) => {
            setLinkForm(null)
            if (focusText) {
              editor.focus()
            } else {
              linkButtonRef.current?.focus()
            }
          }}
          onApply={(href) => editor.setLink(href)}
        />
      ) : null}
    </div>
  )
}

/** Turns what people type ("gob.example/plan") into an address the schema accepts. */
function normaliseHref(value: string): string {
  const trimmed = value.trim()
  if (/^(https?:|mailto:)/i.test(trimmed)) {
    return trimmed.replace(/^http:/i, 'https:')
  }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    return `mailto:${trimmed}`
  }
  return `https://${trimmed}`
}

function LinkForm({
  id,
  current,
  onClose,
  onApply,
}: {
  id: string
  current: string | null
  onClose: (focusText: boolean) => void
  onApply: (href: string | null) => boolean
}) {
  const [value, setValue] = useState(current ?? '')
  const [error, setError] = useState<string | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    inputRef.current?.focus()
    inputRef.current?.select()
  }, [])

  function submit(event: Event) {
    event.preventDefault()
    const href = normaliseHref(value)
    if (!value.trim() || !isAllowedHref(href) || !onApply(href)) {
      setError(t('editor.linkForm.invalid'))
      inputRef.current?.focus()
      return
    }
    onClose(true)
  }

  return (
    <form
      id={id}
      class="link-form"
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          onClose(false)
        }
      }}
    >
      <label for={`${id}-href`}>{t('editor.linkForm.label')}</label>
      <div class="link-form-row">
        <input
          ref={inputRef}
          id={`${id}-href`}
          type="url"
          inputMode="url"
          autoComplete="url"
          maxLength={LINK_HREF_MAX}
          value={value}
          placeholder="https://"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          onInput={(e) => {
            setValue(e.currentTarget.value)
            setError(null)
          }}
        />
        <button type="submit" class="btn btn-primary btn-small">
          {t('editor.linkForm.apply')}
        </button>
        {current ? (
          <button
            type="button"
            class="btn btn-secondary btn-small"
            onClick={() => {
              onApply(null)
              onClose(true)
            }}
          >
            {t('editor.linkForm.remove')}
          </button>
        ) : null}
        <button type="button" class="btn btn-ghost btn-small" onClick={() => onClose(false)}>
          {t('common.cancel')}
        </button>
      </div>
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} class="field-hint">
          {t('editor.linkForm.hint')}
        </p>
      )}
    </form>
  )
}
