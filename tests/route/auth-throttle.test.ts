import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  FREE_FAILURES_PER_PAIR,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  PAIR_DELAY_BASE_MS,
  PAIR_DELAY_MAX_MS,
  pairDelayMs,
} from '../../server/auth/throttle'
import { pruneExpired } from '../../server/auth/service'
import { createTestApp } from '../support/app'

// Behind https the app trusts one proxy hop, so X-Forwarded-For names the caller's address
// (server/app.ts), as it does in production behind the proxy of docker-compose.yml.
const t = await createTestApp({ config: { PUBLIC_URL: 'https://concord.test' } })
const { app, db, factories } = t

const signIn = (email: string, password: string, ip: string) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password },
    headers: { 'x-forwarded-for': ip },
  })

async function countAttempts(email: string) {
  const row = await db
    .selectFrom('sign_in_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('email', '=', email.toLowerCase())
    .executeTakeFirstOrThrow()
  return row.n
}

function tally(statuses: number[]) {
  const counts: Record<number, number> = {}
  for (const status of statuses) {
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}

describe('sign-in throttle (issue 12, item 5)', () => {
  it('checks no more than the per-account limit of 40 parallel wrong passwords from 40 addresses', async () => {
    const user = await factories.createUser()
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(user.email, `wrong-password-${i}`, `198.51.100.${i + 1}`).then((r) => r.statusCode)),
    )
    expect(MAX_FAILURES_PER_ACCOUNT).toBeLessThan(40)
    expect(tally(statuses)).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT, 429: 40 - MAX_FAILURES_PER_ACCOUNT })
    // Only the checked attempts reached the password check and the log.
    expect(await countAttempts(user.email)).toBe(MAX_FAILURES_PER_ACCOUNT)
  })

  it('checks only the free failures of 60 parallel wrong passwords from one address', async () => {
    const user = await factories.createUser()
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn(user.email, `wrong-password-${i}`, '203.0.113.7').then((r) => r.statusCode)),
    )
    expect(tally(statuses)).toEqual({ 401: FREE_FAILURES_PER_PAIR, 429: 60 - FREE_FAILURES_PER_PAIR })
    expect(await countAttempts(user.email)).toBe(FREE_FAILURES_PER_PAIR)
    const body = (await signIn(user.email, user.password, '203.0.113.7')).json()
    expect(body.code).toBe('rate_limited')
  })

  it('lets the real person in from another address after 5 wrong passwords from one address', async () => {
    const user = await factories.createUser()
    for (let i = 0; i < 5; i++) {
      expect((await signIn(user.email, 'wrong-password', '192.0.2.10')).statusCode).toBe(401)
    }
    expect((await signIn(user.email, user.password, '192.0.2.10')).statusCode).toBe(429)
    const elsewhere = await signIn(user.email, user.password, '192.0.2.11')
    expect(elsewhere.statusCode).toBe(200)
    expect(elsewhere.json().user.id).toBe(user.id)
  })

  it('makes one address wait longer after each further failure, and forgets after a success', async () => {
    const user = await factories.createUser()
    const ip = '192.0.2.20'
    expect(pairDelayMs(FREE_FAILURES_PER_PAIR - 1)).toBe(0)
    expect(pairDelayMs(FREE_FAILURES_PER_PAIR)).toBe(PAIR_DELAY_BASE_MS)
    expect(pairDelayMs(FREE_FAILURES_PER_PAIR + 20)).toBe(PAIR_DELAY_MAX_MS)
    const pairKey = `${user.email.toLowerCase()} ${ip}`
    const blockedFor = async () => {
      const row = await db.selectFrom('sign_in_throttles').selectAll().where('scope', '=', 'pair').where('key', '=', pairKey).executeTakeFirstOrThrow()
      return row.blocked_until === null ? 0 : row.blocked_until.getTime() - row.last_failed_at.getTime()
    }
    // The wait passes (the clock is moved by moving the stored times back).
    const waitOut = () =>
      db
        .updateTable('sign_in_throttles')
        .set({ blocked_until: new Date(Date.now() - 1) })
        .where('scope', '=', 'pair')
        .where('key', '=', pairKey)
        .execute()
    for (let i = 0; i < FREE_FAILURES_PER_PAIR; i++) {
      expect((await signIn(user.email, 'wrong-password', ip)).statusCode).toBe(401)
    }
    const waits = [await blockedFor()]
    for (let i = 0; i < 3; i++) {
      expect((await signIn(user.email, 'wrong-password', ip)).statusCode).toBe(429)
      await waitOut()
      expect((await signIn(user.email, 'wrong-password', ip)).statusCode).toBe(401)
      waits.push(await blockedFor())
    }
    expect(waits).toEqual([1, 2, 4, 8].map((n) => Math.min(n * PAIR_DELAY_BASE_MS, PAIR_DELAY_MAX_MS)))
    await waitOut()
    expect((await signIn(user.email, user.password, ip)).statusCode).toBe(200)
    const pair = await db.selectFrom('sign_in_throttles').selectAll().where('scope', '=', 'pair').where('key', '=', pairKey).executeTakeFirst()
    expect(pair).toBeUndefined()
    expect((await signIn(user.email, 'wrong-password', ip)).statusCode).toBe(401)
  })

  it('does not count a correct password against the account', async () => {
    const user = await factories.createUser()
    for (let i = 0; i < 3; i++) {
      expect((await signIn(user.email, user.password, `192.0.2.${30 + i}`)).statusCode).toBe(200)
    }
    const account = await db.selectFrom('sign_in_throttles').selectAll().where('scope', '=', 'account').where('key', '=', user.email.toLowerCase()).executeTakeFirstOrThrow()
    expect(account.failures).toBe(0)
  })

  it('limits one address spraying many accounts, and frees the account once the window passed', async () => {
    const ip = '203.0.113.99'
    await db
      .insertInto('sign_in_throttles')
      .values({ scope: 'address', key: ip, failures: MAX_FAILURES_PER_ADDRESS - 1, window_started_at: new Date(), last_failed_at: new Date() })
      .execute()
    expect((await signIn('spray-last@example.org', 'wrong-password', ip)).statusCode).toBe(401)
    const user = await factories.createUser()
    expect((await signIn(user.email, user.password, ip)).statusCode).toBe(429)
    expect((await signIn(user.email, user.password, '203.0.113.100')).statusCode).toBe(200)
    await db
      .updateTable('sign_in_throttles')
      .set({ window_started_at: new Date(Date.now() - 16 * 60 * 1000) })
      .where('scope', '=', 'address')
      .where('key', '=', ip)
      .execute()
    expect((await signIn(user.email, user.password, ip)).statusCode).toBe(200)
  })

  it('prunes counters untouched for a day, keeping recent ones', async () => {
    const old = new Date(Date.now() - 25 * 60 * 60 * 1000)
    await db
      .insertInto('sign_in_throttles')
      .values([
        { scope: 'pair', key: 'stale@example.org 192.0.2.200', failures: 9, window_started_at: old, last_failed_at: old },
        { scope: 'pair', key: 'fresh@example.org 192.0.2.200', failures: 9, window_started_at: new Date(), last_failed_at: new Date() },
      ])
      .execute()
    await pruneExpired(db)
    const keys = (await db.selectFrom('sign_in_throttles').select('key').where('key', 'like', '%@example.org 192.0.2.200').execute()).map((r) => r.key)
    expect(keys).toEqual(['fresh@example.org 192.0.2.200'])
  })
})
