import type { Db, SignInThrottlesTable } from '../db/database'
import type { Selectable } from 'kysely'
import { inTransaction } from '../db/transaction'
import { AppError } from '../errors'
import * as queries from './queries'

/** The window over which failed sign-ins are counted per account and per address. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000
/**
 * Failed sign-ins one address may make on one account before each further attempt waits
 * (a person mistyping their password a few times never waits).
 */
export const FREE_FAILURES_PER_PAIR = 5
/** The first wait of a pair past its free failures; each further failure doubles it. */
export const PAIR_DELAY_BASE_MS = 30 * 1000
/** The longest wait between two attempts of one pair. */
export const PAIR_DELAY_MAX_MS = 15 * 60 * 1000
/** A pair forgets its failures after this long without one. */
export const PAIR_MEMORY_MS = 24 * 60 * 60 * 1000
/**
 * Failed sign-ins allowed per account in the window, from all addresses together. It bounds
 * a guesser with many addresses; it is high, so that the failures of one address never lock
 * the real person out (issue 12, item 5), while the pair throttle slows each address.
 */
export const MAX_FAILURES_PER_ACCOUNT = 30
/**
 * Failed sign-ins allowed per address in the window, over all accounts (spraying many
 * accounts). One address may be a venue or a ministry behind NAT, hundreds of people
 * (issue 12, item 7), so it is generous.
 */
export const MAX_FAILURES_PER_ADDRESS = 100

/** An attempt that holds its place in the counters until it is settled. */
export interface SignInReservation {
  account: string
  address: string
  pair: string
}

type ThrottleRow = Selectable<SignInThrottlesTable>

const throttled = () =>
  new AppError(429, 'rate_limited', 'Too many failed sign-ins; wait a few minutes and try again')

/** The wait a pair must leave after its nth failure (n past the free ones counts from 1). */
export function pairDelayMs(failures: number): number {
  const over = failures - FREE_FAILURES_PER_PAIR
  if (over < 0) {
    return 0
  }
  return Math.min(PAIR_DELAY_BASE_MS * 2 ** over, PAIR_DELAY_MAX_MS)
}

/**
 * Reserves a sign-in attempt before the password is checked, or refuses it with 429.
 *
 * The attempt counts as a failure of the account, the address and the (account, address)
 * pair at once, in one transaction that locks the three counters in a fixed order; so 40
 * parallel attempts see 40 different counts and no more pass than the limits allow, on
 * PostgreSQL and on PGlite alike. `settleSignInAttempt` gives the place back when the
 * password was right.
 */
export async function reserveSignInAttempt(db: Db, email: string, ip: string, now = new Date()): Promise<SignInReservation> {
  const account = email.toLowerCase()
  const reservation: SignInReservation = { account, address: ip, pair: `${account} ${ip}` }
  await inTransaction(db, async (trx) => {
    const rows = {
      account: await queries.lockSignInThrottle(trx, 'account', reservation.account, now),
      address: await queries.lockSignInThrottle(trx, 'address', reservation.address, now),
      pair: await queries.lockSignInThrottle(trx, 'pair', reservation.pair, now),
    }
    const inWindow = (row: ThrottleRow) => now.getTime() - row.window_started_at.getTime() < THROTTLE_WINDOW_MS
    const accountFailures = inWindow(rows.account) ? rows.account.failures : 0
    const addressFailures = inWindow(rows.address) ? rows.address.failures : 0
    const pairRemembered = now.getTime() - rows.pair.last_failed_at.getTime() < PAIR_MEMORY_MS
    const pairFailures = pairRemembered ? rows.pair.failures : 0
    const pairBlocked = pairRemembered && rows.pair.blocked_until !== null && rows.pair.blocked_until > now
    if (accountFailures >= MAX_FAILURES_PER_ACCOUNT || addressFailures >= MAX_FAILURES_PER_ADDRESS || pairBlocked) {
      // Nothing is counted for a refused attempt: the transaction ends without writing.
      throw throttled()
    }
    for (const [scope, failures, row] of [
      ['account', accountFailures, rows.account],
      ['address', addressFailures, rows.address],
    ] as const) {
      await queries.updateSignInThrottle(trx, scope, row.key, {
        failures: failures + 1,
        windowStartedAt: failures === 0 || !inWindow(row) ? now : row.window_started_at,
        lastFailedAt: now,
        blockedUntil: null,
      })
    }
    const delay = pairDelayMs(pairFailures + 1)
    await queries.updateSignInThrottle(trx, 'pair', rows.pair.key, {
      failures: pairFailures + 1,
      windowStartedAt: pairFailures === 0 ? now : rows.pair.window_started_at,
      lastFailedAt: now,
      blockedUntil: delay > 0 ? new Date(now.getTime() + delay) : null,
    })
  })
  return reservation
}

/**
 * Ends a reserved attempt. A failure stays counted. A success gives its place back to the
 * account and the address and clears the pair: the person at that address knows the password.
 */
export async function settleSignInAttempt(db: Db, reservation: SignInReservation, succeeded: boolean): Promise<void> {
  if (!succeeded) {
    return
  }
  await queries.releaseSignInThrottle(db, 'account', reservation.account)
  await queries.releaseSignInThrottle(db, 'address', reservation.address)
  await queries.deleteSignInThrottle(db, 'pair', reservation.pair)
}
