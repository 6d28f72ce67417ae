import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import pino from 'pino'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { buildApp } from '../server/app'
import { createTokenForEmail } from '../server/auth/service'
import { loadConfig } from '../server/config'
import type { Ctx } from '../server/context'
import { loadState } from '../server/documents/state'
import { isFinalCloseCode } from '../shared/collab/close-codes'
import { factories } from '../tests/support/factories'
import { privatePostgresMissing, startPrivatePostgres } from '../tests/support/private-postgres'

// The long version of tests/collab/database-restart.test.ts (issue 12, items 4 and 9): a
// PostgreSQL cluster of its own (never the machine's shared server), many stock y-websocket
// providers typing into one document, and PostgreSQL stopped several times, with each mode and
// for longer. It prints, for each outage, how many edits were typed meanwhile and how long
// after PostgreSQL was back every one of them had reached every other editor (the server
// relays only what it has committed), and at the end whether the stored document has them all.
//
//   npx tsx bench/database-restart.ts [--clients=20] [--every=50] [--outages=fast:1000,immediate:8000,fast:30000,immediate:30000]

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key!, value ?? '']
  }),
)
const CLIENTS = Number(args.get('clients') ?? 20)
const EVERY_MS = Number(args.get('every') ?? 50)
const OUTAGES = (args.get('outages') ?? 'fast:1000,immediate:8000,fast:30000,immediate:30000')
  .split(',')
  .map((spec) => {
    const [mode, ms] = spec.split(':')
    if (mode !== 'fast' && mode !== 'immediate') {
      throw new Error(`unknown stop mode ${mode}`)
    }
    return { mode, downMs: Number(ms) } as const
  })
const SECRET = 'bench-session-secret-0123456789-abcdefghij'

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<number | null> {
  const start = Date.now()
  while (Date.now() - start < timeoutMs) {
    if (await condition()) {
      return Date.now() - start
    }
    await sleep(25)
  }
  return null
}

async function main(): Promise<void> {
  const missing = privatePostgresMissing()
  if (missing) {
    process.stdout.write(`cannot run: ${missing}\n`)
    process.exit(1)
  }
  const cluster = await startPrivatePostgres()
  const database = await cluster.createDatabase('concord_bench')
  const app = await buildApp({
    config: loadConfig({
      SESSION_SECRET: SECRET,
      PUBLIC_URL: 'http://127.0.0.1',
      DATA_DIR: '/nonexistent',
    }),
    db: database.db,
    logger: pino({ level: 'silent' }),
    rateLimitPerMinute: 1_000_000,
    clientDir: '/nonexistent',
  })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const wsUrl = `${url.replace(/^http/, 'ws')}/collab`
  const results: Record<string, unknown>[] = []
  try {
    const make = factories(database.db)
    const people = await Promise.all(
      Array.from({ length: Math.min(CLIENTS, 30) }, () => make.createUser()),
    )
    const proc = await make.createProcess({
      members: people.map((user) => ({ user, role: 'drafter' as const, group: 'academia' })),
    })
    const { id: documentId } = await make.createDocument(proc.id, proc.secretariat)
    const ctx = { db: database.db, config: { sessionSecret: SECRET } } as unknown as Ctx
    const tokens = await Promise.all(
      people.map((user) => createTokenForEmail(ctx, user.email, 'bench')),
    )

    const clients = Array.from({ length: CLIENTS }, (_, i) => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(wsUrl, documentId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { token: tokens[i % tokens.length]! },
        maxBackoffTime: 1_000,
      })
      const closes: number[] = []
      provider.on('connection-close', (event) => {
        if (event) {
          closes.push(event.code)
        }
      })
      return { doc, provider, closes, typed: [] as string[] }
    })
    if ((await until(() => clients.every((c) => c.provider.synced), 30_000)) === null) {
      throw new Error('the providers did not sync')
    }
    const timers = clients.map((client, i) =>
      setInterval(() => {
        const shared = client.doc.getText('t')
        const token = `|c${i}-${client.typed.length}|`
        shared.insert(shared.length, token)
        client.typed.push(token)
      }, EVERY_MS),
    )
    const everyone = () => clients.flatMap((client) => client.typed)
    const reachedEveryone = (tokens: string[]) =>
      clients.every((client) => {
        const content = client.doc.getText('t').toString()
        return tokens.every((token) => content.includes(token))
      })
    const healthStatus = async () => (await fetch(`${url}/api/health`)).status

    await sleep(2_000)
    for (const { mode, downMs } of OUTAGES) {
      const closesBefore = clients.reduce((sum, client) => sum + client.closes.length, 0)
      const typedBefore = everyone().length
      await cluster.stop(mode)
      const stoppedAt = Date.now()
      const degradedAfterMs = await until(async () => (await healthStatus()) === 503, 5_000)
      await sleep(Math.max(0, downMs - (Date.now() - stoppedAt)))
      await cluster.start()
      const backAt = Date.now()
      const held = everyone()
      const room = app.collab.rooms.get(documentId)
      // The moment the room holds nothing uncommitted any more: the commit side of the wait.
      const committedMs = await until(() => room === undefined || room.heldBytes === 0, 60_000)
      const acknowledgedMs = await until(() => reachedEveryone(held), 60_000)
      const healthyAfterMs = await until(async () => (await healthStatus()) === 200, 10_000)
      const closes = clients.flatMap((client) => client.closes).slice(closesBefore)
      const result = {
        mode,
        downMs,
        clients: CLIENTS,
        editsTypedDuringOutage: held.length - typedBefore,
        healthDegradedAfterMs: degradedAfterMs,
        heldCommittedAfterBackMs: committedMs,
        allAcknowledgedAfterBackMs:
          acknowledgedMs === null ? 'not within 60 s' : (committedMs ?? 0) + acknowledgedMs,
        healthOkAfterBackMs: healthyAfterMs,
        socketsClosed: closes.length,
        finalCloseCodes: closes.filter(isFinalCloseCode),
        backAtMs: backAt - stoppedAt,
      }
      results.push(result)
      process.stdout.write(
        `-m ${mode} for ${downMs} ms: ${result.editsTypedDuringOutage} edits typed meanwhile; health 503 after ${degradedAfterMs} ms; ` +
          `held edits committed ${committedMs} ms and all acknowledged to everyone ${result.allAcknowledgedAfterBackMs} ms after PostgreSQL was back; ` +
          `${closes.length} sockets closed, ` +
          `${result.finalCloseCodes.length} with a final code\n`,
      )
      await sleep(2_000)
    }
    for (const timer of timers) {
      clearInterval(timer)
    }
    const all = everyone()
    await until(() => reachedEveryone(all), 30_000)
    await app.collab.rooms.get(documentId)?.flush()
    const state = await loadState(database.db, documentId)
    const stored = new Y.Doc()
    if (state.update) {
      Y.applyUpdate(stored, state.update)
    }
    const content = stored.getText('t').toString()
    const lost = all.filter((token) => !content.includes(token))
    process.stdout.write(
      `${all.length} edits typed in all; ${all.length - lost.length} stored; ${lost.length} lost\n`,
    )
    results.push({ typed: all.length, stored: all.length - lost.length, lost: lost.length })
    for (const client of clients) {
      client.provider.destroy()
    }
  } finally {
    await app.close()
    await database.close()
    await cluster.destroy()
  }
  const dir = resolve(import.meta.dirname, 'results')
  mkdirSync(dir, { recursive: true })
  const file = resolve(
    dir,
    `database-restart-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  )
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`written to ${file}\n`)
}

await main()
