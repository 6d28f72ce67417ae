import { signal } from '@preact/signals'
import i18next from 'i18next'
import { DICTIONARIES } from '../../shared/i18n/dictionaries'
import {
  INTL_LOCALES,
  UI_LANGUAGES,
  isUiLanguage as isInterfaceLanguage,
  type UiLanguage,
} from '../../shared/i18n/languages'
import { withManyForms } from '../../shared/i18n/plural-forms'

const STORAGE_KEY = 'concord.language'

/** Tells whether a value is a language the interface is translated into. */
export const isUiLanguage = isInterfaceLanguage

/**
 * The language to start in before we know who the user is: what they chose last time on
 * this browser, else the browser's preference, else English.
 */
function initialLanguage(): UiLanguage {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    if (isUiLanguage(stored)) {
      return stored
    }
  } catch {
    // Storage can be blocked (private mode, policies); the browser preference still works.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0]
    if (isUiLanguage(base)) {
      return base
    }
  }
  return 'en'
}

/** The interface language. Components that call `t` re-render when it changes. */
export const language = signal<UiLanguage>(initialLanguage())

void i18next.init({
  lng: language.value,
  fallbackLng: 'en',
  supportedLngs: [...UI_LANGUAGES],
  resources: Object.fromEntries(
    UI_LANGUAGES.map((code) => [code, { translation: withManyForms(DICTIONARIES[code]) }]),
  ),
  // Preact escapes every text node, so i18next must not escape again (it would show &amp;).
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
})

/** Translates a key in the current language; reading `language` subscribes the caller. */
export function t(key: string, options?: Record<string, unknown>): string {
  void language.value
  return i18next.t(key, options ?? {})
}

/** Tells whether a key exists, for values that come from the server (audit actions). */
export function hasTranslation(key: string): boolean {
  // `exists` is also true for a branch of the tree ("audit.member"), which is not a message.
  return i18next.exists(key) && typeof i18next.t(key, { returnObjects: true }) === 'string'
}

/**
 * Switches the interface language: updates every `t` call, `<html lang>`, and the choice
 * remembered on this browser. Saving it to the account is the session store's job.
 */
export function setLanguage(next: UiLanguage): void {
  if (next !== i18next.language) {
    void i18next.changeLanguage(next)
  }
  try {
    window.localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not remembered on this browser; the account setting still applies after sign-in.
  }
  document.documentElement.lang = next
  language.value = next
}

document.documentElement.lang = language.value

/** The locale `Intl` formats with in the current language ("pt-BR", "fr-FR"…). */
export function intlLocale(): string {
  return INTL_LOCALES[language.value]
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language.value}|${JSON.stringify(options)}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(intlLocale(), options)
    formatters.set(key, found)
  }
  return found
}

/** A date like "12 Mar 2025" / "12 mar 2025" in the current language. */
export function formatDate(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : formatter({ dateStyle: 'medium' }).format(date)
}

/** A date and time like "12 Mar 2025, 14:05" in the current language. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime())
    ? iso
    : formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

/** A number with the current language's digit grouping. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlLocale()).format(value)
}

/**
 * A date and time in a given IANA time zone, with the zone's short name ("12 Mar 2025, 14:05
 * GMT-5"), for times that belong to a place (a consultation's window).
 */
export function formatDateTimeIn(iso: string, timeZone: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) {
    return iso
  }
  try {
    return formatter({
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(date)
  } catch {
    return formatDateTime(iso)
  }
}
