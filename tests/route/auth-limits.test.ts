import { describe, expect, it } from 'vitest'
import { REQUEST_LIMITS } from '../../server/app'
import { COLLAB_LIMITS } from '../../shared/collab/limits'
import { createTestApp, type Client } from '../support/app'
import type { TestUser } from '../support/factories'

// Limits that a room full of people behind one address hits (issue 12, item 7). Every request
// below comes from one address (inject's 127.0.0.1), as from a workshop venue behind NAT. The
// account limit is the production one; the anonymous per-address limit is the old global 600,
// so that 640 signed-in requests prove they no longer count against the address.
const ADDRESS_LIMIT = 600
const t = await createTestApp({ rateLimitPerMinute: ADDRESS_LIMIT, accountRateLimitPerMinute: REQUEST_LIMITS.perAccountPerMinute })
const { app, factories } = t

function tally(statuses: number[]) {
  const counts: Record<number, number> = {}
  for (const status of statuses) {
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}

describe('request limits (issue 12, item 7)', () => {
  it('lets 40 signed-in people behind one address work in a process together', async () => {
    const people: TestUser[] = []
    for (let i = 0; i < 40; i++) {
      people.push(await factories.createUser())
    }
    const process = await factories.createProcess({ members: people.map((user) => ({ user, role: 'drafter' as const })) })
    const { id: documentId } = await factories.createDocument(process.id, process.secretariat, 'Strategy', '# One\n\nText.')
    const clients: Client[] = []
    for (const person of people) {
      clients.push(await t.as(person))
    }
    // What the workspace asks for when a process and its document open, four times over each
    // (reloads, tabs, navigation): 40 × 4 × 4 = 640 requests in the same minute, past the 600
    // per address that used to apply to everyone.
    const urls = ['/api/auth/session', `/api/processes/${process.id}`, `/api/processes/${process.id}/documents`, `/api/documents/${documentId}`]
    const statuses: number[] = []
    for (let round = 0; round < 4; round++) {
      const batch = await Promise.all(clients.flatMap((client) => urls.map((url) => client.get(url))))
      statuses.push(...batch.map((r) => r.statusCode))
    }
    expect(statuses).toHaveLength(640)
    expect(tally(statuses)).toEqual({ 200: 640 })
  }, 120_000)

  it('limits one account hammering, without touching the others at the same address', async () => {
    const hammer = await t.as(await factories.createUser())
    const neighbour = await t.as(await factories.createUser())
    const statuses: number[] = []
    for (let sent = 0; sent < REQUEST_LIMITS.perAccountPerMinute + 20; sent += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => hammer.get('/api/auth/session')))
      statuses.push(...batch.map((r) => r.statusCode))
    }
    const counts = tally(statuses)
    expect(counts[200]).toBe(REQUEST_LIMITS.perAccountPerMinute)
    expect(counts[429]).toBe(statuses.length - REQUEST_LIMITS.perAccountPerMinute)
    const refused = await hammer.get('/api/processes')
    expect(refused.statusCode).toBe(429)
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'rate_limited' })
    expect((await neighbour.get('/api/auth/session')).statusCode).toBe(200)
    // Anonymous requests from the same address have their own, larger count.
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
  }, 60_000)

  it('limits anonymous requests per address, and another address is not affected', async () => {
    const address = '192.0.2.77'
    let limited = 0
    let sent = 0
    // Batches divide the limit: @fastify/rate-limit's memory store answers a batch that crosses
    // the limit as a whole (each request reads the count after the whole batch was added).
    for (; sent < ADDRESS_LIMIT + 50; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => app.inject({ method: 'GET', url: '/api/health', remoteAddress: address })),
      )
      limited += batch.filter((r) => r.statusCode === 429).length
    }
    expect(limited).toBe(sent - ADDRESS_LIMIT)
    expect((await app.inject({ method: 'GET', url: '/api/health', remoteAddress: '192.0.2.78' })).statusCode).toBe(200)
  })

  it('is sized for a NAT of a few hundred people: requests and sockets per address', () => {
    expect(REQUEST_LIMITS.perAddressPerMinute).toBeGreaterThanOrEqual(3000)
    expect(COLLAB_LIMITS.maxConnectionsPerAddress).toBeGreaterThanOrEqual(1000)
  })
})
