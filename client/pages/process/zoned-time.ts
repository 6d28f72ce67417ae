/**
 * Wall-clock times in a named time zone, for a consultation's window: the secretariat types
 * "1 March, 09:00" for the consultation's zone, whatever the browser's own zone is.
 */

/** The browser's own IANA time zone, or UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** Every IANA time zone the browser knows, with UTC and the browser's own always among them. */
export function timeZones(): string[] {
  let zones: string[] = []
  try {
    zones = Intl.supportedValuesOf('timeZone')
  } catch {
    zones = []
  }
  const all = new Set([...zones, 'UTC', browserTimeZone()])
  return [...all].sort((a, b) => a.localeCompare(b))
}

const parts = new Map<string, Intl.DateTimeFormat>()

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  let format = parts.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    parts.set(timeZone, format)
  }
  const get = (type: string) =>
    Number(format.formatToParts(new Date(instant)).find((p) => p.type === type)?.value ?? 0)
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  )
  return wall - Math.floor(instant / 1000) * 1000
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

/**
 * The instant (ISO 8601, UTC) at which the wall clock in `timeZone` shows `local`
 * (a datetime-local value, `2026-03-01T09:00`), or null for an empty or malformed value.
 */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local)
  if (!m) {
    return null
  }
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]))
  try {
    // Twice: the offset at the first guess may differ across a daylight-saving change.
    let instant = wall - offsetAt(wall, timeZone)
    instant = wall - offsetAt(instant, timeZone)
    return new Date(instant).toISOString()
  } catch {
    return null
  }
}

/** The datetime-local value that shows `iso` on the wall clock of `timeZone`. */
export function isoToZoned(iso: string, timeZone: string): string {
  const instant = Date.parse(iso)
  if (Number.isNaN(instant)) {
    return ''
  }
  try {
    return new Date(instant + offsetAt(instant, timeZone)).toISOString().slice(0, 16)
  } catch {
    return new Date(instant).toISOString().slice(0, 16)
  }
}
