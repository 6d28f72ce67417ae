import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { createAccount, createTokenForEmail } from '../server/auth/service'
import type { Ctx } from '../server/context'
import { connect } from '../server/db/connect'
import { migrateToLatest } from '../server/db/migrate'
import { inTransaction } from '../server/db/transaction'
import { insertDocument } from '../server/documents/service'
import { appendUpdates } from '../server/documents/state'
import { insertMember, insertProcessWithSecretariat } from '../server/processes/service'
import { createProbe, type ProbeReport } from './probe'

// Benchmark of the collaboration server against the in-memory reference y-websocket server
// (bench/reference-server.ts), on the same machine and the same workloads (issue 3, item 9):
//
//   1 document  × 100 clients × 1 edit/s for 20 s
//   2 documents ×  25 clients × 2 edits/s for 20 s
//   a fresh client's initial sync of a 300-page document (5,000 paragraphs), Concord loading
//   it cold from PostgreSQL, the reference holding it in memory
//   server memory per loaded document (resident set size of the server process)
//
// Concord runs as in production: `server/main.ts` over PostgreSQL, every update committed before
// it is relayed. Latency is measured from the moment a client sends an edit to the moment each
// other client receives it; every (edit, receiver) pair is counted, and a pair never seen is a
// lost update. Results go to bench/results/ as JSON and Markdown.
//
// Usage: npx tsx bench/collab.ts [--quick] [--profile] [--only=concord|reference]   (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)

const quick = process.argv.includes('--quick')
// --profile: the first Concord process writes a CPU profile (node --cpu-prof) under the system's temporary folder.
const profile = process.argv.includes('--profile')
// --only=concord|reference: that server's two workloads and initial sync only, printed, nothing written (for quick comparisons).
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length)
const PROFILE_DIR = resolve(tmpdir(), 'concord-bench-profiles')
const SECONDS = quick ? 5 : 20
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const SECRET = 'bench-session-secret-0123456789-abcdefghij'
const ROOT = resolve(import.meta.dirname, '..')
const BIG_DOCS = quick ? 2 : 5
const SMALL_DOCS = quick ? 10 : 40

interface Target {
  name: 'concord' | 'reference'
  process: ChildProcess
  url(documentId: string, user: number): string
}

interface WorkloadResult {
  deliveries: number
  expected: number
  lost: number
  p50: number
  p99: number
  max: number
  edits: number
  /** The server process during the edits: event-loop delay, GC pauses, CPU. */
  server: ProbeReport
  /** The benchmark process (the clients) during the edits, measured the same way. */
  clients: ProbeReport
  /** CPU of the whole machine during the edits, in cores busy (the other engineer's work included). */
  machineBusyCores: number
}

// ---------------------------------------------------------------------------------------------
// A light y-websocket client: it speaks the protocol (sync step 1/2, updates) with a real Y.Doc
// of its own, but finds other clients' edits by their markers in the bytes it receives instead
// of applying them, so that 100 clients fit in the benchmark process next to the server.

class BenchClient {
  readonly doc = new Y.Doc()
  readonly socket: WebSocket
  synced: Promise<void>
  #markSynced!: () => void
  seen = new Map<string, number>()
  /** When the first document content arrived (before it is applied). */
  answeredAt: number | undefined

  constructor(
    url: string,
    readonly id: number,
    private readonly onMarker: (client: BenchClient, marker: string, at: number) => void,
    private readonly applyIncoming = false,
  ) {
    this.synced = new Promise((resolveSynced) => (this.#markSynced = resolveSynced))
    this.socket = new WebSocket(url, { perMessageDeflate: false })
    this.socket.binaryType = 'nodebuffer'
    this.socket.on('open', () => {
      this.#send(0, 0, Y.encodeStateVector(this.doc))
    })
    this.socket.on('message', (data: Buffer) => this.#receive(data))
    this.socket.on('error', () => undefined)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) {
        this.#send(0, 2, update)
      }
    })
  }

