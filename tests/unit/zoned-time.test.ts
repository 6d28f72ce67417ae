import { describe, expect, test } from 'vitest'
import { isoToZoned, zonedToIso } from '../../client/pages/process/zoned-time'

// The opening form reads a consultation's window on the wall clock of its time zone.
describe('wall-clock times in a named time zone', () => {
  test('a wall-clock time becomes the instant it shows in that zone, and back', () => {
    expect(zonedToIso('2026-03-01T09:00', 'America/Bogota')).toBe('2026-03-01T14:00:00.000Z')
    expect(zonedToIso('2026-03-01T09:00', 'UTC')).toBe('2026-03-01T09:00:00.000Z')
    expect(zonedToIso('2026-03-01T09:00', 'Asia/Kolkata')).toBe('2026-03-01T03:30:00.000Z')
    expect(isoToZoned('2026-03-01T14:00:00.000Z', 'America/Bogota')).toBe('2026-03-01T09:00')
  })

  test('either side of a daylight-saving change', () => {
    // Madrid: UTC+1 in winter, UTC+2 from 29 March 2026 at 02:00.
    expect(zonedToIso('2026-03-28T12:00', 'Europe/Madrid')).toBe('2026-03-28T11:00:00.000Z')
    expect(zonedToIso('2026-03-30T12:00', 'Europe/Madrid')).toBe('2026-03-30T10:00:00.000Z')
    expect(isoToZoned('2026-03-30T10:00:00.000Z', 'Europe/Madrid')).toBe('2026-03-30T12:00')
  })

  test('an empty or malformed value, or an unknown zone, gives no instant', () => {
    expect(zonedToIso('', 'UTC')).toBeNull()
    expect(zonedToIso('2026-03-01', 'UTC')).toBeNull()
    expect(zonedToIso('2026-03-01T09:00', 'Nowhere/Atlantis')).toBeNull()
  })
})
