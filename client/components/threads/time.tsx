import { INTL_LOCALES } from '../../../shared/i18n/languages'
import { formatDateTime, language } from '../../i18n'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/** "3 minutes ago" / "hace 3 minutos" in the current language. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime()
  if (Number.isNaN(then)) {
    return iso
  }
  const seconds = Math.round((then - now) / 1000)
  const format = new Intl.RelativeTimeFormat(INTL_LOCALES[language.value], {
    numeric: 'auto',
  })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit)
    }
  }
  return format.format(0, 'second')
}

/** A time shown relative ("5 minutes ago") with the exact date and time beside it for all. */
export function TimeAgo({ at }: { at: string }) {
  const exact = formatDateTime(at)
  return (
    <time dateTime={at} title={exact}>
      {formatRelative(at)}
      <span class="visually-hidden"> ({exact})</span>
    </time>
  )
}