  edit(marker: string): void {
    this.doc.getText('t').insert(0, `~${marker}~ `)
  }

  close(): void {
    this.socket.close()
  }

  #send(type: number, step: number, payload: Uint8Array) {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, type)
    encoding.writeVarUint(encoder, step)
    encoding.writeVarUint8Array(encoder, payload)
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(encoding.toUint8Array(encoder))
    }
  }

  #receive(data: Buffer) {
    const at = performance.now()
    const decoder = decoding.createDecoder(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    )
    if (decoding.readVarUint(decoder) !== 0) {
      return
    }
    const step = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (step === 0) {
      this.#send(0, 1, Y.encodeStateAsUpdate(this.doc, payload))
      return
    }
    if (this.applyIncoming) {
      this.answeredAt ??= performance.now()
      Y.applyUpdate(this.doc, payload, this)
    } else {
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString(
        'latin1',
      )
      for (const match of text.matchAll(/~(\d+\.\d+)~/g)) {
        if (!this.seen.has(match[1]!)) {
          this.seen.set(match[1]!, at)
          this.onMarker(this, match[1]!, at)
        }
      }
    }
    if (step === 1) {
      this.#markSynced()
    }
  }
}

async function runWorkload(
  target: Target,
  documents: string[],
  clientsPerDocument: number,
  editsPerSecond: number,
): Promise<WorkloadResult> {
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  const clients: BenchClient[] = []
  let nextId = 0
  for (const documentId of documents) {
    for (let i = 0; i < clientsPerDocument; i++) {
      const id = nextId++
      clients.push(
        new BenchClient(target.url(documentId, id), id, (_client, marker, at) => {
          const sent = sentAt.get(marker)
          if (sent !== undefined) {
            latencies.push(at - sent)
          }
        }),
      )
      // Connect at a gentle pace, as people do.
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  await Promise.all(clients.map((c) => c.synced))
  // Both processes are measured over the edits only, the same way for either server.
  await askProbe(target.process, 'probe:reset')
  clientProbe.reset()
  const machineBefore = machineCpu()
  const byDocument = new Map<BenchClient, number>(
    clients.map((c, i) => [c, Math.floor(i / clientsPerDocument)]),
  )
  let edits = 0
  const intervalMs = 1000 / editsPerSecond
  const timers = clients.map((client) => {
    let n = 0
    // Start each client at a random phase, so the edits spread over the second.
    const start = setTimeout(() => {
      const tick = () => {
        const marker = `${client.id}.${n++}`
        sentAt.set(marker, performance.now())
        client.edit(marker)
        edits++
      }
      tick()
      timers.push(setInterval(tick, intervalMs) as unknown as NodeJS.Timeout)
    }, Math.random() * intervalMs)
    return start
  })
  await new Promise((r) => setTimeout(r, SECONDS * 1000))
  for (const timer of timers) {
    clearTimeout(timer)
    clearInterval(timer)
  }
  const server = (await askProbe(target.process, 'probe:report'))!
  const clientsReport = clientProbe.report()
  const machineAfter = machineCpu()
  const machineBusyCores = round(
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
      machineAfter.cores,
  )
  // Let the last edits arrive.
  const expectedFor = () => {
    let expected = 0
    let delivered = 0
    for (const marker of sentAt.keys()) {
      const sender = clients[Number(marker.split('.')[0])]!
      for (const receiver of clients) {
        if (receiver !== sender && byDocument.get(receiver) === byDocument.get(sender)) {
          expected++
          if (receiver.seen.has(marker)) {
            delivered++
          }
        }
      }
    }
    return { expected, delivered }
  }
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && expectedFor().delivered < expectedFor().expected) {
    await new Promise((r) => setTimeout(r, 100))
  }
  const { expected, delivered } = expectedFor()
  for (const client of clients) {
    client.close()
  }
  latencies.sort((a, b) => a - b)
  const pick = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN)
  return {
    deliveries: delivered,
    expected,
    lost: expected - delivered,
    p50: pick(0.5),
    p99: pick(0.99),
    max: pick(1),
    edits,
    server,
    clients: clientsReport,
    machineBusyCores,
  }
}

