// Issue 12, item 2, the long version of tests/collab/attacks.test.ts: the real server
// (server/main.ts over PostgreSQL) in a process of its own, a writer and a bystander editing a
// document of about 800 KB, and hostile clients (tests/support/flooder.mjs, each in a process
// of its own) running one attack after another. For each phase it prints the bystander's
// propagation p50 / p99 and the server's resident memory, and writes bench/results/attacks.json.
//
//   npx tsx bench/attacks.ts            (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
//   npx tsx bench/attacks.ts --quick    (shorter phases)
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createAccount, createTokenForEmail } from '../server/auth/service'
import type { Ctx } from '../server/context'
import { connect } from '../server/db/connect'
import { migrateToLatest } from '../server/db/migrate'
import { inTransaction } from '../server/db/transaction'
import { insertDocument } from '../server/documents/service'
import { appendUpdates } from '../server/documents/state'
import { insertMember, insertProcessWithSecretariat } from '../server/processes/service'

const quick = process.argv.includes('--quick')
const PHASE_MS = quick ? 4_000 : 10_000
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const SECRET = 'bench-session-secret-0123456789-abcdefghij'
const ROOT = resolve(import.meta.dirname, '..')
const FLOODER = resolve(ROOT, 'tests/support/flooder.mjs')

interface FloodStats {
  opened: number
  refused: number
  framesSent: number
  bytesSent: number
  bytesReceived: number
  closes: Record<string, number>
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The server's resident memory in MiB, from /proc. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

/** CPU time the server has used, in ms (utime + stime from /proc, at 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function largeDocument(): Uint8Array {
  const doc = new Y.Doc()
  const t = doc.getText('t')
  let seed = 12
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  for (let i = 0; i < 5_000; i++) {
    t.insert(Math.floor(random() * (t.length + 1)), `${i} `.padEnd(128, 'strategy '))
  }
  return Y.encodeStateAsUpdate(doc)
}

async function prepareFlood(options: Record<string, unknown>) {
  const child = spawn(process.execPath, [FLOODER, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const done = new Promise<FloodStats>((resolveStats, reject) => {
    child.once('exit', (code) =>
      code === 0
        ? resolveStats(JSON.parse(output.slice(output.indexOf('\n') + 1)) as FloodStats)
        : reject(new Error(`the flooder exited with ${code}`)),
    )
  })
  while (!output.startsWith('ready\n')) {
    await sleep(20)
  }
  return {
    go: () => {
      child.stdin.end('go\n')
      return done
    },
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const round = (n: number) => Math.round(n * 10) / 10

async function main() {
  const databaseName = `concord_attacks_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${databaseName}`)
  const url = new URL(PG_URL)
  url.pathname = `/${databaseName}`
  const databaseUrl = url.toString()
  let server: ChildProcess | undefined
  const providers: WebsocketProvider[] = []
  try {
    process.stdout.write(`seeding ${databaseName}…\n`)
    const connection = await connect({ databaseUrl, poolSize: 4 })
    await migrateToLatest(connection.db)
    const db = connection.db
    const roles = ['secretariat', 'drafter', 'drafter', 'observer', 'drafter'] as const
    const users: Awaited<ReturnType<typeof createAccount>>[] = []
    for (let i = 0; i < roles.length; i++) {
      users.push(
        await createAccount(
          db,
          {
            email: `attacks${i}@bench.test`,
            password: `bench-password-${i}`,
            name: `Person ${i}`,
            isAdmin: i === 0,
          },
          null,
        ),
      )
    }
    const origin = { userId: users[0]!.id, name: 'Bench', ip: 'bench' }
    const documentId = await inTransaction(db, async (trx) => {
      const { id: processId } = await insertProcessWithSecretariat(
        trx,
        users[0]!.id,
        { title: 'Attacks', languages: ['en'] },
        origin,
      )
      for (let i = 1; i < users.length; i++) {
        await insertMember(
          trx,
          processId,
          { id: users[i]!.id, email: users[i]!.email },
          { role: roles[i]!, stakeholderGroup: 'government', organisation: '' },
          origin,
        )
      }
      return (await insertDocument(trx, processId, 'Attacked draft', origin)).id
    })
    const big = largeDocument()
    await appendUpdates(db, documentId, [big])
    const ctx = { db, config: { sessionSecret: SECRET } } as unknown as Ctx
    const tokens: string[] = []
    for (const user of users) {
      tokens.push(await createTokenForEmail(ctx, user.email, 'bench'))
    }
    await connection.close()

    const port = await freePort()
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SESSION_SECRET: SECRET,
        DEMO: '0',
        STAFF_TWO_FACTOR: 'advised',
        LOG_LEVEL: 'error',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const deadline = Date.now() + 60_000
    while (
      (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.status !== 200
    ) {
      if (Date.now() > deadline) {
        throw new Error('the server did not start')
      }
      await sleep(100)
    }
    const wsBase = `ws://127.0.0.1:${port}/collab`
    const socketUrl = (token: string) => `${wsBase}/${documentId}?token=${token}`
    const connectAs = (token: string) => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(wsBase, documentId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { token },
      })
      providers.push(provider)
      const closes: number[] = []
      provider.on('connection-close', (event) => {
        if (event) {
          closes.push(event.code)
        }
      })
      return { doc, provider, closes }
    }
    const writer = connectAs(tokens[1]!)
    const bystander = connectAs(tokens[2]!)
    const expected = (() => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, big)
      return doc.getText('t').length
    })()
    while (
      writer.doc.getText('t').length !== expected ||
      bystander.doc.getText('t').length !== expected
    ) {
      await sleep(50)
    }

    // The bystander's propagation, sampled every 20 ms.
    const sentAt = new Map<number, number>()
    let samples: number[] = []
    bystander.doc.getArray<number>('probe').observe((event) => {
      for (const change of event.changes.delta) {
        for (const id of (change.insert as number[] | undefined) ?? []) {
          const at = sentAt.get(id)
          if (at !== undefined) {
            samples.push(performance.now() - at)
            sentAt.delete(id)
          }
        }
      }
    })
    let next = 0
    const ticker = setInterval(() => {
      const id = next++
      sentAt.set(id, performance.now())
      writer.doc.getArray<number>('probe').push([id])
    }, 20)
    let peak = 0
    const pid = server.pid!
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50)

    const phases: Record<string, unknown>[] = []
    const measure = async (
      name: string,
      attack: (() => Promise<Record<string, unknown>>) | undefined,
    ) => {
      const flood = attack ? await attack() : undefined
      await sleep(500) // what the previous phase left in flight arrives in its own phase
      samples = []
      const rssBefore = rssMiB(pid)
      peak = rssBefore
      const cpuBefore = cpuMs(pid)
      const started = performance.now()
      const stats = flood ? await (flood.go as () => Promise<unknown>)() : await sleep(PHASE_MS)
      const elapsed = performance.now() - started
      const serverCores = (cpuMs(pid) - cpuBefore) / elapsed
      const waited = performance.now()
      while (sentAt.size > 0 && performance.now() - waited < 30_000) {
        await sleep(20)
      }
      const phase = {
        name,
        seconds: round(elapsed / 1000),
        samples: samples.length,
        lostOrLate: sentAt.size,
        p50: round(percentile(samples, 50)),
        p99: round(percentile(samples, 99)),
        max: round(Math.max(...samples)),
        serverCores: Math.round(serverCores * 100) / 100,
        rssBeforeMiB: round(rssBefore),
        rssPeakMiB: round(peak),
        rssAfterMiB: round(rssMiB(pid)),
        flood: stats,
      }
      phases.push(phase)
      process.stdout.write(
        `${name.padEnd(44)} p50 ${String(phase.p50).padStart(7)} ms  p99 ${String(phase.p99).padStart(7)} ms  ` +
          `server ${phase.serverCores} cores  rss ${phase.rssBeforeMiB} → peak ${phase.rssPeakMiB} MiB\n`,
      )
    }
    const flood = (options: Record<string, unknown>) => async () => ({
      go: (await prepareFlood(options)).go,
    })
    const observer = socketUrl(tokens[3]!)
    const hostile = socketUrl(tokens[4]!)
    const rssStart = rssMiB(pid)
    await measure('baseline', undefined)
    await measure(
      'sync step 1 × 1,000 on one connection (reader)',
      flood({
        url: observer,
        attack: 'sync-step-1',
        connections: 1,
        frames: 1_000,
        holdMs: PHASE_MS,
      }),
    )
    await measure(
      `sync step 1 × 1,000, 8 connections/s for ${PHASE_MS / 1000} s (reader)`,
      flood({
        url: observer,
        attack: 'sync-step-1',
        connections: (8 * PHASE_MS) / 1000,
        perSecond: 8,
        frames: 1_000,
        holdMs: 1_000,
      }),
    )
    await measure(
      'sync step 1 × 50 on each of 8 connections (reader)',
      flood({
        url: observer,
        attack: 'sync-step-1',
        connections: 8,
        perSecond: 8,
        frames: 50,
        holdMs: PHASE_MS,
      }),
    )
    await measure(
      '4 updates of 90,000 client ids (writer)',
      flood({
        url: hostile,
        attack: 'client-ids',
        connections: 4,
        perSecond: 2,
        clientIds: 90_000,
      }),
    )
    await measure('baseline again', undefined)
    clearInterval(ticker)
    clearInterval(sampler)

    const baseline = phases[0] as { p99: number }
    const result = {
      at: new Date().toISOString(),
      documentBytes: big.byteLength,
      phaseSeconds: PHASE_MS / 1000,
      rssStartMiB: round(rssStart),
      rssEndMiB: round(rssMiB(pid)),
      phases: phases.map((phase) => ({
        ...phase,
        p99RatioToBaseline: round((phase as { p99: number }).p99 / baseline.p99),
      })),
      bystanderCloses: bystander.closes,
      writerCloses: writer.closes,
    }
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true })
    writeFileSync(
      resolve(ROOT, 'bench/results/attacks.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    )
    process.stdout.write(
      `server memory ${result.rssStartMiB} → ${result.rssEndMiB} MiB; bystander closes ${JSON.stringify(bystander.closes)}\n` +
        'written to bench/results/attacks.json\n',
    )
  } finally {
    for (const provider of providers) {
      provider.destroy()
    }
    server?.kill('SIGTERM')
    await sleep(1_000)
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined)
    await admin.end()
  }
}

await main()
