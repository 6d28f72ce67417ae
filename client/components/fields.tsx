import { LIMITS } from '../../shared/limits'
import { t } from '../i18n'
import type { ComponentChildren, JSX } from 'preact'

interface BaseProps {
  id: string
  label: string
  /** Help text under the label, read out with the field. */
  hint?: ComponentChildren
  /** A problem with the value; shown in red, linked with aria-describedby and aria-invalid. */
  error?: string | undefined
  required?: boolean
  /** Marks the label "(optional)"; fields are required unless they say so. */
  optional?: boolean
  class?: string
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function FieldShell({
  id,
  label,
  hint,
  error,
  optional,
  class: className,
  children,
}: BaseProps & { children: ComponentChildren }) {
  return (
    <div class={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label for={id}>
        {label}
        {optional ? <span class="field-optional"> ({t('common.optional')})</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  )
}

type InputProps = BaseProps &
  Omit<
    JSX.InputHTMLAttributes<HTMLInputElement>,
    'id' | 'label' | 'value' | 'onInput' | 'class' | 'action'
  > & {
    value: string
    onValue: (value: string) => void
    /** A button placed right of the input (below it on a phone), aligned with it. */
    action?: ComponentChildren
  }

function wrapAction(action: ComponentChildren, input: JSX.Element): JSX.Element {
  if (!action) {
    return input
  }
  return (
    <div class="input-action">
      {input}
      {action}
    </div>
  )
}

/** A labelled text input. Every input in the app goes through here (or the siblings below). */
export function TextField({
  id,
  label,
  hint,
  error,
  required,
  optional,
  class: className,
  value,
  onValue,
  action,
  ...rest
}: InputProps) {
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      optional={optional}

      class={className}
    >
      {wrapAction(
        action,
        <input
          id={id}
          name={id}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          aria-required={required ? true : undefined}
          {...rest}
        />,
      )}
    </FieldShell>
  )
}

type AreaProps = BaseProps &
  Omit<
    JSX.TextareaHTMLAttributes<HTMLTextAreaElement>,
    'id' | 'label' | 'value' | 'onInput' | 'class'
  > & {
    value: string
    onValue: (value: string) => void
  }

export function TextArea({
  id,
  label,
  hint,
  error,
  required,
  optional,
  class: className,
  value,
  onValue,
  ...rest
}: AreaProps) {
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      optional={optional}

      class={className}
    >
      <textarea
        id={id}
        name={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required ? true : undefined}
        {...rest}
      />
    </FieldShell>
  )
}

export interface Option {
  value: string
  label: string
}

type SelectProps = BaseProps & {
  value: string
  onValue: (value: string) => void
  options: readonly Option[]
  disabled?: boolean
}

export function SelectField({
  id,
  label,
  hint,
  error,
  optional,
  class: className,
  value,
  onValue,
  options,
  disabled,
}: SelectProps) {
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      optional={optional}

      class={className}
    >
      <div class="select-wrap">
        <select
          id={id}
          name={id}
          value={value}
          disabled={disabled}
          onChange={(e) => onValue(e.currentTarget.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </FieldShell>
  )
}

/**
 * A group of checkboxes in a fieldset, whose legend labels the group and whose own labels
 * name each box.
 */
export function CheckboxGroup({
  id,
  legend,
  hint,
  error,
  options,
  values,
  onValues,
}: {
  id: string
  legend: string
  hint?: ComponentChildren
  error?: string | undefined
  options: readonly Option[]
  values: readonly string[]
  onValues: (values: string[]) => void
}) {
  function toggle(value: string, checked: boolean) {
    // Keep the order in which boxes were ticked: for languages, the first is the main one.
    onValues(
      checked ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value),
    )
  }
  return (
    <fieldset
      class={['field', 'fieldset', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(id, hint, error)}
      id={id}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      ) : null}
      <div class="checkbox-row">
        {options.map((o) => (
          <label key={o.value} class="checkbox" for={`${id}-${o.value}`}>
            <input
              type="checkbox"
              id={`${id}-${o.value}`}
              name={id}
              value={o.value}
              checked={values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.currentTarget.checked)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}

/**
 * A new password and its confirmation, as every form that sets a password asks for them
 * (invitation, reset, account): the same limits, hints and autocomplete everywhere.
 */
export function NewPasswordFields({
  label,
  password,
  onPassword,
  confirmation,
  onConfirmation,
  errors,
}: {
  label: string
  password: string
  onPassword: (value: string) => void
  confirmation: string
  onConfirmation: (value: string) => void
  errors: { password?: string | undefined; confirmation?: string | undefined }
}) {
  return (
    <>
      <TextField
        id="new-password"
        label={label}
        type="password"
        autoComplete="new-password"
        minLength={LIMITS.passwordMin}
        maxLength={LIMITS.passwordMax}
        hint={t('fields.passwordHint', { count: LIMITS.passwordMin })}
        value={password}
        onValue={onPassword}
        error={errors.password}
        required
      />
      <TextField
        id="confirm-password"
        label={t('fields.confirmPassword')}
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        value={confirmation}
        onValue={onConfirmation}
        error={errors.confirmation}
        required
      />
    </>
  )
}

/** Moves focus to the first field with a problem after a failed submit. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  const target = form?.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input')
  target?.focus()
}
