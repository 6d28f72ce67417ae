import { mkdirSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { buildApp } from '../server/app'
import { loadConfig } from '../server/config'
import { connect } from '../server/db/connect'
import { migrateToLatest } from '../server/db/migrate'
import { inTransaction } from '../server/db/transaction'
import { createAccount, createTokenForEmail } from '../server/auth/service'
import { insertMember, insertProcessWithSecretariat } from '../server/processes/service'
import { insertDocument } from '../server/documents/service'
import { parseMarkdown } from '../server/render/markdown'
import { assignSectionIds } from '../shared/schema/section-ids'
import type { LiveState, Workshop } from '../shared/api/workshops'

// The workshop benchmark (issue 13): 200 attendees on one workshop, each with a live stream
// open (GET /api/events), while the facilitator moves through 10 agenda items and records 100
// contributions. For every facilitator action, the time until each attendee's stream has the
// event; p50/p99 over all deliveries, and the server process's memory. The 200 streams run in
// this same process (one Node process on a 2-core machine), so the memory includes them.
// Run: npx tsx bench/workshop.ts   (BENCH_PG_URL, default the local PostgreSQL)

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 200)
const ITEMS = 10
const CONTRIBUTIONS = 100

const draft = [
  '# Strategy',
  ...Array.from({ length: ITEMS }, (_, i) => `## Section ${i + 1}\n\nText of section ${i + 1}.`),
].join('\n\n')

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function main() {
  const name = `concord_bench_ws_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  const connection = await connect({ databaseUrl: url.toString(), poolSize: 10 })
  try {
    await migrateToLatest(connection.db)
    const db = connection.db
    const app = await buildApp({
      config: loadConfig({ SESSION_SECRET: 'bench-secret-0123456789-abcdefghijklmnop', DATA_DIR: '/nonexistent' }),
      db,
      logger: pino({ level: 'warn' }),
      rateLimitPerMinute: 1_000_000,
      clientDir: '/nonexistent',
    })
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    process.stdout.write(`seeding ${ATTENDEES} attendees…\n`)
    const facilitator = await createAccount(db, { email: 'facilitator@bench.test', name: 'Facilitator', password: 'bench-password', isAdmin: true }, null)
    const origin = { userId: facilitator.id, name: facilitator.name, ip: 'bench' }
    const groups = ['government', 'civil-society', 'academia', 'private-sector']
    const { processId, emails } = await inTransaction(db, async (trx) => {
      const { id } = await insertProcessWithSecretariat(trx, facilitator.id, { title: 'Bench', languages: ['en'] }, origin)
      const emails: string[] = []
      for (let i = 0; i < ATTENDEES; i++) {
        const email = `attendee${i}@bench.test`
        // The password hash is not what is measured: a short one keeps seeding quick.
        const user = await createAccount(trx, { email, name: `Attendee ${i}`, password: `bench-password-${i}` }, null)
        await insertMember(trx, id, user, { role: 'stakeholder', stakeholderGroup: groups[i % groups.length]!, organisation: `Org ${i % 17}` }, origin)
        emails.push(email)
      }
      return { processId: id, emails }
    })
    const document = await insertDocument(db, processId, 'Strategy', origin, { content: assignSectionIds(parseMarkdown(draft)) })
    const tokenOf = (email: string) => createTokenForEmail(app.ctx, email, 'bench')
    const ownerToken = await tokenOf('facilitator@bench.test')
    const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      })
      if (!response.ok) {
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
      }
      return (await response.json()) as T
    }
    const sections = await call<{ id: string; title: string }[]>(ownerToken, 'GET', `/api/documents/${document.id}/sections`)
    const workshop = await call<Workshop>(ownerToken, 'POST', `/api/processes/${processId}/workshops`, {
      title: 'Bench workshop',
      startsAt: '2027-03-01T14:00:00Z',
      endsAt: '2027-03-01T20:00:00Z',
      timeZone: 'UTC',
      format: 'online',
      languages: ['en'],
      documentId: document.id,
      agenda: sections.filter((s) => s.title.startsWith('Section')).map((s) => ({ sectionId: s.id, minutes: 10 })),
    })
    await call(ownerToken, 'POST', `/api/workshops/${workshop.id}/schedule`, {})
    let live = await call<LiveState>(ownerToken, 'POST', `/api/workshops/${workshop.id}/control`, { revision: 1, action: 'start' })
    await call(ownerToken, 'POST', `/api/workshops/${workshop.id}/join`, {})

    process.stdout.write('opening 200 live streams and joining…\n')
    const tokens = await Promise.all(emails.map(tokenOf))
    const arrivals: number[][] = tokens.map(() => [])
    const controllers: AbortController[] = []
    await Promise.all(
      tokens.map(async (token, index) => {
        const controller = new AbortController()
        controllers.push(controller)
        const response = await fetch(`${base}/api/events?process=${processId}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        })
        const reader = response.body!.getReader()
        const decoder = new TextDecoder()
        let buffer = ''
        void (async () => {
          try {
            for (;;) {
              const { value, done } = await reader.read()
              if (done) {
                return
              }
              buffer += decoder.decode(value, { stream: true })
              let cut: number
              while ((cut = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, cut)
                buffer = buffer.slice(cut + 2)
                if (block.startsWith('event: workshop')) {
                  arrivals[index]!.push(performance.now())
                }
              }
            }
          } catch {
            // aborted at the end
          }
        })()
      }),
    )
    const attendeeIds: string[] = []
    for (const token of tokens) {
      attendeeIds.push((await call<{ id: string }>(token, 'POST', `/api/workshops/${workshop.id}/join`, {})).id)
    }
    // Let the join events drain, then measure from a clean count.
    await new Promise((r) => setTimeout(r, 1000))
    const latencies: number[] = []
    const measure = async (send: () => Promise<unknown>) => {
      const before = arrivals.map((a) => a.length)
      const started = performance.now()
      await send()
      const deadline = Date.now() + 10_000
      while (arrivals.some((a, i) => a.length <= before[i]!) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5))
      }
      for (const [i, a] of arrivals.entries()) {
        const at = a[before[i]!]
        latencies.push(at === undefined ? Infinity : at - started)
      }
    }
    process.stdout.write('running the session…\n')
    const memoryBefore = process.memoryUsage()
    for (let item = 0; item < ITEMS; item++) {
      for (let c = 0; c < CONTRIBUTIONS / ITEMS; c++) {
        const attendeeId = attendeeIds[(item * 10 + c) % attendeeIds.length]!
        await measure(() =>
          call(ownerToken, 'POST', `/api/workshops/${workshop.id}/contributions`, {
            kind: 'comment',
            body: `Contribution ${item}.${c}`,
            attendeeId,
          }),
        )
      }
      if (item < ITEMS - 1) {
        live = await call<LiveState>(ownerToken, 'GET', `/api/workshops/${workshop.id}/live`)
        await measure(() => call(ownerToken, 'POST', `/api/workshops/${workshop.id}/control`, { revision: live.revision, action: 'next' }))
      }
    }
    const memory = process.memoryUsage()
    const sorted = [...latencies].sort((a, b) => a - b)
    const lost = sorted.filter((v) => v === Infinity).length
    const result = {
      attendees: ATTENDEES,
      actions: ITEMS - 1 + CONTRIBUTIONS,
      deliveries: latencies.length,
      lost,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      maxMs: Math.round((sorted[sorted.length - 1 - lost] ?? 0) * 10) / 10,
      rssMiB: Math.round((memory.rss / 1048576) * 10) / 10,
      heapUsedMiB: Math.round((memory.heapUsed / 1048576) * 10) / 10,
      rssBeforeSessionMiB: Math.round((memoryBefore.rss / 1048576) * 10) / 10,
      note: 'server and the 200 streams share one Node process; latency is from sending the facilitator’s request to the event on each stream',
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    const dir = resolve(import.meta.dirname, 'results')
    mkdirSync(dir, { recursive: true })
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    writeFileSync(resolve(dir, `workshop-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`)
    for (const controller of controllers) {
      controller.abort()
    }
    await app.close()
  } finally {
    await connection.close()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

await main()
