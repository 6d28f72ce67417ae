import { LIMITS } from '../../shared/limits'
import { t } from '../i18n'

// Checks run in the browser before a request, so people get a precise, translated message
// at once. The server checks the same rules again; these only save a round trip.

// Deliberately loose: one "@", something on each side, a dot in the domain. The server
// has the final word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function validateRequired(value: string): string | null {
  return value.trim() ? null : t('validation.required')
}

export function validateEmail(value: string): string | null {
  if (!value.trim()) {
    return t('validation.required')
  }
  return EMAIL.test(value.trim()) ? null : t('validation.email')
}

/** Checks a new password against the limits the server enforces. */
export function validateNewPassword(value: string): string | null {
  if (!value) {
    return t('validation.required')
  }
  if (value.length < LIMITS.passwordMin) {
    return t('validation.passwordTooShort', { count: LIMITS.passwordMin })
  }
  if (value.length > LIMITS.passwordMax) {
    return t('validation.tooLong', { count: LIMITS.passwordMax })
  }
  return null
}

export function validateConfirmation(password: string, confirmation: string): string | null {
  if (!confirmation) {
    return t('validation.required')
  }
  return password === confirmation ? null : t('validation.passwordsDiffer')
}

/** Keeps only the entries that carry a message. */
export function problems(entries: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(entries)) {
    if (value) {
      out[key] = value
    }
  }
  return out
}
