import type { Executor } from '../db/database'
import { AppError } from '../errors'
import { countFailedSignIns } from './queries'

/** The window over which failed sign-ins are counted. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000
/** Failed sign-ins allowed per account in the window (guessing one person's password). */
export const MAX_FAILURES_PER_ACCOUNT = 5
/** Failed sign-ins allowed per address in the window (spraying many accounts). */
export const MAX_FAILURES_PER_IP = 20

/**
 * Refuses a sign-in attempt once the account or the address has failed too often
 * recently. Counting lives in PostgreSQL, so every instance sees the same numbers.
 */
export async function assertNotThrottled(db: Executor, email: string, ip: string): Promise<void> {
  const since = new Date(Date.now() - THROTTLE_WINDOW_MS)
  const failures = await countFailedSignIns(db, email, ip, since)
  if (failures.byEmail >= MAX_FAILURES_PER_ACCOUNT || failures.byIp >= MAX_FAILURES_PER_IP) {
    throw new AppError(429, 'rate_limited', 'Too many failed sign-ins; wait a few minutes and try again')
  }
}
