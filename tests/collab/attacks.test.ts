import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import { countStoredUpdates } from '../../server/documents/state'
import { waitFor } from '../support/wait-for'
import {
  connectClient,
  setUpDocument,
  startCollabServer,
  text,
  tokenFor,
  type TestClient,
} from './harness'

// Issue 12, item 2, the short version for CI (bench/attacks.ts is the long one): hostile
// frames sent beside a bystander who edits the same document, measuring the bystander's
// propagation before and during the attack and the server's memory. The attacker runs in a
// process of its own (tests/support/flooder.mjs), so only the server's work is measured here.

const server = await startCollabServer()
afterAll(() => server.close())

const FLOODER = resolve(import.meta.dirname, '../support/flooder.mjs')

interface FloodStats {
  opened: number
  framesSent: number
  bytesSent: number
  bytesReceived: number
  closes: Record<string, number>
}

/**
 * Starts an attacker process and resolves once it is ready (started, its frames built), so its
 * start-up is not part of the measurement; `go()` starts the attack and resolves with its figures.
 */
async function prepareFlood(
  options: Record<string, unknown>,
): Promise<{ go(): Promise<FloodStats> }> {
  const child = spawn(process.execPath, [FLOODER, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const done = new Promise<FloodStats>((resolveStats, reject) => {
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolveStats(JSON.parse(output.slice(output.indexOf('\n') + 1)) as FloodStats)
        : reject(new Error(`the flooder exited with ${code}`)),
    )
  })
  await waitFor(() => output.startsWith('ready\n'), { timeoutMs: 15_000 })
  return {
    go: () => {
      child.stdin.end('go\n')
      return done
    },
  }
}

/** A document of about 640 KB in 5,000 pieces, as a long strategy draft is. */
function largeDocument(): Y.Doc {
  const doc = new Y.Doc()
  const t = doc.getText('t')
  let seed = 12
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  for (let i = 0; i < 5_000; i++) {
    t.insert(Math.floor(random() * (t.length + 1)), `${i} `.padEnd(128, 'strategy '))
  }
  return doc
}

/**
 * The bystander's propagation: `from` appends a numbered entry to an array every 20 ms while
 * `during` runs, and `to` records how long each took to arrive.
 */
async function propagation(from: TestClient, to: TestClient, during: Promise<unknown>) {
  const sentAt = new Map<number, number>()
  const samples: number[] = []
  const seen = (event: Y.YArrayEvent<number>) => {
    for (const change of event.changes.delta) {
      for (const id of (change.insert as number[] | undefined) ?? []) {
        const at = sentAt.get(id)
        if (at !== undefined) {
          samples.push(performance.now() - at)
          sentAt.delete(id)
        }
      }
    }
  }
  to.doc.getArray<number>('probe').observe(seen)
  let next = from.doc.getArray<number>('probe').length
  let finished = false
  void during.finally(() => (finished = true))
  const timer = setInterval(() => {
    const id = next++
    sentAt.set(id, performance.now())
    from.doc.getArray<number>('probe').push([id])
  }, 20)
  await during
  clearInterval(timer)
  await waitFor(() => sentAt.size === 0 && finished, {
    timeoutMs: 15_000,
    message: 'the bystander’s changes did not all arrive',
  })
  to.doc.getArray<number>('probe').unobserve(seen)
  return samples
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Resolves after `ms`: the length of a measurement window, not a wait for a condition. */
const window = (ms: number) => new Promise((resolveWindow) => setTimeout(resolveWindow, ms))

describe('hostile frames beside a bystander', () => {
  it('a reader flooding sync step 1 and a writer sending 5,000 client ids do not stall the bystander', async () => {
    const { documentId, people } = await setUpDocument(server, [
      'drafter',
      'drafter',
      'observer',
      'drafter',
    ])
    const [writerToken, bystanderToken, observerToken, hostileToken] = await Promise.all(
      people.slice(1).map(({ user }) => tokenFor(server.app, user)),
    )
    const writer = connectClient(
      server,
      documentId,
      { token: writerToken! },
      { doc: largeDocument() },
    )
    await writer.synced(15_000)
    const documentBytes = Y.encodeStateAsUpdate(writer.doc).byteLength
    expect(documentBytes).toBeGreaterThan(600_000)
    const bystander = connectClient(server, documentId, { token: bystanderToken! })
    await waitFor(() => text(bystander.doc).length === text(writer.doc).length, {
      timeoutMs: 15_000,
    })

    const memory = { before: process.memoryUsage().rss, peak: 0 }
    const sampler = setInterval(() => {
      memory.peak = Math.max(memory.peak, process.memoryUsage().rss)
    }, 25)
    const url = (token: string) => `${server.wsUrl}/${documentId}?token=${token}`
    // 1,000 sync step 1 frames on one connection, then on 8 more connections within 1.5 s.
    const floodRun = await prepareFlood({
      url: url(observerToken!),
      attack: 'sync-step-1',
      connections: 9,
      perSecond: 6,
      frames: 1_000,
      holdMs: 1_000,
    })
    // Valid updates with structs of 5,000 client ids each.
    const clientIdsRun = await prepareFlood({
      url: url(hostileToken!),
      attack: 'client-ids',
      connections: 4,
      perSecond: 4,
      clientIds: 5_000,
      holdMs: 1_000,
    })
    const storedBefore = await countStoredUpdates(server.db, documentId)
    const before = await propagation(writer, bystander, window(2_000))
    const attack = Promise.all([floodRun.go(), clientIdsRun.go()])
    const during = await propagation(writer, bystander, attack)
    clearInterval(sampler)
    const [floodStats, clientIdStats] = await attack

    const p99 = { before: percentile(before, 99), during: percentile(during, 99) }
    const growthMiB = (memory.peak - memory.before) / 2 ** 20
    const room = server.app.collab.rooms.get(documentId)!
    // Printed for the report: the figures behind the bounds below.
    process.stdout.write(
      `${JSON.stringify({
        documentBytes,
        p99,
        p50: { before: percentile(before, 50), during: percentile(during, 50) },
        ratio: p99.during / p99.before,
        growthMiB,
        floodStats,
        clientIdStats,
        answers: room.answers.counts,
      })}\n`,
    )

    // The flood asked for the document 9,000 times; it got a handful of answers, encoded once.
    expect(floodStats.framesSent).toBeGreaterThan(3_000)
    expect(floodStats.bytesReceived).toBeLessThan(floodStats.opened * 8 * documentBytes)
    expect(floodStats.closes[CloseCodes.SlowDown]).toBeGreaterThan(0)
    expect(room.answers.counts.encoded).toBeLessThan(5)
    // The updates naming 5,000 client ids were refused before they were decoded, and nothing
    // of them was stored.
    expect(clientIdStats.closes[CloseCodes.TooLarge]).toBe(4)
    expect(room.doc.store.clients.size).toBeLessThan(10)
    // The bystander: generous bounds for a shared CI machine (the goal, 2× and 64 MiB, is what
    // bench/attacks.ts reports); the code before issue 12 took seconds and hundreds of MiB.
    expect(p99.during).toBeLessThan(Math.max(3 * p99.before, 250))
    expect(growthMiB).toBeLessThan(64)
    expect(writer.closes).toEqual([])
    expect(bystander.closes).toEqual([])
    await waitFor(async () => (await countStoredUpdates(server.db, documentId)) > storedBefore)
    expect(text(bystander.doc)).toBe(text(writer.doc))
    writer.destroy()
    bystander.destroy()
  }, 60_000)

  it('fragment and ping floods cost the server little beside a bystander', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'drafter', 'observer'])
    const [writerToken, bystanderToken, observerToken] = await Promise.all(
      people.slice(1).map(({ user }) => tokenFor(server.app, user)),
    )
    const writer = connectClient(server, documentId, { token: writerToken! })
    const bystander = connectClient(server, documentId, { token: bystanderToken! })
    await Promise.all([writer.synced(), bystander.synced()])
    const url = `${server.wsUrl}/${documentId}?token=${observerToken!}`
    // Messages of 16,000 frames each (what ws allowed by default: 96 KB of frame headers for one
    // two-byte message), on 4 connections a second.
    const fragmentRun = await prepareFlood({
      url,
      attack: 'fragments',
      connections: 4,
      perSecond: 4,
      frames: 200,
      fragments: 16_000,
      holdMs: 1_500,
    })
    // Messages of 60 frames, within the frame limit.
    const withinRun = await prepareFlood({
      url,
      attack: 'fragments',
      connections: 4,
      perSecond: 4,
      frames: 3_000,
      fragments: 60,
      holdMs: 1_500,
    })
    // 125-byte pings, each of which ws answers with a pong.
    const pingRun = await prepareFlood({
      url,
      attack: 'fragments',
      connections: 4,
      perSecond: 4,
      frames: 0,
      pings: 3_000,
      holdMs: 1_500,
    })
    const memory = { before: process.memoryUsage().rss, peak: 0 }
    const sampler = setInterval(() => {
      memory.peak = Math.max(memory.peak, process.memoryUsage().rss)
    }, 25)
    const loop = monitorEventLoopDelay({ resolution: 5 })
    const before = await propagation(writer, bystander, window(1_500))
    loop.enable()
    const cpuBefore = process.cpuUsage()
    const framesReadBefore = server.app.collab.flow.framesRead
    const attack = Promise.all([fragmentRun.go(), withinRun.go(), pingRun.go()])
    const during = await propagation(writer, bystander, attack)
    const cpu = process.cpuUsage(cpuBefore)
    loop.disable()
    clearInterval(sampler)
    const [fragmentStats, withinStats, pingStats] = await attack
    const framesRead = server.app.collab.flow.framesRead - framesReadBefore
    const p99 = { before: percentile(before, 99), during: percentile(during, 99) }
    const growthMiB = (memory.peak - memory.before) / 2 ** 20
    process.stdout.write(
      `${JSON.stringify({
        fragments: {
          p99,
          growthMiB,
          // The server's own work during the attack: its longest stall and its CPU.
          eventLoopMaxMs: loop.max / 1e6,
          cpuMs: (cpu.user + cpu.system) / 1000,
          framesRead,
          fragmentStats,
          withinStats,
          pingStats,
        },
      })}\n`,
    )
    // Every flooding connection was closed by the server for its frames (SlowDown: the frames
    // off the wire, fragments and pings included, are counted before ws parses them), none
    // lasted until the flooder let go (1005). The server stops reading a connection it closed
    // for its input and ends it a second later, so a flooder still writing may see the
    // connection reset (1006) before it reads the code.
    for (const stats of [fragmentStats, withinStats, pingStats]) {
      expect((stats.closes[CloseCodes.SlowDown] ?? 0) + (stats.closes[1006] ?? 0)).toBe(4)
    }
    // What the server parsed for them: each connection's frame budget (400 a second, 4 s of it
    // at once), beside the bystander's own frames; ws parsed 7 million frames of this flood
    // before the budget counted frames off the wire.
    expect(framesRead).toBeLessThan(12 * (4 * 400 + 2 * 400) + 2_000)
    // The goal is a p99 within 2× of before. On this shared 2-core machine (eight sessions'
    // tests, load averages of 10 to 15) the bystander's p99 without any attack moved between 20
    // and 160 ms from one window to the next, and the flooders' three processes and the
    // kernel's copying of their writes take the same two cores, hence an absolute floor of
    // +250 ms; before the frame budget this flood took it from 37 ms to 1.3 s.
    expect(p99.during).toBeLessThan(Math.max(2 * p99.before, p99.before + 250))
    expect(growthMiB).toBeLessThan(64)
    expect(writer.closes).toEqual([])
    expect(bystander.closes).toEqual([])
    writer.destroy()
    bystander.destroy()
  }, 60_000)
})
