import { useEffect, useId, useRef } from 'preact/hooks'
import { t } from '../../i18n'
import { SHORTCUTS, spellShortcut } from '../keymap'

/**
 * The list of keyboard shortcuts, in a native modal dialog: it traps focus, closes with
 * Escape and gives focus back to whatever opened it.
 */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) {
      return
    }
    if (open && !dialog.open) {
      dialog.showModal()
    } else if (!open && dialog.open) {
      dialog.close()
    }
  }, [open])

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself) closes it.
        if (event.target === ref.current) {
          onClose()
        }
      }}
    >
      <div class="dialog-body">
        <h2 id={titleId}>{t('editor.shortcuts.title')}</h2>
        <p class="dialog-intro">{t('editor.shortcuts.intro')}</p>
        <table class="shortcut-table">
          <thead>
            <tr>
              <th scope="col">{t('editor.shortcuts.action')}</th>
              <th scope="col">{t('editor.shortcuts.keys')}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.keys}>
                <td>{t(shortcut.action)}</td>
                <td>
                  <kbd>{spellShortcut(shortcut.keys)}</kbd>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="dialog-actions">
          <button type="button" class="btn btn-primary" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </dialog>
  )
}

/**
 * Whether keyboard shortcuts are worth offering: not on a touch screen without a fine
 * pointer (a phone or tablet), where "Keyboard shortcuts" only took room (issue 15, item 5).
 * A tablet with a keyboard and trackpad reports a fine pointer and keeps them.
 */
export function offersKeyboardShortcuts(): boolean {
  return typeof window.matchMedia !== 'function' || !window.matchMedia('(hover: none) and (pointer: coarse)').matches
}
