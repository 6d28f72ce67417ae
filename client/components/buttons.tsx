import type { ComponentChildren, JSX, Ref } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { t } from '../i18n'

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'link'

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'class'> & {
  variant?: Variant
  /** Shows progress and ignores further clicks, but keeps focus on the button. */
  busy?: boolean
  small?: boolean
  class?: string
  /** A ref to the <button> (function components do not forward `ref`). */
  buttonRef?: Ref<HTMLButtonElement>
  children: ComponentChildren
}

/**
 * A button. While `busy`, it says so (aria-busy plus a spinner) and ignores clicks instead
 * of becoming disabled, because disabling the focused button throws keyboard focus away.
 */
export function Button({
  variant = 'secondary',
  busy = false,
  small = false,
  class: className,
  type = 'button',
  onClick,
  buttonRef,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      ref={buttonRef}
      type={type}
      class={['btn', `btn-${variant}`, small ? 'btn-small' : '', className ?? '']
        .filter(Boolean)
        .join(' ')}
      aria-busy={busy ? true : undefined}
      aria-disabled={busy ? true : rest['aria-disabled']}
      onClick={(event) => {
        if (busy) {
          event.preventDefault()
          return
        }
        onClick?.(event)
      }}
    >
      {busy ? <span class="spinner spinner-inline" aria-hidden="true" /> : null}
      {children}
    </button>
  )
}

/**
 * A destructive action in two steps, without a modal: the first press asks "are you sure"
 * in place and moves focus to the confirming button; Cancel (or Escape) returns focus.
 */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  confirmLabel,
  onConfirm,
  variant = 'danger',
  small = true,
}: {
  /** The first button's text, e.g. "Remove". */
  label: ComponentChildren
  /** A fuller name for the first button ("Remove Ana"); must contain the visible text. */
  ariaLabel?: string
  /** The question shown in place, e.g. "Remove Ana from this process?" */
  question: string
  confirmLabel: string
  onConfirm: () => Promise<void> | void
  variant?: Variant
  small?: boolean
}) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const startRef = useRef<HTMLButtonElement>(null)
  const returnFocus = useRef(false)
  const questionId = useId()

  useEffect(() => {
    if (asking) {
      confirmRef.current?.focus()
    } else if (returnFocus.current) {
      returnFocus.current = false
      startRef.current?.focus()
    }
  }, [asking])

  function cancel() {
    returnFocus.current = true
    setAsking(false)
  }

  async function confirm() {
    setBusy(true)
    try {
      await onConfirm()
    } finally {
      setBusy(false)
      setAsking(false)
    }
  }

  if (!asking) {
    return (
      <button
        ref={startRef}
        type="button"
        class={[
          'btn',
          `btn-${variant === 'danger' ? 'danger-quiet' : variant}`,
          small ? 'btn-small' : '',
        ].join(' ')}
        aria-label={ariaLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    )
  }
  return (
    <span
      class="confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          cancel()
        }
      }}
    >
      <span class="confirm-question" id={questionId}>
        {question}
      </span>
      <span class="confirm-actions">
        <button
          ref={confirmRef}
          type="button"
          aria-describedby={questionId}
          class={['btn', `btn-${variant}`, small ? 'btn-small' : ''].join(' ')}
          aria-busy={busy ? true : undefined}
          onClick={() => {
            if (!busy) {
              void confirm()
            }
          }}
        >
          {busy ? <span class="spinner spinner-inline" aria-hidden="true" /> : null}
          {confirmLabel}
        </button>
        <button
          type="button"
          class={['btn', 'btn-ghost', small ? 'btn-small' : ''].join(' ')}
          onClick={cancel}
        >
          {t('common.cancel')}
        </button>
      </span>
    </span>
  )
}

/** Copies a value to the clipboard and says so (politely) for screen readers. */
export function CopyButton({ value, label }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  async function copy() {
    try {
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <span class="copy">
      <Button small variant="secondary" onClick={() => void copy()}>
        {label ?? t('common.copy')}
      </Button>
      <span role="status" class="copy-status">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  )
}
