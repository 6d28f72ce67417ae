import type { JSX } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { Member } from '../../../shared/api/processes'
import { LIMITS } from '../../../shared/limits'
import { listMembers } from '../../api/members'
import { t } from '../../i18n'
import { groupLabel } from '../../state/process'
import { mentionText } from './body-format'

// One member list per process for the whole page: every reply box of a thread list shares it.
const memberCache = new Map<string, Promise<Member[]>>()

function membersOf(processId: string): Promise<Member[]> {
  let found = memberCache.get(processId)
  if (!found) {
    found = listMembers(processId).catch((error: unknown) => {
      memberCache.delete(processId)
      throw error
    })
    memberCache.set(processId, found)
  }
  return found
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

const MAX_SUGGESTIONS = 8

interface Mentioning {
  /** Where the "@" is. */
  start: number
  /** Where the caret is (the end of what is being typed after "@"). */
  end: number
  query: string
}

/** The "@name" being typed just before the caret, if any. */
function mentionAt(value: string, caret: number): Mentioning | null {
  const before = value.slice(0, caret)
  const m = /(^|\s)@([^\s@[\]()]{0,40})$/.exec(before)
  if (!m) {
    return null
  }
  const query = m[2] ?? ''
  return { start: caret - query.length - 1, end: caret, query }
}

/**
 * A textarea for comment text that offers members when you type "@": the suggestions are a
 * listbox the textarea points into with aria-activedescendant (arrow keys move, Enter or Tab
 * picks, Escape closes), and picking one writes `@[Name](user-id)`.
 */
export function MentionTextArea({
  id,
  label,
  processId,
  value,
  onValue,
  error,
  hint,
  rows = 4,
  required = true,
  onSubmitShortcut,
  autoFocus,
}: {
  id: string
  label: string
  processId: string
  value: string
  onValue: (value: string) => void
  error?: string | undefined
  hint?: string
  rows?: number
  required?: boolean
  /** Ctrl+Enter / Cmd+Enter, for sending without reaching for the button. */
  onSubmitShortcut?: () => void
  autoFocus?: boolean
}) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const listId = useId()
  const [members, setMembers] = useState<Member[] | null>(null)
  const [mentioning, setMentioning] = useState<Mentioning | null>(null)
  const [active, setActive] = useState(0)
  const caretAfter = useRef<number | null>(null)

  useEffect(() => {
    if (autoFocus) {
      ref.current?.focus()
    }
  }, [autoFocus])

  useEffect(() => {
    // Put the caret after an inserted mention once the new value is on screen.
    if (caretAfter.current !== null && ref.current) {
      ref.current.setSelectionRange(caretAfter.current, caretAfter.current)
      caretAfter.current = null
    }
  }, [value])

  const suggestions =
    mentioning && members
      ? members
          .filter((m) => fold(m.name).includes(fold(mentioning.query)))
          .slice(0, MAX_SUGGESTIONS)
      : []
  const open = mentioning !== null && suggestions.length > 0
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1))

  function update(next: string, caret: number) {
    onValue(next)
    const found = mentionAt(next, caret)
    setMentioning(found)
    setActive(0)
    if (found && members === null) {
      membersOf(processId).then(setMembers, () => setMembers([]))
    }
  }

  function pick(member: Member) {
    if (!mentioning) {
      return
    }
    const inserted = `${mentionText(member.name, member.userId)} `
    const next = value.slice(0, mentioning.start) + inserted + value.slice(mentioning.end)
    caretAfter.current = mentioning.start + inserted.length
    setMentioning(null)
    onValue(next)
    ref.current?.focus()
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === 'ArrowDown') {
        event.preventDefault()
        setActive((activeIndex + 1) % suggestions.length)
        return
      }
      if (event.key === 'ArrowUp') {
        event.preventDefault()
        setActive((activeIndex - 1 + suggestions.length) % suggestions.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const member = suggestions[activeIndex]
        if (member) {
          event.preventDefault()
          pick(member)
          return
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        setMentioning(null)
        return
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && onSubmitShortcut) {
      event.preventDefault()
      onSubmitShortcut()
    }
  }

  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const optionId = (index: number) => `${listId}-option-${index}`

  return (
    <div class={['field', 'mention-field', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <label for={id}>{label}</label>
      <p id={hintId} class="field-hint">
        {hint ?? t('threads.composer.hint')}
      </p>
      <div class="mention-wrap">
        <textarea
          ref={ref}
          id={id}
          name={id}
          rows={rows}
          value={value}
          maxLength={LIMITS.commentBodyMax}
          aria-required={required ? true : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(activeIndex) : undefined}
          onInput={(e) => update(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setMentioning(null)}
        />
        {open ? (
          <ul
            id={listId}
            role="listbox"
            class="mention-list"
            aria-label={t('threads.composer.suggestions')}
          >
            {suggestions.map((member, index) => (
              <li
                key={member.userId}
                id={optionId(index)}
                role="option"
                aria-selected={index === activeIndex}
                class={index === activeIndex ? 'is-active' : undefined}
                // mousedown, not click: a click would first blur the textarea and close the list.
                onMouseDown={(e) => {
                  e.preventDefault()
                  pick(member)
                }}
              >
                <span class="mention-name">{member.name}</span>
                <span class="mention-meta">
                  {groupLabel(member.stakeholderGroup)}
                  {member.organisation ? ` · ${member.organisation}` : ''}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p class="visually-hidden" role="status">
        {open ? t('threads.composer.suggestionCount', { count: suggestions.length }) : ''}
      </p>
      {error ? (
        <p id={errorId} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  )
}