const clientProbe = createProbe()

// Asks a server started with bench/probe.ts to reset or report its measurement.
function askProbe(
  child: ChildProcess,
  ask: 'probe:reset' | 'probe:report',
): Promise<ProbeReport | undefined> {
  return new Promise((resolveAsk, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${ask}`)), 10_000)
    const onMessage = (message: { probe?: string; report?: ProbeReport }) => {
      if (message.probe === ask.slice('probe:'.length)) {
        clearTimeout(timer)
        child.off('message', onMessage)
        resolveAsk(message.report)
      }
    }
    child.on('message', onMessage)
    child.send(ask)
  })
}

// The machine's CPU time so far (jiffies): busy and total over all cores, from /proc/stat.
function machineCpu(): { busy: number; total: number; cores: number } {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n')
  const fields = line!.trim().split(/\s+/).slice(1).map(Number)
  const total = fields.reduce((a, b) => a + b, 0)
  const idle = fields[3]! + (fields[4] ?? 0)
  return { busy: total - idle, total, cores: cpus().length }
}

async function measureInitialSync(
  target: Target,
  documents: string[],
  content: Uint8Array,
): Promise<{ medianMs: number; maxMs: number; answerMedianMs: number; bytes: number }> {
  // The clients' own decoding of the document is part of every sync. Warm it up first, so that
  // neither server is measured with the benchmark's JIT still cold (before this, the server
  // measured first paid for it: its first syncs took 150-250 ms in the client's apply alone).
  for (let i = 0; i < 3; i++) {
    const warm = new Y.Doc()
    Y.applyUpdate(warm, content)
    warm.destroy()
  }
  const times: number[] = []
  const answers: number[] = []
  let bytes = 0
  for (const documentId of documents) {
    const started = performance.now()
    const client = new BenchClient(target.url(documentId, 0), 0, () => undefined, true)
    await client.synced
    times.push(performance.now() - started)
    answers.push(client.answeredAt! - started)
    bytes = Y.encodeStateAsUpdate(client.doc).byteLength
    if (client.doc.getXmlFragment('prosemirror').length < 5_000) {
      throw new Error(`${target.name}: the synced document is incomplete`)
    }
    client.close()
  }
  const median = (values: number[]) =>
    round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!)
  return {
    medianMs: median(times),
    maxMs: round(Math.max(...times)),
    answerMedianMs: median(answers),
    bytes,
  }
}

// The resident set size of a process, in MiB.
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
}

async function measureMemory(
  target: Target,
  documents: string[],
  load: (documentId: string) => Promise<void>,
): Promise<number> {
  await new Promise((r) => setTimeout(r, 500))
  const before = rssMiB(target.process.pid!)
  for (const documentId of documents) {
    await load(documentId)
  }
  await new Promise((r) => setTimeout(r, 500))
  return round((rssMiB(target.process.pid!) - before) / documents.length)
}

// ---------------------------------------------------------------------------------------------

/** A 300-page strategy: 5,000 paragraphs of about 120 characters, a heading every 25. */
function bigDocument(): Uint8Array {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('prosemirror')
  const sentence =
    'The national cybersecurity strategy strengthens the resilience of critical infrastructure and public services. '
  doc.transact(() => {
    const nodes: Y.XmlElement[] = []
    for (let i = 0; i < 5_000; i++) {
      const heading = i % 25 === 0
      const node = new Y.XmlElement(heading ? 'heading' : 'paragraph')
      if (heading) {
        node.setAttribute('level', '2')
        node.setAttribute('sectionId', `s${i}`)
      }
      node.insert(0, [new Y.XmlText(heading ? `Section ${i / 25 + 1}` : `${i}. ${sentence}`)])
      nodes.push(node)
    }
    fragment.insert(0, nodes)
  })
  return Y.encodeStateAsUpdate(doc)
}

function smallDocument(): Uint8Array {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('prosemirror')
  fragment.insert(
    0,
    Array.from({ length: 50 }, (_, i) => {
      const node = new Y.XmlElement('paragraph')
      node.insert(0, [
        new Y.XmlText(`Paragraph ${i} of a short annex on incident reporting duties.`),
      ])
      return node
    }),
  )
  return Y.encodeStateAsUpdate(doc)
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

async function waitUntil(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) {
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} did not start`)
}

function startChild(args: string[], env: Record<string, string>): ChildProcess {
  // bench/probe.ts measures both servers the same way; it answers over the IPC channel.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './bench/probe.ts', ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  )
  return child
}

const round = (n: number) => Math.round(n * 100) / 100

async function main() {
  const databaseName = `concord_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${databaseName}`)
  const url = new URL(PG_URL)
  url.pathname = `/${databaseName}`
  const databaseUrl = url.toString()
  const children: ChildProcess[] = []
  try {
    // Seed: 10 drafters (connections are spread over them: 10 per user), the workload
    // documents and the 300-page documents, written as stored state.
    process.stdout.write(`seeding ${databaseName}…\n`)
    const connection = await connect({ databaseUrl, poolSize: 4 })
    await migrateToLatest(connection.db)
    const db = connection.db
    const users: Awaited<ReturnType<typeof createAccount>>[] = []
    for (let i = 0; i < 10; i++) {
      users.push(
        await createAccount(
          db,
          {
            email: `drafter${i}@bench.test`,
            password: `bench-password-${i}`,
            name: `Drafter ${i}`,
            isAdmin: i === 0,
          },
          null,
        ),
      )
    }
    const origin = { userId: users[0]!.id, name: 'Bench', ip: 'bench' }
    const seeded = await inTransaction(db, async (trx) => {
      const { id: processId } = await insertProcessWithSecretariat(
        trx,
        users[0]!.id,
        { title: 'Benchmark', languages: ['en'] },
        origin,
      )
      for (const user of users.slice(1)) {
        await insertMember(
          trx,
          processId,
          { id: user.id, email: user.email },
          { role: 'drafter', stakeholderGroup: 'government', organisation: '' },
          origin,
        )
      }
      const make = async () =>
        (await insertDocument(trx, processId, `Doc ${randomBytes(3).toString('hex')}`, origin)).id
      return {
        one: await make(),
        twoA: await make(),
        twoB: await make(),
        big: await Promise.all(Array.from({ length: BIG_DOCS }, make)),
        small: await Promise.all(Array.from({ length: SMALL_DOCS }, make)),
      }
    })
    const big = bigDocument()
    const small = smallDocument()
    for (const id of seeded.big) {
      await appendUpdates(db, id, [big])
    }
    for (const id of seeded.small) {
      await appendUpdates(db, id, [small])
    }
    const ctx = { db, config: { sessionSecret: SECRET } } as unknown as Ctx
    const tokens: string[] = []
    for (const user of users) {
      tokens.push(await createTokenForEmail(ctx, user.email, 'bench'))
    }
    await connection.close()

    const concordPort = await freePort()
    const referencePort = await freePort()
    const concordProcess = startChild(
      [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), 'server/main.ts'],
      {
        PORT: String(concordPort),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SESSION_SECRET: SECRET,
        DEMO: '0',
        STAFF_TWO_FACTOR: 'advised',
        LOG_LEVEL: 'warn',
        PUBLIC_URL: `http://127.0.0.1:${concordPort}`,
      },
    )
    const referenceProcess = startChild(['bench/reference-server.ts', String(referencePort)], {})
    children.push(concordProcess, referenceProcess)
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${concordPort}/api/health`)).status === 200,
      'Concord',
    )
    await waitUntil(
      () =>
        new Promise((resolveOpen) => {
          const probe = new WebSocket(`ws://127.0.0.1:${referencePort}/probe`)
          probe.on('open', () => (probe.close(), resolveOpen(true)))
          probe.on('error', () => resolveOpen(false))
        }),
      'the reference server',
    )
    const targets: Target[] = [
      {
        name: 'concord',
        process: concordProcess,
        url: (documentId, user) =>
          `ws://127.0.0.1:${concordPort}/collab/${documentId}?token=${tokens[user % tokens.length]}`,
      },
      {
        name: 'reference',
        process: referenceProcess,
        url: (documentId) => `ws://127.0.0.1:${referencePort}/${documentId}`,
      },
    ]

    const initialSync = async (target: Target) => {
      if (target.name === 'reference') {
        // The reference stores nothing: it gets the documents from a client first (warm in memory).
        for (const id of [...seeded.big, ...seeded.small]) {
          const uploader = new BenchClient(target.url(id, 0), 0, () => undefined, true)
          await uploader.synced
          Y.applyUpdate(uploader.doc, seeded.big.includes(id) ? big : small)
          await new Promise((r) => setTimeout(r, 200))
          uploader.close()
        }
      }
      return measureInitialSync(target, seeded.big, big)
    }

    const results: Record<string, Record<string, unknown>> = {}
    if (only) {
      for (const target of targets.filter((t) => t.name === only)) {
        const one = await runWorkload(target, [seeded.one], 100, 1)
        const two = await runWorkload(target, [seeded.twoA, seeded.twoB], 25, 2)
        const sync = await initialSync(target)
        process.stdout.write(`${JSON.stringify({ [target.name]: { one, two, sync } }, null, 1)}\n`)
      }
      return
    }
    for (const target of targets) {
      process.stdout.write(
        `${target.name}: 1 document × 100 clients × 1 edit/s for ${SECONDS} s…\n`,
      )
      const one = await runWorkload(target, [seeded.one], 100, 1)
      process.stdout.write(
        `${target.name}: 2 documents × 25 clients × 2 edits/s for ${SECONDS} s…\n`,
      )
      const two = await runWorkload(target, [seeded.twoA, seeded.twoB], 25, 2)
      process.stdout.write(`${target.name}: initial sync of a 300-page document…\n`)
      const sync = await initialSync(target)
      results[target.name] = { oneDocument: one, twoDocuments: two, initialSync: sync }
      // One server at a time: Concord's background work after its run (idle rooms unloading
      // and compacting) must not take CPU from the reference's run.
      if (target.process.exitCode === null) {
        const exited = new Promise((r) => target.process.once('exit', r))
        target.process.kill('SIGTERM')
        await exited
      }
    }

    // Memory per loaded document, in a fresh process of each server: the resident set size
    // before and after loading the documents (Concord from PostgreSQL when a client connects,
    // the reference from a client that sends them), divided by their number.
    for (const child of children.splice(0)) {
      child.kill('SIGTERM')
    }
    const memoryOf = async (
      name: 'concord' | 'reference',
      documents: string[],
      content: Uint8Array,
    ) => {
      const port = await freePort()
      const child =
        name === 'concord'
          ? startChild(['server/main.ts'], {
              PORT: String(port),
              HOST: '127.0.0.1',
              DATABASE_URL: databaseUrl,
              SESSION_SECRET: SECRET,
              DEMO: '0',
              STAFF_TWO_FACTOR: 'advised',
              LOG_LEVEL: 'warn',
              PUBLIC_URL: `http://127.0.0.1:${port}`,
            })
          : startChild(['bench/reference-server.ts', String(port)], {})
      children.push(child)
      const target: Target = {
        name,
        process: child,
        url: (documentId, user) =>
          name === 'concord'
            ? `ws://127.0.0.1:${port}/collab/${documentId}?token=${tokens[user % tokens.length]}`
            : `ws://127.0.0.1:${port}/${documentId}`,
      }
      await waitUntil(
        () =>
          new Promise((resolveOpen) => {
            const probe = new WebSocket(target.url(seeded.one, 0))
            probe.on('open', () => (probe.close(), resolveOpen(true)))
            probe.on('error', () => resolveOpen(false))
          }),
        name,
      )
      // Warm up what every document uses (code paths, the worker, the pool) on one document first.
      const open = async (documentId: string) => {
        const client = new BenchClient(target.url(documentId, 0), 0, () => undefined, true)
        await client.synced
        if (name === 'reference') {
          Y.applyUpdate(client.doc, content)
          await new Promise((r) => setTimeout(r, 100))
        }
        client.close()
      }
      await open(seeded.one)
      const perDocument = await measureMemory(target, documents, open)
      child.kill('SIGTERM')
      return perDocument
    }
    for (const name of ['concord', 'reference'] as const) {
      process.stdout.write(`${name}: memory per loaded document…\n`)
      results[name]!.memoryPerSmallDocumentMiB = await memoryOf(name, seeded.small, small)
      results[name]!.memoryPerBigDocumentMiB = await memoryOf(name, seeded.big, big)
    }
    const memoryBig = results.concord!.memoryPerBigDocumentMiB

    // Zero lost updates also means zero lost in storage: every marker sent is in PostgreSQL.
    const check = await connect({ databaseUrl, poolSize: 2 })
    const { loadState } = await import('../server/documents/state')
    const storedMarkers = async (id: string) => {
      const state = await loadState(check.db, id)
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state.update!)
      return (
        doc
          .getText('t')
          .toString()
          .match(/~\d+\.\d+~/g) ?? []
      ).length
    }
    const stored =
      (await storedMarkers(seeded.one)) +
      (await storedMarkers(seeded.twoA)) +
      (await storedMarkers(seeded.twoB))
    await check.close()
    const editsSent =
      (results.concord!.oneDocument as WorkloadResult).edits +
      (results.concord!.twoDocuments as WorkloadResult).edits
    results.concord!.storedEdits = stored
    results.concord!.editsSent = editsSent

    type Sync = { medianMs: number; maxMs: number; answerMedianMs: number }
    const c = results.concord as Record<string, WorkloadResult & Sync>
    const r = results.reference as Record<string, WorkloadResult & Sync>
    const ratio = (a: number, b: number) => round(a / b)
    const summary = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores, Node ${process.version}`,
      seconds: SECONDS,
      results,
      ratios: {
        oneDocumentP50: ratio(c.oneDocument!.p50, r.oneDocument!.p50),
        oneDocumentP99: ratio(c.oneDocument!.p99, r.oneDocument!.p99),
        twoDocumentsP50: ratio(c.twoDocuments!.p50, r.twoDocuments!.p50),
        twoDocumentsP99: ratio(c.twoDocuments!.p99, r.twoDocuments!.p99),
        initialSyncMedian: ratio(c.initialSync!.medianMs, r.initialSync!.medianMs),
        initialSyncAnswerMedian: ratio(
          c.initialSync!.answerMedianMs,
          r.initialSync!.answerMedianMs,
        ),
      },
    }
    const lines = [
      `# Collaboration benchmark, ${summary.date}${quick ? ' (quick run)' : ''}`,
      '',
      `Machine: ${summary.machine}. Concord: server/main.ts over PostgreSQL, every update committed before it is relayed. Reference: the in-memory y-websocket server (bench/reference-server.ts), which stores nothing. Ratios are Concord ÷ reference (below 1 means Concord is faster).`,
      '',
      '| measure | Concord | reference | ratio |',
      '| --- | --- | --- | --- |',
      `| 1 doc × 100 clients × 1 edit/s, latency p50 / p99 (ms) | ${c.oneDocument!.p50} / ${c.oneDocument!.p99} | ${r.oneDocument!.p50} / ${r.oneDocument!.p99} | ${summary.ratios.oneDocumentP50} / ${summary.ratios.oneDocumentP99} |`,
      `| same, lost deliveries (of expected) | ${c.oneDocument!.lost} of ${c.oneDocument!.expected} | ${r.oneDocument!.lost} of ${r.oneDocument!.expected} | |`,
      `| 2 docs × 25 clients × 2 edits/s, latency p50 / p99 (ms) | ${c.twoDocuments!.p50} / ${c.twoDocuments!.p99} | ${r.twoDocuments!.p50} / ${r.twoDocuments!.p99} | ${summary.ratios.twoDocumentsP50} / ${summary.ratios.twoDocumentsP99} |`,
      `| same, lost deliveries (of expected) | ${c.twoDocuments!.lost} of ${c.twoDocuments!.expected} | ${r.twoDocuments!.lost} of ${r.twoDocuments!.expected} | |`,
      ...(['oneDocument', 'twoDocuments'] as const).flatMap((w) => [
        `| ${w === 'oneDocument' ? '1 doc' : '2 docs'}: server event-loop delay p99 / max (ms) | ${c[w]!.server.loopDelayMs.p99} / ${c[w]!.server.loopDelayMs.max} | ${r[w]!.server.loopDelayMs.p99} / ${r[w]!.server.loopDelayMs.max} | |`,
        `| ${w === 'oneDocument' ? '1 doc' : '2 docs'}: server GC pauses, count / longest (ms) | ${c[w]!.server.gc.count} / ${c[w]!.server.gc.maxMs} | ${r[w]!.server.gc.count} / ${r[w]!.server.gc.maxMs} | |`,
        `| ${w === 'oneDocument' ? '1 doc' : '2 docs'}: CPU, server / clients / whole machine (cores) | ${c[w]!.server.cpuCores} / ${c[w]!.clients.cpuCores} / ${c[w]!.machineBusyCores} | ${r[w]!.server.cpuCores} / ${r[w]!.clients.cpuCores} / ${r[w]!.machineBusyCores} | |`,
        `| ${w === 'oneDocument' ? '1 doc' : '2 docs'}: clients' event-loop delay p99 / max (ms) | ${c[w]!.clients.loopDelayMs.p99} / ${c[w]!.clients.loopDelayMs.max} | ${r[w]!.clients.loopDelayMs.p99} / ${r[w]!.clients.loopDelayMs.max} | |`,
      ]),
      `| initial sync of a 300-page document, median / max (ms) | ${c.initialSync!.medianMs} / ${c.initialSync!.maxMs} (cold from PostgreSQL) | ${r.initialSync!.medianMs} / ${r.initialSync!.maxMs} (in memory) | ${summary.ratios.initialSyncMedian} |`,
      `| same, until the document arrives (before the client applies it), median (ms) | ${c.initialSync!.answerMedianMs} | ${r.initialSync!.answerMedianMs} | ${summary.ratios.initialSyncAnswerMedian} |`,
      `| memory per loaded 50-paragraph document (MiB RSS) | ${results.concord!.memoryPerSmallDocumentMiB} | ${results.reference!.memoryPerSmallDocumentMiB} | |`,
      `| memory per loaded 300-page document (MiB RSS) | ${memoryBig} | ${results.reference!.memoryPerBigDocumentMiB} | |`,
      `| edits sent / found in PostgreSQL afterwards | ${editsSent} / ${stored} | (stores nothing) | |`,
      '',
    ]
    const markdown = lines.join('\n')
    process.stdout.write(`\n${markdown}\n`)
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true })
    const stamp = summary.date.replace(/[:.]/g, '-')
    writeFileSync(
      resolve(ROOT, `bench/results/collab-${stamp}.json`),
      `${JSON.stringify(summary, null, 2)}\n`,
    )
    writeFileSync(resolve(ROOT, `bench/results/collab-${stamp}.md`), markdown)
  } finally {
    for (const child of children) {
      child.kill('SIGTERM')
    }
    await new Promise((r) => setTimeout(r, 1000))
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)
    await admin.end()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
