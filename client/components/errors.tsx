import { useEffect, useRef } from 'preact/hooks'
import type { ApiError } from '../api/client'
import { t } from '../i18n'

/** The translated message for an API error, chosen by its code (`errors.<code>`). */
export function errorText(error: ApiError): string {
  return t(`errors.${error.code}`, { defaultValue: t('errors.internal') })
}

/**
 * Translates the server's per-field validation messages. The server speaks JSON Schema
 * (Ajv) in English; the common cases map to our own sentences, anything else to a generic
 * "check this value".
 */
export function translateFieldProblem(message: string): string {
  const tooShort = /fewer than (\d+)/.exec(message)
  if (tooShort) {
    return t('validation.tooShort', { count: Number(tooShort[1]) })
  }
  const tooLong = /more than (\d+)/.exec(message)
  if (tooLong) {
    return t('validation.tooLong', { count: Number(tooLong[1]) })
  }
  if (/format "email"/.test(message)) {
    return t('validation.email')
  }
  if (/must match pattern/.test(message)) {
    return t('validation.required')
  }
  return t('validation.invalid')
}

/** The per-field messages of a `validation_failed` answer, translated, keyed by field name. */
export function fieldErrorsFrom(error: ApiError | null): Record<string, string> {
  const out: Record<string, string> = {}
  if (!error) {
    return out
  }
  for (const [field, message] of Object.entries(error.fieldProblems)) {
    out[field] = translateFieldProblem(message)
  }
  return out
}

/**
 * The error summary at the top of a form: announced at once (role=alert) and focused, so
 * nobody misses why their submission did not go through.
 */
export function FormError({
  error,
  id,
  message,
}: {
  error: ApiError | null
  id: string
  message?: string | null
}) {
  const ref = useRef<HTMLDivElement>(null)
  const text = message ?? (error ? errorText(error) : null)
  useEffect(() => {
    if (text) {
      ref.current?.focus()
    }
  }, [text, error])
  if (!text) {
    return <div id={id} role="alert" class="visually-hidden" />
  }
  return (
    <div id={id} ref={ref} role="alert" tabIndex={-1} class="form-error">
      <span class="form-error-icon" aria-hidden="true">
        !
      </span>
      <span>{text}</span>
    </div>
  )
}
